package org.openkyc.server.face;

/**
 * Maps the cosine similarity of two face embeddings to a 0-100 score with a
 * logistic curve centred at cosine {@value #CENTRE} (score 50) with slope
 * {@value #SLOPE}: cosine 0.15 gives 8, 0.35 gives 50, 0.40 gives 65, 0.60 gives 95,
 * 0.9 and above about 100.
 *
 * <p>Calibration (BENCHMARKS.md, FaceEngineTest): with fr_feature, photos of
 * different people measured cosine 0.0-0.2 (scores below 15); the same photo
 * shifted, scaled, re-lit, recompressed or mirrored measured 0.9-1.0 (scores
 * above 99). The default match threshold, score 60 (cosine 0.384), sits in that gap
 * and near the usual operating point of ArcFace-type models (cosine 0.3-0.4) for
 * a selfie against an ID photo, which differs more than our test pairs do. This is
 * calibrated on few people; operators should measure on their own traffic.
 */
public final class SimilarityScale {

    static final double CENTRE = 0.35;
    static final double SLOPE = 12;

    private SimilarityScale() {}

    public static double score(double cosine) {
        double s = 100 / (1 + Math.exp(-(cosine - CENTRE) * SLOPE));
        return Math.round(s * 100) / 100.0;
    }

    /** The cosine that gives a score (inverse of {@link #score}). */
    public static double cosineFor(double score) {
        return CENTRE - Math.log(100 / score - 1) / SLOPE;
    }
}
