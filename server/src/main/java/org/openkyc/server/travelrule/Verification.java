package org.openkyc.server.travelrule;

import java.time.Instant;
import java.util.Optional;

/**
 * One travel-rule verification as this VASP recorded it (docs/API.md B1). The
 * IVMS101 parts are JSON text in the IVMS101 JSON form.
 */
public record Verification(
        String verificationId,
        String uuid,
        ActionType actionType,
        Optional<Result> result,
        Optional<String> reason,
        Optional<String> message,
        AssetInfo asset,
        Optional<String> txHash,
        Optional<String> vout,
        String originatingVaspId,
        String originatorAccountNumber,
        String ivms101Originator,
        String ivms101OriginatingVasp,
        String beneficiaryVaspId,
        String beneficiaryAccountNumber,
        String ivms101Beneficiary,
        Optional<String> ivms101BeneficiaryVasp,
        Optional<Instant> verifiedAt,
        Optional<Instant> orderedAt,
        Instant createdAt) {

    /** Outcome of a verification (documented spellings). */
    public enum Result {
        VERIFIED, DENIED, UNKNOWN, ERROR
    }

    /** Side of this VASP. */
    public enum ActionType {
        SEND, RECEIVE
    }

    /** The virtual asset transferred and its fiat value; amounts are decimal strings as given. */
    public record AssetInfo(String symbol, Optional<String> network, String amount, boolean exceedingThreshold,
            String tradePrice, String tradeCurrency, Instant tradeTime) {
    }
}
