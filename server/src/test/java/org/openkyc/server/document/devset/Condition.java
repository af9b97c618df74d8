package org.openkyc.server.document.devset;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The real-world conditions a document image arrives in. Each turns a rendered page (or the ICAO specimen
 * image) into the bytes a user would upload; all randomness comes from the given Random.
 */
public enum Condition {
    /** The page straight on a plain table, a small margin around it, lossless. */
    CLEAN("clean", "straight, lossless, small margin on a plain table"),
    /** A flatbed scan: bright paper on the scanner's white lid, whole page at 200 dpi, slightly crooked. */
    FLATBED("flatbed-white", "flatbed scan, A4 page at 200 dpi, white lid, paper brightened, 0-2° crooked"),
    /** A picture taken from a web page: 400-700 px wide, JPEG. */
    WEB_SMALL("web-400-700px", "400-700 px wide, JPEG 70-90"),
    /** A low-resolution card scan: 150-250 px tall. */
    SMALL_SCAN("scan-150-250px-tall", "150-250 px tall scan, PNG"),
    /** Skewed by 15 to 30 degrees either way. */
    SKEW("skew-15-30", "rotated 15-30° either way on a table"),
    /** Uploaded on its side or upside down. */
    ROTATED("rotated-90-180-270", "rotated 90°, 180° or 270°"),
    /** A phone photo: on a textured desk, in perspective, 20-60 % of the frame, uneven light. */
    PHONE("phone-perspective", "phone photo: textured desk, perspective, 20-60 % of a 1600x1200 frame, uneven light, JPEG 85"),
    /** Heavily compressed. */
    JPEG("jpeg-20-40", "JPEG quality 20-40"),
    /** Holographic laminate reflecting light: bright rainbow-tinted patches over the data page. */
    GLARE("holographic-glare", "1-3 bright rainbow-tinted glare patches, one over the zone"),
    /** A shaking hand: linear motion blur. */
    MOTION("motion-blur", "linear motion blur of 9-21 px at 300 dpi, any direction");

    private final String label;
    private final String description;

