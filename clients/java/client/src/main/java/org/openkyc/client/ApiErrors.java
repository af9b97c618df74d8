package org.openkyc.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads an OpenKYC error: every error the server sends carries a {@code google.rpc.ErrorInfo} whose reason is
 * the documented error code (docs/API.md), e.g. {@code PROFILE_NOT_FOUND}, and, when a retry later can
 * succeed, a {@code google.rpc.RetryInfo}; {@link #detail} reads any other detail.
 */
public final class ApiErrors {

    private ApiErrors() {
    }

    /** The error's {@code ErrorInfo}, when it carries one. */
    public static Optional<ErrorInfo> errorInfo(Throwable error) {
        return detail(error, ErrorInfo.class);
    }

    /** The documented reason of the error (e.g. {@code PROFILE_NOT_FOUND}), when it carries one. */
    public static Optional<String> reason(Throwable error) {
        return errorInfo(error).map(ErrorInfo::getReason);
    }

    /** How long to wait before trying again, when the server said so. */
    public static Optional<Duration> retryAfter(Throwable error) {
        return detail(error, RetryInfo.class).map(r -> Duration.ofSeconds(r.getRetryDelay().getSeconds(),
                r.getRetryDelay().getNanos()));
    }

    /**
     * A detail of the error's status by type: e.g. {@code com.google.rpc.BadRequest} (one violation per invalid
     * field), {@code com.google.rpc.RequestInfo} (the request id), or the result a failure still carries: an
     * {@code UploadDocumentResponse} of a refused upload, a {@code VerifyLivenessResponse} of a failed liveness
     * check.
     */
    public static <T extends com.google.protobuf.Message> Optional<T> detail(Throwable error, Class<T> type) {
        com.google.rpc.Status status = error == null ? null : StatusProto.fromThrowable(error);
        if (status == null) {
            return Optional.empty();
        }
        for (com.google.protobuf.Any any : status.getDetailsList()) {
            if (any.is(type)) {
                try {
                    return Optional.of(any.unpack(type));
                } catch (InvalidProtocolBufferException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
