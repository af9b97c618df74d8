package org.openkyc.server.liveness;

import java.util.List;

/**
 * The verdict on a set of challenge videos (usually three).
 *
 * @param passed          every challenge passed and the face is one person across all videos (and the reference)
 * @param challenges      per-video results, in the order given
 * @param crossVideoScore lowest 0-100 similarity between the videos' faces (NaN if fewer than two faces)
 * @param referenceScore  0-100 similarity to the reference face (selfie or document portrait), NaN without one
 * @param reason          PASSED, FACE_CHANGED, or the first failing challenge's reason
 */
public record LivenessVerdict(boolean passed, List<ChallengeResult> challenges, double crossVideoScore,
        double referenceScore, LivenessReason reason) {}
