package org.openkyc.server.travelrule;

/** The documented reason codes of a verification (seed 001). */
public final class Reason {
    public static final String OK = "OK";
    public static final String UNKNOWN_SYMBOL = "UNKNOWN-SYMBOL";
    public static final String UNKNOWN_NETWORK = "UNKNOWN-NETWORK";
    public static final String UNKNOWN_ADDRESS = "UNKNOWN-ADDRESS";
    public static final String LACK_OF_INFORMATION = "LACK-OF-INFORMATION";
    public static final String UNAVAILABLE_INFORMATION = "UNAVAILABLE-INFORMATION";
    public static final String BLACKLISTED = "BLACKLISTED";
    public static final String UNVERIFIED_KYC = "UNVERIFIED-KYC";
    public static final String MISMATCHED_NAME = "MISMATCHED-NAME";
    public static final String NOT_ALLOWED = "NOT-ALLOWED";
    public static final String UNDEFINED_ERROR = "UNDEFINED-ERROR";
    public static final String BENEFICIARY_ACCOUNT_NOT_MATCHED = "BENEFICIARY-ACCOUNT-NOT-MATCHED";
    public static final String REQUEST_TIMEOUT = "REQUEST-TIMEOUT";

    private Reason() {
    }
}
