package org.openkyc.server.face;

import static org.bytedeco.opencv.global.opencv_calib3d.estimateAffinePartial2D;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_dnn.readNetFromONNX;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.io.File;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Net;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import org.openkyc.server.config.VisionConfig;

/**
 * The face models, loaded once per instance through OpenCV's dnn module from the
 * configured ONNX files, with OpenCV's Haar cascade as a fallback detector.
 * Works on decoded BGR images.
 *
 * <p>Thread-safety: OpenCV {@link Net} objects are not thread-safe; every model is
 * used under its own lock, so one instance can be shared, and throughput across
 * threads grows with the number of distinct models in use. For more parallelism,
 * create one instance per worker thread.
 */
public final class FaceAnalyzer implements AutoCloseable {

    /** Detector input size (width x height) and thresholds. */
    static final int DET_W = 320;
    static final int DET_H = 240;
    static final float DET_THRESHOLD = 0.7f;
    static final double NMS_IOU = 0.3;
    /** ArcFace 112 x 112 reference points: eyes, nose, mouth corners. */
    private static final float[] ARCFACE = {
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f};

    private final Net detector;
    private final Net landmark;
    private final Net embedding;
    private final Net liveness;
    private final Net eye;
    private final Net pose;
    private final Path expressionPath;
    private Net expression;  // 28 MB, loaded on first use
    private final CascadeClassifier haar;

    public FaceAnalyzer(VisionConfig config) {
        this.detector = load(config.detectorModel());
        this.landmark = load(config.landmarkModel());
        this.embedding = load(config.embeddingModel());
        this.liveness = load(config.livenessModel());
        this.eye = load(config.eyeModel());
        this.pose = load(config.poseModel());
        this.expressionPath = config.expressionModel();
        this.haar = loadHaar();
    }

    private static Net load(Path model) {
        if (!Files.isRegularFile(model)) {
            throw new IllegalStateException("Face model missing: " + model + " (run bin/setup)");
        }
        Net net = readNetFromONNX(model.toString());
        if (net.empty()) {
            throw new IllegalStateException("Face model could not be loaded: " + model);
        }
        return net;
    }

    private static CascadeClassifier loadHaar() {
        try {
            File f = Loader.cacheResource(org.bytedeco.opencv.global.opencv_objdetect.class,
                    "/org/bytedeco/opencv/" + Loader.getPlatform()
                            + "/share/opencv4/haarcascades/haarcascade_frontalface_default.xml");
            CascadeClassifier c = new CascadeClassifier(f.getAbsolutePath());
            return c.empty() ? null : c;
        } catch (IOException | RuntimeException e) {
            return null;  // the fallback is optional
        }
    }

    /** Whether the Haar fallback detector is available. */
    public boolean haarAvailable() {
        return haar != null;
    }

    // ---------------------------------------------------------------- detection

    /** Faces with landmarks, largest first; the Haar cascade is tried when the model finds none. */
    public List<DetectedFace> detect(Mat bgr) {
        List<float[]> boxes = detectBoxes(bgr);
        String source = "fr_detect";
        if (boxes.isEmpty() && haar != null) {
            boxes = haarBoxes(bgr);
            source = "haar";
        }
        List<DetectedFace> faces = new ArrayList<>();
        for (float[] b : boxes) {
            float[] lm = landmarks(bgr, b[0], b[1], b[2] - b[0], b[3] - b[1]);
            faces.add(new DetectedFace(b[0], b[1], b[2] - b[0], b[3] - b[1], b[4], lm, source));
        }
        faces.sort(Comparator.comparingDouble(DetectedFace::area).reversed());
        return faces;
    }

    /** Boxes {x1, y1, x2, y2, score} in pixels from the ONNX detector, after non-maximum suppression. */
    /** Side of the box the Haar fallback works in. */
    static final int HAAR_SIDE = 1600;

