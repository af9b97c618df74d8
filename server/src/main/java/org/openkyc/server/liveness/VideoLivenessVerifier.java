package org.openkyc.server.liveness;

import java.util.List;
import java.util.Optional;

/**
 * Video liveness: each uploaded video shows the user performing a requested
 * action; the verifier decides from landmarks, head pose, eye state and
 * expression over time. Implementations are thread-safe.
 */
public interface VideoLivenessVerifier extends AutoCloseable {

    /** A video and the action it should show. */
    record Challenge(ChallengeAction action, byte[] video) {}

    /** Judges one video. Never throws for bad videos: the result carries the reason. */
    ChallengeResult verify(ChallengeAction action, byte[] video);

    /**
     * Judges a set of videos, and that one person appears in all of them and, when a
     * reference embedding is given (selfie or document portrait), that it is that person.
     */
    LivenessVerdict verifyAll(List<Challenge> challenges, Optional<float[]> reference);

    @Override
    void close();
}
