package org.openkyc.server.document;

import org.bytedeco.opencv.opencv_core.Size;

/**
 * The size an analysis stage works at: the image scaled so that it fits a box of
 * {@code maxWidth x maxHeight}, by whichever side limits it. A stage that scales to a
 * fixed width alone lets a tall strip keep its length (200 x 200,000 at 1000 px wide
 * is 1,000,000 rows); fitting the box bounds every buffer the stage allocates to
 * {@code maxWidth x maxHeight} pixels, whatever the input.
 */
public record WorkingSize(int width, int height, double scale) {

    /** Fits {@code cols x rows} into the box, enlarging or shrinking (never to less than 1 px). */
    public static WorkingSize fit(int cols, int rows, int maxWidth, int maxHeight) {
        if (cols <= 0 || rows <= 0) {
            throw new IllegalArgumentException("empty image");
        }
        double scale = Math.min((double) maxWidth / cols, (double) maxHeight / rows);
        return of(cols, rows, scale);
    }

    /** As {@link #fit}, but never enlarges: an image already inside the box keeps its size. */
    public static WorkingSize shrinkToFit(int cols, int rows, int maxWidth, int maxHeight) {
        WorkingSize f = fit(cols, rows, maxWidth, maxHeight);
        return f.scale >= 1 ? new WorkingSize(cols, rows, 1.0) : f;
    }

    private static WorkingSize of(int cols, int rows, double scale) {
        int w = (int) Math.max(1, Math.round(cols * scale));
        int h = (int) Math.max(1, Math.round(rows * scale));
        return new WorkingSize(w, h, scale);
    }

    public Size size() {
        return new Size(width, height);
    }

    public long pixels() {
        return (long) width * height;
    }
}
