package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;

import io.grpc.Status;

class ErrorsTest {

    private static final AggregatedHttpResponse NO_DETAILS = AggregatedHttpResponse.of(HttpStatus.OK);

    @Test
    void familiesByPathPrefix() {
        assertThat(ApiFamily.of("/v2/submission")).isEqualTo(ApiFamily.SUBMISSIONS);
        assertThat(ApiFamily.of("/v1/verifications")).isEqualTo(ApiFamily.VERIFICATIONS);
        assertThat(ApiFamily.of("/api/web/kycService/submit")).isEqualTo(ApiFamily.KYC);
        assertThat(ApiFamily.of("/admin/kyc/list")).isEqualTo(ApiFamily.KYC);
        assertThat(ApiFamily.of("/admin/kycx")).isEqualTo(ApiFamily.OTHER);
        assertThat(ApiFamily.of("/v20/x")).isEqualTo(ApiFamily.OTHER);
        assertThat(ApiFamily.of(null)).isEqualTo(ApiFamily.OTHER);
    }

    @Test
    void bodiesPerFamily() {
        final ApiError error = ApiError.of(HttpStatus.NOT_FOUND, "SUBMISSION_NOT_FOUND", "Not \"here\"\n");
        assertThat(ApiFamily.SUBMISSIONS.errorBody(error))
                .isEqualTo("{\"code\":\"SUBMISSION_NOT_FOUND\",\"message\":\"Not \\\"here\\\"\"}");
        assertThat(ApiFamily.KYC.errorBody(error)).isEqualTo("{\"code\":40400,\"message\":\"Not \\\"here\\\"\"}");
    }

