package org.openkyc.server.liveness;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.openkyc.server.config.VisionConfig;
import org.openkyc.server.document.WorkingSize;
import org.openkyc.server.face.DetectedFace;
import org.openkyc.server.face.FaceAnalyzer;
import org.openkyc.server.face.FacePlausibility;
import org.openkyc.server.face.HeadPose;
import org.openkyc.server.face.SimilarityScale;

/**
 * Video liveness on the face models. Videos are decoded with JavaCV's
 * FFmpegFrameGrabber from memory (mp4/H.264, webm/VP8/VP9 and whatever else the
 * bundled FFmpeg reads), frames are sampled (15 per second for blinks, 8 otherwise)
 * and shrunk to fit 640 x 640 px (frames beyond the image side and aspect-ratio limits are
 * refused as TOO_LARGE before any is decoded), and each action is decided from the signals it needs:
 *
 * <ul>
 *   <li>BLINK: eye-state model, closed probability &ge; 0.5 with open eyes (&le; 0.4) before
 *       and after; or the landmarks' eye aspect ratio dropping by 40 % and recovering.</li>
 *   <li>SMILE: mouth width over inter-ocular distance growing by 8 % and the expression
 *       model's smile probability at that frame &ge; 0.5 or 0.25 above the baseline.</li>
 *   <li>OPEN_MOUTH: inner-lip opening over mouth width rising by 0.15 to at least 0.25.</li>
 *   <li>TURN_LEFT / TURN_RIGHT: pose-model yaw moving 12 degrees or more in the asked
 *       direction from the baseline, with the nose moving the same way relative to
 *       the eyes (a tilted flat photo does not move the nose).</li>
 *   <li>NOD: pose-model pitch moving 10 degrees or more and coming back, with the
 *       nose moving between eyes and mouth the same way.</li>
 * </ul>
 *
 * Candidate faces are resolved as in stills ({@link FacePlausibility#resolve}): the person is the
 * plausible face ranked by confidence and size, a blurred or malformed detection is ignored, and a
 * second person counts only when plausible and at least a third of the person's width.
 *
 * Every video must also show one face in most frames, the same person throughout
 * (similarity of first, middle and last faces at or above the match threshold) and
 * a face that moves at all (landmark shape or pose must change; a still photo or a
 * frozen frame fails as NO_MOTION). Thresholds are calibrated on synthetic videos
 * made from still portraits (see README and BENCHMARKS.md).
 *
 * <p>Thread-safe: the shared {@link FaceAnalyzer} locks each model.
 */
public final class FaceVideoLivenessVerifier implements VideoLivenessVerifier {

    static final int ANALYSIS_WIDTH = 640;
    /**
     * Frames are fitted into ANALYSIS_WIDTH x ANALYSIS_MAX_HEIGHT: the long side is at most 640 px (a
     * landscape video is 640 px wide as before, a portrait one 640 px tall). Only the frames the judgement
     * can still use are kept until the video is judged ({@link KeptFrames}: about half of the sampled frames
     * with a face), so this box bounds a video's memory: at most 15 fps x OPENKYC_MAX_VIDEO_SECONDS / 2 + 2
     * frames of 640 x 640 x 3 bytes.
     */
    static final int ANALYSIS_MAX_HEIGHT = 640;
    static final double BLINK_FPS = 15;
    static final double DEFAULT_FPS = 8;
    static final int MIN_SAMPLES = 6;

    private final FaceAnalyzer analyzer;
    private final boolean ownsAnalyzer;
    private final long maxBytes;
    private final double maxSeconds;
    private final long maxPixels;
    private final int maxSide;
    private final double maxAspectRatio;
    private final double matchThreshold;
    private final java.util.concurrent.ExecutorService pool;

    public FaceVideoLivenessVerifier(VisionConfig config) {
        this(config, new FaceAnalyzer(config), true);
    }

    /** Shares models with a face engine (the analyzer stays the caller's to close). */
    public FaceVideoLivenessVerifier(VisionConfig config, FaceAnalyzer analyzer) {
        this(config, analyzer, false);
    }

