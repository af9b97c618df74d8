package org.openkyc.server.bench;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_16SC3;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.randn;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.openkyc.server.face.DetectedFace;
import org.openkyc.server.face.FaceAnalyzer;
import org.openkyc.server.face.FaceImages;
import org.openkyc.server.face.FacePlausibility;
import org.openkyc.server.face.OpenCvFaceEngine;
import org.openkyc.server.face.SelfieAnalysis;
import org.openkyc.server.vision.TestVision;

/**
 * Passive liveness (fr_liveness through {@link OpenCvFaceEngine#analyzeSelfie}) on real photographs
 * and on attacks made from them: how often a genuine face scores under a threshold (a refusal or a
 * review) and how often an attack scores at or over it.
 *
 * <p>Genuine: every plausible face at least {@value #MIN_FACE_PX} px wide in the photos of the folder
 * (setup/bench/real-faces.sh) and the Grace Hopper test photo, scored in the photo as taken, and cut
 * out as a selfie (the face about a third of a 720 x 720 frame) under capture conditions a phone gives:
 * as is, JPEG 60, a low-resolution camera, dim light, sensor noise, slight defocus.
 *
 * <p>Attacks: the same selfies shown to the camera as a print (compressed tones, halftone dots,
 * paper tint, tilted, on a desk) and as a screen (moiré, sub-pixel stripes, a bluish backlight, the
 * bezel in the frame); and the ICAO specimen passport's portrait, as the page and photographed.
 *
 * <pre>
 * bash setup/bench/real-faces.sh
 * $J org.openkyc.server.bench.PassiveLivenessReport [folder]
 * </pre>
 */
public final class PassiveLivenessReport {

    static final int MIN_FACE_PX = 60;
    static final int SELFIE_SIDE = 720;
    static final double[] THRESHOLDS = {1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90};

