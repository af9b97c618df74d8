package org.openkyc.server.document;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.REDUCE_SUM;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.reduce;
import static org.bytedeco.opencv.global.opencv_core.rotate;
import static org.bytedeco.opencv.global.opencv_imgproc.*;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The geometry of a document image that is not upright: which way its text lines run, by how much
 * they are skewed, and the turns that bring them level. Skew is measured from the lines of print
 * themselves (the projection of dark text strokes is sharpest when the lines are level), so it works
 * without a document outline, on a close-up scan as on a photo. Stateless and thread-safe.
 */
final class DocumentGeometry {

    /** Skew is measured with the image fitted into a square of this side. */
    static final int WORK_SIDE = 560;
    /** The largest skew measured and corrected, in degrees either way. */
    static final double MAX_SKEW = 32;
    /** Images whose longer side is shorter than this are enlarged before the zone is searched. */
    static final int UPSCALE_BELOW = 1000;
    /** The most an image is enlarged. */
    static final int MAX_UPSCALE = 3;

    private DocumentGeometry() {}

    /** How much to enlarge an image of this size for OCR: 1, 2 or 3. */
    static int upscaleFactor(int cols, int rows) {
        int side = Math.max(cols, rows);
        if (side >= UPSCALE_BELOW) {
            return 1;
        }
        return Math.min(MAX_UPSCALE, (int) Math.ceil((double) UPSCALE_BELOW / side));
    }

    /** The image enlarged by {@code factor} with bicubic interpolation (a copy when the factor is 1). */
    static Mat upscale(Mat grey, int factor) {
        Mat out = new Mat();
        if (factor <= 1) {
            grey.copyTo(out);
        } else {
            resize(grey, out, new Size(grey.cols() * factor, grey.rows() * factor), 0, 0, INTER_CUBIC);
        }
        return out;
    }

    /** The image turned clockwise by {@code turns} quarter turns (a copy for 0). */
    static Mat turn(Mat grey, int turns) {
        Mat out = new Mat();
        switch (((turns % 4) + 4) % 4) {
            case 1 -> rotate(grey, out, ROTATE_90_CLOCKWISE);
            case 2 -> rotate(grey, out, ROTATE_180);
            case 3 -> rotate(grey, out, ROTATE_90_COUNTERCLOCKWISE);
            default -> grey.copyTo(out);
        }
        return out;
    }

