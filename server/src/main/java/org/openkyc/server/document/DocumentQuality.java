package org.openkyc.server.document;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.RotatedRect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Measures a document image: resolution, sharpness (variance of the Laplacian at
 * a fixed working width), exposure (mean and 5th/95th percentiles of brightness),
 * glare (blown-out reflections inside the picture) and whether the document's
 * outline is in the frame, in which case the document is cut out and its
 * perspective corrected. Stateless and thread-safe.
 *
 * <p>Thresholds (scores 0-100): resolution 50 (zone characters at least 6 px tall in the upload, as
 * read, or as estimated from the document's width when no zone was read: a passport page about 320 px
 * wide), sharpness 40 (Laplacian variance 120 at 1000 px width), exposure 40, glare 70 (at most 3 % of
 * the document hidden by blown-out reflections inside the picture; white background and white page
 * margins do not count), document 50.
 *
 * <p>Quality issues refuse an image only when no zone was read whose checks all hold: with such a
 * zone they are warnings (see {@link DocumentReading#blockingIssues()}).
 */
public final class DocumentQuality {

    /** Width at which sharpness is measured, so the figure does not depend on the upload size. */
    static final int WORK_WIDTH = 1000;
    /** Tallest working image: a document up to twice as tall as wide is measured at {@link #WORK_WIDTH}. */
    static final int WORK_MAX_HEIGHT = 2 * WORK_WIDTH;
    /** The outline is searched with the image fitted into a square of this side. */
    static final int OUTLINE_SIDE = 800;
    /** Smallest share of the frame a document outline may cover (a card held at arm's length). */
    static final double MIN_DOCUMENT_AREA = 0.15;
    /** Height in pixels of a zone's characters that OCR reads once enlarged (2x-3x, bicubic). */
    static final double READABLE_CHAR_HEIGHT = 6;
    /** Zone character height as a share of a document's width, before the zone is read (TD3). */
    static final double ESTIMATED_CHAR_SHARE = 0.019;
    /** Paper this bright (median) shows no reflection. */
    static final int BRIGHT_PAPER = 235;
    /** Blown out: a reflection clips to (nearly) white. */
    static final int GLARE_LEVEL = 250;
    /** Smallest reflection counted, as a share of the image (specks of white print are not). */
    static final double MIN_GLARE_BLOB = 0.0005;
    /** Largest reflection counted, as a share of the image (a larger white area is a page). */
    static final double MAX_GLARE_BLOB = 0.4;
    static final Map<String, Double> THRESHOLDS = Map.of(
            "resolution", 50.0, "sharpness", 40.0, "exposure", 40.0, "glare", 70.0, "document", 50.0);

    /** A quality report and the document cut out of the frame (or the whole frame). */
    public record Assessment(QualityReport report, Mat document, boolean outlineFound) implements AutoCloseable {
        @Override
        public void close() {
            document.close();
        }
    }

    public Assessment assess(Mat bgr) {
        Map<String, Double> m = new LinkedHashMap<>();
        Point2f[] quad = findDocument(bgr, m);
        Mat doc = quad != null ? warp(bgr, quad) : bgr.clone();
        double docW = doc.cols();
        double docH = doc.rows();
        m.put("documentWidthPx", docW);
        m.put("documentHeightPx", docH);
        try (Mat grey = new Mat(); Mat small = new Mat(); Mat lap = new Mat();
                Mat mean = new Mat(); Mat std = new Mat()) {
            cvtColor(doc, grey, COLOR_BGR2GRAY);
            WorkingSize work = WorkingSize.fit(doc.cols(), doc.rows(), WORK_WIDTH, WORK_MAX_HEIGHT);
            double scale = work.scale();
            resize(grey, small, work.size(), 0, 0, scale < 1 ? INTER_AREA : INTER_LINEAR);
            Laplacian(small, lap, CV_64F);
            meanStdDev(lap, mean, std);
            org.bytedeco.javacpp.indexer.DoubleIndexer sd = std.createIndexer();
            double var = sd.get(0) * sd.get(0);
            sd.release();
            m.put("laplacianVariance", round(var));
            int[] hist = histogram(small);
            long total = (long) small.rows() * small.cols();
            double meanB = 0;
            for (int i = 0; i < 256; i++) {
                meanB += (double) i * hist[i] / total;
            }
            int p5 = percentile(hist, total, 0.05);
            int p50 = percentile(hist, total, 0.50);
            int p95 = percentile(hist, total, 0.95);
            m.put("meanBrightness", round(meanB));
            m.put("p5", (double) p5);
            m.put("p95", (double) p95);
            double glareFraction = p50 >= BRIGHT_PAPER ? 0 : glare(small, p50);
            m.put("glareFraction", round(glareFraction));
        }
        // Until the zone is read, the characters' height is estimated from the document's size (the
        // zone of a passport page is about 2 % of its width tall, that of a card more).
        double estimatedCharHeight = Math.min(docW, docH * 1.42) * ESTIMATED_CHAR_SHARE;
        m.put("estimatedCharHeightPx", round(estimatedCharHeight));
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("resolution", resolutionScore(estimatedCharHeight));
        scores.put("sharpness", clamp(100 * Math.log1p(m.get("laplacianVariance")) / Math.log1p(1500)));
        double meanB = m.get("meanBrightness");
        double exposure = 100;
        if (meanB < 90) {
            exposure = Math.min(exposure, 100 * (meanB - 30) / 60 + 0);
        }
        if (meanB > 235) {
            exposure = Math.min(exposure, 100 - (meanB - 235) * 5);
        }
        double contrast = m.get("p95") - m.get("p5");
        exposure = Math.min(exposure, 100 * contrast / 100);
        scores.put("exposure", clamp(exposure));
        scores.put("glare", clamp(100 - m.get("glareFraction") * 1000));
        scores.put("document", quad != null ? 100.0 : 0.0);
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            e.setValue(round(e.getValue()));
        }
        List<QualityIssue> issues = new ArrayList<>();
        if (scores.get("resolution") < THRESHOLDS.get("resolution")) {
            issues.add(QualityIssue.LOW_RESOLUTION);
        }
        if (scores.get("sharpness") < THRESHOLDS.get("sharpness")) {
            issues.add(QualityIssue.BLURRY);
        }
        if (scores.get("exposure") < THRESHOLDS.get("exposure")) {
            issues.add(contrast < 40 ? QualityIssue.LOW_CONTRAST
                    : meanB < 128 ? QualityIssue.TOO_DARK : QualityIssue.TOO_BRIGHT);
        }
        if (scores.get("glare") < THRESHOLDS.get("glare")) {
            issues.add(QualityIssue.GLARE);
        }
        if (quad == null) {
            issues.add(QualityIssue.NO_DOCUMENT);
        }
        QualityReport report = new QualityReport(Map.copyOf(scores), THRESHOLDS, Map.copyOf(m), List.copyOf(issues));
        return new Assessment(report, doc, quad != null);
    }

    /**
     * The report with resolution judged by the height of the zone's characters as read, in the upload's
     * pixels: what decides whether OCR can read them once enlarged, whatever the image's side.
     */
    public QualityReport withMrzCharHeight(QualityReport r, double charHeightPx) {
        Map<String, Double> scores = new LinkedHashMap<>(r.scores());
        scores.put("resolution", round(resolutionScore(charHeightPx)));
        Map<String, Double> m = new LinkedHashMap<>(r.measurements());
        m.put("mrzCharHeightPx", round(charHeightPx));
        List<QualityIssue> issues = new ArrayList<>(r.issues());
        issues.remove(QualityIssue.LOW_RESOLUTION);
        if (scores.get("resolution") < THRESHOLDS.get("resolution")) {
            issues.add(0, QualityIssue.LOW_RESOLUTION);
        }
        return new QualityReport(Map.copyOf(scores), r.thresholds(), Map.copyOf(m), List.copyOf(issues));
    }

    /** 0-100: {@link #READABLE_CHAR_HEIGHT} px scores the threshold (50), twice that or more scores 100. */
    static double resolutionScore(double charHeightPx) {
        return clamp(100 * charHeightPx / (2 * READABLE_CHAR_HEIGHT));
    }

    /**
     * Share of the document hidden by reflections: blown-out blobs ({@link #GLARE_LEVEL} or more, and far
     * brighter than the paper) inside the picture. Bright areas that reach the frame's edge are the
     * background or the page margin of a flatbed scan (a white lid, a white page), not a reflection on the
     * document; a blob over {@link #MAX_GLARE_BLOB} of the image is a white page, not a reflection either.
     */
    private static double glare(Mat small, int paper) {
        int level = Math.max(GLARE_LEVEL, Math.min(254, paper + 30));
        long total = (long) small.rows() * small.cols();
        try (Mat bin = new Mat(); Mat labels = new Mat(); Mat stats = new Mat(); Mat cents = new Mat()) {
            threshold(small, bin, level - 1, 255, THRESH_BINARY);
            int n = connectedComponentsWithStats(bin, labels, stats, cents);
            IntIndexer st = stats.createIndexer();
            long hidden = 0;
            for (int i = 1; i < n; i++) {
                int x = st.get(i, CC_STAT_LEFT);
                int y = st.get(i, CC_STAT_TOP);
                int w = st.get(i, CC_STAT_WIDTH);
                int h = st.get(i, CC_STAT_HEIGHT);
                int area = st.get(i, CC_STAT_AREA);
                boolean edge = x == 0 || y == 0 || x + w >= small.cols() || y + h >= small.rows();
                if (edge || area < MIN_GLARE_BLOB * total || area > MAX_GLARE_BLOB * total) {
                    continue;
                }
                hidden += area;
            }
            st.release();
            return (double) hidden / total;
        }
    }

    /** The largest convex, nearly rectangular outline covering 15-98 % of the frame, or null. */
    private static Point2f[] findDocument(Mat bgr, Map<String, Double> m) {
        WorkingSize work = WorkingSize.fit(bgr.cols(), bgr.rows(), OUTLINE_SIDE, OUTLINE_SIDE);
        double scale = work.scale();
        try (Mat small = new Mat(); Mat grey = new Mat(); Mat edges = new Mat(); Mat hier = new Mat();
                MatVector contours = new MatVector()) {
            resize(bgr, small, work.size());
            cvtColor(small, grey, COLOR_BGR2GRAY);
            GaussianBlur(grey, grey, new Size(5, 5), 0);
            Canny(grey, edges, 30, 90);
            try (Mat k = getStructuringElement(MORPH_RECT, new Size(5, 5))) {
                dilate(edges, edges, k);
            }
            findContours(edges, contours, hier, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
            double frame = (double) small.cols() * small.rows();
            double bestArea = 0;
            Point2f[] best = null;
            for (long i = 0; i < contours.size(); i++) {
                Mat c = contours.get(i);
                double area = contourArea(c);
                if (area < MIN_DOCUMENT_AREA * frame || area > 0.98 * frame || area <= bestArea) {
                    continue;
                }
                try (Mat approx = new Mat(); Mat hull = new Mat()) {
                    convexHull(c, hull);
                    double peri = arcLength(hull, true);
                    approxPolyDP(hull, approx, 0.02 * peri, true);
                    Point2f[] pts;
                    if (approx.rows() == 4) {
                        pts = new Point2f[4];
                        IntIndexer idx = approx.createIndexer();
                        for (int j = 0; j < 4; j++) {
                            pts[j] = new Point2f(idx.get(j, 0, 0) / (float) scale, idx.get(j, 0, 1) / (float) scale);
                        }
                    } else {
                        // Rounded corners: accept the minimum-area rectangle when the outline fills it.
                        RotatedRect r = minAreaRect(hull);
                        double rectArea = r.size().width() * r.size().height();
                        if (rectArea <= 0 || contourArea(hull) / rectArea < 0.9) {
                            continue;
                        }
                        try (Mat box = new Mat()) {
                            boxPoints(r, box);
                            FloatIndexer idx = box.createIndexer();
                            pts = new Point2f[4];
                            for (int j = 0; j < 4; j++) {
                                pts[j] = new Point2f(idx.get(j, 0) / (float) scale, idx.get(j, 1) / (float) scale);
                            }
                        }
                    }
                    bestArea = area;
                    best = order(pts);
                }
            }
            m.put("documentAreaRatio", round(bestArea / frame));
            return best;
        }
    }

    /** Orders corners top-left, top-right, bottom-right, bottom-left. */
    private static Point2f[] order(Point2f[] p) {
        Point2f tl = p[0], tr = p[0], br = p[0], bl = p[0];
        for (Point2f q : p) {
            if (q.x() + q.y() < tl.x() + tl.y()) tl = q;
            if (q.x() + q.y() > br.x() + br.y()) br = q;
            if (q.x() - q.y() > tr.x() - tr.y()) tr = q;
            if (q.y() - q.x() > bl.y() - bl.x()) bl = q;
        }
        return new Point2f[] {tl, tr, br, bl};
    }

    private static Mat warp(Mat bgr, Point2f[] q) {
        double w = (dist(q[0], q[1]) + dist(q[3], q[2])) / 2;
        double h = (dist(q[0], q[3]) + dist(q[1], q[2])) / 2;
        // The cut-out is never larger than the frame it comes from (corners of a fitted rectangle may
        // lie a little outside it).
        double cap = Math.min(1, Math.min((double) Math.max(bgr.cols(), bgr.rows()) / Math.max(w, h),
                Math.sqrt((double) bgr.cols() * bgr.rows() / Math.max(1, w * h))));
        w *= cap;
        h *= cap;
        int outW = (int) Math.round(Math.max(w, 16));
        int outH = (int) Math.round(Math.max(h, 16));
        try (Mat src = new Mat(4, 1, org.bytedeco.opencv.global.opencv_core.CV_32FC2);
                Mat dst = new Mat(4, 1, org.bytedeco.opencv.global.opencv_core.CV_32FC2)) {
            FloatIndexer s = src.createIndexer();
            FloatIndexer d = dst.createIndexer();
            float[][] target = {{0, 0}, {outW - 1, 0}, {outW - 1, outH - 1}, {0, outH - 1}};
            for (int i = 0; i < 4; i++) {
                s.put(i, 0, 0, q[i].x());
                s.put(i, 0, 1, q[i].y());
                d.put(i, 0, 0, target[i][0]);
                d.put(i, 0, 1, target[i][1]);
            }
            s.release();
            d.release();
            Mat out = new Mat();
            try (Mat t = getPerspectiveTransform(src, dst)) {
                warpPerspective(bgr, out, t, new Size(outW, outH), INTER_LINEAR, org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE, new Scalar());
            }
            return out;
        }
    }

    private static double dist(Point2f a, Point2f b) {
        return Math.hypot(a.x() - b.x(), a.y() - b.y());
    }

    private static int[] histogram(Mat grey) {
        int[] h = new int[256];
        org.bytedeco.javacpp.indexer.UByteIndexer idx = grey.createIndexer();
        int rows = grey.rows();
        int cols = grey.cols();
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                h[idx.get(y, x)]++;
            }
        }
        idx.release();
        return h;
    }

    private static int percentile(int[] hist, long total, double q) {
        long target = (long) Math.ceil(total * q);
        long acc = 0;
        for (int i = 0; i < 256; i++) {
            acc += hist[i];
            if (acc >= target) {
                return i;
            }
        }
        return 255;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(100, v));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
