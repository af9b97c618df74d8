package org.openkyc.server.kyc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.face.DetectedFace;
import org.openkyc.server.face.FaceMatch;
import org.openkyc.server.face.SelfieAnalysis;

/** The pure rules of step 2: validating the confirmed fields and comparing them with the document. */
class Step2RulesTest {

    private static Step2Service.Step2 form(String name, String dob, String gender, String nationality, String issue,
            String expiry, String identity, String document) {
        return new Step2Service.Step2("abc", new byte[] {1}, name, dob, gender, nationality, issue, expiry, identity,
                document);
    }

    private static Step2Service.Known known() {
        return new Step2Service.Known(Optional.of("ANNA MARIA ERIKSSON"), Optional.of(LocalDate.of(1974, 8, 12)),
                Optional.of("female"), Optional.of("SWE"), Optional.empty(), Optional.of(LocalDate.of(2032, 4, 15)),
                Optional.of("L898902C3"));
    }

    @Test
    void namesIgnoreCaseSpacingAccentsPunctuationAndOrder() {
        assertThat(IdentityFields.sameName("anna  maria Eriksson", "ANNA MARIA ERIKSSON")).isTrue();
        assertThat(IdentityFields.sameName("Eriksson, Anna-Maria", "ANNA MARIA ERIKSSON")).isTrue();
        assertThat(IdentityFields.sameName("Ånna María Eriksson", "ANNA MARIA ERIKSSON")).isTrue();
        assertThat(IdentityFields.sameName("Anna Eriksson", "ANNA MARIA ERIKSSON")).isFalse();
        assertThat(IdentityFields.sameName("", "")).isFalse();
        assertThat(IdentityFields.sameNumber("l89 8902-c3", "L898902C3")).isTrue();
        assertThat(IdentityFields.sameNumber("L898902C4", "L898902C3")).isFalse();
    }

