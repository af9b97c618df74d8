package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RequestInfo;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.GetLivenessSessionRequest;
import org.openkyc.api.kyc.v1.GetLivenessSessionResponse;
import org.openkyc.api.kyc.v1.GetProfileDetailRequest;
import org.openkyc.api.kyc.v1.GetProfileDetailResponse;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.GetStatusResponse;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.ListProfilesRequest;
import org.openkyc.api.kyc.v1.ListProfilesResponse;
import org.openkyc.api.kyc.v1.StartLivenessRequest;
import org.openkyc.api.kyc.v1.StartLivenessResponse;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;
import org.openkyc.api.kyc.v1.UpdateStatusRequest;
import org.openkyc.api.kyc.v1.UpdateStatusResponse;

/**
 * The KYC web and admin families over gRPC answer their data message itself (no code, message or data
 * wrapper), on the server's port and through the gateway's HTTPS port alike, while REST keeps
 * {@code {"code":0,"message":...,"data":...}} byte for byte. A failure is a gRPC status with standard
 * details: ErrorInfo, BadRequest naming the field, RequestInfo with the request id.
 */
class GrpcPlainAnswersIT {

    private static final TestProduct p = TestProduct.get();
    private static final String WEB = "/api/web/kycService";
    private static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    /** gRPC on the gateway's public HTTPS port. */
    private static ManagedChannel gateway;

    @BeforeAll
    static void channel() throws java.io.IOException {
        gateway = Grpc.newChannelBuilderForAddress("127.0.0.1", p.product.gateway().httpsPort(),
                TlsChannelCredentials.newBuilder().trustManager(p.product.gateway().certificateFile().toFile())
                        .build()).build();
    }

