package org.openkyc.server.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.vision.TestVision;

/** Detection, embedding, similarity, portrait extraction and passive liveness on real photos. */
class FaceEngineTest {

    private static OpenCvFaceEngine engine;
    private static FaceAnalyzer analyzer;

    @BeforeAll
    static void load() {
        engine = new OpenCvFaceEngine(TestVision.config());
        analyzer = engine.analyzer();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static float[] embedMain(Mat bgr) {
        List<DetectedFace> faces = analyzer.detect(bgr);
        assertThat(faces).isNotEmpty();
        return analyzer.embed(bgr, faces.get(0));
    }

    @Test
    void detectsOneFaceWithLandmarksInEachPortrait() {
        for (Mat m : List.of(FaceImages.astronaut(), FaceImages.hopper())) {
            List<DetectedFace> faces = analyzer.detect(m);
            assertThat(faces).hasSize(1);
            DetectedFace f = faces.get(0);
            assertThat(f.detector()).isEqualTo("fr_detect");
            assertThat(f.score()).isGreaterThan(0.9);
            assertThat(f.landmarks()).hasSize(136);
            // Eyes above the nose, nose above the mouth, all inside the box.
            double[][] p = f.fivePoints();
            assertThat(p[0][1]).isLessThan(p[2][1]);
            assertThat(p[2][1]).isLessThan(p[3][1]);
            assertThat(p[0][0]).isLessThan(p[1][0]);
            for (double[] q : p) {
                assertThat(q[0]).isBetween(f.x(), f.x() + f.width());
                assertThat(q[1]).isBetween(f.y(), f.y() + f.height());
            }
            m.close();
        }
    }

    @Test
    void noFaceInABlankImage() {
        try (Mat blank = new Mat(480, 640, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(120, 130, 140, 0))) {
            assertThat(analyzer.detect(blank)).isEmpty();
            SelfieAnalysis s = engine.analyzeSelfie(blank);
            assertThat(s.faceCount()).isZero();
            assertThat(s.live()).isFalse();
        }
    }

    @Test
    void samePersonScoresHighDifferentPeopleLow() {
        try (Mat a = FaceImages.astronaut(); Mat h = FaceImages.hopper()) {
            float[] ea = embedMain(a);
            float[] eh = embedMain(h);
            FaceMatch different = engine.compare(ea, eh);
            assertThat(different.match()).isFalse();
            assertThat(different.faceSimilarityScore()).isLessThan(30);
            for (Mat person : List.of(a, h)) {
                float[] ref = embedMain(person);
                for (Map.Entry<String, Mat> v : FaceImages.sameFaceVariants(person).entrySet()) {
                    FaceMatch same = engine.compare(ref, embedMain(v.getValue()));
                    assertThat(same.match()).as(v.getKey()).isTrue();
                    assertThat(same.faceSimilarityScore()).as(v.getKey()).isGreaterThan(90);
                    FaceMatch other = engine.compare(person == a ? eh : ea, embedMain(v.getValue()));
                    assertThat(other.match()).as(v.getKey()).isFalse();
                    v.getValue().close();
                }
            }
        }
    }

    @Test
    void thePortraitIsCutFromTheDocumentAndMatchedAgainstSelfies() {
        byte[] specimen = TestVision.resource("passport-td3-specimen.png");
        Portrait p = engine.portraitFromDocument(specimen).orElseThrow();
        // The specimen's portrait sits in the left third of the page.
        assertThat(p.face().cx()).isLessThan(1334 / 3.0);
        assertThat(p.jpeg()).isNotEmpty();
        // The specimen holder is neither of the portraits.
        FaceMatch m1 = engine.matchSelfieToDocument(TestVision.resource("astronaut.png"), specimen);
        FaceMatch m2 = engine.matchSelfieToDocument(TestVision.resource("grace_hopper.jpg"), specimen);
        assertThat(m1.match()).isFalse();
        assertThat(m2.match()).isFalse();
        // The portrait cut out of the document matches the document.
        SelfieAnalysis fromCut = engine.analyzeSelfie(FaceImages.encode(
                FaceImages.selfie720(FaceImages.decode(p.jpeg()), 0, 0, 2.0), ".jpg", 90));
        assertThat(engine.compare(fromCut.embedding(), p.embedding()).match()).isTrue();
    }

    @Test
    void selfieWithoutFaceCannotBeMatched() {
        byte[] blank = FaceImages.encode(new Mat(480, 640, org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                new Scalar(120, 130, 140, 0)), ".png", 0);
        assertThatThrownBy(() -> engine.matchSelfieToDocument(blank, TestVision.resource("passport-td3-specimen.png")))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNPROCESSABLE_IMAGE));
    }

    @Test
    void passiveLivenessScoresASelfie() {
        SelfieAnalysis s = engine.analyzeSelfie(FaceImages.encode(FaceImages.selfie720(FaceImages.hopper(), 0, 0, 1.0), ".jpg", 90));
        assertThat(s.faceCount()).isEqualTo(1);
        assertThat(s.livenessScore()).isBetween(0.0, 100.0);
        assertThat(s.livenessThreshold()).isEqualTo(50.0);
        assertThat(s.live()).isEqualTo(s.livenessScore() >= 50);
        System.out.println("passive liveness of a still photo (hopper, 720p): " + s.livenessScore());
    }

    @Test
    void haarFallbackFindsTheFace() {
        assertThat(analyzer.haarAvailable()).isTrue();
        try (Mat h = FaceImages.hopper()) {
            List<DetectedFace> model = analyzer.detect(h);
            List<DetectedFace> haar = analyzer.detectWithHaar(h);
            assertThat(haar).isNotEmpty();
            DetectedFace f = haar.get(0);
            assertThat(f.detector()).isEqualTo("haar");
            // The same face as the model's: centres within a fifth of the box.
            assertThat(Math.abs(f.cx() - model.get(0).cx())).isLessThan(model.get(0).width() / 5);
            assertThat(Math.abs(f.cy() - model.get(0).cy())).isLessThan(model.get(0).height() / 5);
        }
    }
}
