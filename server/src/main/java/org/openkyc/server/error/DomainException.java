package org.openkyc.server.error;

import java.util.Objects;

/**
 * A failure the caller should hear about: a stable {@link ErrorCode} and a
 * message safe to show to the caller (no internals, no personal data).
 */
public class DomainException extends RuntimeException {

    private final ErrorCode code;
    private final java.time.Duration retryAfter;
    private final java.util.List<FieldViolation> violations;

    public DomainException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * An error the caller may retry after the given time (answered as {@code google.rpc.RetryInfo} over
     * gRPC and {@code Retry-After} over HTTP); null when there is no advice.
     */
    public DomainException(ErrorCode code, String message, java.time.Duration retryAfter) {
        this(code, message, retryAfter, java.util.List.of());
    }

    /**
     * An error naming the request fields that are not valid (answered as {@code google.rpc.BadRequest} over
     * gRPC; REST shows the message only).
     */
    public DomainException(ErrorCode code, String message, java.time.Duration retryAfter,
            java.util.List<FieldViolation> violations) {
        super(Objects.requireNonNull(message));
        this.code = Objects.requireNonNull(code);
        this.retryAfter = retryAfter;
        this.violations = java.util.List.copyOf(violations);
    }

    public ErrorCode code() {
        return code;
    }

    /** When the caller may retry, if the error says. */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    /** The fields this error names as not valid; empty when it names none. */
    public java.util.List<FieldViolation> violations() {
        return violations;
    }

    public static DomainException invalid(String message) {
        return new DomainException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /**
     * INVALID_ARGUMENT for one request field, named as the API documents it; {@code message} is what the caller
     * reads (it names the field too, and never quotes the value).
     */
    public static DomainException invalidField(String field, String message) {
        return new DomainException(ErrorCode.INVALID_ARGUMENT, message, null,
                java.util.List.of(new FieldViolation(field, message)));
    }

    public static DomainException submissionNotFound(String id) {
        return new DomainException(ErrorCode.SUBMISSION_NOT_FOUND, "Submission #" + id + " not found");
    }

    public static DomainException profileNotFound(String id) {
        return new DomainException(ErrorCode.PROFILE_NOT_FOUND, "Profile " + id + " not found");
    }
}
