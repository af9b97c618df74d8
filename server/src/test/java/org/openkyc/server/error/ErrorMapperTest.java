package org.openkyc.server.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RequestInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

    @Test
    void domainErrorsCarryReasonAndHttpMapping() throws Exception {
        StatusRuntimeException e = ErrorMapper.toStatusException(DomainException.submissionNotFound("abc"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        ErrorInfo info = StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("SUBMISSION_NOT_FOUND");
        assertThat(info.getDomain()).isEqualTo("openkyc");
        assertThat(info.getMetadataMap()).containsEntry("http_status", "404").containsEntry("web_code", "40400");
    }

    @Test
    void unexpectedFailuresRevealNothing() {
        StatusRuntimeException e = ErrorMapper.toStatusException(
                new IllegalStateException("SELECT * FROM kyc_cases WHERE name='Anna'"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(e.getStatus().getDescription()).isEqualTo("Internal error");
    }

    @Test
    void anInvalidFieldIsNamedInABadRequestDetailAndTheMessageStaysAsWritten() throws Exception {
        StatusRuntimeException e = ErrorMapper.toStatusException(
                DomainException.invalidField("userId", "userId is longer than 255 characters"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).isEqualTo("userId is longer than 255 characters");
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status.getDetails(0).unpack(ErrorInfo.class).getReason()).isEqualTo("INVALID_ARGUMENT");
        BadRequest bad = detail(status, BadRequest.class);
        assertThat(bad.getFieldViolationsList()).singleElement().satisfies(v -> {
            assertThat(v.getField()).isEqualTo("userId");
            assertThat(v.getDescription()).isEqualTo("userId is longer than 255 characters");
        });
        // An error that names no field has no BadRequest.
        assertThat(StatusProto.fromThrowable(ErrorMapper.toStatusException(DomainException.invalid("Bad")))
                .getDetailsList()).noneMatch(d -> d.is(BadRequest.class));
    }

    @Test
    void retryAdviceIsARetryInfo() throws Exception {
        StatusRuntimeException e = ErrorMapper.toStatusException(new DomainException(ErrorCode.SERVER_BUSY,
                "Busy; retry later", java.time.Duration.ofMillis(1500)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(detail(StatusProto.fromThrowable(e), RetryInfo.class).getRetryDelay().getSeconds())
                .isEqualTo(2);
    }

    @Test
    void aFailedCallCarriesItsRequestIdBesideTheDetailsAlreadyThere() throws Exception {
        StatusRuntimeException e = ErrorMapper.toStatusException(DomainException.profileNotFound("p1"));
        Metadata trailers = ErrorMapper.withRequestInfo(e.getStatus(), e.getTrailers(), "req-1");
        com.google.rpc.Status status = StatusProto.fromStatusAndTrailers(e.getStatus(), trailers);
        assertThat(status.getDetails(0).unpack(ErrorInfo.class).getReason()).isEqualTo("PROFILE_NOT_FOUND");
        assertThat(detail(status, RequestInfo.class).getRequestId()).isEqualTo("req-1");
        // Once only.
        trailers = ErrorMapper.withRequestInfo(e.getStatus(), trailers, "req-2");
        assertThat(StatusProto.fromStatusAndTrailers(e.getStatus(), trailers).getDetailsList())
                .filteredOn(d -> d.is(RequestInfo.class)).hasSize(1);
        // A status closed without details (by the transport or a library) gets the request id alone.
        Status bare = Status.CANCELLED.withDescription("gone");
        com.google.rpc.Status only = StatusProto.fromStatusAndTrailers(bare,
                ErrorMapper.withRequestInfo(bare, new Metadata(), "req-3"));
        assertThat(only.getCode()).isEqualTo(Status.Code.CANCELLED.value());
        assertThat(only.getMessage()).isEqualTo("gone");
        assertThat(detail(only, RequestInfo.class).getRequestId()).isEqualTo("req-3");
    }

    @Test
    void theCallersRequestIdIsKeptWhenItIsAShortTokenElseANewOneIsMade() {
        Metadata given = new Metadata();
        given.put(ErrorMapper.REQUEST_ID, "abc-123");
        assertThat(ErrorMapper.requestId(given)).isEqualTo("abc-123");
        Metadata odd = new Metadata();
        odd.put(ErrorMapper.REQUEST_ID, "a b<script>");
        assertThat(ErrorMapper.requestId(odd)).matches("[0-9a-f]{24}");
        assertThat(ErrorMapper.requestId(new Metadata())).matches("[0-9a-f]{24}")
                .isNotEqualTo(ErrorMapper.requestId(new Metadata()));
    }

    private static <T extends com.google.protobuf.Message> T detail(com.google.rpc.Status status, Class<T> type)
            throws Exception {
        for (Any d : status.getDetailsList()) {
            if (d.is(type)) {
                return d.unpack(type);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + status);
    }
}
