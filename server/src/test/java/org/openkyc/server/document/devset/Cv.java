package org.openkyc.server.document.devset;

import static org.bytedeco.opencv.global.opencv_core.CV_16SC3;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Random;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/** The few OpenCV operations the development set needs, on BGR 8-bit images. */
final class Cv {

    private Cv() {}

    static Mat bgr(BufferedImage img) {
        BufferedImage b = img;
        if (img.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            b = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = b.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
        }
        byte[] data = ((DataBufferByte) b.getRaster().getDataBuffer()).getData();
        Mat m = new Mat(b.getHeight(), b.getWidth(), CV_8UC3);
        m.data().put(data);
        return m;
    }

    static Mat grey(BufferedImage img) {
        BufferedImage b = img;
        if (img.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            b = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = b.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
        }
        byte[] data = ((DataBufferByte) b.getRaster().getDataBuffer()).getData();
        Mat m = new Mat(b.getHeight(), b.getWidth(), CV_8UC1);
        m.data().put(data);
        return m;
    }

    static byte[] encode(Mat m, String ext, int jpegQuality) {
        try (BytePointer out = new BytePointer();
                IntPointer params = new IntPointer(jpegQuality > 0 ? new int[] {IMWRITE_JPEG_QUALITY, jpegQuality} : new int[0])) {
            imencode(ext, m, out, params);
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    static Mat resize(Mat m, int w, int h) {
        Mat out = new Mat();
        opencv_imgproc.resize(m, out, new Size(w, h), 0, 0, opencv_imgproc.INTER_AREA);
        m.close();
        return out;
    }

    static Mat resizeWidth(Mat m, int w) {
        return resize(m, w, (int) Math.round(m.rows() * w / (double) m.cols()));
    }

    /** The 3x3 matrix (row-major) of a rotation by {@code angle} and scaling about the source's centre to (cx, cy). */
    static double[] similarity(int w, int h, double cx, double cy, double scale, double angle) {
        double c = Math.cos(angle) * scale;
        double s = Math.sin(angle) * scale;
        // p' = R*S*(p - centre) + (cx, cy)
        double tx = cx - (c * w / 2 - s * h / 2);
        double ty = cy - (s * w / 2 + c * h / 2);
        return new double[] {c, -s, tx, s, c, ty, 0, 0, 1};
    }

    static double[] perspective(float[] src, float[] dst) {
        try (Mat s = new Mat(4, 1, opencv_core.CV_32FC2); Mat d = new Mat(4, 1, opencv_core.CV_32FC2)) {
            FloatIndexer si = s.createIndexer();
            FloatIndexer di = d.createIndexer();
            for (int i = 0; i < 4; i++) {
                si.put(i, 0, 0, src[2 * i]);
                si.put(i, 0, 1, src[2 * i + 1]);
                di.put(i, 0, 0, dst[2 * i]);
                di.put(i, 0, 1, dst[2 * i + 1]);
            }
            si.release();
            di.release();
            try (Mat h = opencv_imgproc.getPerspectiveTransform(s, d)) {
                double[] out = new double[9];
                DoubleIndexer hi = h.createIndexer();
                for (int i = 0; i < 9; i++) {
                    out[i] = hi.get(i / 3, i % 3);
                }
                hi.release();
                return out;
            }
        }
    }

    /** Warps the document by the 3x3 matrix into {@code into}, blending at its antialiased outline. */
    static void place(Mat into, Mat doc, Mat mask, double[] h) {
        double scale = Math.sqrt(Math.abs(h[0] * h[4] - h[1] * h[3]));
        if (scale < 0.9) {
            // Shrink first with area averaging: a perspective warp alone would alias the small print.
            int w = Math.max(1, (int) Math.round(doc.cols() * scale));
            int hh = Math.max(1, (int) Math.round(doc.rows() * scale));
            double sx = doc.cols() / (double) w;
            double sy = doc.rows() / (double) hh;
            try (Mat d = new Mat(); Mat m = new Mat()) {
                opencv_imgproc.resize(doc, d, new Size(w, hh), 0, 0, opencv_imgproc.INTER_AREA);
                opencv_imgproc.resize(mask, m, new Size(w, hh), 0, 0, opencv_imgproc.INTER_AREA);
                double[] g = {h[0] * sx, h[1] * sy, h[2], h[3] * sx, h[4] * sy, h[5], h[6] * sx, h[7] * sy, h[8]};
                warp(into, d, m, g);
            }
            return;
        }
        warp(into, doc, mask, h);
    }

    private static void warp(Mat into, Mat doc, Mat mask, double[] h) {
        try (Mat ones = new Mat(into.rows(), into.cols(), CV_32FC3, new Scalar(1, 1, 1, 0)); Mat hm = new Mat(3, 3, CV_64F); Mat warped = new Mat(); Mat m = new Mat(); Mat alpha = new Mat();
                Mat alpha3 = new Mat(); Mat a = new Mat(); Mat b = new Mat(); Mat inv = new Mat()) {
            DoubleIndexer hi = hm.createIndexer();
            for (int i = 0; i < 9; i++) {
                hi.put(i / 3, i % 3, h[i]);
            }
            hi.release();
            Size size = new Size(into.cols(), into.rows());
            opencv_imgproc.warpPerspective(doc, warped, hm, size, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_CONSTANT,
                    new Scalar(0, 0, 0, 0));
            opencv_imgproc.warpPerspective(mask, m, hm, size, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_CONSTANT,
                    new Scalar(0, 0, 0, 0));
            m.convertTo(alpha, CV_32F, 1 / 255.0, 0);
            opencv_core.merge(new org.bytedeco.opencv.opencv_core.MatVector(alpha, alpha, alpha), alpha3);
            warped.convertTo(a, CV_32FC3);
            into.convertTo(b, CV_32FC3);
            opencv_core.multiply(a, alpha3, a);
            opencv_core.subtract(ones, alpha3, inv);
            opencv_core.multiply(b, inv, b);
            opencv_core.add(a, b, a);
            a.convertTo(into, CV_8UC3);
        }
    }

    static void noise(Mat img, double sigma, Random rnd) {
        opencv_core.theRNG().state(rnd.nextLong());
        try (Mat n = new Mat(img.size(), CV_16SC3); Mat wide = new Mat();
                Mat mean = new Mat(new double[] {0, 0, 0}); Mat sd = new Mat(new double[] {sigma, sigma, sigma})) {
            opencv_core.randn(n, mean, sd);
            img.convertTo(wide, CV_16SC3);
            opencv_core.add(wide, n, wide);
            wide.convertTo(img, CV_8UC3);
        }
    }

    /** A desk: wood grain, a fabric-like weave or speckled stone, with a few darker objects' edges. */
    static Mat desk(int w, int h, Random rnd) {
        Mat out = new Mat(h, w, CV_32FC3);
        FloatIndexer o = out.createIndexer();
        int kind = rnd.nextInt(3);
        double[] base = switch (kind) {
            case 0 -> new double[] {60 + rnd.nextInt(30), 100 + rnd.nextInt(30), 150 + rnd.nextInt(40)};  // wood (BGR)
            case 1 -> new double[] {90 + rnd.nextInt(80), 80 + rnd.nextInt(60), 70 + rnd.nextInt(60)};  // fabric
            default -> {
                double v = 140 + rnd.nextInt(80);
                yield new double[] {v, v - 5, v - 10};  // stone
            }
        };
        double f1 = 0.02 + 0.03 * rnd.nextDouble();
        double phase = rnd.nextDouble() * 10;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double t = switch (kind) {
                    case 0 -> 18 * Math.sin(y * f1 + 4 * Math.sin(x * 0.004 + phase) + 2 * Math.sin(y * 0.11))
                            + 6 * Math.sin(y * 0.9 + x * 0.01);
                    case 1 -> 14 * Math.sin(x * 0.9) * Math.sin(y * 0.9) + 6 * Math.sin((x + y) * 0.3);
                    default -> 0;
                };
                for (int c = 0; c < 3; c++) {
                    o.put(y, x, c, (float) (base[c] + t));
                }
            }
        }
        o.release();
        Mat img = new Mat();
        out.convertTo(img, CV_8UC3);
        out.close();
        noise(img, kind == 2 ? 22 : 7, rnd);
        if (kind == 2) {
            opencv_imgproc.GaussianBlur(img, img, new Size(3, 3), 0);
        }
        return img;
    }

