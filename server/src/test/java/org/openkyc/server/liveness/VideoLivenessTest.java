package org.openkyc.server.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.server.config.VisionConfig;
import org.openkyc.server.face.FaceAnalyzer;
import org.openkyc.server.face.FaceImages;
import org.openkyc.server.liveness.SyntheticVideos.Container;
import org.openkyc.server.vision.TestVision;

/**
 * Video liveness on videos synthesised from the two portraits (see {@link SyntheticVideos}):
 * every action is seen when performed and not when another is, a still face fails, the
 * face must stay one person, and limits hold. Synthetic data only: see README.
 */
class VideoLivenessTest {

    private static final VisionConfig CONFIG = TestVision.config();
    private static FaceAnalyzer analyzer;
    private static FaceVideoLivenessVerifier verifier;
    private static Mat hopper;
    private static Mat astronaut;
    private static final Map<ChallengeAction, byte[]> HOPPER = new EnumMap<>(ChallengeAction.class);
    private static byte[] still;

    static Mat base(Mat face) {
        Mat big = FaceImages.selfie720(face, 0, 0, 1.1);
        Mat small = new Mat();
        resize(big, small, new Size(640, 360), 0, 0, INTER_AREA);
        big.close();
        return small;
    }

    @BeforeAll
    static void setUp() {
        analyzer = new FaceAnalyzer(CONFIG);
        verifier = new FaceVideoLivenessVerifier(CONFIG, analyzer);
        hopper = base(FaceImages.hopper());
        astronaut = base(FaceImages.astronaut());
        for (ChallengeAction a : ChallengeAction.values()) {
            HOPPER.put(a, SyntheticVideos.make(analyzer, hopper, a, 3, 15, Container.MP4));
        }
        still = SyntheticVideos.make(analyzer, hopper, null, 3, 15, Container.MP4);
    }

    @AfterAll
    static void tearDown() {
        verifier.close();
        analyzer.close();
    }

    @Test
    void everyActionIsSeenWhenPerformed() {
        for (ChallengeAction a : ChallengeAction.values()) {
            ChallengeResult r = verifier.verify(a, HOPPER.get(a));
            assertThat(r.passed()).as(a + " " + r.reason() + " " + r.measurements()).isTrue();
            assertThat(r.reason()).isEqualTo(LivenessReason.PASSED);
            assertThat(r.score()).isGreaterThan(40);
            assertThat(r.decidingFramesMs()).isNotEmpty().allSatisfy(ms -> assertThat(ms).isBetween(0L, 3000L));
            assertThat(r.durationMs()).isBetween(2500L, 3100L);
            assertThat(r.sameFaceScore()).isGreaterThan(CONFIG.faceMatchThreshold());
        }
    }

    @Test
    void actionsWorkOnAnotherFaceAndInWebm() {
        for (ChallengeAction a : List.of(ChallengeAction.BLINK, ChallengeAction.NOD, ChallengeAction.SMILE)) {
            ChallengeResult r = verifier.verify(a, SyntheticVideos.make(analyzer, astronaut, a, 3, 15, Container.WEBM));
            assertThat(r.passed()).as(a + " " + r.reason() + " " + r.measurements()).isTrue();
        }
    }

    @Test
    void anotherActionIsNotTakenForTheAskedOne() {
        assertThat(verifier.verify(ChallengeAction.TURN_RIGHT, HOPPER.get(ChallengeAction.TURN_LEFT)).passed()).isFalse();
        assertThat(verifier.verify(ChallengeAction.TURN_LEFT, HOPPER.get(ChallengeAction.TURN_RIGHT)).passed()).isFalse();
        assertThat(verifier.verify(ChallengeAction.BLINK, HOPPER.get(ChallengeAction.OPEN_MOUTH)).passed()).isFalse();
        assertThat(verifier.verify(ChallengeAction.OPEN_MOUTH, HOPPER.get(ChallengeAction.BLINK)).passed()).isFalse();
        assertThat(verifier.verify(ChallengeAction.SMILE, HOPPER.get(ChallengeAction.NOD)).passed()).isFalse();
    }

