package org.openkyc.testing;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * An error as the real server sends it: a gRPC status whose details carry a {@code google.rpc.ErrorInfo} with the
 * documented reason (docs/API.md), domain {@code openkyc} and the HTTP status the REST API would answer.
 */
public final class FakeError {

    private FakeError() {
    }

    /** An error with this gRPC code, documented reason (e.g. {@code PROFILE_NOT_FOUND}), HTTP status and message. */
    public static StatusRuntimeException of(Status.Code code, String reason, int httpStatus, String message) {
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(code.value())
                .setMessage(message)
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain("openkyc")
                        .putMetadata("http_status", Integer.toString(httpStatus)).build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    static StatusRuntimeException profileNotFound(String profileId) {
        return of(Status.Code.NOT_FOUND, "PROFILE_NOT_FOUND", 404, "Profile not found: " + profileId);
    }

    static StatusRuntimeException documentNotFound(long documentId) {
        return of(Status.Code.NOT_FOUND, "DOCUMENT_NOT_FOUND", 404, "Document not found: " + documentId);
    }

    static StatusRuntimeException invalid(String message) {
        return of(Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT", 400, message);
    }
}
