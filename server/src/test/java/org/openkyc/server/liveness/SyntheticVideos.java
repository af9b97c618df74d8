package org.openkyc.server.liveness;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_16SC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.randn;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.fillConvexPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.polylines;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.openkyc.server.face.DetectedFace;
import org.openkyc.server.face.FaceAnalyzer;
import org.openkyc.server.face.FacePlausibility;

/**
 * Challenge videos synthesised from a still portrait: head turns and nods by a
 * depth warp (an ellipsoid head with a nose), blinks by painting the eyes shut
 * where the landmark model puts them, smiles by pulling the mouth corners, an open
 * mouth by dropping the jaw, and a still frame for the replay case. Every frame
 * gets a little camera shake and sensor noise. Test data only.
 */
public final class SyntheticVideos {

    public enum Container { MP4, WEBM }

    public static final int W = 1280;
    public static final int H = 720;

    private SyntheticVideos() {}

    /** What the video shows: an action, or nothing (a still replay). */
    public static byte[] make(FaceAnalyzer analyzer, Mat base, ChallengeAction action, double seconds, int fps,
            Container container) {
        return make(analyzer, base, action, seconds, fps, container, null);
    }

    /** As above; from half-way on, the frames show {@code other} (another person) instead. */
    public static byte[] make(FaceAnalyzer analyzer, Mat base, ChallengeAction action, double seconds, int fps,
            Container container, Mat other) {
        // The person, as the verifier resolves it: not a blurred face-like shape in the background.
        DetectedFace f = FacePlausibility.resolve(base, analyzer.detect(base)).primary();
        int n = (int) Math.round(seconds * fps);
        Path tmp;
        try {
            tmp = Files.createTempFile("openkyc-video", container == Container.MP4 ? ".mp4" : ".webm");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        float[] depth = depth(base, f);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(tmp.toFile(), base.cols(), base.rows(), 0);
                OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            if (container == Container.MP4) {
                rec.setFormat("mp4");
                rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            } else {
                rec.setFormat("webm");
                rec.setVideoCodec(avcodec.AV_CODEC_ID_VP8);
            }
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setVideoBitrate(2_500_000);
            rec.start();
            for (int i = 0; i < n; i++) {
                double t = (double) i / n;
                boolean swap = other != null && t >= 0.5;
                try (Mat frame = swap ? frame(other, f, depth, null, t, i) : frame(base, f, depth, action, t, i)) {
                    rec.record(conv.convert(frame));
                }
            }
            rec.stop();
            return Files.readAllBytes(tmp);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // temp file
            }
        }
    }

    /** 0 before 20 % of the video, up to 1 by 40 %, held to 60 %, back to 0 by 80 %. */
    static double ramp(double t) {
        if (t < 0.2 || t > 0.8) {
            return 0;
        }
        if (t < 0.4) {
            return (t - 0.2) / 0.2;
        }
        if (t <= 0.6) {
            return 1;
        }
        return (0.8 - t) / 0.2;
    }

    private static Mat frame(Mat base, DetectedFace f, float[] depth, ChallengeAction action, double t, int index) {
        Mat out = base.clone();
        double r = ramp(t);
        if (action != null) {
            switch (action) {
                case TURN_LEFT -> warp(out, base, depth, 0.6 * r, 0);
                case TURN_RIGHT -> warp(out, base, depth, -0.6 * r, 0);
                case NOD -> warp(out, base, depth, 0, 0.45 * r);
                case SMILE -> smile(out, base, f, r);
                case OPEN_MOUTH -> openMouth(out, base, f, r);
                case BLINK -> blink(out, f, t);
            }
        }
        // Camera shake and sensor noise.
        Mat shaken = shake(out, 2.0 * Math.sin(index * 0.7), 1.5 * Math.cos(index * 0.5));
        out.close();
        try (Mat noise = new Mat(shaken.size(), CV_16SC3); Mat wide = new Mat()) {
            randn(noise, new Mat(new double[] {0, 0, 0}), new Mat(new double[] {3, 3, 3}));
            shaken.convertTo(wide, CV_16SC3);
            add(wide, noise, wide);
            wide.convertTo(shaken, CV_8UC3);
        }
        return shaken;
    }

    private static Mat shake(Mat m, double dx, double dy) {
        Mat out = new Mat();
        try (Mat t = new Mat(2, 3, org.bytedeco.opencv.global.opencv_core.CV_64F)) {
            org.bytedeco.javacpp.indexer.DoubleIndexer i = t.createIndexer();
            i.put(0, 0, 1); i.put(0, 1, 0); i.put(0, 2, dx);
            i.put(1, 0, 0); i.put(1, 1, 1); i.put(1, 2, dy);
            i.release();
            org.bytedeco.opencv.global.opencv_imgproc.warpAffine(m, out, t, m.size(), INTER_LINEAR,
                    org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE, new Scalar());
        }
        return out;
    }

    /** Depth of an ellipsoid head with a nose, in pixels, per pixel of the frame. */
    private static float[] depth(Mat base, DetectedFace f) {
        int w = base.cols();
        int h = base.rows();
        float[] z = new float[w * h];
        double[] l = f.mean(36, 39);
        double[] r = f.mean(42, 45);
        double iod = Math.hypot(r[0] - l[0], r[1] - l[1]);
        double cx = (l[0] + r[0]) / 2;
        double cy = f.mean(33)[1] - 0.1 * iod;
        double a = 1.35 * iod;
        double b = 1.9 * iod;
        double[] nose = f.mean(30);
        double sigma = 0.22 * iod;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (x - cx) / a;
                double v = (y - cy) / b;
                double q = 1 - u * u - v * v;
                if (q <= 0) {
                    continue;
                }
                double d = a * Math.sqrt(q);
                double dn = Math.hypot(x - nose[0], (y - nose[1]) * 0.6);
                d += 0.45 * iod * Math.exp(-dn * dn / (2 * sigma * sigma)) * Math.sqrt(q);
                z[y * w + x] = (float) d;
            }
        }
        return z;
    }

    private static float[][] identity(int w, int h) {
        float[] ax = new float[w * h];
        float[] ay = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ax[y * w + x] = x;
                ay[y * w + x] = y;
            }
        }
        return new float[][] {ax, ay};
    }

    /** Rotates the depth model: yaw moves near points sideways, pitch up/down (radians). */
    private static void warp(Mat out, Mat base, float[] z, double yaw, double pitch) {
        int w = base.cols();
        int h = base.rows();
        float sy = (float) Math.sin(yaw);
        float sp = (float) Math.sin(pitch);
        try (Mat mx = new Mat(h, w, CV_32FC1); Mat my = new Mat(h, w, CV_32FC1)) {
            float[][] id = identity(w, h);
            float[] ax = id[0];
            float[] ay = id[1];
            for (int k = 0; k < z.length; k++) {
                if (z[k] > 0) {
                    ax[k] -= z[k] * sy;
                    ay[k] -= z[k] * sp;
                }
            }
            ((FloatBuffer) mx.createBuffer()).put(ax);
            ((FloatBuffer) my.createBuffer()).put(ay);
            remap(base, out, mx, my, INTER_LINEAR);
        }
    }

    /** Applies a displacement field inside a box (x0, y0, x1, y1); identity elsewhere. */
    private static void displace(Mat out, Mat base, int[] box, DisplacementField field) {
        int w = base.cols();
        int h = base.rows();
        try (Mat mx = new Mat(h, w, CV_32FC1); Mat my = new Mat(h, w, CV_32FC1)) {
            float[][] id = identity(w, h);
            float[] ax = id[0];
            float[] ay = id[1];
            double[] d = new double[2];
            for (int y = Math.max(0, box[1]); y < Math.min(h, box[3]); y++) {
                for (int x = Math.max(0, box[0]); x < Math.min(w, box[2]); x++) {
                    field.at(x, y, d);
                    ax[y * w + x] = (float) (x - d[0]);
                    ay[y * w + x] = (float) (y - d[1]);
                }
            }
            ((FloatBuffer) mx.createBuffer()).put(ax);
            ((FloatBuffer) my.createBuffer()).put(ay);
            remap(base, out, mx, my, INTER_LINEAR);
        }
    }

    private interface DisplacementField {
        void at(int x, int y, double[] d);
    }

    /** Pulls the mouth corners outwards and up. */
    private static void smile(Mat out, Mat base, DetectedFace f, double r) {
        if (r <= 0) {
            return;
        }
        double[] lc = f.mean(48);
        double[] rc = f.mean(54);
        double mw = Math.hypot(rc[0] - lc[0], rc[1] - lc[1]);
        double sigma = 0.3 * mw;
        double dx = 0.16 * mw * r;
        double dy = -0.08 * mw * r;
        int[] box = {(int) (lc[0] - 1.5 * mw), (int) (lc[1] - 1.5 * mw), (int) (rc[0] + 1.5 * mw), (int) (rc[1] + 1.5 * mw)};
        displace(out, base, box, (x, y, d) -> {
            double gl = Math.exp(-(Math.pow(x - lc[0], 2) + Math.pow(y - lc[1], 2)) / (2 * sigma * sigma));
            double gr = Math.exp(-(Math.pow(x - rc[0], 2) + Math.pow(y - rc[1], 2)) / (2 * sigma * sigma));
            d[0] = -dx * gl + dx * gr;
            d[1] = dy * (gl + gr);
        });
    }

    /** Drops the jaw below the lips and shows a dark mouth between them. */
    private static void openMouth(Mat out, Mat base, DetectedFace f, double r) {
        if (r <= 0) {
            return;
        }
        double[] lc = f.mean(48);
        double[] rc = f.mean(54);
        double mw = Math.hypot(rc[0] - lc[0], rc[1] - lc[1]);
        double mx = (lc[0] + rc[0]) / 2;
        double my = f.mean(62, 66)[1];
        double drop = 0.8 * mw * r;
        double chin = f.mean(8)[1];
        int[] box = {(int) (mx - 3 * mw), (int) my - 2, (int) (mx + 3 * mw), (int) (chin + drop + 1.5 * mw)};
        displace(out, base, box, (x, y, d) -> {
            d[0] = 0;
            double wx = Math.exp(-Math.pow(x - mx, 2) / (2 * Math.pow(0.75 * mw, 2)));
            double below = smooth((y - my) / (0.08 * mw));
            double fade = 1 - smooth((y - chin - drop) / (0.6 * mw));
            d[1] = drop * wx * below * fade;
        });
        // The gap between the lips: a dark mouth cavity.
        ellipse(out, new Point((int) mx, (int) (my + drop * 0.45)), new Size((int) (0.36 * mw), (int) Math.max(1, drop * 0.42)),
                0, 0, 360, new Scalar(35, 25, 60, 0), -1, LINE_AA, 0);
    }

    private static double smooth(double v) {
        double c = Math.max(0, Math.min(1, v));
        return c * c * (3 - 2 * c);
    }

    /** Paints both eyes shut for a fifth of a second around 45 % of the video. */
    private static void blink(Mat out, DetectedFace f, double t) {
        double closed = t >= 0.42 && t < 0.49 ? 1 : (t >= 0.40 && t < 0.51 ? 0.5 : 0);
        if (closed <= 0) {
            return;
        }
        float[] lm = f.landmarks();
        for (int start : new int[] {36, 42}) {
            double[] c = f.mean(start, start + 1, start + 2, start + 3, start + 4, start + 5);
            double width = Math.hypot(lm[2 * (start + 3)] - lm[2 * start], lm[2 * (start + 3) + 1] - lm[2 * start + 1]);
            // Skin from just below the eye.
            int sx = (int) c[0];
            int sy = (int) (c[1] + 0.6 * width);
            org.bytedeco.javacpp.indexer.UByteIndexer idx = out.createIndexer();
            double[] skin = {idx.get(sy, sx, 0), idx.get(sy, sx, 1), idx.get(sy, sx, 2)};
            idx.release();
            int[] pts = new int[12];
            for (int i = 0; i < 6; i++) {
                double px = lm[2 * (start + i)];
                double py = lm[2 * (start + i) + 1];
                pts[2 * i] = (int) Math.round(c[0] + (px - c[0]) * 1.35);
                pts[2 * i + 1] = (int) Math.round(c[1] + (py - c[1]) * (closed >= 1 ? 2.2 : 1.2));
            }
            try (Mat poly = new Mat(6, 1, org.bytedeco.opencv.global.opencv_core.CV_32SC2)) {
                org.bytedeco.javacpp.indexer.IntIndexer pi = poly.createIndexer();
                for (int i = 0; i < 6; i++) {
                    pi.put(i, 0, 0, pts[2 * i]);
                    pi.put(i, 0, 1, pts[2 * i + 1]);
                }
                pi.release();
                if (closed >= 1) {
                    fillConvexPoly(out, poly, new Scalar(skin[0], skin[1], skin[2], 0), LINE_AA, 0);
                    // The closed lid's lash line.
                    try (Mat lid = new Mat(4, 1, org.bytedeco.opencv.global.opencv_core.CV_32SC2)) {
                        org.bytedeco.javacpp.indexer.IntIndexer li = lid.createIndexer();
                        int[] order = {0, 5, 4, 3};
                        for (int i = 0; i < 4; i++) {
                            li.put(i, 0, 0, (int) lm[2 * (start + order[i])]);
                            li.put(i, 0, 1, (int) (lm[2 * (start + order[i]) + 1] + 1));
                        }
                        li.release();
                        polylines(out, new org.bytedeco.opencv.opencv_core.MatVector(lid), false,
                                new Scalar(30, 30, 40, 0), Math.max(2, (int) (width / 12)), LINE_AA, 0);
                    }
                } else {
                    // Half closed: the upper half of the eye covered by the lid.
                    try (Mat half = new Mat(4, 1, org.bytedeco.opencv.global.opencv_core.CV_32SC2)) {
                        org.bytedeco.javacpp.indexer.IntIndexer hi = half.createIndexer();
                        int[] order = {0, 1, 2, 3};
                        for (int i = 0; i < 4; i++) {
                            hi.put(i, 0, 0, pts[2 * order[i]]);
                            hi.put(i, 0, 1, (int) (pts[2 * order[i] + 1] + (order[i] == 0 || order[i] == 3 ? 0 : width * 0.12)));
                        }
                        hi.release();
                        fillConvexPoly(out, half, new Scalar(skin[0], skin[1], skin[2], 0), LINE_AA, 0);
                    }
                }
            }
        }
    }
}
