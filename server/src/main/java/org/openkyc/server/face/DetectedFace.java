package org.openkyc.server.face;

/**
 * A face found in an image.
 *
 * @param x         left edge of the box, pixels
 * @param y         top edge, pixels
 * @param width     box width, pixels
 * @param height    box height, pixels
 * @param score     detector confidence 0-1 (the Haar fallback reports 0.5)
 * @param landmarks 68 points as x0, y0, x1, y1 ... in image pixels (iBUG 300-W order)
 * @param detector  "fr_detect" or "haar"
 */
public record DetectedFace(double x, double y, double width, double height, double score, float[] landmarks,
        String detector) {

    public double area() {
        return width * height;
    }

    public double cx() {
        return x + width / 2;
    }

    public double cy() {
        return y + height / 2;
    }

    /** Mean of the given landmark indices, as {x, y}. */
    public double[] mean(int... idx) {
        double sx = 0;
        double sy = 0;
        for (int i : idx) {
            sx += landmarks[2 * i];
            sy += landmarks[2 * i + 1];
        }
        return new double[] {sx / idx.length, sy / idx.length};
    }

    /** Left eye (image left), right eye, nose tip, left and right mouth corners. */
    public double[][] fivePoints() {
        return new double[][] {mean(37, 38, 40, 41), mean(43, 44, 46, 47), mean(30), mean(48, 60), mean(54, 64)};
    }
}
