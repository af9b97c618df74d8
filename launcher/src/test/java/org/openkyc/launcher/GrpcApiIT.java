package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.GetProfileDetailRequest;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.ListProfilesRequest;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.UpdateStatusRequest;
import org.openkyc.api.submissions.v2.DeleteSubmissionRequest;
import org.openkyc.api.submissions.v2.GetSubmissionsRequest;
import org.openkyc.api.submissions.v2.KycResult;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;

/** Every route of this issue through the gRPC stubs, as internal services call them. */
class GrpcApiIT {

    private final TestProduct p = TestProduct.get();

    private KycServiceGrpc.KycServiceBlockingStub web(String key) {
        return p.withKey(KycServiceGrpc.newBlockingStub(p.channel), key);
    }

    private KycAdminServiceGrpc.KycAdminServiceBlockingStub admin(String key) {
        return p.withKey(KycAdminServiceGrpc.newBlockingStub(p.channel), key);
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub submissions(String key) {
        return p.withKey(SubmissionServiceGrpc.newBlockingStub(p.channel), key);
    }


    @Test
    void journeyThroughGrpc() {
        var created = web(p.clientKeyA).submit(SubmitRequest.newBuilder().setUserId("grpc_user").setCountry("kr").build());
        assertThat(created.getProfileId()).isNotBlank();
        String id = created.getProfileId();

        var status = web(p.clientKeyA).getStatus(GetStatusRequest.newBuilder().setProfileId(id).build());
        assertThat(status.getStatus().getOverallStatus()).isEqualTo("incomplete");

        var list = submissions(p.clientKeyA).getSubmissions(GetSubmissionsRequest.newBuilder().setSubmissionId(id).build());
        assertThat(list.getItemsList()).singleElement().satisfies(s -> {
            assertThat(s.getSubmissionId()).isEqualTo(id);
            assertThat(s.getKyc().getResult()).isEqualTo(KycResult.Value.incomplete);
        });

        var changed = admin(p.adminKeyA).updateStatus(UpdateStatusRequest.newBuilder().setProfileId(id).setStatus(2)
                .setRemark("ok").build());
        assertThat(changed.getToStatus()).isEqualTo("approved");
        var detail = admin(p.adminKeyA).getProfileDetail(GetProfileDetailRequest.newBuilder().setProfileId(id).build());
        assertThat(detail.getHistoryList()).hasSize(2);
        assertThat(detail.getProfile().getCountry()).isEqualTo("KR");
        var page = admin(p.adminKeyA).listProfiles(ListProfilesRequest.newBuilder().addProfileIds(id).build());
        assertThat(page.getListList()).singleElement()
                .satisfies(s -> assertThat(s.getStatus()).isEqualTo("approved"));
        assertThat(submissions(p.clientKeyA).getSubmissions(GetSubmissionsRequest.newBuilder().setSubmissionId(id)
                .build()).getItems(0).getKyc().getResult()).isEqualTo(KycResult.Value.approved);

        var deleted = submissions(p.clientKeyA).deleteSubmission(DeleteSubmissionRequest.newBuilder()
                .setSubmissionId(id).build());
        assertThat(deleted.getContent()).isEqualTo("Submission #" + id + " deleted successfully.");
        assertThatThrownBy(() -> submissions(p.clientKeyA).getSubmissions(GetSubmissionsRequest.newBuilder()
                .setSubmissionId(id).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(TestProduct.errorInfo(e).getReason()).isEqualTo("SUBMISSION_NOT_FOUND");
                    assertThat(TestProduct.errorInfo(e).getMetadataMap()).containsEntry("http_status", "404");
                });
    }

    @Test
    void keysAndRolesAreEnforced() {
        assertThatThrownBy(() -> KycServiceGrpc.newBlockingStub(p.channel)
                .submit(SubmitRequest.newBuilder().setUserId("u").setCountry("SG").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> admin(p.clientKeyA).listProfiles(ListProfilesRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(TestProduct.errorInfo(e).getReason()).isEqualTo("PERMISSION_DENIED");
                });
    }

    @Test
    void revokedKeyStopsWorkingAtOnce() {
        var t = p.product.server().tenants();
        var issued = t.issueKey("acme", org.openkyc.server.auth.Role.CLIENT, "short-lived");
        assertThat(web(issued.secret()).submit(SubmitRequest.newBuilder().setUserId("u").setCountry("SG").build())
                .getProfileId()).isNotBlank();
        assertThat(t.revokeKey(issued.keyId())).isTrue();
        assertThatThrownBy(() -> web(issued.secret()).submit(SubmitRequest.newBuilder().setUserId("u")
                .setCountry("SG").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void otherTenantGetsNotFound() {
        String id = web(p.clientKeyA).submit(SubmitRequest.newBuilder().setUserId("u").setCountry("SG").build())
                .getProfileId();
        assertThatThrownBy(() -> submissions(p.clientKeyB).deleteSubmission(DeleteSubmissionRequest.newBuilder()
                .setSubmissionId(id).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(web(p.clientKeyA).getStatus(GetStatusRequest.newBuilder().setProfileId(id).build()).getStatus()
                .getProfileId()).isEqualTo(id);
    }

    @Test
    void invalidInputIsInvalidArgumentNamingTheField() {
        assertThatThrownBy(() -> web(p.clientKeyA).submit(SubmitRequest.newBuilder().setUserId("u").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("country");
                });
    }

    @Test
    void aMethodTheServiceDoesNotHaveAnswersUnimplemented() {
        // Every declared KYC web RPC has behaviour now; a method name the service does not declare is refused
        // by the server itself, with or without a key, before any handler runs.
        io.grpc.MethodDescriptor<com.google.protobuf.Empty, com.google.protobuf.Empty> unknown =
                io.grpc.MethodDescriptor.<com.google.protobuf.Empty, com.google.protobuf.Empty>newBuilder()
                        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(
                                KycServiceGrpc.SERVICE_NAME, "NoSuchMethod"))
                        .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                                com.google.protobuf.Empty.getDefaultInstance()))
                        .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                                com.google.protobuf.Empty.getDefaultInstance()))
                        .build();
        io.grpc.Metadata md = new io.grpc.Metadata();
        md.put(io.grpc.Metadata.Key.of("x-api-key", io.grpc.Metadata.ASCII_STRING_MARSHALLER), p.clientKeyA);
        io.grpc.Channel withKey = io.grpc.ClientInterceptors.intercept(p.channel,
                io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(md));
        assertThatThrownBy(() -> io.grpc.stub.ClientCalls.blockingUnaryCall(withKey, unknown,
                io.grpc.CallOptions.DEFAULT, com.google.protobuf.Empty.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
                    assertThat(e.getStatus().getDescription()).contains("NoSuchMethod");
                });
    }

    @Test
    void healthIsServingWithoutAKey() {
        HealthCheckResponse r = HealthGrpc.newBlockingStub(p.channel).check(HealthCheckRequest.getDefaultInstance());
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
}
