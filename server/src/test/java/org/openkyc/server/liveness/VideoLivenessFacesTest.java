package org.openkyc.server.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.List;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.server.config.VisionConfig;
import org.openkyc.server.face.DetectedFace;
import org.openkyc.server.face.FaceAnalyzer;
import org.openkyc.server.face.FaceImages;
import org.openkyc.server.liveness.SyntheticVideos.Container;
import org.openkyc.server.vision.TestVision;

/**
 * Which faces a challenge video counts and follows: the rule of stills (FacePlausibility). A user filmed
 * in front of a blurred face-like shape (a poster, someone far out of focus) that the detector finds larger
 * and with high confidence is still one person doing the action; two people in focus are still two.
 */
class VideoLivenessFacesTest {

    private static final VisionConfig CONFIG = TestVision.config();
    /**
     * Gaussian sigma of the blurred head as a fraction of the 720 px side it is pasted at (then shrunk to
     * 640 x 360 with the user): the detector still finds it in the frames at confidence 0.95-0.99, with a box
     * twice the user's. Frame noise and compression add detail to it, so it is more blurred than the still
     * of FaceBlurredBackgroundTest (1 %).
     */
    private static final double BLUR_SIGMA_FRACTION = 0.015;
    private static FaceAnalyzer analyzer;
    private static FaceVideoLivenessVerifier verifier;
    private static Mat blurredBackground;
    private static Mat twoPeople;

    static Mat at640(Mat big) {
        Mat small = new Mat();
        resize(big, small, new Size(640, 360), 0, 0, INTER_AREA);
        big.close();
        return small;
    }

    @BeforeAll
    static void setUp() {
        analyzer = new FaceAnalyzer(CONFIG);
        verifier = new FaceVideoLivenessVerifier(CONFIG, analyzer);
        blurredBackground = at640(FaceImages.hopperBeforeBlurredAstronaut(BLUR_SIGMA_FRACTION));
        twoPeople = at640(FaceImages.twoPeople());
    }

    @AfterAll
    static void tearDown() {
        verifier.close();
        analyzer.close();
    }

    @Test
    void theDetectorFindsTheBlurredShapeLargerThanTheUser() {
        // The situation the rule is for: taking the largest detection would follow the blurred shape,
        // and counting raw detections would see two faces in every frame.
        List<DetectedFace> raw = analyzer.detect(blurredBackground);
        assertThat(raw).hasSize(2);
        assertThat(raw.get(0).cx()).isGreaterThan(320);
        assertThat(raw.get(0).score()).isGreaterThan(0.9);
    }

    @Test
    void aBlurredFaceBehindTheUserIsNeitherFollowedNorCounted() {
        float[] hopper;
        try (Mat h = FaceImages.hopper()) {
            hopper = analyzer.embed(h, analyzer.detect(h).get(0));
        }
        List<VideoLivenessVerifier.Challenge> videos = List.of(
                new VideoLivenessVerifier.Challenge(ChallengeAction.BLINK, SyntheticVideos.make(analyzer,
                        blurredBackground, ChallengeAction.BLINK, 3, 15, Container.MP4)),
                new VideoLivenessVerifier.Challenge(ChallengeAction.TURN_LEFT, SyntheticVideos.make(analyzer,
                        blurredBackground, ChallengeAction.TURN_LEFT, 3, 15, Container.MP4)));
        LivenessVerdict v = verifier.verifyAll(videos, Optional.of(hopper));
        for (ChallengeResult r : v.challenges()) {
            assertThat(r.reason()).as(r.action() + " " + r.measurements()).isEqualTo(LivenessReason.PASSED);
            assertThat(r.passed()).isTrue();
        }
        // The face followed is the user's: it matches her own photo.
        assertThat(v.referenceScore()).isGreaterThanOrEqualTo(CONFIG.faceMatchThreshold());
        assertThat(v.passed()).as(v.toString()).isTrue();
        assertThat(v.reason()).isEqualTo(LivenessReason.PASSED);
    }

    @Test
    void twoPeopleInFocusAreStillMultipleFaces() {
        ChallengeResult r = verifier.verify(ChallengeAction.BLINK,
                SyntheticVideos.make(analyzer, twoPeople, ChallengeAction.BLINK, 3, 15, Container.MP4));
        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).isEqualTo(LivenessReason.MULTIPLE_FACES);
    }
}
