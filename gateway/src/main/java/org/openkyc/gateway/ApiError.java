package org.openkyc.gateway;

import java.util.Objects;

import com.linecorp.armeria.common.HttpStatus;

/**
 * One error as the API families show it: HTTP status, machine-readable reason (family A/B
 * {@code code}), integer web code (family C {@code code}), a human message, rarely a result the
 * error still carries (family C {@code data}, JSON; null when there is none), and the seconds after
 * which a retry may succeed ({@code Retry-After}; 0 when there is no advice).
 */
record ApiError(HttpStatus status, String reason, int webCode, String message, String dataJson,
                long retryAfterSeconds) {

    private static final int MAX_MESSAGE_LENGTH = 500;

    ApiError {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        if (webCode == 0) {
            webCode = status.code() * 100; // 0 means success in the KYC family: never use it for an error.
        }
        message = clean(message);
    }

    /** An error without retry advice. */
    ApiError(HttpStatus status, String reason, int webCode, String message, String dataJson) {
        this(status, reason, webCode, message, dataJson, 0);
    }

    /** The same error with retry advice. */
    ApiError withRetryAfter(long seconds) {
        return new ApiError(status, reason, webCode, message, dataJson, seconds);
    }

    /** An error without a result to show. */
    ApiError(HttpStatus status, String reason, int webCode, String message) {
        this(status, reason, webCode, message, null);
    }

    /** An error whose web code is derived from the HTTP status. */
    static ApiError of(HttpStatus status, String reason, String message) {
        return new ApiError(status, reason, status.code() * 100, message, null);
    }

    /** Collapses control characters and bounds the length of a message shown to clients. */
    private static String clean(String message) {
        if (message == null || message.isBlank()) {
            return "Error";
        }
        final StringBuilder sb = new StringBuilder(Math.min(message.length(), MAX_MESSAGE_LENGTH));
        for (int i = 0; i < message.length() && sb.length() < MAX_MESSAGE_LENGTH; i++) {
            final char c = message.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString().trim();
    }
}