    @Test
    void confirmedFieldsAreComparedWithWhatTheDocumentShows() {
        Step2Service.Confirmed same = Step2Service.confirmed(form("Anna Maria Eriksson", "1974-08-12", "FEMALE", "swe",
                null, "2032-04-15", null, "L898902C3"), Optional.of("SWE"), true);
        assertThat(Step2Service.compare(same, known())).isEmpty();

        Step2Service.Confirmed other = Step2Service.confirmed(form("Anna Eriksson", "1974-08-13", "male", "NOR",
                "2020-01-01", "2032-04-16", null, "L898902C4"), Optional.of("SWE"), true);
        // The issue date is unknown on the document: it cannot contradict.
        assertThat(Step2Service.compare(other, known())).containsExactly("name", "date_of_birth", "gender",
                "nationality", "date_of_expiry", "document_number");

        Step2Service.Known nothing = new Step2Service.Known(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(Step2Service.compare(other, nothing)).isEmpty();
    }

    @Test
    void malformedFieldsAreRefusedWithTheFieldsName() {
        List<Object[]> bad = List.of(
                new Object[] {form(null, "1974-08-12", null, null, null, null, null, null), "name is required"},
                new Object[] {form("A", null, null, null, null, null, null, null), "date_of_birth is required"},
                new Object[] {form("A", "1974-8-12", null, null, null, null, null, null), "date_of_birth must be"},
                new Object[] {form("A", "1974-02-30", null, null, null, null, null, null), "date_of_birth must be"},
                new Object[] {form("A", "1974-08-12", "x", null, null, null, null, null), "gender must be"},
                new Object[] {form("A", "1974-08-12", null, "SE", null, null, null, null), "nationality must be"},
                new Object[] {form("A", "1974-08-12", null, "XYZ", null, null, null, null), "nationality must be"},
                new Object[] {form("A", "1974-08-12", null, null, "soon", null, null, null), "date_of_issue must"},
                new Object[] {form("A", "1974-08-12", null, null, null, null, "12;DROP", null), "identity_number"},
                new Object[] {form("A\u0000", "1974-08-12", null, null, null, null, null, null), "control"});
        for (Object[] b : bad) {
            assertThatThrownBy(() -> Step2Service.confirmed((Step2Service.Step2) b[0], Optional.of("SWE"), true))
                    .isInstanceOf(DomainException.class).hasMessageContaining((String) b[1]);
        }
        // A code the document itself carries is accepted even when it is not ISO (the ICAO specimen's UTO).
        assertThat(Step2Service.confirmed(form("A", "1974-08-12", null, "UTO", null, null, null, null),
                Optional.of("UTO"), true).nationality()).contains("UTO");
    }

    @Test
    void embeddingsSurviveTheirByteForm() {
        float[] v = {0.25f, -1.5f, 3.0e-7f, 0f};
        assertThat(Step2Service.toFloats(Step2Service.floats(v))).containsExactly(v);
    }

    // ------------------------------------------------------------------ the selfie's part

    private static final DecisionRules RULES = new DecisionRules(new DecisionRules.Settings(true, 60, 50, 3));
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

    private static SelfieAnalysis selfie(int faces, double liveness) {
        DetectedFace face = faces == 0 ? null
                : new DetectedFace(100, 100, 200, 200, 0.99, new float[136], "fr_detect");
        return new SelfieAnalysis(faces, face, faces == 0 ? null : new float[512], faces == 0 ? Double.NaN : liveness,
                50, liveness >= 50);
    }

    private static Optional<FaceMatch> matching(double score) {
        return Optional.of(new FaceMatch(0.6, score, 60, score >= 60));
    }

    private static List<String> retryCodes(Step2Service.SelfieChecks c) {
        return c.reasons().stream().map(Step2Service.RetryReason::code).toList();
    }

    /** The decision a passed attempt gets: everything else in order, only the selfie's scores vary. */
    private static DecisionRules.Decision decide(Step2Service.SelfieChecks c) {
        return RULES.decide(Step2Service.evidence(true, Optional.of(TODAY.plusYears(5)), c.similarityShown(),
                c.livenessScore(), "clear", java.util.Set.of()), TODAY);
    }

    private static List<String> reviewCodes(DecisionRules.Decision d) {
        return d.reasons().stream().map(DecisionRules.Reason::code).toList();
    }

    @Test
    void aLowPassiveLivenessScoreAloneIsNoRetryButAReview() {
        // Genuine faces on real photos scored from under 5 upwards: the user is not sent back for it.
        for (double low : new double[] {0.05, 4.47, 12.5, 49.99}) {
            Step2Service.SelfieChecks c = Step2Service.selfieChecks(selfie(1, low), matching(92));
            assertThat(retryCodes(c)).as("score " + low).isEmpty();
            assertThat(c.livenessShown()).hasValue((int) Math.floor(low));
            // ... and never approved automatically: a reviewer sees why.
            DecisionRules.Decision d = decide(c);
            assertThat(d.approved()).as("score " + low).isFalse();
            assertThat(d.outcome()).isEqualTo(DecisionRules.Outcome.MANUAL_REVIEW);
            assertThat(reviewCodes(d)).containsExactly("liveness_low");
            assertThat(d.reasons().get(0).message()).contains("under the threshold 50");
        }
    }

    @Test
    void autoApprovalStillNeedsThePassiveScoreAtTheThreshold() {
        Step2Service.SelfieChecks at = Step2Service.selfieChecks(selfie(1, 50.0), matching(92));
        assertThat(decide(at).approved()).isTrue();
        assertThat(decide(Step2Service.selfieChecks(selfie(1, 99.9), matching(92))).approved()).isTrue();
        // The exact score decides, not the rounded one shown: 49.99 is shown as 49 and is under 50.
        Step2Service.SelfieChecks under = Step2Service.selfieChecks(selfie(1, 49.99), matching(92));
        assertThat(under.livenessShown()).hasValue(49);
        assertThat(decide(under).approved()).isFalse();
        // A stricter operator threshold applies the same way.
        DecisionRules strict = new DecisionRules(new DecisionRules.Settings(true, 60, 90, 3));
        assertThat(reviewCodes(strict.decide(Step2Service.evidence(true, Optional.of(TODAY.plusYears(5)),
                at.similarityShown(), at.livenessScore(), "clear", java.util.Set.of()), TODAY)))
                .containsExactly("liveness_low");
    }

    @Test
    void facesThatAreNotOnePersonOrNotTheHolderAreStillRetried() {
        Step2Service.SelfieChecks none = Step2Service.selfieChecks(selfie(0, Double.NaN), Optional.empty());
        assertThat(retryCodes(none)).containsExactly("no_face");
        assertThat(none.livenessShown()).isEmpty();
        assertThat(none.livenessScore()).isEmpty();

        Step2Service.SelfieChecks two = Step2Service.selfieChecks(selfie(2, 99), Optional.empty());
        assertThat(retryCodes(two)).containsExactly("too_many_faces");
        assertThat(two.reasons().get(0).message()).startsWith("2 faces");
        assertThat(two.livenessShown()).isEmpty();

        // Another person's face is retried whatever its liveness score, low or high.
        for (double live : new double[] {3, 99}) {
            Step2Service.SelfieChecks other = Step2Service.selfieChecks(selfie(1, live), matching(41.5));
            assertThat(retryCodes(other)).containsExactly("face_mismatch");
            assertThat(other.similarityShown()).hasValue(41);
        }
    }

    @Test
    void withoutAPortraitTheSimilarityIsAbsentAndAReviewerDecides() {
        Step2Service.SelfieChecks c = Step2Service.selfieChecks(selfie(1, 97), Optional.empty());
        assertThat(retryCodes(c)).isEmpty();
        assertThat(c.similarityShown()).isEmpty();
        assertThat(reviewCodes(decide(c))).containsExactly("face_not_matched");
    }

    @Test
    void aLivenessScoreNeverMeasuredIsNotPassed() {
        DecisionRules.Decision d = RULES.decide(Step2Service.evidence(true, Optional.of(TODAY.plusYears(5)),
                java.util.OptionalInt.of(92), java.util.OptionalDouble.empty(), "clear", java.util.Set.of()), TODAY);
        assertThat(reviewCodes(d)).containsExactly("liveness_not_passed");
    }

    @Test
    void theRegistryCsvKeepsQuotedCommasAndRefusesAnOpenQuote() {
        List<List<String>> rows = DatabaseIdentityRegistry.parseCsv(
                "name,date_of_birth\r\n\"Silva, Joao \"\"JP\"\"\",1990-09-09\nB,2000-01-01");
        assertThat(rows).containsExactly(List.of("name", "date_of_birth"),
                List.of("Silva, Joao \"JP\"", "1990-09-09"), List.of("B", "2000-01-01"));
        assertThatThrownBy(() -> DatabaseIdentityRegistry.parseCsv("a,\"b\n"))
                .isInstanceOf(DomainException.class).hasMessageContaining("not closed");
        byte[] key = new byte[32];
        assertThat(DatabaseIdentityRegistry.deriveKey(key)).hasSize(32).isNotEqualTo(key);
    }
}
