package org.openkyc.server.kyc;

import java.util.Locale;
import java.util.Optional;

/**
 * The review status of a KYC case, with its spelling in the submissions API
 * and its review code in the KYC web and admin API (-1, 0, 1, 2).
 */
public enum CaseStatus {
    APPROVED(2),
    REJECTED(-1),
    PENDING(0),
    INCOMPLETE(1);

    private static final CaseStatus[] ALL = values();

    private final int reviewCode;
    private final String wireName;

    CaseStatus(int reviewCode) {
        this.reviewCode = reviewCode;
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    public int reviewCode() {
        return reviewCode;
    }

    /** The documented lower-case spelling: approved, rejected, pending, incomplete. */
    public String wireName() {
        return wireName;
    }

    public static Optional<CaseStatus> fromWireName(String value) {
        for (CaseStatus s : ALL) {
            if (s.wireName.equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The target of an admin status update: -1 reject, 0 reset to pending, 2 approve. */
    public static Optional<CaseStatus> fromAdminCode(int code) {
        return switch (code) {
            case -1 -> Optional.of(REJECTED);
            case 0 -> Optional.of(PENDING);
            case 2 -> Optional.of(APPROVED);
            default -> Optional.empty();
        };
    }
}
