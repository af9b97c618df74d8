package org.openkyc.server.liveness;

import java.util.List;

/**
 * The verdict on one challenge video.
 *
 * @param action         the requested action
 * @param passed         true when the action was seen, by one face, the same person throughout, moving
 * @param score          0-100 strength of the evidence for the action (100 = far past the threshold)
 * @param reason         PASSED or the first reason it failed
 * @param decidingFramesMs timestamps (ms from the start) of the frames that decided: baseline, peak, return
 * @param framesAnalysed sampled frames that were analysed
 * @param durationMs     video duration
 * @param sameFaceScore  lowest 0-100 similarity between this video's sampled faces (NaN without faces)
 * @param embedding      the face embedding of the most frontal frame (for cross-video checks), or null
 * @param measurements   the signal ranges behind the decision (e.g. yawDelta, eyeClosedPeak)
 */
public record ChallengeResult(
        ChallengeAction action,
        boolean passed,
        double score,
        LivenessReason reason,
        List<Long> decidingFramesMs,
        int framesAnalysed,
        long durationMs,
        double sameFaceScore,
        float[] embedding,
        java.util.Map<String, Double> measurements) {}
