package org.openkyc.server.face;

/**
 * Maps the cosine similarity of two face embeddings to a 0-100 score with a
 * logistic curve centred at cosine {@value #CENTRE} (score 50) with slope
 * {@value #SLOPE}: cosine 0.15 gives 8, 0.35 gives 50, 0.384 gives 60, 0.40 gives 65,
 * 0.60 gives 95, 0.9 and above about 100.
 *
 * <p>Calibration, on real photos (press photos, fr_feature): different people
 * reached cosine 0.357 (score 52); the same person, in different photos, ranged
 * from cosine 0.379 (score 58.6) to 0.882 (score 99.8). The two distributions touch:
 * there is no gap between them. The default match threshold, score 60 (cosine
 * 0.384), is set just above the highest different-people pair seen (no false accept
 * there), at the cost of rejecting the least similar same-person pairs; lowering it
 * towards 52 accepts look-alikes. The test fixtures (FaceEngineTest, BENCHMARKS.md)
 * are far easier and must not be read as the operating range: variants of one photo
 * score cosine 0.93-1.0 and the few different people in them 0.09-0.20. This is
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
