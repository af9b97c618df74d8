package org.openkyc.server.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
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
}
