package org.openkyc.server.error;

/**
 * Every error the product reports, with its stable reason, the HTTP status the
 * gateway answers and the numeric code of the KYC web API family. The gRPC
 * status is derived from the HTTP status in {@link ErrorMapper}.
 */
public enum ErrorCode {
    INVALID_ARGUMENT(400, 40000),
    UNAUTHENTICATED(401, 40100),
    PERMISSION_DENIED(403, 40300),
    SUBMISSION_NOT_FOUND(404, 40400),
    PROFILE_NOT_FOUND(404, 40401),
    DOCUMENT_NOT_FOUND(404, 40402),
    SCREENING_NOT_FOUND(404, 40403),
    NOT_FOUND(404, 40404),
    CONFLICT(409, 40900),
    /**
     * Another call with the same Idempotency-Key is still being answered: HTTP 409 with
     * {@code Retry-After}, gRPC ABORTED with a {@code google.rpc.RetryInfo}.
     */
    IDEMPOTENCY_KEY_IN_PROGRESS(409, 40901, io.grpc.Status.Code.ABORTED),
    PAYLOAD_TOO_LARGE(413, 41300),
    UNSUPPORTED_MEDIA_TYPE(415, 41500),
    UNPROCESSABLE_IMAGE(422, 42200),
    /** An address that resolves to no known place (A5). */
    ADDRESS_NOT_FOUND(422, 42201),
    SANCTIONS_LIST_REJECTED(422, 42202),
    /** A document upload whose images cannot be used (C1): the answer carries the quality scores. */
    DOCUMENT_REJECTED(422, 42203),
    /** A liveness verify that did not pass (C2): the seed's code 20001, with the results in data.list. */
    LIVENESS_FAILED(422, 20001),
    /** An Idempotency-Key already used by this tenant for another request (another route or other content). */
    IDEMPOTENCY_KEY_REUSED(422, 42204),
    RATE_LIMITED(429, 42900),
    INTERNAL(500, 50000),
    UNAVAILABLE(503, 50300),
    /**
     * The server is at its configured capacity for heavy work (image and video analysis): HTTP 503
     * with {@code Retry-After}, gRPC RESOURCE_EXHAUSTED with a {@code google.rpc.RetryInfo}.
     */
    SERVER_BUSY(503, 50301, io.grpc.Status.Code.RESOURCE_EXHAUSTED);

    private final int httpStatus;
    private final int webCode;
    private final io.grpc.Status.Code grpcCode;

    ErrorCode(int httpStatus, int webCode) {
        this(httpStatus, webCode, null);
    }

    ErrorCode(int httpStatus, int webCode, io.grpc.Status.Code grpcCode) {
        this.httpStatus = httpStatus;
        this.webCode = webCode;
        this.grpcCode = grpcCode != null ? grpcCode : ErrorMapper.grpcCode(httpStatus);
    }

    /** The gRPC status code this error is answered with. */
    public io.grpc.Status.Code grpcCode() {
        return grpcCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int webCode() {
        return webCode;
    }
}
