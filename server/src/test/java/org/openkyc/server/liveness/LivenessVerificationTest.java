package org.openkyc.server.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a verdict on three videos becomes the answer: confidence as the weakest link, messages, reasons. */
class LivenessVerificationTest {

    private final LivenessVerification verification = new LivenessVerification(null, null, null, null, null,
            1024, 60, Clock.systemUTC());
    private final LivenessSession session = new LivenessSession("s1", "p1",
            List.of(ChallengeAction.BLINK, ChallengeAction.SMILE, ChallengeAction.NOD),
            LivenessSession.Status.CREATED, Instant.EPOCH, Instant.EPOCH);

    private static ChallengeResult result(ChallengeAction a, boolean passed, double score, LivenessReason r) {
        return new ChallengeResult(a, passed, score, r, List.of(), 10, 2000, 95, null, Map.of());
    }

    @Test
    void aPassHasTheConfidenceOfItsWeakestEvidence() {
        LivenessVerification.Outcome o = verification.outcome(session, new LivenessVerdict(true, List.of(
                result(ChallengeAction.BLINK, true, 88.04, LivenessReason.PASSED),
                result(ChallengeAction.SMILE, true, 71.26, LivenessReason.PASSED),
                result(ChallengeAction.NOD, true, 93.5, LivenessReason.PASSED)), 97.1, 99.2, LivenessReason.PASSED));
        assertThat(o.passed()).isTrue();
        assertThat(o.confidence()).isEqualTo(71.3);
        assertThat(o.faceMatchScore()).hasValue(99.2);
        assertThat(o.actions()).extracting(LivenessVerification.ActionOutcome::action)
                .containsExactly(ChallengeAction.BLINK, ChallengeAction.SMILE, ChallengeAction.NOD);
        assertThat(o.message()).isEqualTo("success");

        // A weaker face match than every action caps it.
        assertThat(verification.outcome(session, new LivenessVerdict(true, List.of(
                result(ChallengeAction.BLINK, true, 88, LivenessReason.PASSED),
                result(ChallengeAction.SMILE, true, 90, LivenessReason.PASSED),
                result(ChallengeAction.NOD, true, 93, LivenessReason.PASSED)), 97, 64.44, LivenessReason.PASSED))
                .confidence()).isEqualTo(64.4);
    }

    @Test
    void aFailureNamesTheFirstFailingVideoAndItsReason() {
        LivenessVerification.Outcome o = verification.outcome(session, new LivenessVerdict(false, List.of(
                result(ChallengeAction.BLINK, true, 88, LivenessReason.PASSED),
                result(ChallengeAction.SMILE, false, 0, LivenessReason.ACTION_NOT_SEEN),
                result(ChallengeAction.NOD, false, 12, LivenessReason.NO_MOTION)), 97, 99,
                LivenessReason.ACTION_NOT_SEEN));
        assertThat(o.passed()).isFalse();
        assertThat(o.confidence()).isZero();
        assertThat(o.reason()).isEqualTo(LivenessReason.ACTION_NOT_SEEN);
        assertThat(o.message()).isEqualTo("Liveness failed: video2 (SMILE) does not show the requested action");
    }

    @Test
    void anotherPersonOrNoFaceAtAllIsExplained() {
        LivenessVerification.Outcome other = verification.outcome(session, new LivenessVerdict(false, List.of(
                result(ChallengeAction.BLINK, true, 88, LivenessReason.PASSED),
                result(ChallengeAction.SMILE, true, 80, LivenessReason.PASSED),
                result(ChallengeAction.NOD, true, 90, LivenessReason.PASSED)), 97, 3.2, LivenessReason.FACE_CHANGED));
        assertThat(other.message()).contains("does not match the document portrait");
        assertThat(other.confidence()).isEqualTo(3.2);

        LivenessVerification.Outcome mixed = verification.outcome(session, new LivenessVerdict(false, List.of(
                result(ChallengeAction.BLINK, true, 88, LivenessReason.PASSED),
                result(ChallengeAction.SMILE, true, 80, LivenessReason.PASSED),
                result(ChallengeAction.NOD, true, 90, LivenessReason.PASSED)), 20, 95, LivenessReason.FACE_CHANGED));
        assertThat(mixed.message()).contains("do not show the same person");
        assertThat(mixed.confidence()).isEqualTo(20);

        LivenessVerification.Outcome noFace = verification.outcome(session, new LivenessVerdict(false, List.of(
                result(ChallengeAction.BLINK, false, 0, LivenessReason.NO_FACE),
                result(ChallengeAction.SMILE, false, 0, LivenessReason.NO_FACE),
                result(ChallengeAction.NOD, false, 0, LivenessReason.NO_FACE)), Double.NaN, Double.NaN,
                LivenessReason.NO_FACE));
        assertThat(noFace.faceMatchScore()).isEmpty();
        assertThat(noFace.message()).isEqualTo("Liveness failed: video1 (BLINK) shows no face");
    }
}
