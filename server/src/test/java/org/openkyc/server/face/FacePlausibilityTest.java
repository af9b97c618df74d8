package org.openkyc.server.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/** The landmark geometry and sharpness checks, and how several detections resolve to persons. */
class FacePlausibilityTest {

    /** A face in a box with landmarks laid out as on a frontal face; {@code adjust} may move points. */
    static DetectedFace face(double x, double y, double s, java.util.function.Consumer<float[]> adjust) {
        float[] lm = new float[136];
        for (int i = 0; i < 68; i++) {
            put(lm, i, x + s * 0.5, y + s * 0.6);  // every point at the middle, then the ones checked
        }
        for (int i = 36; i <= 41; i++) {
            put(lm, i, x + s * 0.32, y + s * 0.4);
        }
        for (int i = 42; i <= 47; i++) {
            put(lm, i, x + s * 0.68, y + s * 0.4);
        }
        put(lm, 30, x + s * 0.5, y + s * 0.6);
        for (int i : new int[] {48, 51, 54, 57}) {
            put(lm, i, x + s * 0.5, y + s * 0.8);
        }
        adjust.accept(lm);
        return new DetectedFace(x, y, s, s, 0.99, lm, "fr_detect");
    }

    private static void put(float[] lm, int i, double x, double y) {
        lm[2 * i] = (float) x;
        lm[2 * i + 1] = (float) y;
    }

    @Test
    void aFrontalLayoutIsAFace() {
        assertThat(FacePlausibility.geometryProblem(face(0, 0, 100, lm -> {}))).isNull();
    }

    @Test
    void misplacedLandmarksAreNotAFace() {
        // Eyes swapped (image-left eye on the right).
        assertThat(FacePlausibility.geometryProblem(face(0, 0, 100, lm -> {
            for (int i = 36; i <= 41; i++) {
                put(lm, i, 80, 40);
            }
        }))).contains("side by side");
        // Mouth above the nose.
        assertThat(FacePlausibility.geometryProblem(face(0, 0, 100, lm -> {
            for (int i : new int[] {48, 51, 54, 57}) {
                put(lm, i, 50, 50);
            }
        }))).contains("mouth");
        // Eyes below the nose.
        assertThat(FacePlausibility.geometryProblem(face(0, 0, 100, lm -> put(lm, 30, 50, 30))))
                .contains("above the nose");
        // Eyes almost on top of each other for the box (a tenth of its width apart).
        assertThat(FacePlausibility.geometryProblem(face(0, 0, 100, lm -> {
            for (int i = 42; i <= 47; i++) {
                put(lm, i, 42, 40);
            }
        }))).contains("eye distance");
        // Nose far outside the eyes.
        assertThat(FacePlausibility.geometryProblem(face(0, 0, 100, lm -> put(lm, 30, 95, 60))))
                .contains("between the eyes");
    }

    /** 800 x 400 of noise (detail everywhere), the right half blurred as a lens out of focus would. */
    private static Mat sharpLeftBlurredRight() {
        Mat m = new Mat(400, 800, CV_8UC3);
        byte[] noise = new byte[400 * 800 * 3];
        new java.util.Random(42).nextBytes(noise);
        ((java.nio.ByteBuffer) m.createBuffer()).put(noise);
        try (Mat right = new Mat(m, new Rect(400, 0, 400, 400)); Mat blurred = new Mat()) {
            GaussianBlur(right, blurred, new Size(0, 0), 6);
            blurred.copyTo(right);
        }
        return m;
    }

    @Test
    void aBlurredLargerFaceLosesToTheSharpOneAndIsNotCounted() {
        try (Mat m = sharpLeftBlurredRight()) {
            DetectedFace sharp = face(50, 100, 150, lm -> {});
            DetectedFace blurred = face(450, 20, 300, lm -> {});
            FacePlausibility.Resolution r = FacePlausibility.resolve(m, List.of(blurred, sharp));
            assertThat(r.primary()).isSameAs(sharp);
            assertThat(r.personCount()).isEqualTo(1);
            FacePlausibility.Assessment b = r.assessments().get(0);
            assertThat(b.plausible()).isFalse();
            assertThat(b.geometryOk()).isTrue();
            assertThat(b.relativeSharpness()).isLessThan(FacePlausibility.MIN_RELATIVE_SHARPNESS);
            assertThat(b.reason()).contains("blurred");
        }
    }

    @Test
    void aSecondSharpFaceCountsOnlyWhenLargeEnoughToBeAPerson() {
        try (Mat m = sharpLeftBlurredRight()) {
            DetectedFace main = face(20, 20, 240, lm -> {});
            DetectedFace ghost = face(280, 40, 70, lm -> {});    // under a third of the main face's width
            DetectedFace second = face(280, 150, 100, lm -> {}); // over a third
            assertThat(FacePlausibility.resolve(m, List.of(ghost, main)).personCount()).isEqualTo(1);
            assertThat(FacePlausibility.resolve(m, List.of(ghost, main)).primary()).isSameAs(main);
            assertThat(FacePlausibility.resolve(m, List.of(second, ghost, main)).personCount()).isEqualTo(2);
        }
    }

    @Test
    void withoutAPlausibleFaceTheBestDetectionStandsInForOne() {
        try (Mat m = sharpLeftBlurredRight()) {
            DetectedFace upsideDown = face(50, 100, 150, lm -> put(lm, 30, 125, 120));
            FacePlausibility.Resolution r = FacePlausibility.resolve(m, List.of(upsideDown));
            assertThat(r.primary()).isSameAs(upsideDown);
            assertThat(r.personCount()).isEqualTo(1);
            assertThat(FacePlausibility.resolve(m, List.of()).personCount()).isZero();
            assertThat(FacePlausibility.resolve(m, List.of()).primary()).isNull();
        }
    }

    @Test
    void everyFaceOfAnImageIsMeasuredAtTheSmallestOnesSizeSoNoneIsEnlarged() {
        // A user 73 px wide in a video frame and a blurred shape twice her size behind her: both at 44 px.
        assertThat(FacePlausibility.sharpnessSide(List.of(face(0, 0, 155, lm -> {}), face(0, 0, 73, lm -> {}))))
                .isEqualTo(44);
        assertThat(FacePlausibility.sharpnessSide(List.of(face(0, 0, 400, lm -> {})))).isEqualTo(96);
        // A tiny face is enlarged rather than bringing every face down to a few pixels.
        assertThat(FacePlausibility.sharpnessSide(List.of(face(0, 0, 300, lm -> {}), face(0, 0, 20, lm -> {}))))
                .isEqualTo(32);
        // The blurred larger face still loses when the sharp one is small (the half-size video frame case).
        try (Mat m = sharpLeftBlurredRight()) {
            DetectedFace sharp = face(60, 150, 73, lm -> {});
            DetectedFace blurred = face(450, 40, 155, lm -> {});
            FacePlausibility.Resolution r = FacePlausibility.resolve(m, List.of(blurred, sharp));
            assertThat(r.primary()).isSameAs(sharp);
            assertThat(r.personCount()).isEqualTo(1);
        }
    }
}
