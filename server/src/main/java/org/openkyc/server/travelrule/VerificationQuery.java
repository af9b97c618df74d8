package org.openkyc.server.travelrule;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** The filters of B1 (AND) and the page asked for. */
public record VerificationQuery(
        Optional<LocalDate> fromDate,
        Optional<LocalDate> toDate,
        Optional<String> symbol,
        Optional<String> network,
        Optional<String> txHash,
        Optional<Verification.Result> result,
        Optional<Verification.ActionType> actionType,
        Optional<String> oppositeVaspId,
        Optional<String> originatorAccountNumber,
        Optional<String> beneficiaryAccountNumber,
        int page,
        int rpp) {

    public static final int DEFAULT_RPP = 10;
    public static final int MAX_RPP = 100;

    /** One page and the number of matching verifications over all pages. */
    public record Page(long count, int page, int rpp, List<Verification> items) {
    }
}
