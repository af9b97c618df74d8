package org.openkyc.server.liveness;

import java.time.Instant;

/** A recorded liveness result of a case: success or fail, a confidence 0-100, and where it came from. */
public record LivenessResult(String result, double confidence, String source, Instant at) {
}