    Condition(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() { return label; }
    public String description() { return description; }

    /** The result: encoded bytes and their file extension ("png" or "jpg"). */
    public record Image(byte[] bytes, String extension) {}

    /**
     * @param page     the document alone (RGB) and its outline mask
     * @param original the bytes to use unchanged for {@link #CLEAN}, or null to render them
     * @param index    the document's index in the set (cycles the 90/180/270 rotations)
     */
    Image apply(Renderer.Page page, byte[] original, int index, Random rnd) {
        if (this == CLEAN && original != null) {
            return new Image(original, "png");
        }
        try (Mat doc = Cv.bgr(page.rgb()); Mat mask = Cv.grey(page.mask())) {
            return switch (this) {
                case CLEAN -> png(onTable(doc, mask, plainTable(rnd), 0.05));
                case FLATBED -> flatbed(doc, mask, rnd);
                case WEB_SMALL -> {
                    Mat m = onTable(doc, mask, new Scalar(230 + rnd.nextInt(25), 230 + rnd.nextInt(25), 230 + rnd.nextInt(25), 0),
                            0.03 * rnd.nextDouble());
                    yield jpeg(Cv.resizeWidth(m, 400 + rnd.nextInt(301)), 70 + rnd.nextInt(21));
                }
                case SMALL_SCAN -> {
                    Mat m = onTable(doc, mask, new Scalar(250, 250, 250, 0), 0.02 + 0.03 * rnd.nextDouble());
                    int height = 150 + rnd.nextInt(101);
                    yield png(Cv.resize(m, (int) Math.round(m.cols() * height / (double) m.rows()), height));
                }
                case SKEW -> {
                    double angle = (15 + 15 * rnd.nextDouble()) * (rnd.nextBoolean() ? 1 : -1);
                    yield jpeg(rotated(doc, mask, angle, rnd.nextBoolean() ? plainTable(rnd) : new Scalar(245, 245, 245, 0),
                            0.06), 90);
                }
                case ROTATED -> {
                    Mat m = onTable(doc, mask, plainTable(rnd), 0.05);
                    int code = switch (Math.floorMod(index, 3)) {
                        case 0 -> opencv_core.ROTATE_90_CLOCKWISE;
                        case 1 -> opencv_core.ROTATE_180;
                        default -> opencv_core.ROTATE_90_COUNTERCLOCKWISE;
                    };
                    Mat r = new Mat();
                    opencv_core.rotate(m, r, code);
                    m.close();
                    yield jpeg(r, 92);
                }
                case PHONE -> jpeg(phone(doc, mask, rnd), 85);
                case JPEG -> jpeg(onTable(doc, mask, plainTable(rnd), 0.05), 20 + rnd.nextInt(21));
                case GLARE -> jpeg(glare(page, rnd), 90);
                case MOTION -> {
                    Mat m = onTable(doc, mask, plainTable(rnd), 0.05);
                    yield jpeg(motionBlur(m, 9 + 2 * rnd.nextInt(7), rnd.nextDouble() * 180), 90);
                }
            };
        }
    }

    private static Scalar plainTable(Random rnd) {
        int v = 70 + rnd.nextInt(60);
        return new Scalar(v + rnd.nextInt(20), v + rnd.nextInt(20), v + rnd.nextInt(20), 0);
    }

    private static Image png(Mat m) {
        try (m) {
            return new Image(Cv.encode(m, ".png", 0), "png");
        }
    }

    private static Image jpeg(Mat m, int quality) {
        try (m) {
            return new Image(Cv.encode(m, ".jpg", quality), "jpg");
        }
    }

    /** The document straight on a plain background with a margin of the given fraction of its width. */
    private static Mat onTable(Mat doc, Mat mask, Scalar table, double margin) {
        int mx = (int) Math.round(doc.cols() * margin);
        int my = (int) Math.round(doc.cols() * margin * 0.8);
        Mat out = new Mat(doc.rows() + 2 * my, doc.cols() + 2 * mx, CV_8UC3, table);
        double[] h = {1, 0, mx, 0, 1, my, 0, 0, 1};
        Cv.place(out, doc, mask, h);
        return out;
    }

    private static Mat rotated(Mat doc, Mat mask, double degrees, Scalar table, double margin) {
        double a = Math.toRadians(degrees);
        double cos = Math.abs(Math.cos(a));
        double sin = Math.abs(Math.sin(a));
        int w = (int) (doc.cols() * cos + doc.rows() * sin + 2 * margin * doc.cols());
        int h = (int) (doc.cols() * sin + doc.rows() * cos + 2 * margin * doc.cols());
        Mat out = new Mat(h, w, CV_8UC3, table);
        Cv.place(out, doc, mask, Cv.similarity(doc.cols(), doc.rows(), w / 2.0, h / 2.0, 1.0, a));
        return out;
    }

    private static Image flatbed(Mat doc, Mat mask, Random rnd) {
        // Bright paper: the scanner's lamp lifts every tone towards white.
        double k = 0.6 + 0.2 * rnd.nextDouble();
        Mat bright = new Mat();
        doc.convertTo(bright, -1, k, 255 * (1 - k));
        double scale = 200 / 300.0 * (0.95 + 0.1 * rnd.nextDouble());
        int pw = 1654;
        int ph = 2339;
        int lid = 246 + rnd.nextInt(10);
        Mat page = new Mat(ph, pw, CV_8UC3, new Scalar(lid, lid, lid, 0));
        double angle = Math.toRadians((rnd.nextDouble() * 2 - 1) * 2);
        double cx = doc.cols() * scale / 2 + 20 + rnd.nextInt(120);
        double cy = doc.rows() * scale / 2 + 20 + rnd.nextInt(160);
        Cv.place(page, bright, mask, Cv.similarity(doc.cols(), doc.rows(), cx, cy, scale, angle));
        bright.close();
        Cv.noise(page, 2.5, rnd);
        return rnd.nextBoolean() ? jpeg(page, 88) : png(page);
    }

    private static Mat phone(Mat doc, Mat mask, Random rnd) {
        boolean portraitFrame = rnd.nextInt(3) == 0;
        int fw = portraitFrame ? 1200 : 1600;
        int fh = portraitFrame ? 1600 : 1200;
        Mat frame = Cv.desk(fw, fh, rnd);
        double area = 0.20 + 0.40 * rnd.nextDouble();
        double aspect = doc.cols() / (double) doc.rows();
        double dw = Math.sqrt(area * fw * fh * aspect);
        if (dw > fw * 0.92) {
            dw = fw * 0.92;
        }
        double dh = dw / aspect;
        double cx = dw / 2 + (fw - dw) * (0.15 + 0.7 * rnd.nextDouble());
        double cy = dh / 2 + (fh - dh) * (0.15 + 0.7 * rnd.nextDouble());
        double rot = Math.toRadians((rnd.nextDouble() * 2 - 1) * 12);
        // Corners of the upright document, then a camera tilt: the far edge shrinks.
        double tilt = 0.04 + 0.14 * rnd.nextDouble();
        double side = (rnd.nextDouble() * 2 - 1) * 0.06;
        double[][] q = {{-dw / 2 * (1 - tilt + side), -dh / 2 * (1 - tilt * 0.4)}, {dw / 2 * (1 - tilt - side), -dh / 2 * (1 - tilt * 0.4)},
            {dw / 2 * (1 + side), dh / 2}, {-dw / 2 * (1 - side), dh / 2}};
        float[] dst = new float[8];
        for (int i = 0; i < 4; i++) {
            double x = q[i][0] * Math.cos(rot) - q[i][1] * Math.sin(rot) + cx;
            double y = q[i][0] * Math.sin(rot) + q[i][1] * Math.cos(rot) + cy;
            dst[2 * i] = (float) x;
            dst[2 * i + 1] = (float) y;
        }
        float[] src = {0, 0, doc.cols(), 0, doc.cols(), doc.rows(), 0, doc.rows()};
        double[] h = Cv.perspective(src, dst);
        // A soft shadow under the document's edge, then the document.
        Cv.place(frame, doc, mask, h);
        Cv.lighting(frame, rnd);
        opencv_imgproc.GaussianBlur(frame, frame, new Size(3, 3), 0.8);
        Cv.noise(frame, 4, rnd);
        return frame;
    }

    private static Mat glare(Renderer.Page page, Random rnd) {
        BufferedImage img = new BufferedImage(page.rgb().getWidth(), page.rgb().getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.drawImage(page.rgb(), 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int w = img.getWidth();
        int h = img.getHeight();
        int patches = 1 + rnd.nextInt(3);
        for (int p = 0; p < patches; p++) {
            double rx = w * (0.08 + 0.14 * rnd.nextDouble());
            double ry = rx * (0.35 + 0.5 * rnd.nextDouble());
            // The first patch touches the zone (the laminate's hologram runs over it), the others anywhere.
            double cx = w * (0.1 + 0.8 * rnd.nextDouble());
            double cy = p == 0 ? h * (0.78 + 0.15 * rnd.nextDouble()) : h * (0.1 + 0.7 * rnd.nextDouble());
            float peak = 0.55f + 0.4f * rnd.nextFloat();
            float hue = rnd.nextFloat();
            Color core = new Color(255, 255, 252, Math.round(255 * peak));
            Color tint1 = new Color(Color.HSBtoRGB(hue, 0.35f, 1f) & 0xffffff | (Math.round(200 * peak) << 24), true);
            Color tint2 = new Color(Color.HSBtoRGB(hue + 0.33f, 0.35f, 1f) & 0xffffff | (Math.round(120 * peak) << 24), true);
            AffineTransform at = new AffineTransform();
            at.translate(cx, cy);
            at.rotate(rnd.nextDouble() * Math.PI);
            at.scale(1, ry / rx);
            RadialGradientPaint paint = new RadialGradientPaint(new Point2D.Double(0, 0), (float) rx,
                    new float[] {0f, 0.35f, 0.7f, 1f}, new Color[] {core, tint1, tint2, new Color(255, 255, 255, 0)},
                    MultipleGradientPaint.CycleMethod.NO_CYCLE);
            AffineTransform saved = g.getTransform();
            g.transform(at);
            g.setPaint(paint);
            g.setComposite(AlphaComposite.SrcOver);
            g.fill(new Ellipse2D.Double(-rx, -rx, 2 * rx, 2 * rx));
            g.setTransform(saved);
        }
        g.dispose();
        Renderer.Page lit = new Renderer.Page(img, page.mask());
        try (Mat doc = Cv.bgr(lit.rgb()); Mat mask = Cv.grey(lit.mask())) {
            return onTable(doc, mask, new Scalar(90, 95, 100, 0), 0.05);
        }
    }

    private static Mat motionBlur(Mat m, int length, double degrees) {
        try (Mat kernel = new Mat(length, length, CV_32F, new Scalar(0))) {
            FloatIndexer k = kernel.createIndexer();
            double a = Math.toRadians(degrees);
            int c = length / 2;
            int n = 0;
            for (int i = -c * 4; i <= c * 4; i++) {
                int x = (int) Math.round(c + i / 4.0 * Math.cos(a));
                int y = (int) Math.round(c + i / 4.0 * Math.sin(a));
                if (k.get(y, x) == 0) {
                    k.put(y, x, 1f);
                    n++;
                }
            }
            k.release();
            kernel.convertTo(kernel, -1, 1.0 / n, 0);
            Mat out = new Mat();
            opencv_imgproc.filter2D(m, out, -1, kernel);
            m.close();
            return out;
        }
    }
}
