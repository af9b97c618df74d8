package org.openkyc.server.face;

/**
 * A selfie checked for use: how many faces, the main face, its embedding and the
 * passive liveness score.
 *
 * @param faceCount        persons in the selfie: plausible faces at least a third of the main face's width
 *                         (a blurred background shape, a ghost or a tiny face far behind do not count;
 *                         see {@link FacePlausibility})
 * @param face             the main face (the largest plausible one), or null when none
 * @param embedding        unit embedding of that face, or null
 * @param livenessScore    passive liveness 0-100 (probability of a live face x 100), NaN without a face
 * @param livenessThreshold score at or above which the selfie counts as live
 * @param live             livenessScore &gt;= livenessThreshold (a still photo can pass: see {@link FaceEngine})
 */
public record SelfieAnalysis(int faceCount, DetectedFace face, float[] embedding, double livenessScore,
        double livenessThreshold, boolean live) {}
