package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;

import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.openkyc.server.vision.TestVision;

class DocumentQualityTest {

    private final ImageIntake intake = new ImageIntake(TestVision.config());
    private final DocumentQuality quality = new DocumentQuality();

    private QualityReport assess(Mat bgr) {
        try (DocumentQuality.Assessment a = quality.assess(bgr)) {
            return a.report();
        }
    }

    private static Mat synthetic(long seed) {
        Random rnd = new Random(seed);
        byte[] png = SyntheticDocuments.render(SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD3), null, rnd);
        return new ImageIntake(50_000_000, 40_000_000, 100).decode(png).bgr();
    }

    @Test
    void aGoodDocumentPassesWithEveryScoreReported() {
        try (IntakeImage img = intake.decode(TestVision.resource("passport-td3-specimen.png"))) {
            QualityReport r = assess(img.bgr());
            assertThat(r.scores()).containsOnlyKeys("resolution", "sharpness", "exposure", "glare", "document");
            assertThat(r.thresholds()).containsOnlyKeys("resolution", "sharpness", "exposure", "glare", "document");
            assertThat(r.measurements()).containsKeys("laplacianVariance", "meanBrightness", "glareFraction",
                    "documentAreaRatio");
            assertThat(r.issues()).isEmpty();
            assertThat(r.acceptable()).isTrue();
        }
    }

    @Test
    void theDocumentOutlineIsFoundAndCutOut() {
        try (Mat doc = synthetic(1); DocumentQuality.Assessment a = quality.assess(doc)) {
            assertThat(a.outlineFound()).isTrue();
            // The card is 125 x 88 mm: the cut-out keeps that shape and drops the table around it.
            double aspect = (double) a.document().cols() / a.document().rows();
            assertThat(aspect).as("%dx%d of %dx%d %s", a.document().cols(), a.document().rows(), doc.cols(), doc.rows(), a.report().measurements()).isBetween(1.3, 1.55);
            assertThat(a.document().cols()).isLessThan(doc.cols());
        }
    }

    @Test
    void blurIsDetected() {
        try (Mat doc = synthetic(2)) {
            double sharp = assess(doc).scores().get("sharpness");
            GaussianBlur(doc, doc, new Size(31, 31), 0);
            QualityReport r = assess(doc);
            assertThat(r.scores().get("sharpness")).isLessThan(sharp);
            assertThat(r.issues()).contains(QualityIssue.BLURRY);
            assertThat(r.acceptable()).isFalse();
        }
    }

    @Test
    void darknessIsDetected() {
        try (Mat doc = synthetic(3); Mat dark = new Mat()) {
            doc.convertTo(dark, -1, 0.15, 0);
            QualityReport r = assess(dark);
            assertThat(r.issues()).containsAnyOf(QualityIssue.TOO_DARK, QualityIssue.LOW_CONTRAST);
        }
    }

    @Test
    void glareIsDetected() {
        try (Mat doc = synthetic(4); Mat grey = new Mat()) {
            // Paper at a photographed grey level, with a blown-out reflection across it.
            doc.convertTo(grey, -1, 0.75, 0);
            circle(grey, new Point(grey.cols() / 2, grey.rows() / 2), grey.rows() / 5, new Scalar(255, 255, 255, 0), -1, 8, 0);
            QualityReport r = assess(grey);
            assertThat(r.measurements().get("glareFraction")).isGreaterThan(0.03);
            assertThat(r.issues()).contains(QualityIssue.GLARE);
        }
    }

    @Test
    void theWhiteLidOfAFlatbedScanIsNotGlare() {
        Random rnd = new Random(6);
        byte[] png = SyntheticDocuments.renderFlatbed(SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD3), rnd);
        try (IntakeImage img = intake.decode(png)) {
            QualityReport r = assess(img.bgr());
            assertThat(r.scores().get("glare")).as(r.measurements().toString()).isGreaterThanOrEqualTo(70.0);
            assertThat(r.issues()).doesNotContain(QualityIssue.GLARE);
        }
    }

    @Test
    void aReflectionOnThePageIsGlareWhereverThePageIs() {
        Random rnd = new Random(7);
        byte[] photo = SyntheticDocuments.exposure(SyntheticDocuments.render(
                SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD3), null, rnd), 0.8);
        byte[] glare = SyntheticDocuments.glare(photo, 0.55, 0.4, 0.12, 0.07);
        try (IntakeImage clean = intake.decode(photo); IntakeImage shiny = intake.decode(glare)) {
            assertThat(assess(clean.bgr()).issues()).doesNotContain(QualityIssue.GLARE);
            QualityReport r = assess(shiny.bgr());
            assertThat(r.issues()).contains(QualityIssue.GLARE);
            assertThat(r.scores().get("glare")).isLessThan(70.0);
        }
    }

    @Test
    void resolutionIsJudgedByTheZoneCharactersNotTheImageSide() {
        Random rnd = new Random(8);
        byte[] web = SyntheticDocuments.width(SyntheticDocuments.renderCropped(
                SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD3), rnd), 500);
        try (IntakeImage img = intake.decode(web)) {
            QualityReport r = assess(img.bgr());
            // A passport page 500 px wide: characters about 9 px tall, readable once enlarged.
            assertThat(r.issues()).doesNotContain(QualityIssue.LOW_RESOLUTION);
            QualityReport read = quality.withMrzCharHeight(r, 8);
            assertThat(read.scores().get("resolution")).isGreaterThanOrEqualTo(50.0);
            assertThat(read.measurements().get("mrzCharHeightPx")).isEqualTo(8.0);
            QualityReport tiny = quality.withMrzCharHeight(r, 4);
            assertThat(tiny.scores().get("resolution")).isLessThan(50.0);
            assertThat(tiny.issues()).contains(QualityIssue.LOW_RESOLUTION);
            assertThat(quality.withMrzCharHeight(tiny, 9).issues()).doesNotContain(QualityIssue.LOW_RESOLUTION);
        }
    }

    @Test
    void qualityIssuesAreWarningsWhenTheZoneHolds() {
        List<QualityIssue> issues = List.of(QualityIssue.GLARE, QualityIssue.LOW_RESOLUTION, QualityIssue.NO_DOCUMENT);
        assertThat(DocumentReading.blockingIssues(issues, MrzStatus.VALID)).isEmpty();
        assertThat(DocumentReading.blockingIssues(issues, MrzStatus.CHECKS_FAILED))
                .containsExactly(QualityIssue.GLARE, QualityIssue.LOW_RESOLUTION);
        assertThat(DocumentReading.blockingIssues(issues, MrzStatus.NOT_FOUND))
                .containsExactly(QualityIssue.GLARE, QualityIssue.LOW_RESOLUTION);
    }
}
