package org.openkyc.server.screening;

import java.time.Instant;

/**
 * One loaded list: where it came from, the SHA-256 of its files (in a fixed
 * order), when it was loaded and how many entries it holds. Every screening
 * records the versions it ran against.
 */
public record ListVersion(String source, String sha256, Instant loadedAt, int entryCount) {
}