    @AfterAll
    static void close() throws InterruptedException {
        gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static <S extends AbstractStub<S>> S stub(S stub, String key) {
        return p.withKey(stub.withDeadlineAfter(60, TimeUnit.SECONDS), key);
    }

    private static KycServiceGrpc.KycServiceBlockingStub web(String key) {
        return stub(KycServiceGrpc.newBlockingStub(p.channel), key);
    }

    private static KycAdminServiceGrpc.KycAdminServiceBlockingStub admin(String key) {
        return stub(KycAdminServiceGrpc.newBlockingStub(p.channel), key);
    }

    @Test
    void everyAnswerIsTheDataMessageItself() {
        SubmitResponse created = web(p.clientKeyA).submit(SubmitRequest.newBuilder().setUserId("plain_answers")
                .setCountry("KR").build());
        assertThat(created.getProfileId()).isNotBlank();
        plain(created);
        String id = created.getProfileId();

        GetStatusResponse status = web(p.clientKeyA).getStatus(GetStatusRequest.newBuilder().setProfileId(id).build());
        assertThat(status.getStatus().getProfileId()).isEqualTo(id);
        assertThat(status.getStatus().getOverallStatus()).isEqualTo("incomplete");
        plain(status);

        StartLivenessResponse started = web(p.clientKeyA).startLiveness(StartLivenessRequest.newBuilder()
                .setProfileId(id).build());
        assertThat(started.getActionsCount()).isEqualTo(3);
        plain(started);
        GetLivenessSessionResponse session = web(p.clientKeyA).getLivenessSession(GetLivenessSessionRequest
                .newBuilder().setSessionId(started.getSessionId()).build());
        assertThat(session.getSessionId()).isEqualTo(started.getSessionId());
        assertThat(session.getProfileId()).isEqualTo(id);
        assertThat(session.getStatus()).isEqualTo("created");
        assertThat(session.getActionsList()).isEqualTo(started.getActionsList());
        plain(session);

        UpdateStatusResponse changed = admin(p.adminKeyA).updateStatus(UpdateStatusRequest.newBuilder()
                .setProfileId(id).setStatus(2).setRemark("checked").build());
        assertThat(changed.getProfileId()).isEqualTo(id);
        assertThat(changed.getToStatus()).isEqualTo("approved");
        plain(changed);
        GetProfileDetailResponse detail = admin(p.adminKeyA).getProfileDetail(GetProfileDetailRequest.newBuilder()
                .setProfileId(id).build());
        assertThat(detail.getProfile().getProfileId()).isEqualTo(id);
        assertThat(detail.getHistoryList()).hasSize(2);
        plain(detail);
        ListProfilesResponse page = admin(p.adminKeyA).listProfiles(ListProfilesRequest.newBuilder()
                .addProfileIds(id).build());
        assertThat(page.getListList()).singleElement().satisfies(s -> assertThat(s.getStatus()).isEqualTo("approved"));
        assertThat(page.getTotal()).isEqualTo(1);
        assertThat(page.getPage()).isEqualTo(1);
        plain(page);

        // Through the gateway's HTTPS port the same: the data message, nothing around it.
        SubmitResponse viaGateway = stub(KycServiceGrpc.newBlockingStub(gateway), p.clientKeyA)
                .submit(SubmitRequest.newBuilder().setUserId("plain_answers_gw").setCountry("SG").build());
        assertThat(viaGateway.getProfileId()).isNotBlank();
        plain(viaGateway);
        GetStatusResponse statusViaGateway = stub(KycServiceGrpc.newBlockingStub(gateway), p.clientKeyA)
                .getStatus(GetStatusRequest.newBuilder().setProfileId(viaGateway.getProfileId()).build());
        assertThat(statusViaGateway.getStatus().getProfileId()).isEqualTo(viaGateway.getProfileId());
        plain(statusViaGateway);
    }

    @Test
    void restKeepsItsEnvelopeByteForByte() {
        HttpResponse<String> created = p.call("POST", WEB + "/submit", p.clientKeyA,
                "{\"userId\":\"plain_rest\",\"country\":\"SG\"}");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("content-type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        String id = TestProduct.json(created).getAsJsonObject("data").get("profileId").getAsString();
        assertThat(created.body()).isEqualTo("{\"code\":0,\"message\":\"success\",\"data\":{\"profileId\":\"" + id
                + "\"}}");

        HttpResponse<String> changed = p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                "{\"profileId\":\"" + id + "\",\"status\":-1,\"remark\":\"no\"}");
        // The envelope around the data message, field for field (`decision` came with the resubmission request).
        assertThat(changed.body()).isEqualTo("{\"code\":0,\"message\":\"success\",\"data\":{\"profileId\":\"" + id
                + "\",\"fromStatus\":\"incomplete\",\"toStatus\":\"rejected\",\"decision\":\"rejected\"}}");

        HttpResponse<String> status = p.call("GET", WEB + "/status/" + id, p.clientKeyA, null);
        assertThat(status.body()).startsWith("{\"code\":0,\"message\":\"query success\",\"data\":{\"status\":{"
                + "\"profileId\":\"" + id + "\"");

        // Errors keep the family's body.
        HttpResponse<String> invalid = p.call("POST", WEB + "/submit", p.clientKeyA, "{\"userId\":\"u\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).isEqualTo("{\"code\":40000,\"message\":\"country is required\"}");
    }

    @Test
    void anInvalidRequestNamesTheFieldAndTheRequest() {
        // Straight to the server, without a request id: the server makes one.
        StatusRuntimeException direct = catchThrowableOfType(StatusRuntimeException.class, () -> web(p.clientKeyA)
                .submit(SubmitRequest.newBuilder().setUserId("u").build()));
        assertThat(direct.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(direct.getStatus().getDescription()).isEqualTo("country is required");
        com.google.rpc.Status st = StatusProto.fromThrowable(direct);
        ErrorInfo info = detail(st, ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("INVALID_ARGUMENT");
        assertThat(info.getDomain()).isEqualTo("openkyc");
        assertThat(info.getMetadataMap()).containsEntry("http_status", "400").containsEntry("web_code", "40000");
        assertThat(detail(st, BadRequest.class).getFieldViolationsList()).singleElement().satisfies(v -> {
            assertThat(v.getField()).isEqualTo("country");
            assertThat(v.getDescription()).isEqualTo("country is required");
        });
        assertThat(detail(st, RequestInfo.class).getRequestId()).matches("[0-9a-f]{24}");

        // A field too long, with the caller's own request id.
        StatusRuntimeException tooLong = catchThrowableOfType(StatusRuntimeException.class, () -> withRequestId(
                web(p.clientKeyA), "support-ticket-42").submit(SubmitRequest.newBuilder()
                .setUserId("x".repeat(300)).setCountry("SG").build()));
        st = StatusProto.fromThrowable(tooLong);
        assertThat(detail(st, BadRequest.class).getFieldViolations(0).getField()).isEqualTo("userId");
        assertThat(detail(st, RequestInfo.class).getRequestId()).isEqualTo("support-ticket-42");

        // Through the gateway: the same details, and the request id the gateway forwarded.
        StatusRuntimeException viaGateway = catchThrowableOfType(StatusRuntimeException.class, () -> withRequestId(
                stub(KycServiceGrpc.newBlockingStub(gateway), p.clientKeyA), "gw-request-7")
                .submit(SubmitRequest.newBuilder().setUserId("u").build()));
        assertThat(viaGateway.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        st = StatusProto.fromThrowable(viaGateway);
        assertThat(detail(st, ErrorInfo.class).getReason()).isEqualTo("INVALID_ARGUMENT");
        assertThat(detail(st, BadRequest.class).getFieldViolations(0).getField()).isEqualTo("country");
        assertThat(detail(st, RequestInfo.class).getRequestId()).isEqualTo("gw-request-7");

        // A refusal the gateway answers itself (no key) carries the request id too.
        StatusRuntimeException noKey = catchThrowableOfType(StatusRuntimeException.class, () -> withRequestId(
                KycServiceGrpc.newBlockingStub(gateway).withDeadlineAfter(60, TimeUnit.SECONDS), "gw-request-8")
                .submit(SubmitRequest.newBuilder().setUserId("u").setCountry("SG").build()));
        assertThat(noKey.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(detail(StatusProto.fromThrowable(noKey), RequestInfo.class).getRequestId())
                .isEqualTo("gw-request-8");
    }

    @Test
    void aProfileThatIsNotThereIsNotFoundWithItsRequestId() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> web(p.clientKeyB)
                .getStatus(GetStatusRequest.newBuilder().setProfileId("nosuchprofile1").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        com.google.rpc.Status st = StatusProto.fromThrowable(e);
        assertThat(detail(st, ErrorInfo.class).getReason()).isEqualTo("PROFILE_NOT_FOUND");
        assertThat(st.getDetailsList()).noneMatch(d -> d.is(BadRequest.class));
        assertThat(detail(st, RequestInfo.class).getRequestId()).isNotBlank();
    }

    /** No field of the answer is unknown to this client: no leftover code, message or data. */
    private static void plain(Message answer) {
        assertThat(answer.getUnknownFields().asMap()).as(answer.getDescriptorForType().getName()).isEmpty();
        assertThat(answer.getDescriptorForType().findFieldByName("code")).isNull();
        assertThat(answer.getDescriptorForType().findFieldByName("data")).isNull();
    }

    private static <S extends AbstractStub<S>> S withRequestId(S stub, String requestId) {
        Metadata md = new Metadata();
        md.put(REQUEST_ID, requestId);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private static <T extends Message> T detail(com.google.rpc.Status status, Class<T> type) {
        for (Any d : status.getDetailsList()) {
            if (d.is(type)) {
                try {
                    return d.unpack(type);
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + status);
    }
}
