package org.openkyc.gateway;

/**
 * The three documented API families, told apart by path prefix, and the shape of their error
 * bodies. This is the one place that decides which family a path belongs to.
 */
enum ApiFamily {
    /** Submissions API, {@code /v2/...}: {@code {"code":"REASON","message":"..."}}. */
    SUBMISSIONS(false, "/v2/"),
    /** Travel-rule verifications API, {@code /v1/...}: {@code {"code":"REASON","message":"..."}}. */
    VERIFICATIONS(false, "/v1/"),
    /** KYC web and admin API: {@code {"code":40400,"message":"..."}}. */
    KYC(true, "/api/web/kycService/", "/admin/kyc/"),
    /** Anything else (unknown paths, docs): rendered like the submissions API. */
    OTHER(false);

    private final boolean numericCode;
    private final String[] prefixes;

    ApiFamily(boolean numericCode, String... prefixes) {
        this.numericCode = numericCode;
        this.prefixes = prefixes;
    }

    /** The family of a request path (without query string). */
    static ApiFamily of(String path) {
        if (path == null) {
            return OTHER;
        }
        for (ApiFamily family : values()) {
            for (String prefix : family.prefixes) {
                if (path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1))) {
                    return family;
                }
            }
        }
        return OTHER;
    }

    /** True when the error {@code code} is the integer web code, false when it is the reason string. */
    boolean numericCode() {
        return numericCode;
    }

    /** Renders {@code {"code":...,"message":...}} in this family's shape. */
    String errorBody(ApiError error) {
        final StringBuilder sb = new StringBuilder(64 + error.message().length());
        sb.append("{\"code\":");
        if (numericCode) {
            sb.append(error.webCode());
        } else {
            Json.appendString(sb, error.reason());
        }
        sb.append(",\"message\":");
        Json.appendString(sb, error.message());
        if (error.dataJson() != null) {
            sb.append(",\"data\":").append(error.dataJson());
        }
        return sb.append('}').toString();
    }
}
