package org.openkyc.server.error;

import java.util.Objects;

/**
 * One field of a request that is not valid: the field as the API documents it ({@code userId},
 * {@code fields.birthDate}) and why, in words safe to show the caller. Answered over gRPC as a
 * {@code google.rpc.BadRequest.FieldViolation}.
 */
public record FieldViolation(String field, String description) {

    public FieldViolation {
        Objects.requireNonNull(field);
        Objects.requireNonNull(description);
    }
}