    private PassiveLivenessReport() {}

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : TestVision.cacheDir().resolve("faces-real");
        Map<String, List<Double>> genuine = new LinkedHashMap<>();
        Map<String, List<Double>> attacks = new LinkedHashMap<>();
        int[] noFace = new int[2];
        try (OpenCvFaceEngine engine = new OpenCvFaceEngine(TestVision.config())) {
            FaceAnalyzer an = engine.analyzer();
            Map<String, Mat> photos = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.sorted().toList()) {
                    Mat m = imread(p.toString());
                    if (!m.empty()) {
                        photos.put(p.getFileName().toString(), m);
                    }
                }
            }
            photos.put("grace_hopper.jpg (test resource)", FaceImages.hopper());
            int faces = 0;
            for (Map.Entry<String, Mat> photo : photos.entrySet()) {
                Mat img = photo.getValue();
                List<FacePlausibility.Assessment> all = FacePlausibility.assess(img, an.detect(img));
                for (FacePlausibility.Assessment a : all) {
                    DetectedFace f = a.face();
                    if (!a.plausible() || f.width() < MIN_FACE_PX) {
                        System.out.printf(Locale.ROOT, "skip %s: face %.0f px at %.0f,%.0f (%s)%n", photo.getKey(),
                                f.width(), f.x(), f.y(), a.plausible() ? "too small" : a.reason());
                        continue;
                    }
                    faces++;
                    double asTaken = 100 * an.liveness(img, f);
                    put(genuine, "in the photo as taken", asTaken);
                    Mat selfie = selfieCut(img, f);
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                            "%s face %.0f px at %.0f,%.0f: as taken %.2f", photo.getKey(), f.width(), f.x(), f.y(),
                            asTaken));
                    for (Map.Entry<String, UnaryOperator<Mat>> c : captures().entrySet()) {
                        try (Mat shot = c.getValue().apply(selfie)) {
                            double s = score(engine, shot, noFace, 0);
                            line.append(String.format(Locale.ROOT, ", %s %.2f", c.getKey(), s));
                            if (!Double.isNaN(s)) {
                                put(genuine, "selfie: " + c.getKey(), s);
                            }
                        }
                    }
                    for (Map.Entry<String, UnaryOperator<Mat>> c : attackMakers().entrySet()) {
                        try (Mat shot = c.getValue().apply(selfie)) {
                            double s = score(engine, shot, noFace, 1);
                            line.append(String.format(Locale.ROOT, ", ATTACK %s %.2f", c.getKey(), s));
                            if (!Double.isNaN(s)) {
                                put(attacks, c.getKey(), s);
                            }
                        }
                    }
                    selfie.close();
                    System.out.println(line);
                }
            }
            // A document's portrait shown to the camera: the page itself, and the page photographed.
            try (Mat page = FaceImages.decode(TestVision.resource("passport-td3-specimen.png"))) {
                for (Map.Entry<String, UnaryOperator<Mat>> c : documentShots().entrySet()) {
                    try (Mat shot = c.getValue().apply(page)) {
                        double s = score(engine, shot, noFace, 1);
                        System.out.printf(Locale.ROOT, "specimen passport %s: %.2f%n", c.getKey(), s);
                        if (!Double.isNaN(s)) {
                            put(attacks, "document portrait (" + c.getKey() + ")", s);
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%n%d genuine faces from %d photos; no face found in %d genuine and %d"
                    + " attack images%n%n", faces, photos.size(), noFace[0], noFace[1]);
            for (Mat m : photos.values()) {
                m.close();
            }
        }
        System.out.println("| samples | n | min | p10 | median | p90 | max | under 50 |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        genuine.forEach((k, v) -> row("genuine, " + k, v));
        row("**all genuine**", flat(genuine));
        attacks.forEach((k, v) -> row("attack, " + k, v));
        row("**all attacks**", flat(attacks));
        System.out.println();
        System.out.println("| threshold | genuine under it | genuine without sensor noise under it"
                + " | attacks at or over it | screen attacks at or over it |");
        System.out.println("|---|---|---|---|---|");
        List<Double> g = flat(genuine);
        List<Double> quiet = genuine.entrySet().stream().filter(e -> !e.getKey().endsWith("noise"))
                .flatMap(e -> e.getValue().stream()).toList();
        List<Double> a = flat(attacks);
        List<Double> screens = attacks.entrySet().stream().filter(e -> e.getKey().startsWith("screen"))
                .flatMap(e -> e.getValue().stream()).toList();
        for (double t : THRESHOLDS) {
            System.out.printf(Locale.ROOT, "| %.0f | %s | %s | %s | %s |%n", t, share(g, s -> s < t),
                    share(quiet, s -> s < t), share(a, s -> s >= t), share(screens, s -> s >= t));
        }
    }

    /** The product's path: encoded as a JPEG upload, then analyzeSelfie; NaN when no face is found. */
    private static double score(OpenCvFaceEngine engine, Mat shot, int[] noFace, int which) {
        SelfieAnalysis s = engine.analyzeSelfie(FaceImages.encode(shot, ".jpg", 92));
        if (s.face() == null) {
            noFace[which]++;
            return Double.NaN;
        }
        return s.livenessScore();
    }

    /** A square around the face, 2.8 face widths, brought to SELFIE_SIDE (edges replicated when the photo ends). */
    static Mat selfieCut(Mat img, DetectedFace f) {
        int side = (int) Math.round(2.8 * Math.max(f.width(), f.height()));
        int x = (int) Math.round(f.cx() - side / 2.0);
        int y = (int) Math.round(f.cy() - side / 2.0 - 0.1 * f.height());
        int pad = side;
        try (Mat padded = new Mat()) {
            copyMakeBorder(img, padded, pad, pad, pad, pad, BORDER_REPLICATE);
            try (Mat roi = new Mat(padded, new Rect(x + pad, y + pad, side, side))) {
                Mat out = new Mat();
                resize(roi, out, new Size(SELFIE_SIDE, SELFIE_SIDE), 0, 0, side > SELFIE_SIDE ? INTER_AREA : INTER_LINEAR);
                return out;
            }
        }
    }

    // ---------------------------------------------------------------- genuine capture conditions

    static Map<String, UnaryOperator<Mat>> captures() {
        Map<String, UnaryOperator<Mat>> c = new LinkedHashMap<>();
        c.put("as is", Mat::clone);
        c.put("JPEG 60", m -> FaceImages.decode(FaceImages.encode(m, ".jpg", 60)));
        c.put("low resolution", m -> {
            Mat small = new Mat();
            Mat out = new Mat();
            resize(m, small, new Size(m.cols() / 4, m.rows() / 4), 0, 0, INTER_AREA);
            resize(small, out, m.size(), 0, 0, INTER_LINEAR);
            small.close();
            return out;
        });
        c.put("dim", m -> {
            Mat out = new Mat();
            m.convertTo(out, -1, 0.55, 5);
            return out;
        });
        c.put("sensor noise", m -> noise(m, 7));
        c.put("defocus", m -> {
            Mat out = new Mat();
            GaussianBlur(m, out, new Size(0, 0), 1.6);
            return out;
        });
        return c;
    }

    // ---------------------------------------------------------------- attacks

    static Map<String, UnaryOperator<Mat>> attackMakers() {
        Map<String, UnaryOperator<Mat>> c = new LinkedHashMap<>();
        c.put("print", PassiveLivenessReport::print);
        c.put("screen", PassiveLivenessReport::screen);
        c.put("print, close-up", m -> closeUp(print(m)));
        c.put("screen, close-up", m -> closeUp(screen(m)));
        return c;
    }

    static Map<String, UnaryOperator<Mat>> documentShots() {
        Map<String, UnaryOperator<Mat>> c = new LinkedHashMap<>();
        c.put("the page", Mat::clone);
        c.put("photographed", m -> {
            Mat tinted = new Mat();
            m.convertTo(tinted, -1, 0.85, 20);
            Mat shot = onDesk(tinted, 0.75, 4);
            tinted.close();
            Mat out = noise(shot, 4);
            shot.close();
            return out;
        });
        return c;
    }

    /** A photo print held up to the camera: tones compressed, halftone dots, paper tint, slight blur, tilted on a desk. */
    static Mat print(Mat m) {
        Mat work = new Mat();
        m.convertTo(work, CV_32FC3, 0.72 / 255.0, 0.12);
        int pitch = 4;
        try (FloatIndexer idx = work.createIndexer()) {
            for (int y = 0; y < work.rows(); y++) {
                for (int x = 0; x < work.cols(); x++) {
                    double dot = Math.cos(2 * Math.PI * (x + y) / (pitch * 1.414)) * Math.cos(2 * Math.PI * (x - y) / (pitch * 1.414));
                    double[] tint = {0.93, 0.98, 1.0};
                    for (int ch = 0; ch < 3; ch++) {
                        float v = idx.get(y, x, ch);
                        idx.put(y, x, ch, (float) Math.max(0, Math.min(1, (v + 0.06 * dot * (1 - v)) * tint[ch])));
                    }
                }
            }
        }
        Mat u8 = new Mat();
        work.convertTo(u8, CV_8UC3, 255, 0);
        work.close();
        Mat soft = new Mat();
        GaussianBlur(u8, soft, new Size(0, 0), 0.9);
        u8.close();
        Mat shot = onDesk(soft, 0.8, 6);
        soft.close();
        Mat out = noise(shot, 5);
        shot.close();
        return out;
    }

    /** A phone or monitor showing the photo: bluish backlight, sub-pixel stripes, moiré bands, a black bezel. */
    static Mat screen(Mat m) {
        Mat work = new Mat();
        m.convertTo(work, CV_32FC3, 1 / 255.0, 0);
        try (FloatIndexer idx = work.createIndexer()) {
            for (int y = 0; y < work.rows(); y++) {
                for (int x = 0; x < work.cols(); x++) {
                    double moire = 1 + 0.07 * Math.cos(2 * Math.PI * (0.031 * x + 0.012 * y))
                            + 0.04 * Math.cos(2 * Math.PI * (0.007 * x - 0.027 * y));
                    int sub = x % 3;
                    double[] gain = {1.08, 1.0, 0.9};  // B, G, R: a cool backlight
                    for (int ch = 0; ch < 3; ch++) {
                        double stripe = (2 - ch) == sub ? 1.05 : 0.95;
                        float v = idx.get(y, x, ch);
                        double lit = Math.pow(v, 0.85) * gain[ch] * moire * stripe;
                        idx.put(y, x, ch, (float) Math.max(0, Math.min(1, lit)));
                    }
                }
            }
        }
        Mat u8 = new Mat();
        work.convertTo(u8, CV_8UC3, 255, 0);
        work.close();
        Mat bezel = new Mat();
        int b = u8.cols() / 14;
        copyMakeBorder(u8, bezel, b, b, b, b, org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT, new Scalar(12, 12, 14, 0));
        u8.close();
        Mat shot = onDesk(bezel, 0.85, 3);
        bezel.close();
        Mat out = noise(shot, 4);
        shot.close();
        return out;
    }

    /** The attack filling the camera's frame: its centre cut back to the selfie's framing. */
    static Mat closeUp(Mat shot) {
        int side = Math.min(shot.cols(), shot.rows());
        int s = (int) (side * 0.8);
        try (Mat roi = new Mat(shot, new Rect((shot.cols() - s) / 2, (shot.rows() - s) / 2, s, s))) {
            Mat out = new Mat();
            resize(roi, out, new Size(SELFIE_SIDE, SELFIE_SIDE), 0, 0, INTER_LINEAR);
            shot.close();
            return out;
        }
    }

    /** The picture placed, rotated by a few degrees, in a 1280 x 720 camera frame on a wooden-brown desk. */
    static Mat onDesk(Mat picture, double heightShare, double degrees) {
        Mat frame = new Mat(720, 1280, CV_8UC3, new Scalar(60, 90, 120, 0));
        double scale = 720 * heightShare / picture.rows();
        int w = (int) (picture.cols() * scale);
        int h = (int) (picture.rows() * scale);
        if (w > 1200) {
            scale = 1200.0 / picture.cols();
            w = 1200;
            h = (int) (picture.rows() * scale);
        }
        try (Mat small = new Mat()) {
            resize(picture, small, new Size(w, h), 0, 0, INTER_AREA);
            try (Mat roi = new Mat(frame, new Rect((1280 - w) / 2, (720 - h) / 2, w, h))) {
                small.copyTo(roi);
            }
        }
        Mat out = new Mat();
        try (Mat rot = getRotationMatrix2D(new Point2f(640, 360), degrees, 1.0)) {
            warpAffine(frame, out, rot, frame.size(), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
        }
        frame.close();
        return out;
    }

    static Mat noise(Mat m, double sigma) {
        Mat out = new Mat();
        try (Mat n = new Mat(m.size(), CV_16SC3); Mat wide = new Mat()) {
            randn(n, new Mat(new double[] {0, 0, 0}), new Mat(new double[] {sigma, sigma, sigma}));
            m.convertTo(wide, CV_16SC3);
            add(wide, n, wide);
            wide.convertTo(out, CV_8UC3);
        }
        return out;
    }

    // ---------------------------------------------------------------- statistics

    private static void put(Map<String, List<Double>> m, String k, double v) {
        m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }

    private static String share(List<Double> v, java.util.function.Predicate<Double> p) {
        long n = v.stream().filter(p).count();
        return String.format(Locale.ROOT, "%d / %d (%.0f %%)", n, v.size(), 100.0 * n / v.size());
    }

    private static List<Double> flat(Map<String, List<Double>> m) {
        return m.values().stream().flatMap(List::stream).toList();
    }

    private static void row(String label, List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        long under = s.stream().filter(x -> x < 50).count();
        System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %d (%.0f %%) |%n", label, n,
                s.get(0), s.get((int) (0.1 * (n - 1))), s.get((n - 1) / 2), s.get((int) Math.ceil(0.9 * (n - 1))),
                s.get(n - 1), under, 100.0 * under / n);
    }
}