    List<float[]> detectBoxes(Mat bgr) {
        int w = bgr.cols();
        int h = bgr.rows();
        Map<String, float[]> out;
        try (Mat blob = blobFromImage(bgr, 1 / 128.0, new Size(DET_W, DET_H), new Scalar(127, 127, 127, 0),
                false, false, CV_32F)) {
            out = run(detector, blob, "scores", "boxes");
        }
        float[] scores = out.get("scores");
        float[] boxes = out.get("boxes");
        int n = scores.length / 2;
        List<float[]> cand = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float s = scores[2 * i + 1];
            if (s >= DET_THRESHOLD) {
                cand.add(new float[] {clamp(boxes[4 * i] * w, 0, w - 1), clamp(boxes[4 * i + 1] * h, 0, h - 1),
                    clamp(boxes[4 * i + 2] * w, 0, w - 1), clamp(boxes[4 * i + 3] * h, 0, h - 1), s});
            }
        }
        cand.sort((a, b) -> Float.compare(b[4], a[4]));
        List<float[]> keep = new ArrayList<>();
        for (float[] c : cand) {
            boolean overlaps = false;
            for (float[] k : keep) {
                if (iou(c, k) > NMS_IOU) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps && c[2] - c[0] >= 8 && c[3] - c[1] >= 8) {
                keep.add(c);
            }
        }
        return keep;
    }

    /**
     * Follows a face into the next video frame without running the detector: the
     * previous box is kept and the landmarks are found again inside it. For frames a
     * fraction of a second apart; re-detect regularly.
     */
    public DetectedFace track(Mat bgr, DetectedFace previous) {
        double x = Math.max(0, Math.min(previous.x(), bgr.cols() - 2));
        double y = Math.max(0, Math.min(previous.y(), bgr.rows() - 2));
        double w = Math.min(previous.width(), bgr.cols() - 1 - x);
        double h = Math.min(previous.height(), bgr.rows() - 1 - y);
        return new DetectedFace(x, y, w, h, previous.score(), landmarks(bgr, x, y, w, h), "tracked");
    }

    /** Faces from the Haar cascade alone (the fallback), with landmarks. */
    List<DetectedFace> detectWithHaar(Mat bgr) {
        List<DetectedFace> faces = new ArrayList<>();
        for (float[] b : haarBoxes(bgr)) {
            faces.add(new DetectedFace(b[0], b[1], b[2] - b[0], b[3] - b[1], b[4],
                    landmarks(bgr, b[0], b[1], b[2] - b[0], b[3] - b[1]), "haar"));
        }
        return faces;
    }

    private List<float[]> haarBoxes(Mat bgr) {
        if (haar == null) {
            return List.of();
        }
        List<float[]> out = new ArrayList<>();
        // The cascade scans every scale of the image it is given: it gets the image fitted into
        // HAAR_SIDE x HAAR_SIDE, so its time and memory do not grow with the upload.
        org.openkyc.server.document.WorkingSize work = org.openkyc.server.document.WorkingSize.shrinkToFit(
                bgr.cols(), bgr.rows(), HAAR_SIDE, HAAR_SIDE);
        float back = (float) (1 / work.scale());
        try (Mat grey = new Mat(); Mat small = new Mat(); RectVector found = new RectVector()) {
            cvtColor(bgr, grey, COLOR_BGR2GRAY);
            Mat input = grey;
            if (work.scale() < 1) {
                resize(grey, small, work.size(), 0, 0, org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA);
                input = small;
            }
            int min = Math.max(24, Math.min(input.cols(), input.rows()) / 10);
            synchronized (haar) {
                haar.detectMultiScale(input, found, 1.1, 5, 0, new Size(min, min), new Size());
            }
            for (long i = 0; i < found.size(); i++) {
                Rect r = found.get(i);
                out.add(new float[] {r.x() * back, r.y() * back, Math.min(bgr.cols() - 1, (r.x() + r.width()) * back),
                    Math.min(bgr.rows() - 1, (r.y() + r.height()) * back), 0.5f});
            }
        }
        return out;
    }

    private static float iou(float[] a, float[] b) {
        float ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        float iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        float inter = ix * iy;
        float union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** 68 landmarks in image pixels for a face box. */
    float[] landmarks(Mat bgr, double x, double y, double w, double h) {
        Rect r = scaledBox(bgr, x, y, w, h, 1.0);
        float[] out;
        try (Mat roi = new Mat(bgr, r); Mat small = new Mat(); Mat grey = new Mat()) {
            resize(roi, small, new Size(64, 64));
            cvtColor(small, grey, COLOR_BGR2GRAY);
            try (Mat blob = blobFromImage(grey, 1 / 256.0, new Size(64, 64), new Scalar(0, 0, 0, 0), false, false, CV_32F)) {
                out = run(landmark, blob).values().iterator().next();
            }
        }
        float[] lm = new float[136];
        for (int i = 0; i < 68; i++) {
            lm[2 * i] = (float) (out[2 * i] * r.width() + r.x());
            lm[2 * i + 1] = (float) (out[2 * i + 1] * r.height() + r.y());
        }
        return lm;
    }

    /** The face box scaled about its centre, shifted (not cut) to stay inside the image, as the models expect. */
    static Rect scaledBox(Mat img, double x, double y, double w, double h, double scaleWanted) {
        int iw = img.cols();
        int ih = img.rows();
        double scale = Math.min((ih - 1) / h, Math.min((iw - 1) / w, scaleWanted));
        double nw = w * scale;
        double nh = h * scale;
        double cx = x + w / 2;
        double cy = y + h / 2;
        double x1 = cx - nw / 2;
        double y1 = cy - nh / 2;
        double x2 = cx + nw / 2;
        double y2 = cy + nh / 2;
        if (x1 < 0) { x2 -= x1; x1 = 0; }
        if (y1 < 0) { y2 -= y1; y1 = 0; }
        if (x2 > iw - 1) { x1 -= x2 - iw + 1; x2 = iw - 1; }
        if (y2 > ih - 1) { y1 -= y2 - ih + 1; y2 = ih - 1; }
        int rx = Math.max(0, (int) x1);
        int ry = Math.max(0, (int) y1);
        int rw = Math.max(1, Math.min((int) (x2 - x1), iw - rx));
        int rh = Math.max(1, Math.min((int) (y2 - y1), ih - ry));
        return new Rect(rx, ry, rw, rh);
    }

    // ---------------------------------------------------------------- embedding

    /** The face aligned on the ArcFace 112 x 112 template (BGR). */
    public Mat align(Mat bgr, DetectedFace f) {
        double[][] p = f.fivePoints();
        Mat aligned = new Mat();
        try (Mat src = new Mat(5, 1, CV_32FC2); Mat dst = new Mat(5, 1, CV_32FC2)) {
            FloatIndexer s = src.createIndexer();
            FloatIndexer d = dst.createIndexer();
            for (int i = 0; i < 5; i++) {
                s.put(i, 0, 0, (float) p[i][0]);
                s.put(i, 0, 1, (float) p[i][1]);
                d.put(i, 0, 0, ARCFACE[2 * i]);
                d.put(i, 0, 1, ARCFACE[2 * i + 1]);
            }
            s.release();
            d.release();
            try (Mat m = estimateAffinePartial2D(src, dst)) {
                warpAffine(bgr, aligned, m, new Size(112, 112), INTER_LINEAR, 0, new Scalar());
            }
        }
        return aligned;
    }

    /** A unit-length 512-dimension embedding of the face. */
    public float[] embed(Mat bgr, DetectedFace f) {
        float[] v;
        try (Mat aligned = align(bgr, f);
                Mat blob = blobFromImage(aligned, 1 / 128.0, new Size(112, 112), new Scalar(127, 127, 127, 0),
                        true, false, CV_32F)) {
            v = run(embedding, blob).values().iterator().next();
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] unit = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            unit[i] = (float) (v[i] / norm);
        }
        return unit;
    }

    /** Cosine similarity of two unit embeddings. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    // ---------------------------------------------------------------- liveness and signals

    /** Passive liveness: probability 0-1 that the face is a live person (fr_liveness, crop 2.7x the box). */
    public double liveness(Mat bgr, DetectedFace f) {
        Rect r = scaledBox(bgr, f.x(), f.y(), f.width(), f.height(), 2.7);
        float[] logits;
        try (Mat roi = new Mat(bgr, r); Mat small = new Mat()) {
            resize(roi, small, new Size(128, 128));
            try (Mat blob = blobFromImage(small, 1.0, new Size(128, 128), new Scalar(0, 0, 0, 0), true, false, CV_32F)) {
                logits = run(liveness, blob).values().iterator().next();
            }
        }
        return softmax(logits)[0];
    }

    /** Probability that each eye is closed, {image-left, image-right}, from the eye-state model. */
    public double[] eyesClosed(Mat bgr, DetectedFace f) {
        float[] lm = f.landmarks();
        double[] out = new double[2];
        int[][] eyes = {{36, 39, 37, 38, 40, 41}, {42, 45, 43, 44, 46, 47}};
        try (Mat grey = new Mat()) {
            cvtColor(bgr, grey, COLOR_BGR2GRAY);
            for (int e = 0; e < 2; e++) {
                int[] k = eyes[e];
                double[] c = f.mean(k[2], k[3], k[4], k[5]);
                int size = (int) Math.max(6, (lm[2 * k[1]] - lm[2 * k[0]]) * 1.6);
                int x = (int) Math.max(0, c[0] - size / 2.0);
                int y = (int) Math.max(0, c[1] - size / 2.0);
                size = Math.min(size, Math.min(grey.cols() - x - 1, grey.rows() - y - 1));
                if (size < 4) {
                    out[e] = Double.NaN;
                    continue;
                }
                try (Mat roi = new Mat(grey, new Rect(x, y, size, size)); Mat small = new Mat()) {
                    resize(roi, small, new Size(24, 24));
                    try (Mat blob = blobFromImage(small, 1 / 255.0, new Size(24, 24), new Scalar(0, 0, 0, 0), false, false, CV_32F)) {
                        float[] o = run(eye, blob).values().iterator().next();
                        out[e] = softmax(o)[0];
                    }
                }
            }
        }
        return out;
    }

    /** Head pose from the pose model (box grown by a quarter each side, ImageNet normalisation). */
    public HeadPose pose(Mat bgr, DetectedFace f) {
        int x1 = (int) Math.max(0, f.x() - f.width() / 4);
        int y1 = (int) Math.max(0, f.y() - f.height() / 4);
        int x2 = (int) Math.min(bgr.cols(), f.x() + f.width() * 1.25);
        int y2 = (int) Math.min(bgr.rows(), f.y() + f.height() * 1.25);
        Map<String, float[]> out;
        try (Mat roi = new Mat(bgr, new Rect(x1, y1, Math.max(1, x2 - x1), Math.max(1, y2 - y1)));
                Mat blob = blobFromImage(roi, 1 / (255.0 * 0.226), new Size(224, 224),
                        new Scalar(0.406 * 255, 0.456 * 255, 0.485 * 255, 0), true, false, CV_32F)) {
            out = run(pose, blob, "output", "617", "618");
        }
        return new HeadPose(angle(out.get("output")), angle(out.get("617")), angle(out.get("618")));
    }

    private static double angle(float[] bins) {
        double[] p = softmax(bins);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += p[i] * i;
        }
        return sum * 3 - 99;
    }

    /** Probability 0-1 of a smile from the expression model (about 50 ms: use sparingly). */
    public double smile(Mat bgr, DetectedFace f) {
        Net net = expressionNet();
        int x = (int) Math.max(0, f.x());
        int y = (int) Math.max(0, f.y());
        int w = (int) Math.min(f.width() * 1.2, bgr.cols() - 1 - x);
        int h = (int) Math.min(f.height() * 1.2, bgr.rows() - 1 - y);
        float[] o;
        try (Mat roi = new Mat(bgr, new Rect(x, y, Math.max(1, w), Math.max(1, h)));
                Mat blob = blobFromImage(roi, 1 / 255.0, new Size(224, 224), new Scalar(0, 0, 0, 0), true, false, CV_32F)) {
            o = run(net, blob).values().iterator().next();
        }
        return softmax(o)[3];
    }

    private synchronized Net expressionNet() {
        if (expression == null) {
            expression = load(expressionPath);
        }
        return expression;
    }

    /** Signals for liveness over time; the expression model runs only when asked (it is slow). */
    public FaceSignals signals(Mat bgr, DetectedFace f, boolean withSmile) {
        double[] eyes = eyesClosed(bgr, f);
        HeadPose p = pose(bgr, f);
        double[] le = eyeAspect(f, 36), re = eyeAspect(f, 42);
        double ear = (le[0] + re[0]) / 2;
        double[] l = f.mean(36, 39);
        double[] r = f.mean(42, 45);
        double iod = Math.hypot(r[0] - l[0], r[1] - l[1]);
        float[] lm = f.landmarks();
        double mouthW = dist(lm, 48, 54);
        double mouthOpen = (dist(lm, 61, 67) + dist(lm, 62, 66) + dist(lm, 63, 65)) / 3;
        return new FaceSignals(f, p, eyes[0], eyes[1], ear, mouthOpen / Math.max(1, mouthW),
                mouthW / Math.max(1, iod), withSmile ? smile(bgr, f) : Double.NaN);
    }

    private static double[] eyeAspect(DetectedFace f, int s) {
        float[] lm = f.landmarks();
        double v = dist(lm, s + 1, s + 5) + dist(lm, s + 2, s + 4);
        double h = dist(lm, s, s + 3);
        return new double[] {v / (2 * Math.max(1e-6, h))};
    }

    private static double dist(float[] lm, int a, int b) {
        return Math.hypot(lm[2 * a] - lm[2 * b], lm[2 * a + 1] - lm[2 * b + 1]);
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Runs a model under its lock. Output names come back from OpenCV with a trailing NUL
     * and in another order than the file's, so they are stripped and looked up by name.
     */
    private static Map<String, float[]> run(Net net, Mat blob, String... wanted) {
        Map<String, float[]> result = new HashMap<>();
        synchronized (net) {
            net.setInput(blob);
            StringVector names = net.getUnconnectedOutLayersNames();
            try (MatVector outs = new MatVector()) {
                net.forward(outs, names);
                for (long i = 0; i < outs.size(); i++) {
                    String name = names.get(i).getString().replace("\0", "").trim();
                    Mat m = outs.get(i);
                    Mat cont = m.isContinuous() ? m : m.clone();
                    float[] data = new float[(int) cont.total()];
                    ((FloatBuffer) cont.createBuffer()).get(data);
                    result.put(name, data);
                }
            }
        }
        for (String w : wanted) {
            if (!result.containsKey(w)) {
                throw new IllegalStateException("model output '" + w + "' missing; outputs: " + result.keySet());
            }
        }
        return result;
    }

    static double[] softmax(float[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    private static float clamp(float v, float lo, float hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Override
    public void close() {
        detector.close();
        landmark.close();
        embedding.close();
        liveness.close();
        eye.close();
        pose.close();
        synchronized (this) {
            if (expression != null) {
                expression.close();
            }
        }
        if (haar != null) {
            haar.close();
        }
    }
}
