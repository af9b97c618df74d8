package org.openkyc.server.document;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A decoded upload: BGR pixels with EXIF orientation applied. Owns a native
 * buffer: close it when done (try-with-resources).
 */
public final class IntakeImage implements AutoCloseable {

    private final ImageFormat format;
    private final Mat bgr;

    IntakeImage(ImageFormat format, Mat bgr) {
        this.format = format;
        this.bgr = bgr;
    }

    public ImageFormat format() { return format; }

    /** The pixels, 8-bit BGR, upright. Owned by this object. */
    public Mat bgr() { return bgr; }

    public int width() { return bgr.cols(); }
    public int height() { return bgr.rows(); }

    @Override
    public void close() {
        bgr.close();
    }
}
