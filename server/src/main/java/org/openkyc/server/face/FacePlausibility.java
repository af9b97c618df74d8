package org.openkyc.server.face;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Whether a detection is a face and not only a confident box, and which of several
 * detections is the person in the photo.
 *
 * <p>The detector can fire with high confidence on a blurred face-like shape in the
 * background of a photo (a poster, a person far out of focus), larger than the real
 * face. Two checks reject such a box:
 * <ul>
 *   <li><b>geometry</b> of the 68 landmarks: eyes above the nose, nose above the mouth,
 *       eyes side by side at a distance that fits the box, nose between the eyes;</li>
 *   <li><b>sharpness</b>: the variance of the Laplacian inside the face (its inner part,
 *       eyes to mouth, every face of the photo at the size of the smallest, over its contrast)
 *       compared with that of the sharpest face in the photo. A face in focus, even a soft one, carries detail comparable to the
 *       person the camera focused on; a blurred blob carries a small fraction of it.</li>
 * </ul>
 *
 * <p>{@link #resolve} then picks the primary face, the largest plausible one (weighted by
 * the detector's confidence), and counts the plausible faces at least
 * {@value #SECOND_PERSON_MIN_WIDTH} of its width: a smaller plausible face is a ghost image,
 * a reflection or someone far behind, not a second person holding the camera.
 */
public final class FacePlausibility {

    /**
     * Inter-ocular distance (eye centres) as a fraction of the box width. Frontal faces from
     * fr_detect measure about 0.35-0.45; 0.2 still allows a head turned well away (the eyes
     * come closer in the image), and 0.75 a box cut tighter than the model's.
     */
    static final double IOD_MIN = 0.2;
    static final double IOD_MAX = 0.75;
    /**
     * Where the nose tip sits between the eyes, 0 at the image-left eye and 1 at the other.
     * A frontal face gives about 0.5, a head turned 45 degrees about 0.1 or 0.9; beyond the
     * margin the landmarks do not describe a face seen from the front.
     */
    static final double NOSE_BETWEEN_EYES_MIN = -0.25;
    static final double NOSE_BETWEEN_EYES_MAX = 1.25;
    /**
     * Eyes-to-mouth height over the inter-ocular distance: about 1.0-1.2 on faces, and
     * 0.5-2.0 covers pitch up and down and the variance between people.
     */
    static final double EYES_TO_MOUTH_MIN = 0.5;
    static final double EYES_TO_MOUTH_MAX = 2.0;
    /**
     * Minimum detail of a face relative to the sharpest face of the same photo ({@link #sharpness}, every face
     * measured at the same size, {@link #sharpnessSide}). Measured on the test photos: the same portrait moved,
     * scaled, re-lit, JPEG-30 or rotated is its own sharpest face (1.0); a second, softer real person (the
     * astronaut beside Grace Hopper) measures 0.38 in a 1280 x 720 photo and 0.35-0.49 in the frames of a
     * 640 x 360 H.264 video; a head pasted with a Gaussian blur of 0.6 %, 1 % and 1.5 % of its side measures
     * 0.037, 0.019 and 0.011 in the photo, and the 1.5 % head 0.04-0.08 in the video's frames (sensor noise
     * and compression add detail to it), while the detector still finds it at confidence 0.95-1.00. 0.12 keeps
     * a threefold margin under the softest real face. Relative to the sharpest face rather than to the whole
     * image: on an identity document the printed text is far sharper than any portrait (the ICAO specimen's
     * portrait measures 0.02 of its page), so an image-wide reference would reject genuine portraits.
     */
    static final double MIN_RELATIVE_SHARPNESS = 0.12;
    /** A second plausible face counts as a person only if at least this fraction of the primary's width. */
    static final double SECOND_PERSON_MIN_WIDTH = 1.0 / 3;
    /**
     * Bounds of the side of the square the inner faces of one image are measured at ({@link #sharpnessSide}):
     * at most 96 px (cheap, and enough for eyelids and lips), at least 32 px (a tinier face is enlarged rather
     * than bringing every face down to a few pixels).
     */
    static final int SHARPNESS_MAX_SIDE = 96;
    static final int SHARPNESS_MIN_SIDE = 32;

    private FacePlausibility() {}

    /** The verdict on one detection. */
    public record Assessment(DetectedFace face, boolean geometryOk, double sharpness, double relativeSharpness,
            boolean plausible, String reason) {}

    /** The primary face (null when there is none) and how many persons the photo shows. */
    public record Resolution(DetectedFace primary, int personCount, List<Assessment> assessments) {}

    /** Whether the landmarks are laid out as a face; null when they are, otherwise why not. */
    static String geometryProblem(DetectedFace f) {
        double[] le = f.mean(36, 37, 38, 39, 40, 41);
        double[] re = f.mean(42, 43, 44, 45, 46, 47);
        double[] nose = f.mean(30);
        double[] mouth = f.mean(48, 51, 54, 57);
        double iod = Math.hypot(re[0] - le[0], re[1] - le[1]);
        if (re[0] <= le[0]) {
            return "eyes not side by side";
        }
        if (!(le[1] < nose[1] && re[1] < nose[1])) {
            return "eyes not above the nose";
        }
        if (!(nose[1] < mouth[1])) {
            return "nose not above the mouth";
        }
        double iodRatio = iod / Math.max(1e-6, f.width());
        if (iodRatio < IOD_MIN || iodRatio > IOD_MAX) {
            return String.format("eye distance %.2f of the box width", iodRatio);
        }
        double t = (nose[0] - le[0]) / (re[0] - le[0]);
        if (t < NOSE_BETWEEN_EYES_MIN || t > NOSE_BETWEEN_EYES_MAX) {
            return String.format("nose not between the eyes (%.2f)", t);
        }
        double eyesToMouth = (mouth[1] - (le[1] + re[1]) / 2) / iod;
        if (eyesToMouth < EYES_TO_MOUTH_MIN || eyesToMouth > EYES_TO_MOUTH_MAX) {
            return String.format("eyes-to-mouth %.2f of the eye distance", eyesToMouth);
        }
        return null;
    }

    /** Assesses every detection of one image. */
    public static List<Assessment> assess(Mat bgr, List<DetectedFace> faces) {
        List<Assessment> out = new ArrayList<>();
        if (faces.isEmpty()) {
            return out;
        }
        double[] sharp = new double[faces.size()];
        double sharpest = 0;
        int side = sharpnessSide(faces);
        try (Mat grey = new Mat()) {
            cvtColor(bgr, grey, COLOR_BGR2GRAY);
            for (int i = 0; i < faces.size(); i++) {
                sharp[i] = sharpness(grey, faces.get(i), side);
                sharpest = Math.max(sharpest, sharp[i]);
            }
        }
        for (int i = 0; i < faces.size(); i++) {
            DetectedFace f = faces.get(i);
            double rel = sharpest <= 0 ? 1.0 : sharp[i] / sharpest;
            String geometry = geometryProblem(f);
            String reason = geometry;
            if (reason == null && rel < MIN_RELATIVE_SHARPNESS) {
                reason = String.format("blurred (%.3f of the sharpest face's detail)", rel);
            }
            out.add(new Assessment(f, geometry == null, sharp[i], rel, reason == null, reason));
        }
        return out;
    }

    /**
     * The side every inner face of one image is measured at: the smallest inner face's, within
     * [{@value #SHARPNESS_MIN_SIDE}, {@value #SHARPNESS_MAX_SIDE}], so that no face (above the minimum) is
     * enlarged. Enlarging softens a small face in focus: measured at one fixed 96 px, a user 73 px wide in a
     * 640 px video frame looked no sharper than a blurred shape twice her size behind her.
     */
    static int sharpnessSide(List<DetectedFace> faces) {
        double smallest = faces.stream().mapToDouble(f -> 0.6 * Math.min(f.width(), f.height())).min()
                .orElse(SHARPNESS_MAX_SIDE);
        return (int) Math.max(SHARPNESS_MIN_SIDE, Math.min(SHARPNESS_MAX_SIDE, Math.round(smallest)));
    }

    /**
     * Detail in the inner part of the face (eyes to mouth, so that the background in the box's
     * corners does not count), brought to {@code side} px square so that a near and a far face compare
     * fairly: variance of the Laplacian over the variance of the grey levels, so that a dim face and a
     * bright one compare fairly too. Only comparable between faces measured at the same side.
     */
    static double sharpness(Mat grey, DetectedFace f, int side) {
        int x = (int) Math.round(f.x() + f.width() * 0.2);
        int y = (int) Math.round(f.y() + f.height() * 0.25);
        int w = (int) Math.round(f.width() * 0.6);
        int h = (int) Math.round(f.height() * 0.6);
        x = Math.max(0, Math.min(x, grey.cols() - 3));
        y = Math.max(0, Math.min(y, grey.rows() - 3));
        w = Math.max(3, Math.min(w, grey.cols() - x));
        h = Math.max(3, Math.min(h, grey.rows() - y));
        try (Mat roi = new Mat(grey, new Rect(x, y, w, h)); Mat fixed = new Mat()) {
            resize(roi, fixed, new Size(side, side), 0, 0, w > side ? INTER_AREA : INTER_LINEAR);
            double[] grey2 = meanVar(fixed);
            try (Mat lap = new Mat()) {
                Laplacian(fixed, lap, CV_64F);
                return meanVar(lap)[1] / Math.max(1.0, grey2[1]);
            }
        }
    }

    /**
     * The primary face and the number of persons. The primary face is the plausible face with
     * the largest area x confidence; when no detection is plausible, the best-ranked detection
     * stands in for it (the detector saw a face the checks could not confirm: one face, so that
     * the caller's later checks, similarity and liveness, judge it rather than a "no face").
     * Persons are the plausible faces at least {@link #SECOND_PERSON_MIN_WIDTH} of the primary's width.
     */
    public static Resolution resolve(Mat bgr, List<DetectedFace> faces) {
        List<Assessment> all = assess(bgr, faces);
        if (all.isEmpty()) {
            return new Resolution(null, 0, all);
        }
        Comparator<Assessment> rank = Comparator
                .comparing((Assessment a) -> a.plausible())
                .thenComparingDouble(a -> a.face().area() * a.face().score());
        Assessment best = all.stream().max(rank).orElseThrow();
        if (!best.plausible()) {
            return new Resolution(best.face(), 1, all);
        }
        double minWidth = best.face().width() * SECOND_PERSON_MIN_WIDTH;
        int persons = (int) all.stream().filter(a -> a.plausible() && a.face().width() >= minWidth).count();
        return new Resolution(best.face(), persons, all);
    }

    private static double[] meanVar(Mat m) {
        try (Mat mean = new Mat(); Mat dev = new Mat()) {
            meanStdDev(m, mean, dev);
            DoubleIndexer mi = mean.createIndexer();
            DoubleIndexer di = dev.createIndexer();
            double[] r = {mi.get(0), di.get(0) * di.get(0)};
            mi.release();
            di.release();
            return r;
        }
    }
}
