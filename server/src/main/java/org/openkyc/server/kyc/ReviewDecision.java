package org.openkyc.server.kyc;

import java.util.Locale;
import java.util.Optional;

/**
 * What a reviewer decides on a case, and the status it leads to. A request for resubmission sends the case back
 * to {@link CaseStatus#INCOMPLETE}: its user submits again (a new document and liveness check through the KYC web
 * API, a new step-2 attempt through the submissions API, with the attempts counted afresh).
 */
public enum ReviewDecision {
    APPROVED(CaseStatus.APPROVED),
    REJECTED(CaseStatus.REJECTED),
    RESET(CaseStatus.PENDING),
    RESUBMISSION_REQUESTED(CaseStatus.INCOMPLETE);

    /** The comment code a case carries while it waits for its user to submit again. */
    public static final String RESUBMISSION_CODE = "resubmission_requested";

    private final CaseStatus target;

    ReviewDecision(CaseStatus target) {
        this.target = target;
    }

    public CaseStatus target() {
        return target;
    }

    /** The documented lower-case spelling: approved, rejected, reset, resubmission_requested. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReviewDecision> fromWireName(String value) {
        for (ReviewDecision d : values()) {
            if (d.wireName().equals(value)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The decision of an admin status update: -1 reject, 0 reset to pending, 1 request resubmission, 2 approve. */
    public static Optional<ReviewDecision> fromAdminCode(int code) {
        return switch (code) {
            case -1 -> Optional.of(REJECTED);
            case 0 -> Optional.of(RESET);
            case 1 -> Optional.of(RESUBMISSION_REQUESTED);
            case 2 -> Optional.of(APPROVED);
            default -> Optional.empty();
        };
    }

    /** The decision that leads to a status, for callers that name the status. */
    public static ReviewDecision of(CaseStatus target) {
        return switch (target) {
            case APPROVED -> APPROVED;
            case REJECTED -> REJECTED;
            case PENDING -> RESET;
            case INCOMPLETE -> RESUBMISSION_REQUESTED;
        };
    }
}
