package org.openkyc.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

class InputsTest {

    private static void refused(Runnable r, String field) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(field).doesNotContain("xxxxxxxx").hasSizeLessThan(120);
        });
    }

    @Test
    void idsHaveTheFormatTheProductIssues() {
        assertThat(Inputs.id("profileId", " abc123 ")).isEqualTo("abc123");
        refused(() -> Inputs.id("profileId", "x".repeat(10_000)), "profileId");
        refused(() -> Inputs.id("profileId", "x".repeat(33)), "profileId");
        refused(() -> Inputs.id("sessionId", "ABC"), "sessionId");
        refused(() -> Inputs.id("submission_id", "a/../b"), "submission_id");
        refused(() -> Inputs.id("submission_id", "xxxxxxxx\u0000"), "submission_id");
        refused(() -> Inputs.id("applicant_id", ""), "applicant_id is required");
        assertThat(Inputs.optionalId("caseId", " ")).isEmpty();
        refused(() -> Inputs.ids("profileIds", List.of("ok", "xxxxxxxx-")), "profileIds");
        refused(() -> Inputs.ids("profileIds", Collections.nCopies(101, "a")), "profileIds");
    }

    @Test
    void documentIdsAreNumbersBelowTwoToTheFiftyThird() {
        assertThat(Inputs.documentId("documentId", 42)).isEqualTo(42);
        refused(() -> Inputs.documentId("documentId", 0), "documentId is required");
        refused(() -> Inputs.documentId("documentId", -1), "documentId");
        refused(() -> Inputs.documentId("documentId", 1L << 53), "documentId");
    }

    @Test
    void tokensAndTextHaveLimits() {
        assertThat(Inputs.token("verificationUuid", "3f2c-11aa")).isEqualTo("3f2c-11aa");
        refused(() -> Inputs.token("verificationUuid", "x".repeat(65)), "verificationUuid");
        refused(() -> Inputs.token("beneficiaryVaspId", "xxxxxxxx vasp"), "beneficiaryVaspId");
        assertThat(Inputs.text("userId", "u".repeat(255), Inputs.USER_ID)).hasSize(255);
        assertThat(Inputs.text("userId", null, Inputs.USER_ID)).isNull();
        refused(() -> Inputs.text("userId", "x".repeat(256), Inputs.USER_ID), "userId is longer than 255");
        refused(() -> Inputs.texts("aliases", Collections.nCopies(51, "a"), 50, 10), "aliases");
    }
}
