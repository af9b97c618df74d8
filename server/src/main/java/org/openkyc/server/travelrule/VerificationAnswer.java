package org.openkyc.server.travelrule;

import java.time.Instant;
import java.util.Optional;

/** The beneficiary VASP's answer to a verification request. */
public record VerificationAnswer(
        Verification.Result result,
        String reason,
        Optional<String> message,
        String beneficiaryAccountNumber,
        Optional<String> beneficiaryJson,
        Optional<String> beneficiaryVaspJson,
        String beneficiaryVaspId,
        Instant verifiedAt) {
}