    /** Uneven light: a smooth gradient from one side multiplied in (0.65-1.1), and a vignette. */
    static void lighting(Mat img, Random rnd) {
        int w = img.cols();
        int h = img.rows();
        double ax = rnd.nextDouble() * 2 - 1;
        double ay = rnd.nextDouble() * 2 - 1;
        double lo = 0.65 + 0.15 * rnd.nextDouble();
        double hi = 1.0 + 0.1 * rnd.nextDouble();
        try (Mat gain = new Mat(h, w, CV_32F); Mat f = new Mat(); Mat g3 = new Mat()) {
            FloatIndexer gi = gain.createIndexer();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double u = (x / (double) w - 0.5) * ax + (y / (double) h - 0.5) * ay + 0.5;
                    double r = Math.hypot(x / (double) w - 0.5, y / (double) h - 0.5);
                    gi.put(y, x, (float) ((lo + (hi - lo) * Math.max(0, Math.min(1, u))) * (1 - 0.35 * r * r)));
                }
            }
            gi.release();
            opencv_core.merge(new org.bytedeco.opencv.opencv_core.MatVector(gain, gain, gain), g3);
            img.convertTo(f, CV_32FC3);
            opencv_core.multiply(f, g3, f);
            f.convertTo(img, CV_8UC3);
        }
    }
}
