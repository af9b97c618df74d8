package org.openkyc.server.kyc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.openkyc.server.kyc.DecisionRules.Evidence;
import org.openkyc.server.kyc.DecisionRules.Outcome;
import org.openkyc.server.kyc.DecisionRules.Reason;

class DecisionRulesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    private final DecisionRules rules = new DecisionRules(new DecisionRules.Settings(true, 60, 50, 3));

    private static Evidence good() {
        return new Evidence(true, Optional.of(TODAY.plusYears(3)), OptionalDouble.of(91), OptionalDouble.of(88),
                true, Optional.of("clear"), false);
    }

    private static java.util.List<String> codes(DecisionRules.Decision d) {
        return d.reasons().stream().map(Reason::code).toList();
    }

    @Test
    void everyRuleMetApprovesAutomatically() {
        DecisionRules.Decision d = rules.decide(good(), TODAY);
        assertThat(d.outcome()).isEqualTo(Outcome.AUTO_APPROVED);
        assertThat(d.outcome().statusCode()).isEqualTo(1);
        assertThat(d.reasons()).isEmpty();
    }

    @Test
    void eachUnmetRuleSendsTheCaseToManualReviewNamingIt() {
        Evidence g = good();
        assertThat(codes(rules.decide(new Evidence(false, g.expiryDate(), g.faceSimilarity(), g.liveness(), true,
                g.screening(), false), TODAY))).containsExactly("mrz_not_verified");
        assertThat(codes(rules.decide(new Evidence(true, Optional.of(TODAY.minusDays(1)), g.faceSimilarity(),
                g.liveness(), true, g.screening(), false), TODAY))).containsExactly("document_expired");
        assertThat(codes(rules.decide(new Evidence(true, Optional.empty(), g.faceSimilarity(), g.liveness(), true,
                g.screening(), false), TODAY))).containsExactly("expiry_unknown");
        assertThat(codes(rules.decide(new Evidence(true, g.expiryDate(), OptionalDouble.of(59.9), g.liveness(),
                true, g.screening(), false), TODAY))).containsExactly("face_similarity_low");
        assertThat(codes(rules.decide(new Evidence(true, g.expiryDate(), OptionalDouble.empty(), g.liveness(),
                true, g.screening(), false), TODAY))).containsExactly("face_not_matched");
        assertThat(codes(rules.decide(new Evidence(true, g.expiryDate(), g.faceSimilarity(), OptionalDouble.of(49),
                true, g.screening(), false), TODAY))).containsExactly("liveness_low");
        assertThat(codes(rules.decide(new Evidence(true, g.expiryDate(), g.faceSimilarity(), g.liveness(), false,
                g.screening(), false), TODAY))).containsExactly("liveness_not_passed");
        assertThat(codes(rules.decide(new Evidence(true, g.expiryDate(), g.faceSimilarity(), g.liveness(), true,
                Optional.of("hit"), false), TODAY))).containsExactly("screening_not_clear");
        assertThat(codes(rules.decide(new Evidence(true, g.expiryDate(), g.faceSimilarity(), g.liveness(), true,
                Optional.empty(), false), TODAY))).containsExactly("screening_missing");
        for (Evidence e : java.util.List.of(new Evidence(false, g.expiryDate(), g.faceSimilarity(), g.liveness(),
                true, g.screening(), false))) {
            assertThat(rules.decide(e, TODAY).outcome()).isEqualTo(Outcome.MANUAL_REVIEW);
        }
    }

    @Test
    void aDocumentExpiringTodayIsStillValid() {
        Evidence g = good();
        assertThat(rules.decide(new Evidence(true, Optional.of(TODAY), g.faceSimilarity(), g.liveness(), true,
                g.screening(), false), TODAY).approved()).isTrue();
    }

    @Test
    void userModifiedFieldsGoToTheirOwnReviewStatus() {
        Evidence g = good();
        DecisionRules.Decision d = rules.decide(new Evidence(true, g.expiryDate(), g.faceSimilarity(), g.liveness(),
                true, g.screening(), true), TODAY);
        assertThat(d.outcome()).isEqualTo(Outcome.USER_MODIFIED_REVIEW);
        assertThat(d.outcome().statusCode()).isEqualTo(3);
        assertThat(codes(d)).containsExactly("user_modified");
    }

    @Test
    void autoApprovalCanBeTurnedOff() {
        DecisionRules off = new DecisionRules(new DecisionRules.Settings(false, 60, 50, 3));
        DecisionRules.Decision d = off.decide(good(), TODAY);
        assertThat(d.outcome()).isEqualTo(Outcome.MANUAL_REVIEW);
        assertThat(d.outcome().statusCode()).isEqualTo(2);
        assertThat(codes(d)).containsExactly("auto_approve_off");
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new DecisionRules.Settings(true, 60, 50, 0))
                .hasMessageContaining("OPENKYC_MAX_ATTEMPTS");
        assertThatThrownBy(() -> new DecisionRules.Settings(true, 100, 50, 3)).hasMessageContaining("face");
    }
}