    private FaceVideoLivenessVerifier(VisionConfig config, FaceAnalyzer analyzer, boolean owns) {
        this.analyzer = analyzer;
        this.ownsAnalyzer = owns;
        this.maxBytes = config.maxVideoBytes();
        this.maxSeconds = config.maxVideoSeconds();
        this.maxPixels = config.maxVideoPixels();
        this.maxSide = config.maxImageSide();
        this.maxAspectRatio = config.maxImageAspectRatio();
        this.matchThreshold = config.faceMatchThreshold();
        int threads = Math.max(1, Math.min(3, Runtime.getRuntime().availableProcessors()));
        this.pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "video-liveness");
            t.setDaemon(true);
            return t;
        });
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    /** One analysed frame. */
    private record Sample(long ms, int faces, DetectedFace face, double[] eyes, HeadPose pose, double ear,
            double mouthOpen, double mouthWidth, double noseX, double noseY, double[] shape) {}

    /**
     * The analysed frames a video's judgement can still use: the first, the middle and the last of the samples
     * with a face (first, middle and last face are compared; the middle of the final count, which only grows,
     * is never before the middle of the samples so far) and, for SMILE, the widest mouth so far (the smile
     * model runs on the first and the widest). Every other frame is released as soon as it is analysed or
     * passed by: a video holds about half of its sampled frames at most instead of all of them.
     */
    private static final class KeptFrames implements AutoCloseable {
        private final java.util.TreeMap<Integer, Mat> frames = new java.util.TreeMap<>();
        private final boolean widestMouth;
        private int faces;
        private int widest = -1;
        private double widestWidth;

        KeptFrames(boolean widestMouth) {
            this.widestMouth = widestMouth;
        }

        /** Takes {@code frame}, the frame {@code s} was analysed on: keeps it or releases it. */
        void add(Sample s, Mat frame) {
            if (s.face() == null) {
                frame.close();
                return;
            }
            int i = faces++;
            frames.put(i, frame);
            // As smile() picks its peak: the first sample with the widest mouth.
            if (widestMouth && (widest < 0 || s.mouthWidth() > widestWidth)) {
                widest = i;
                widestWidth = s.mouthWidth();
            }
            var passed = frames.headMap(faces / 2, false).entrySet().iterator();
            while (passed.hasNext()) {
                var e = passed.next();
                if (e.getKey() != 0 && e.getKey() != widest) {
                    e.getValue().close();
                    passed.remove();
                }
            }
        }

        /** The frame of the {@code i}-th sample with a face. */
        Mat frame(int i) {
            Mat m = frames.get(i);
            if (m == null) {
                throw new IllegalStateException("the frame of face sample " + i + " was released");
            }
            return m;
        }

        @Override
        public void close() {
            frames.values().forEach(Mat::close);
            frames.clear();
        }
    }

    private static final class Refusal extends Exception {
        final LivenessReason reason;

        Refusal(LivenessReason reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }
    }

    @Override
    public ChallengeResult verify(ChallengeAction action, byte[] video) {
        if (video == null || video.length == 0) {
            return fail(action, LivenessReason.UNREADABLE_VIDEO, 0, 0);
        }
        if (video.length > maxBytes) {
            return fail(action, LivenessReason.TOO_LARGE, 0, 0);
        }
        List<Sample> samples = new ArrayList<>();
        long[] duration = new long[1];
        try (KeptFrames kept = new KeptFrames(action == ChallengeAction.SMILE)) {
            decode(action, video, samples, duration, kept);
            return judge(action, samples, duration[0], kept);
        } catch (Refusal r) {
            return fail(action, r.reason, samples.size(), duration[0]);
        }
    }

    private void decode(ChallengeAction action, byte[] video, List<Sample> out, long[] duration, KeptFrames kept)
            throws Refusal {
        boolean needEyes = action == ChallengeAction.BLINK;
        boolean needPose = action == ChallengeAction.TURN_LEFT || action == ChallengeAction.TURN_RIGHT
                || action == ChallengeAction.NOD;
        double fps = needEyes ? BLINK_FPS : DEFAULT_FPS;
        long stepUs = (long) (1_000_000 / fps);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(video), video.length);
                OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            // One decoding thread per video: the videos of a verify are already decoded side by side, and
            // FFmpeg's own threads (one per core and one more) would each hold frames of their own.
            g.setVideoOption("threads", "1");
            try {
                g.start();
            } catch (Exception | Error e) {
                throw new Refusal(LivenessReason.UNREADABLE_VIDEO);
            }
            if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
                throw new Refusal(LivenessReason.UNREADABLE_VIDEO);
            }
            if ((long) g.getImageWidth() * g.getImageHeight() > maxPixels) {
                throw new Refusal(LivenessReason.TOO_LARGE);
            }
            long longSide = Math.max(g.getImageWidth(), g.getImageHeight());
            long shortSide = Math.min(g.getImageWidth(), g.getImageHeight());
            if (longSide > maxSide || longSide > maxAspectRatio * shortSide) {
                throw new Refusal(LivenessReason.TOO_LARGE);
            }
            WorkingSize work = WorkingSize.shrinkToFit(g.getImageWidth(), g.getImageHeight(), ANALYSIS_WIDTH,
                    ANALYSIS_MAX_HEIGHT);
            if (work.scale() < 1) {
                // Let FFmpeg's scaler shrink each frame while converting it: cheaper than converting
                // the full frame and resizing it afterwards.
                g.setImageWidth(work.width());
                g.setImageHeight(work.height());
            }
            long maxUs = (long) (maxSeconds * 1_000_000);
            if (g.getLengthInTime() > maxUs) {
                throw new Refusal(LivenessReason.TOO_LONG);
            }
            long next = 0;
            long first = Long.MIN_VALUE;
            Frame f;
            while (true) {
                try {
                    f = g.grabImage();
                } catch (Exception e) {
                    if (out.isEmpty()) {
                        throw new Refusal(LivenessReason.UNREADABLE_VIDEO);
                    }
                    break;  // a damaged tail: judge what was read
                }
                if (f == null) {
                    break;
                }
                long ts = g.getTimestamp();
                if (first == Long.MIN_VALUE) {
                    first = ts;
                }
                ts -= first;
                duration[0] = ts / 1000;
                if (ts > maxUs) {
                    throw new Refusal(LivenessReason.TOO_LONG);  // the header understated the length
                }
                if (ts < next) {
                    continue;
                }
                next += stepUs;
                while (next <= ts) {
                    next += stepUs;
                }
                Mat m = conv.convert(f);
                if (m == null || m.empty()) {
                    continue;
                }
                // The detector runs on every third sample; in between the face is tracked.
                Sample prev = out.isEmpty() ? null : out.get(out.size() - 1);
                boolean detect = out.size() % DETECT_EVERY == 0 || prev == null || prev.face() == null;
                Mat frame = fitted(m);
                Sample sample;
                try {
                    sample = analyse(frame, ts / 1000, needEyes, needPose, detect ? null : prev);
                } catch (RuntimeException e) {
                    frame.close();
                    throw e;
                }
                out.add(sample);
                kept.add(sample, frame);
            }
        } catch (Refusal r) {
            throw r;
        } catch (Exception e) {
            throw new Refusal(LivenessReason.UNREADABLE_VIDEO);
        }
        if (out.isEmpty()) {
            throw new Refusal(LivenessReason.UNREADABLE_VIDEO);
        }
    }

    /** Run the face detector on every n-th sample; track the face in between. */
    static final int DETECT_EVERY = 3;

    /** A copy of the decoder's frame fitted into the analysis box (the decoder reuses its own). */
    private static Mat fitted(Mat raw) {
        Mat frame = new Mat();
        WorkingSize work = WorkingSize.shrinkToFit(raw.cols(), raw.rows(), ANALYSIS_WIDTH, ANALYSIS_MAX_HEIGHT);
        if (work.scale() < 1) {
            resize(raw, frame, work.size(), 0, 0, INTER_AREA);
        } else {
            raw.copyTo(frame);
        }
        return frame;
    }

    private Sample analyse(Mat frame, long ms, boolean needEyes, boolean needPose, Sample previous) {
        // Which detections are faces, which one is the person and how many persons there are: the rule
        // of stills (FacePlausibility), so a blurred face-like shape behind the user is neither followed
        // nor counted as a second person. A tracked frame keeps the count of its last detection.
        DetectedFace f;
        int faceCount;
        if (previous != null) {
            f = analyzer.track(frame, previous.face());
            faceCount = previous.faces();
        } else {
            FacePlausibility.Resolution r = FacePlausibility.resolve(frame, analyzer.detect(frame));
            f = r.primary();
            faceCount = r.personCount();
        }
        if (f == null) {
            return new Sample(ms, 0, null, null, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    null);
        }
        float[] lm = f.landmarks();
        double[] le = f.mean(36, 39);
        double[] re = f.mean(42, 45);
        double iod = Math.max(1, Math.hypot(re[0] - le[0], re[1] - le[1]));
        double ex = (le[0] + re[0]) / 2;
        double ey = (le[1] + re[1]) / 2;
        double[] nose = f.mean(30);
        double[] mouth = f.mean(48, 54);
        double ear = (eyeAspect(lm, 36) + eyeAspect(lm, 42)) / 2;
        double mouthW = dist(lm, 48, 54);
        double mouthOpen = (dist(lm, 61, 67) + dist(lm, 62, 66) + dist(lm, 63, 65)) / 3 / Math.max(1, mouthW);
        double noseX = (nose[0] - ex) / iod;
        double noseY = (nose[1] - ey) / Math.max(1, mouth[1] - ey);
        double[] shape = new double[136];
        for (int i = 0; i < 68; i++) {
            shape[2 * i] = (lm[2 * i] - ex) / iod;
            shape[2 * i + 1] = (lm[2 * i + 1] - ey) / iod;
        }
        double[] eyes = needEyes ? analyzer.eyesClosed(frame, f) : null;
        HeadPose pose = needPose ? analyzer.pose(frame, f) : null;
        return new Sample(ms, faceCount, f, eyes, pose, ear, mouthOpen, mouthW / iod, noseX, noseY, shape);
    }

    private ChallengeResult judge(ChallengeAction action, List<Sample> all, long durationMs, KeptFrames kept)
            throws Refusal {
        if (all.size() < MIN_SAMPLES) {
            throw new Refusal(LivenessReason.TOO_SHORT);
        }
        List<Sample> s = all.stream().filter(x -> x.face() != null).toList();
        if (s.size() < 0.7 * all.size() || s.size() < MIN_SAMPLES) {
            throw new Refusal(LivenessReason.NO_FACE);
        }
        long multi = all.stream().filter(x -> x.faces() > 1).count();
        if (multi > 0.3 * all.size()) {
            throw new Refusal(LivenessReason.MULTIPLE_FACES);
        }
        // Same person throughout: first, middle and last faces against each other.
        Sample a = s.get(0);
        Sample b = s.get(s.size() / 2);
        Sample c = s.get(s.size() - 1);
        float[] ea = analyzer.embed(kept.frame(0), a.face());
        float[] eb = analyzer.embed(kept.frame(s.size() / 2), b.face());
        float[] ec = analyzer.embed(kept.frame(s.size() - 1), c.face());
        double same = Math.min(SimilarityScale.score(FaceAnalyzer.cosine(ea, eb)),
                Math.min(SimilarityScale.score(FaceAnalyzer.cosine(ea, ec)), SimilarityScale.score(FaceAnalyzer.cosine(eb, ec))));
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("sameFaceScore", same);
        double shapeVar = shapeVariation(s);
        m.put("shapeVariation", round(shapeVar));
        Decision d = switch (action) {
            case BLINK -> blink(s, m);
            case SMILE -> smile(s, m, kept);
            case OPEN_MOUTH -> openMouth(s, m);
            case TURN_LEFT -> turn(s, m, +1);
            case TURN_RIGHT -> turn(s, m, -1);
            case NOD -> nod(s, m);
        };
        LivenessReason reason;
        if (same < matchThreshold) {
            reason = LivenessReason.FACE_CHANGED;
        } else if (d.passed()) {
            reason = LivenessReason.PASSED;
        } else if (shapeVar < STILL_SHAPE) {
            reason = LivenessReason.NO_MOTION;
        } else {
            reason = LivenessReason.ACTION_NOT_SEEN;
        }
        boolean passed = reason == LivenessReason.PASSED;
        // The embedding handed on is the most frontal frame's (the first, before any action).
        return new ChallengeResult(action, passed, round(d.score()), reason, d.frames(), all.size(), durationMs,
                same, ea, Map.copyOf(m));
    }

    /** Below these, the face is taken not to move at all. */
    static final double STILL_SHAPE = 0.0095;

    private record Decision(boolean passed, double score, List<Long> frames, double motion) {}

    /** Mean over landmarks of the standard deviation of their normalised positions. */
    private static double shapeVariation(List<Sample> s) {
        double total = 0;
        for (int k = 0; k < 136; k++) {
            double mean = 0;
            for (Sample x : s) {
                mean += x.shape()[k];
            }
            mean /= s.size();
            double var = 0;
            for (Sample x : s) {
                var += Math.pow(x.shape()[k] - mean, 2);
            }
            total += Math.sqrt(var / s.size());
        }
        return total / 136;
    }

    private static double baseline(List<Sample> s, java.util.function.ToDoubleFunction<Sample> f) {
        double[] v = s.stream().limit(3).mapToDouble(f).sorted().toArray();
        return v[v.length / 2];
    }

    private Decision blink(List<Sample> s, Map<String, Double> m) {
        int n = s.size();
        double[] p = new double[n];
        double[] ear = new double[n];
        for (int i = 0; i < n; i++) {
            double[] e = s.get(i).eyes();
            p[i] = (nz(e[0]) + nz(e[1])) / 2;
            ear[i] = s.get(i).ear();
        }
        // Model: a closed peak with open eyes before and after it.
        int peak = argmax(p);
        double before = min(p, 0, peak);
        double after = min(p, peak + 1, n);
        boolean model = p[peak] >= 0.5 && before <= 0.4 && after <= 0.4;
        double modelScore = clamp((p[peak] - Math.max(before, after)) / 0.6);
        // Landmarks: the eye aspect ratio drops by 40 % and recovers.
        int low = argmin(ear);
        double earBase = Math.max(max(ear, 0, low), 1e-6);
        double earAfter = max(ear, low + 1, n);
        double drop = 1 - ear[low] / earBase;
        boolean lm = drop >= 0.4 && earAfter >= 0.8 * earBase && low > 0 && low < n - 1;
        double lmScore = clamp(drop / 0.6) * (earAfter >= 0.8 * earBase ? 1 : 0.5);
        m.put("eyeClosedPeak", round(p[peak]));
        m.put("eyeClosedBefore", round(before));
        m.put("eyeClosedAfter", round(after));
        m.put("earDrop", round(drop));
        int at = model ? peak : low;
        List<Long> frames = List.of(s.get(model ? argmin(p, 0, peak) : argmax(ear, 0, low)).ms(), s.get(at).ms(),
                s.get(model ? argmin(p, peak + 1, n) : argmax(ear, low + 1, n)).ms());
        double motion = Math.max(p[peak] - Math.min(before, after), drop);
        return new Decision(model || lm, 100 * Math.max(model ? modelScore : 0, lm ? lmScore : 0) , frames, motion);
    }

    private Decision smile(List<Sample> s, Map<String, Double> m, KeptFrames kept) {
        double w0 = baseline(s, Sample::mouthWidth);
        int peak = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).mouthWidth() > s.get(peak).mouthWidth()) {
                peak = i;
            }
        }
        double growth = s.get(peak).mouthWidth() / w0 - 1;
        Sample base = s.get(0);
        Sample top = s.get(peak);
        double smile0 = analyzer.smile(kept.frame(0), base.face());
        double smileP = peak == 0 ? smile0 : analyzer.smile(kept.frame(peak), top.face());
        boolean model = smileP >= 0.5 || smileP - smile0 >= 0.25;
        boolean passed = growth >= 0.08 && model;
        m.put("mouthWidthGrowth", round(growth));
        m.put("smileBaseline", round(smile0));
        m.put("smilePeak", round(smileP));
        double score = 100 * Math.min(clamp(growth / 0.16), clamp(Math.max(smileP, (smileP - smile0) * 2)));
        return new Decision(passed, score, List.of(base.ms(), top.ms()), Math.max(growth, smileP - smile0));
    }

    private Decision openMouth(List<Sample> s, Map<String, Double> m) {
        double o0 = baseline(s, Sample::mouthOpen);
        int peak = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).mouthOpen() > s.get(peak).mouthOpen()) {
                peak = i;
            }
        }
        double top = s.get(peak).mouthOpen();
        boolean passed = top - o0 >= 0.15 && top >= 0.25;
        m.put("mouthOpenBaseline", round(o0));
        m.put("mouthOpenPeak", round(top));
        return new Decision(passed, 100 * clamp((top - o0) / 0.3), List.of(s.get(0).ms(), s.get(peak).ms()), top - o0);
    }

    /** @param sign +1 for the user's left (nose towards the image's right), -1 for right */
    private Decision turn(List<Sample> s, Map<String, Double> m, int sign) {
        double y0 = baseline(s, x -> x.pose().yaw());
        double n0 = baseline(s, Sample::noseX);
        int peak = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < s.size(); i++) {
            double d = YAW_SIGN * sign * (s.get(i).pose().yaw() - y0);
            if (d > best) {
                best = d;
                peak = i;
            }
        }
        double noseMove = sign * (s.get(peak).noseX() - n0);
        double range = range(s, x -> x.pose().yaw());
        m.put("yawDelta", round(best));
        m.put("noseShift", round(noseMove));
        boolean passed = best >= 12 && noseMove >= 0.05;
        double score = 100 * Math.min(clamp(best / 24), clamp(noseMove / 0.1));
        return new Decision(passed, score, List.of(s.get(0).ms(), s.get(peak).ms()), range / 30);
    }

    /** Sign of the pose model's yaw for a turn to the user's left (nose to the image's right). */
    static final int YAW_SIGN = -1;

    private Decision nod(List<Sample> s, Map<String, Double> m) {
        double p0 = baseline(s, x -> x.pose().pitch());
        double q0 = baseline(s, Sample::noseY);
        int peak = 0;
        double best = 0;
        for (int i = 0; i < s.size(); i++) {
            double d = Math.abs(s.get(i).pose().pitch() - p0);
            if (d > best) {
                best = d;
                peak = i;
            }
        }
        double dir = Math.signum(s.get(peak).pose().pitch() - p0);
        double last = Math.abs(s.get(s.size() - 1).pose().pitch() - p0);
        double noseMove = Math.abs(s.get(peak).noseY() - q0);
        boolean back = last <= 0.5 * best;
        m.put("pitchDelta", round(dir * best));
        m.put("pitchAtEnd", round(last));
        m.put("noseShift", round(noseMove));
        boolean passed = best >= 10 && noseMove >= 0.04 && back;
        double score = 100 * Math.min(clamp(best / 20), clamp(noseMove / 0.08)) * (back ? 1 : 0.5);
        return new Decision(passed, score, List.of(s.get(0).ms(), s.get(peak).ms(), s.get(s.size() - 1).ms()),
                range(s, x -> x.pose().pitch()) / 30);
    }

    @Override
    public LivenessVerdict verifyAll(List<Challenge> challenges, Optional<float[]> reference) {
        // Videos are judged in parallel: decoding overlaps, the models keep their own locks.
        List<java.util.concurrent.Future<ChallengeResult>> futures = new ArrayList<>();
        // The pool's threads log with the call's request and trace ids.
        java.util.Map<String, String> logContext = org.slf4j.MDC.getCopyOfContextMap();
        for (Challenge c : challenges) {
            futures.add(pool.submit(() -> {
                if (logContext != null) {
                    org.slf4j.MDC.setContextMap(logContext);
                }
                try {
                    return verify(c.action(), c.video());
                } finally {
                    org.slf4j.MDC.clear();
                }
            }));
        }
        List<ChallengeResult> results = new ArrayList<>();
        for (java.util.concurrent.Future<ChallengeResult> f : futures) {
            try {
                results.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("video liveness failed", e.getCause());
            }
        }
        double cross = Double.NaN;
        double ref = Double.NaN;
        List<float[]> embs = results.stream().map(ChallengeResult::embedding).filter(e -> e != null).toList();
        for (int i = 0; i < embs.size(); i++) {
            for (int j = i + 1; j < embs.size(); j++) {
                double sc = SimilarityScale.score(FaceAnalyzer.cosine(embs.get(i), embs.get(j)));
                cross = Double.isNaN(cross) ? sc : Math.min(cross, sc);
            }
            if (reference.isPresent()) {
                double sc = SimilarityScale.score(FaceAnalyzer.cosine(embs.get(i), reference.get()));
                ref = Double.isNaN(ref) ? sc : Math.min(ref, sc);
            }
        }
        LivenessReason reason = LivenessReason.PASSED;
        for (ChallengeResult r : results) {
            if (!r.passed()) {
                reason = r.reason();
                break;
            }
        }
        if (reason == LivenessReason.PASSED
                && ((!Double.isNaN(cross) && cross < matchThreshold) || (!Double.isNaN(ref) && ref < matchThreshold))) {
            reason = LivenessReason.FACE_CHANGED;
        }
        if (results.isEmpty()) {
            reason = LivenessReason.TOO_SHORT;
        }
        return new LivenessVerdict(reason == LivenessReason.PASSED, List.copyOf(results), cross, ref, reason);
    }

    private static ChallengeResult fail(ChallengeAction action, LivenessReason reason, int frames, long durationMs) {
        return new ChallengeResult(action, false, 0, reason, List.of(), frames, durationMs, Double.NaN, null, Map.of());
    }

    // ---------------------------------------------------------------- small maths

    private static double eyeAspect(float[] lm, int s) {
        double v = dist(lm, s + 1, s + 5) + dist(lm, s + 2, s + 4);
        return v / (2 * Math.max(1e-6, dist(lm, s, s + 3)));
    }

    private static double dist(float[] lm, int a, int b) {
        return Math.hypot(lm[2 * a] - lm[2 * b], lm[2 * a + 1] - lm[2 * b + 1]);
    }

    private static double range(List<Sample> s, java.util.function.ToDoubleFunction<Sample> f) {
        double[] v = s.stream().mapToDouble(f).toArray();
        return Arrays.stream(v).max().orElse(0) - Arrays.stream(v).min().orElse(0);
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static int argmax(double[] v) {
        return argmax(v, 0, v.length);
    }

    private static int argmax(double[] v, int from, int to) {
        int best = Math.max(0, Math.min(from, v.length - 1));
        for (int i = from; i < to; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int argmin(double[] v) {
        return argmin(v, 0, v.length);
    }

    private static int argmin(double[] v, int from, int to) {
        int best = Math.max(0, Math.min(from, v.length - 1));
        for (int i = from; i < to; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double min(double[] v, int from, int to) {
        double r = Double.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            r = Math.min(r, v[i]);
        }
        return r == Double.POSITIVE_INFINITY ? 1 : r;
    }

    private static double max(double[] v, int from, int to) {
        double r = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            r = Math.max(r, v[i]);
        }
        return r == Double.NEGATIVE_INFINITY ? 0 : r;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        if (ownsAnalyzer) {
            analyzer.close();
        }
    }
}
