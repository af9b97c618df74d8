package org.openkyc.server.travelrule;

import java.util.Optional;

/**
 * A verification request as one VASP sends it to another: the IVMS101 parts
 * are JSON text (Originator, Beneficiary, and the originating VASP as a Person).
 */
public record VerificationRequest(
        String uuid,
        String originatingVaspId,
        Optional<String> beneficiaryVaspId,
        Verification.AssetInfo asset,
        String originatorAccountNumber,
        String beneficiaryAccountNumber,
        String originatorJson,
        String beneficiaryJson,
        String originatingVaspJson) {
}