    /** The image rotated by {@code degrees} (counter-clockwise) on a canvas grown to hold all of it. */
    static Mat rotateLevel(Mat grey, double degrees) {
        double r = Math.toRadians(degrees);
        int w = grey.cols();
        int h = grey.rows();
        int nw = (int) Math.ceil(Math.abs(w * Math.cos(r)) + Math.abs(h * Math.sin(r)));
        int nh = (int) Math.ceil(Math.abs(w * Math.sin(r)) + Math.abs(h * Math.cos(r)));
        Mat out = new Mat();
        try (Mat rot = getRotationMatrix2D(new Point2f(w / 2f, h / 2f), degrees, 1.0)) {
            DoubleIndexer m = rot.createIndexer();
            m.put(0, 2, m.get(0, 2) + (nw - w) / 2.0);
            m.put(1, 2, m.get(1, 2) + (nh - h) / 2.0);
            m.release();
            warpAffine(grey, out, rot, new Size(nw, nh), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
        }
        return out;
    }

    /**
     * How the print runs.
     *
     * @param vertical lines run up and down (the image is a quarter turn from upright)
     * @param score    sharpness of the level projection (relative; higher is clearer)
     * @param across   the skew ({@link #skew}) of the image as it is, which is also that of the image turned
     *                 upside down (a half turn does not change the lines' slope)
     * @param upDown   the skew of the image turned a quarter turn clockwise, also that of the image turned
     *                 three quarters
     */
    record Direction(boolean vertical, double score, double across, double upDown) {

        /** The skew of the image after {@code turns} quarter turns clockwise. */
        double skewAfter(int turns) {
            return turns % 2 == 0 ? across : upDown;
        }
    }

    /** Whether the lines of print run across or up and down, and their skew either way. */
    static Direction direction(Mat grey) {
        try (Mat bin = strokes(grey); Mat turned = turn(bin, 1)) {
            // The finer sweep only for the way the print runs: the other way's skew is never used to level
            // the image, and its coarse score already lost.
            double[] across = coarseSkew(bin);
            double[] upDown = coarseSkew(turned);
            if (upDown[1] > across[1]) {
                upDown = fineSkew(turned, upDown);
            } else {
                across = fineSkew(bin, across);
            }
            return new Direction(upDown[1] > across[1], Math.max(across[1], upDown[1]), across[0], upDown[0]);
        }
    }

    /**
     * The rotation, in degrees (counter-clockwise, within {@link #MAX_SKEW}), that levels the lines of
     * print of an image whose lines run roughly across.
     */
    static double skew(Mat grey) {
        try (Mat bin = strokes(grey)) {
            return bestSkew(bin)[0];
        }
    }

    /** Dark text strokes at the working size, as a 0/1 8-bit image (turned and summed at a quarter of a float's cost). */
    private static Mat strokes(Mat grey) {
        WorkingSize work = WorkingSize.fit(grey.cols(), grey.rows(), WORK_SIDE, WORK_SIDE);
        Mat out = new Mat();
        try (Mat small = new Mat(); Mat black = new Mat();
                Mat k = getStructuringElement(MORPH_RECT, new Size(9, 9))) {
            resize(grey, small, work.size(), 0, 0, work.scale() < 1 ? INTER_AREA : INTER_LINEAR);
            morphologyEx(small, black, MORPH_BLACKHAT, k);
            threshold(black, out, 0, 1, THRESH_BINARY | THRESH_OTSU);
        }
        return out;
    }

    /** {angle, score}: a coarse sweep of +/-{@link #MAX_SKEW} degrees, then a finer one around the best. */
    private static double[] bestSkew(Mat bin) {
        return fineSkew(bin, coarseSkew(bin));
    }

    /** {angle, score} of the coarse sweep alone: every 2 degrees. */
    private static double[] coarseSkew(Mat bin) {
        double best = 0;
        double bestScore = -1;
        for (double a = -MAX_SKEW; a <= MAX_SKEW + 1e-9; a += 2) {
            double s = profile(bin, a);
            if (s > bestScore) {
                bestScore = s;
                best = a;
            }
        }
        return new double[] {best, bestScore};
    }

    /** {angle, score}: the coarse result refined every half degree within 1.5 degrees. */
    private static double[] fineSkew(Mat bin, double[] coarse) {
        double best = coarse[0];
        double bestScore = coarse[1];
        double centre = best;
        for (double a = centre - 1.5; a <= centre + 1.5 + 1e-9; a += 0.5) {
            if (a == centre) {
                continue;
            }
            double s = profile(bin, a);
            if (s > bestScore) {
                bestScore = s;
                best = a;
            }
        }
        return new double[] {best, bestScore};
    }

    /** Sum of squared row sums of the strokes rotated by {@code degrees}: highest when lines are level. */
    private static double profile(Mat bin, double degrees) {
        try (Mat rot = getRotationMatrix2D(new Point2f(bin.cols() / 2f, bin.rows() / 2f), degrees, 1.0);
                Mat turned = new Mat(); Mat rows = new Mat()) {
            warpAffine(bin, turned, rot, bin.size(), INTER_NEAREST, BORDER_CONSTANT, new Scalar());
            reduce(turned, rows, 1, REDUCE_SUM, CV_32F);
            FloatIndexer idx = rows.createIndexer();
            double s = 0;
            for (int y = 0; y < rows.rows(); y++) {
                double v = idx.get(y, 0);
                s += v * v;
            }
            idx.release();
            return s / ((double) bin.cols() * bin.cols() * bin.rows());
        }
    }
}
