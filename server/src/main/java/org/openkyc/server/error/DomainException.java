package org.openkyc.server.error;

import java.util.Objects;

/**
 * A failure the caller should hear about: a stable {@link ErrorCode} and a
 * message safe to show to the caller (no internals, no personal data).
 */
public class DomainException extends RuntimeException {

    private final ErrorCode code;

    public DomainException(ErrorCode code, String message) {
        super(Objects.requireNonNull(message));
        this.code = Objects.requireNonNull(code);
    }

    public ErrorCode code() {
        return code;
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
