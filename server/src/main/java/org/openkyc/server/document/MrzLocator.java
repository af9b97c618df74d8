package org.openkyc.server.document;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_imgproc.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RotatedRect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Finds the lines of a machine-readable zone in a document image and cuts each
 * out, deskewed and enlarged for OCR: shrink to a working width, black-hat
 * morphology for dark text (the working image fits {@code WORK_WIDTH x WORK_MAX_HEIGHT}), close characters into horizontal bands, keep bands
 * that are long (at least 55 % of the width), thin, made of at least 12
 * character-sized pieces and in the lower 60 % of the page, then take the lowest
 * group of up to three aligned bands. Stateless and thread-safe.
 */
final class MrzLocator {

    static final int WORK_WIDTH = 1200;
    /** Tallest working image: a page up to twice as tall as wide is searched at {@link #WORK_WIDTH}. */
    static final int WORK_MAX_HEIGHT = 2 * WORK_WIDTH;
    static final int LINE_HEIGHT = 48;

    /** A band found, in working coordinates. */
    record Band(double cx, double cy, double w, double h, double angle) {}

    /**
     * Lines found and the height of their characters in the searched image's pixels (the median band
     * height, 0 when none found).
     */
    record Located(List<Mat> lines, double charHeight) {}

    /** Cut-out lines, top to bottom, each 8-bit grey and ready for OCR; empty when none found. */
    List<Mat> locate(Mat grey) {
        return find(grey).lines();
    }

    /** As {@link #locate}, with the characters' height. */
    Located find(Mat grey) {
        return find(grey, false);
    }

    /**
     * As {@link #find(Mat)}; {@code anywhere} also accepts a zone that spans only part of the image's width
     * (at least {@link #ANYWHERE_MIN_WIDTH}) at any height: a passport on an A4 flatbed scan, a document
     * that fills a fifth of a photo whose outline was not found.
     */
    Located find(Mat grey, boolean anywhere) {
        WorkingSize work = WorkingSize.fit(grey.cols(), grey.rows(), WORK_WIDTH, WORK_MAX_HEIGHT);
        double scale = work.scale();
        List<Band> bands;
        try (Mat small = new Mat()) {
            resize(grey, small, work.size(), 0, 0, scale < 1 ? INTER_AREA : INTER_LINEAR);
            bands = bands(small, anywhere);
        }
        List<Band> group = lowestGroup(bands);
        List<Mat> lines = new ArrayList<>();
        for (Band b : group) {
            lines.add(cut(grey, b, scale));
        }
        double height = group.isEmpty() ? 0
                : group.stream().mapToDouble(Band::h).sorted().toArray()[group.size() / 2] / scale;
        return new Located(lines, height);
    }

    /** Narrowest zone, as a share of the image's width, searched for with {@code anywhere}. */
    static final double ANYWHERE_MIN_WIDTH = 0.2;

    static List<Band> bands(Mat small) {
        return bands(small, false);
    }

