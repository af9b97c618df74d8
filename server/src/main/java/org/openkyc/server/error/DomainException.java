package org.openkyc.server.error;

import java.util.Objects;

/**
 * A failure the caller should hear about: a stable {@link ErrorCode} and a
 * message safe to show to the caller (no internals, no personal data).
 */
public class DomainException extends RuntimeException {

    private final ErrorCode code;
    private final java.time.Duration retryAfter;

    public DomainException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * An error the caller may retry after the given time (answered as {@code google.rpc.RetryInfo} over
     * gRPC and {@code Retry-After} over HTTP); null when there is no advice.
     */
    public DomainException(ErrorCode code, String message, java.time.Duration retryAfter) {
        super(Objects.requireNonNull(message));
        this.code = Objects.requireNonNull(code);
        this.retryAfter = retryAfter;
    }

    public ErrorCode code() {
        return code;
    }

    /** When the caller may retry, if the error says. */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    public static DomainException invalid(String message) {
        return new DomainException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static DomainException submissionNotFound(String id) {
        return new DomainException(ErrorCode.SUBMISSION_NOT_FOUND, "Submission #" + id + " not found");
    }

    public static DomainException profileNotFound(String id) {
        return new DomainException(ErrorCode.PROFILE_NOT_FOUND, "Profile " + id + " not found");
    }
}