    @Test
    void derivesStatusReasonAndWebCodeWithoutErrorInfo() {
        assertThat(map(Status.INVALID_ARGUMENT, NO_DETAILS))
                .isEqualTo(new ApiError(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", 40000,
                                        "Request body has a wrong type or value for a field"));
        assertThat(map(Status.OUT_OF_RANGE, NO_DETAILS).status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(map(Status.UNAUTHENTICATED, NO_DETAILS).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(map(Status.PERMISSION_DENIED, NO_DETAILS).status()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(map(Status.NOT_FOUND, NO_DETAILS).webCode()).isEqualTo(40400);
        assertThat(map(Status.ALREADY_EXISTS, NO_DETAILS).status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(map(Status.ABORTED, NO_DETAILS).status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(map(Status.FAILED_PRECONDITION, NO_DETAILS).status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(map(Status.RESOURCE_EXHAUSTED, NO_DETAILS).status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(map(Status.UNIMPLEMENTED, NO_DETAILS).status()).isEqualTo(HttpStatus.NOT_IMPLEMENTED);
        assertThat(map(Status.UNAVAILABLE, NO_DETAILS).status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(map(Status.DEADLINE_EXCEEDED, NO_DETAILS).status()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(map(Status.INTERNAL, NO_DETAILS))
                .isEqualTo(new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL", 50000, "Internal error"));
        assertThat(map(Status.UNKNOWN, NO_DETAILS).status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }

    @Test
    void internalDetailsNeverBecomeTheMessage() {
        assertThat(map(Status.UNAVAILABLE.withDescription("Connection refused: /10.0.0.7:9090"), NO_DETAILS)
                           .message()).isEqualTo("The service is temporarily unavailable; retry later");
        assertThat(map(Status.INTERNAL.withDescription("java.lang.NullPointerException at x.Y(Y.java:1)"),
                       NO_DETAILS).message()).isEqualTo("Internal error");
        assertThat(map(Status.INVALID_ARGUMENT.withDescription("com.google.protobuf.InvalidProtocolBufferException: x"),
                       NO_DETAILS).message()).isEqualTo("Request body has a wrong type or value for a field");
        assertThat(map(Status.NOT_FOUND.withDescription("No such profile"), NO_DETAILS).message())
                .isEqualTo("No such profile");
        assertThat(map(Status.INVALID_ARGUMENT.withDescription("email must look like name@example.com."),
                       NO_DETAILS).message()).isEqualTo("email must look like name@example.com.");
    }

    @Test
    void usesErrorInfoFromStatusDetails() {
        final ErrorInfo info = ErrorInfo.newBuilder().setReason("LIVENESS_FAILED").setDomain("openkyc")
                                        .putMetadata("http_status", "422").putMetadata("web_code", "20001")
                                        .build();
        final com.google.rpc.Status details = com.google.rpc.Status.newBuilder()
                                                                   .setCode(Status.Code.FAILED_PRECONDITION.value())
                                                                   .addDetails(Any.pack(info)).build();
        final String encoded = Base64.getEncoder().withoutPadding().encodeToString(details.toByteArray());
        final AggregatedHttpResponse withTrailers = AggregatedHttpResponse.of(
                ResponseHeaders.of(HttpStatus.OK), HttpData.empty(),
                HttpHeaders.of("grpc-status-details-bin", encoded));
        final ApiError error = map(Status.FAILED_PRECONDITION.withDescription("Liveness check failed"), withTrailers);
        assertThat(error).isEqualTo(new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, "LIVENESS_FAILED", 20001,
                                                 "Liveness check failed"));

        final AggregatedHttpResponse inHeaders = AggregatedHttpResponse.of(
                ResponseHeaders.builder(HttpStatus.OK).set("grpc-status-details-bin", encoded).build());
        assertThat(map(Status.FAILED_PRECONDITION, inHeaders).reason()).isEqualTo("LIVENESS_FAILED");
        assertThat(map(Status.FAILED_PRECONDITION, inHeaders).message())
                .isEqualTo("The request cannot be done in the current state");
    }

    @Test
    void anErrorThatCarriesAResultShowsItAsDataInTheWebFamily() {
        final ErrorInfo info = ErrorInfo.newBuilder().setReason("LIVENESS_FAILED").setDomain("openkyc")
                                        .putMetadata("http_status", "422").putMetadata("web_code", "20001")
                                        .build();
        final org.openkyc.api.kyc.v1.VerifyLivenessResponse data =
                org.openkyc.api.kyc.v1.VerifyLivenessResponse.newBuilder().setPassed(false).setConfidence(12.5)
                        .addList(org.openkyc.api.kyc.v1.ActionResult.newBuilder()
                                         .setAction(org.openkyc.api.kyc.v1.LivenessAction.Value.BLINK)
                                         .setPassed(false).setScore(12.5).setReason("ACTION_NOT_SEEN"))
                        .build();
        final com.google.rpc.Status details = com.google.rpc.Status.newBuilder()
                                                                   .setCode(Status.Code.INVALID_ARGUMENT.value())
                                                                   .addDetails(Any.pack(info))
                                                                   .addDetails(Any.pack(data)).build();
        final AggregatedHttpResponse withTrailers = AggregatedHttpResponse.of(
                ResponseHeaders.of(HttpStatus.OK), HttpData.empty(),
                HttpHeaders.of("grpc-status-details-bin",
                               Base64.getEncoder().encodeToString(details.toByteArray())));
        final ApiError error = map(Status.INVALID_ARGUMENT.withDescription("Liveness verification failed"),
                                   withTrailers);
        assertThat(error.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
        assertThat(ApiFamily.KYC.errorBody(error)).isEqualTo(
                "{\"code\":20001,\"message\":\"Liveness verification failed\",\"data\":{\"passed\":false,"
                + "\"confidence\":12.5,\"list\":[{\"action\":\"BLINK\",\"passed\":false,\"score\":12.5,"
                + "\"reason\":\"ACTION_NOT_SEEN\",\"decidingFramesMs\":[]}]}}");
        // A detail of a type the gateway does not know is never printed.
        final com.google.rpc.Status foreign = details.toBuilder().setDetails(1, Any.pack(
                com.google.protobuf.StringValue.of("internal"))).build();
        assertThat(Errors.fromGrpc(Status.INVALID_ARGUMENT, withTrailer(foreign)).dataJson()).isNull();
    }

    private static AggregatedHttpResponse withTrailer(com.google.rpc.Status details) {
        return AggregatedHttpResponse.of(ResponseHeaders.of(HttpStatus.OK), HttpData.empty(),
                                         HttpHeaders.of("grpc-status-details-bin",
                                                        Base64.getEncoder().encodeToString(details.toByteArray())));
    }

    @Test
    void httpLevelErrors() {
        assertThat(Errors.fromHttp(HttpStatus.METHOD_NOT_ALLOWED, null))
                .isEqualTo(new ApiError(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", 40500,
                                        "This route does not accept this HTTP method"));
        assertThat(Errors.fromHttp(HttpStatus.REQUEST_ENTITY_TOO_LARGE, null).reason()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(Errors.fromHttp(HttpStatus.UNSUPPORTED_MEDIA_TYPE, null).reason())
                .isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void grpcMethodPaths() {
        assertThat(ApiDecorator.isGrpcMethodPath("/openkyc.kyc.v1.KycService/Submit")).isTrue();
        assertThat(ApiDecorator.isGrpcMethodPath("/v2/submission")).isFalse();
        assertThat(ApiDecorator.isGrpcMethodPath("/v2/report.pdf")).isFalse();
        assertThat(ApiDecorator.isGrpcMethodPath("/api/web/kycService/submit")).isFalse();
    }

    private static ApiError map(Status status, AggregatedHttpResponse response) {
        return Errors.fromGrpc(status, response);
    }
}