    static List<Band> bands(Mat small, boolean anywhere) {
        int w = small.cols();
        int h = small.rows();
        List<Band> out = new ArrayList<>();
        try (Mat black = new Mat(); Mat bin = new Mat(); Mat closed = new Mat(); Mat hier = new Mat();
                MatVector contours = new MatVector();
                Mat kBlack = getStructuringElement(MORPH_RECT, new Size(25, 11));
                Mat kClose = getStructuringElement(MORPH_RECT, new Size(27, 3))) {
            morphologyEx(small, black, MORPH_BLACKHAT, kBlack);
            threshold(black, bin, 0, 255, THRESH_BINARY | THRESH_OTSU);
            morphologyEx(bin, closed, MORPH_CLOSE, kClose);
            findContours(closed.clone(), contours, hier, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
            for (long i = 0; i < contours.size(); i++) {
                Mat c = contours.get(i);
                RotatedRect r = minAreaRect(c);
                double rw = r.size().width();
                double rh = r.size().height();
                double angle = r.angle();
                if (rw < rh) {
                    double t = rw;
                    rw = rh;
                    rh = t;
                    angle -= 90;
                }
                while (angle > 45) angle -= 90;
                while (angle <= -45) angle += 90;
                double cx = r.center().x();
                double cy = r.center().y();
                if (anywhere) {
                    // A zone line is long and thin: at least a fifth of the width, 12 times its height.
                    if (rw < ANYWHERE_MIN_WIDTH * w || rh < 0.004 * w || rh > 0.07 * w || rw < 12 * rh
                            || Math.abs(angle) > 20) {
                        continue;
                    }
                } else if (rw < 0.55 * w || rh < 0.008 * w || rh > 0.07 * w || cy < 0.4 * h || Math.abs(angle) > 20) {
                    continue;
                }
                if (pieces(bin, cx, cy, rw, rh, angle) < 12) {
                    continue;
                }
                out.add(new Band(cx, cy, rw, rh, angle));
            }
        }
        return out;
    }

    /** Counts character-sized connected components inside a band. */
    private static int pieces(Mat bin, double cx, double cy, double rw, double rh, double angle) {
        Rect box = new RotatedRect(new Point2f((float) cx, (float) cy), new org.bytedeco.opencv.opencv_core.Size2f((float) rw, (float) rh), (float) angle).boundingRect();
        int x0 = Math.max(0, box.x());
        int y0 = Math.max(0, box.y());
        int x1 = Math.min(bin.cols(), box.x() + box.width());
        int y1 = Math.min(bin.rows(), box.y() + box.height());
        if (x1 <= x0 || y1 <= y0) {
            return 0;
        }
        try (Mat roi = new Mat(bin, new Rect(x0, y0, x1 - x0, y1 - y0)); Mat copy = roi.clone();
                Mat labels = new Mat(); Mat stats = new Mat(); Mat cents = new Mat()) {
            int n = connectedComponentsWithStats(copy, labels, stats, cents);
            org.bytedeco.javacpp.indexer.IntIndexer s = stats.createIndexer();
            int count = 0;
            for (int i = 1; i < n; i++) {
                int ch = s.get(i, CC_STAT_HEIGHT);
                int cw = s.get(i, CC_STAT_WIDTH);
                if (ch >= 0.3 * rh && ch <= 1.2 * rh && cw <= 2.5 * rh) {
                    count++;
                }
            }
            s.release();
            return count;
        }
    }

    /** The lowest band and up to two aligned bands right above it, top to bottom. */
    static List<Band> lowestGroup(List<Band> bands) {
        if (bands.isEmpty()) {
            return List.of();
        }
        List<Band> sorted = new ArrayList<>(bands);
        sorted.sort(Comparator.comparingDouble(Band::cy).reversed());
        List<Band> group = new ArrayList<>();
        Band last = sorted.get(0);
        group.add(last);
        for (int i = 1; i < sorted.size() && group.size() < 3; i++) {
            Band b = sorted.get(i);
            double gap = last.cy() - b.cy();
            boolean aligned = Math.abs(b.angle() - last.angle()) < 3 && Math.abs(b.cx() - last.cx()) < 0.1 * last.w()
                    && Math.abs(b.w() - last.w()) < 0.15 * last.w();
            if (gap > 0 && gap < 3.2 * Math.max(b.h(), last.h()) && aligned) {
                group.add(b);
                last = b;
            } else if (gap >= 3.2 * Math.max(b.h(), last.h())) {
                break;
            }
        }
        group.sort(Comparator.comparingDouble(Band::cy));
        return group;
    }

    /** Cuts a band out of the full-resolution image, rotated level and scaled to {@link #LINE_HEIGHT}. */
    private static Mat cut(Mat grey, Band b, double scale) {
        double cx = b.cx() / scale;
        double cy = b.cy() / scale;
        double w = b.w() / scale;
        double h = b.h() / scale;
        double padW = w + 2.0 * h;
        double padH = h * 1.7;
        int cw = (int) Math.round(padW);
        int ch = (int) Math.round(padH);
        // Only the part of the rotated image the band is cut from is computed (rotating the whole image
        // cost as much per line as the rest of the search): the band's rectangle and a margin, within the
        // image's bounds, so that every pixel cut, the border replicated beyond the image included, is the
        // one the whole rotated image would give (up to the last bit of the warp's fixed-point rounding).
        int x0 = Math.max(0, (int) Math.floor(cx - cw / 2.0) - 2);
        int y0 = Math.max(0, (int) Math.floor(cy - ch / 2.0) - 2);
        int x1 = Math.min(grey.cols(), (int) Math.ceil(cx + cw / 2.0) + 3);
        int y1 = Math.min(grey.rows(), (int) Math.ceil(cy + ch / 2.0) + 3);
        if (x1 - x0 < 2 || y1 - y0 < 2) {
            x0 = 0;
            y0 = 0;
            x1 = grey.cols();
            y1 = grey.rows();
        }
        Mat line = new Mat();
        try (Mat rot = getRotationMatrix2D(new Point2f((float) cx, (float) cy), b.angle(), 1.0);
                Mat rotated = new Mat(); Mat crop = new Mat()) {
            DoubleIndexer m = rot.createIndexer();
            m.put(0, 2, m.get(0, 2) - x0);
            m.put(1, 2, m.get(1, 2) - y0);
            m.release();
            warpAffine(grey, rotated, rot, new Size(x1 - x0, y1 - y0), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
            getRectSubPix(rotated, new Size(cw, ch), new Point2f((float) (cx - x0), (float) (cy - y0)), crop);
            double f = LINE_HEIGHT / padH;
            resize(crop, line, new Size((int) Math.round(padW * f), LINE_HEIGHT), 0, 0,
                    f < 1 ? INTER_AREA : INTER_CUBIC);
        }
        return line;
    }
}
