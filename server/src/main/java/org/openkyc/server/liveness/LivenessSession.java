package org.openkyc.server.liveness;

import java.time.Instant;
import java.util.List;

/**
 * A liveness challenge session (docs/API.md C2): the profile it is bound to, its
 * three distinct actions in the order the videos must show them, and its
 * status as of now.
 */
public record LivenessSession(String id, String profileId, List<ChallengeAction> actions, Status status,
        Instant createdAt, Instant expiresAt) {

    public LivenessSession {
        actions = List.copyOf(actions);
    }

    /** Session status; the wire names are the lower-case names. */
    public enum Status {
        CREATED, PASSED, FAILED, EXPIRED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
