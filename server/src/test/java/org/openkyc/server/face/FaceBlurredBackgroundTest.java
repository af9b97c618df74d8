package org.openkyc.server.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A one-person photo whose blurred background holds a larger face-like shape: the detector
 * fires on it with high confidence, and the engine must still take the person in focus.
 */
class FaceBlurredBackgroundTest {

    /**
     * Gaussian sigma of the pasted background, as a fraction of its 720 px side (7 px; about 2 % of
     * the blurred face's width). Measured: from 0.002 to 0.015 the detector finds the blurred head
     * at confidence 0.98-1.00 with a box about twice the real face's; at 0.02 and above it no
     * longer fires. The sharpness check rejects it from 0.006 up.
     */
    static final double BLUR_SIGMA_FRACTION = 0.01;

    private static OpenCvFaceEngine engine;
    private static FaceAnalyzer analyzer;

    @BeforeAll
    static void load() {
        engine = new OpenCvFaceEngine(org.openkyc.server.vision.TestVision.config());
        analyzer = engine.analyzer();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static Mat hopperBeforeBlurredAstronaut(double sigmaFraction) {
        return FaceImages.hopperBeforeBlurredAstronaut(sigmaFraction);
    }

    static Mat twoPeople() {
        return FaceImages.twoPeople();
    }

    private static void log(String what, Mat bgr) {
        for (FacePlausibility.Assessment a : FacePlausibility.assess(bgr, analyzer.detect(bgr))) {
            DetectedFace f = a.face();
            System.out.printf("DIAG %s: box %.0f,%.0f %.0fx%.0f conf %.3f sharp %.4f rel %.3f plausible %s %s%n", what,
                    f.x(), f.y(), f.width(), f.height(), f.score(), a.sharpness(), a.relativeSharpness(),
                    a.plausible(), a.reason() == null ? "" : a.reason());
        }
    }

    @Test
    void theBlurredBackgroundFaceIsLargerAndConfidentlyDetected() {
        try (Mat m = hopperBeforeBlurredAstronaut(BLUR_SIGMA_FRACTION)) {
            log("blurred background", m);
            List<DetectedFace> raw = analyzer.detect(m);
            assertThat(raw).hasSize(2);
            // The detector's largest box is the blurred shape on the right, with high confidence:
            // taking the largest face would take it.
            DetectedFace largest = raw.get(0);
            assertThat(largest.cx()).isGreaterThan(640);
            assertThat(largest.score()).isGreaterThan(0.95);
            assertThat(largest.width()).isGreaterThan(raw.get(1).width() * 1.5);
        }
    }

    @Test
    void theSelfieIsThePersonInFocusAndCountsOneFace() {
        float[] hopper;
        float[] astronaut;
        try (Mat h = FaceImages.hopper(); Mat a = FaceImages.astronaut()) {
            hopper = analyzer.embed(h, analyzer.detect(h).get(0));
            astronaut = analyzer.embed(a, analyzer.detect(a).get(0));
        }
        byte[] upload;
        try (Mat m = hopperBeforeBlurredAstronaut(BLUR_SIGMA_FRACTION)) {
            upload = FaceImages.encode(m, ".jpg", 90);
        }
        SelfieAnalysis s = engine.analyzeSelfie(upload);
        assertThat(s.faceCount()).isEqualTo(1);
        assertThat(s.face().cx()).isLessThan(640);
        FaceMatch same = engine.compare(hopper, s.embedding());
        System.out.println("blurred background: selfie vs the original photo " + same);
        assertThat(same.match()).isTrue();
        assertThat(engine.compare(astronaut, s.embedding()).match()).isFalse();
    }

    @Test
    void twoPeopleInFocusStillCountTwo() {
        try (Mat m = twoPeople()) {
            log("two people", m);
            SelfieAnalysis s = engine.analyzeSelfie(FaceImages.encode(m, ".jpg", 90));
            assertThat(s.faceCount()).isEqualTo(2);
        }
    }

    @Test
    void theSamePhotoVariantsStayOneFace() {
        for (Mat person : List.of(FaceImages.hopper(), FaceImages.astronaut())) {
            for (var v : FaceImages.sameFaceVariants(person).entrySet()) {
                assertThat(engine.analyzeSelfie(v.getValue()).faceCount()).as(v.getKey()).isEqualTo(1);
                v.getValue().close();
            }
            person.close();
        }
    }

    /** A document-like page: the holder's portrait, and a smaller, faded ghost copy of it. */
    @Test
    void onADocumentTheHoldersPortraitStillWinsOverItsGhost() {
        Mat page = new Mat(720, 1100, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(225, 230, 235, 0));
        try (Mat h = FaceImages.hopper(); Mat big = new Mat(); Mat small = new Mat(); Mat faded = new Mat()) {
            resize(h, big, new Size(420, 420));
            resize(h, small, new Size(200, 200));
            small.convertTo(faded, -1, 0.45, 130);
            try (Mat r1 = new Mat(page, new Rect(60, 150, 420, 420)); Mat r2 = new Mat(page, new Rect(800, 300, 200, 200))) {
                big.copyTo(r1);
                faded.copyTo(r2);
            }
            log("document with ghost", page);
            assertThat(analyzer.detect(page)).as("the ghost is detected too").hasSize(2);
            Portrait p = engine.portraitFromDocument(page).orElseThrow();
            assertThat(p.face().cx()).isLessThan(480);
        } finally {
            page.close();
        }
    }
}