    @Test
    void aFaceThatNeverMovesFailsEveryChallenge() {
        for (ChallengeAction a : ChallengeAction.values()) {
            ChallengeResult r = verifier.verify(a, still);
            assertThat(r.passed()).as(a.name()).isFalse();
            assertThat(r.reason()).as(a.name()).isIn(LivenessReason.NO_MOTION, LivenessReason.ACTION_NOT_SEEN);
        }
    }

    @Test
    void theFaceMustStayOnePerson() {
        byte[] swapped = SyntheticVideos.make(analyzer, hopper, ChallengeAction.BLINK, 3, 15, Container.MP4, astronaut);
        ChallengeResult r = verifier.verify(ChallengeAction.BLINK, swapped);
        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).isEqualTo(LivenessReason.FACE_CHANGED);
    }

    @Test
    void threeVideosMustShowOnePersonAndTheReference() {
        byte[] otherPerson = SyntheticVideos.make(analyzer, astronaut, ChallengeAction.BLINK, 3, 15, Container.MP4);
        LivenessVerdict mixed = verifier.verifyAll(List.of(
                new VideoLivenessVerifier.Challenge(ChallengeAction.SMILE, HOPPER.get(ChallengeAction.SMILE)),
                new VideoLivenessVerifier.Challenge(ChallengeAction.BLINK, otherPerson),
                new VideoLivenessVerifier.Challenge(ChallengeAction.NOD, HOPPER.get(ChallengeAction.NOD))),
                Optional.empty());
        assertThat(mixed.passed()).isFalse();
        assertThat(mixed.reason()).isEqualTo(LivenessReason.FACE_CHANGED);

        List<VideoLivenessVerifier.Challenge> same = List.of(
                new VideoLivenessVerifier.Challenge(ChallengeAction.SMILE, HOPPER.get(ChallengeAction.SMILE)),
                new VideoLivenessVerifier.Challenge(ChallengeAction.BLINK, HOPPER.get(ChallengeAction.BLINK)),
                new VideoLivenessVerifier.Challenge(ChallengeAction.TURN_LEFT, HOPPER.get(ChallengeAction.TURN_LEFT)));
        float[] hopperRef = analyzer.embed(hopper, analyzer.detect(hopper).get(0));
        float[] astronautRef = analyzer.embed(astronaut, analyzer.detect(astronaut).get(0));
        LivenessVerdict ok = verifier.verifyAll(same, Optional.of(hopperRef));
        assertThat(ok.passed()).as(ok.toString()).isTrue();
        assertThat(ok.crossVideoScore()).isGreaterThan(CONFIG.faceMatchThreshold());
        LivenessVerdict wrongRef = verifier.verifyAll(same, Optional.of(astronautRef));
        assertThat(wrongRef.passed()).isFalse();
        assertThat(wrongRef.reason()).isEqualTo(LivenessReason.FACE_CHANGED);
    }

    @Test
    void limitsAndBadInputAreRefusedWithAReason() {
        byte[] video = HOPPER.get(ChallengeAction.BLINK);
        try (FaceVideoLivenessVerifier small = new FaceVideoLivenessVerifier(
                CONFIG.toBuilder().maxVideoBytes(video.length - 1).build(), analyzer)) {
            assertThat(small.verify(ChallengeAction.BLINK, video).reason()).isEqualTo(LivenessReason.TOO_LARGE);
        }
        try (FaceVideoLivenessVerifier shortLimit = new FaceVideoLivenessVerifier(
                CONFIG.toBuilder().maxVideoSeconds(2).build(), analyzer)) {
            assertThat(shortLimit.verify(ChallengeAction.BLINK, video).reason()).isEqualTo(LivenessReason.TOO_LONG);
        }
        assertThat(verifier.verify(ChallengeAction.BLINK, "not a video at all".getBytes()).reason())
                .isEqualTo(LivenessReason.UNREADABLE_VIDEO);
        assertThat(verifier.verify(ChallengeAction.BLINK, new byte[0]).reason())
                .isEqualTo(LivenessReason.UNREADABLE_VIDEO);
        byte[] blank = SyntheticVideos.make(analyzer, hopper, null, 1, 15, Container.MP4);
        assertThat(verifier.verify(ChallengeAction.BLINK, blank).reason()).isIn(LivenessReason.NO_MOTION,
                LivenessReason.ACTION_NOT_SEEN, LivenessReason.TOO_SHORT);
    }
}
