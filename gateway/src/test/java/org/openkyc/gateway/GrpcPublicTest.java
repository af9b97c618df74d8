package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openkyc.api.kyc.v1.GetProfileDetailRequest;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;
import org.openkyc.api.kyc.v1.VerifyLivenessRequest;
import org.openkyc.api.kyc.v1.VerifyLivenessResponse;
import org.openkyc.api.submissions.v2.GetApplicantSubmissionsRequest;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.SerializationFormat;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;

import io.grpc.CallCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;

/**
 * gRPC and gRPC-Web on the gateway's public HTTPS port, through a real grpc-java client over TLS and
 * Armeria's gRPC-Web client: keys checked at the edge and answered as gRPC statuses, upstream statuses and
 * their {@code ErrorInfo} passed through, message size limits and the upstream deadline applied.
 */
class GrpcPublicTest {

    static final long JSON_LIMIT = 8 * 1024;

    @RegisterExtension
    static final GatewayUnderTest g = new GatewayUnderTest(
            "grpc-public", b -> b.maxBodyBytes(64 * 1024).maxJsonBytes(JSON_LIMIT).maxVideoUploadBytes(1024 * 1024).authFailuresPerWindow(0)
                                 .upstreamTimeout(Duration.ofSeconds(2)));

    static ManagedChannel channel;
    static ClientFactory webClients;

    @BeforeAll
    static void clients() throws Exception {
        channel = Grpc.newChannelBuilderForAddress(
                "127.0.0.1", g.gateway.httpsPort(),
                TlsChannelCredentials.newBuilder().trustManager(g.gateway.certificateFile().toFile()).build())
                      .build();
        webClients = ClientFactory.builder()
                                  .tlsCustomizer(tls -> tls.trustManager(g.gateway.certificateFile().toFile()))
                                  .build();
    }

    @AfterAll
    static void closeClients() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        webClients.close();
    }

    @BeforeEach
    void reset() {
        g.upstream.reset();
    }

    static Metadata key(String apiKey) {
        final Metadata md = new Metadata();
        md.put(UpstreamForwarder.API_KEY, apiKey);
        return md;
    }

    static KycServiceGrpc.KycServiceBlockingStub kyc(String apiKey) {
        final KycServiceGrpc.KycServiceBlockingStub stub = KycServiceGrpc.newBlockingStub(channel)
                                                                         .withDeadlineAfter(20, TimeUnit.SECONDS);
        return apiKey == null ? stub : stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key(apiKey)));
    }

    static KycAdminServiceGrpc.KycAdminServiceBlockingStub admin(String apiKey) {
        return KycAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                                  .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key(apiKey)));
    }

    /** Armeria's gRPC-Web client of the gateway, in the given gRPC-Web format. */
    static KycServiceGrpc.KycServiceBlockingStub web(SerializationFormat format, String apiKey) {
        var builder = GrpcClients.builder("https://127.0.0.1:" + g.gateway.httpsPort())
                                 .factory(webClients)
                                 .serializationFormat(format)
                                 .responseTimeout(Duration.ofSeconds(20));
        if (apiKey != null) {
            builder = builder.addHeader(UpstreamForwarder.API_KEY_HEADER, apiKey);
        }
        return builder.build(KycServiceGrpc.KycServiceBlockingStub.class);
    }

    static ErrorInfo errorInfo(StatusRuntimeException e) {
        final com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).as("grpc-status-details-bin").isNotNull();
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                try {
                    return detail.unpack(ErrorInfo.class);
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            }
        }
        throw new AssertionError("No ErrorInfo in " + status);
    }

    @Test
    void aGrpcCallIsForwardedWithItsKey() {
        final SubmitResponse response = kyc(UpstreamDouble.KEY).submit(SubmitRequest.newBuilder().setUserId("u1")
                                                                                    .build());
        assertThat(response.getProfileId()).isEqualTo("p-u1");
        assertThat(g.upstream.lastCall().method()).isEqualTo("Submit");
        assertThat(g.upstream.lastCall().header("x-api-key")).isEqualTo(UpstreamDouble.KEY);
        assertThat(g.upstream.lastCall().header("x-request-id")).isNotBlank();
        assertThat(g.upstream.lastCall().header("x-forwarded-for")).isEqualTo("127.0.0.1");
    }

    @Test
    void upstreamStatusesAndTheirErrorInfoPassUnchanged() {
        assertThatThrownBy(() -> admin(UpstreamDouble.KEY).getProfileDetail(
                GetProfileDetailRequest.newBuilder().setProfileId("missing").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("Profile not found");
                    final ErrorInfo info = errorInfo(e);
                    assertThat(info.getReason()).isEqualTo("PROFILE_NOT_FOUND");
                    assertThat(info.getMetadataMap()).containsEntry("web_code", "40400");
                });
        // The server decides what a key may do; the edge passes the key and the answer through.
        assertThatThrownBy(() -> kyc(UpstreamDouble.READONLY_KEY).submit(SubmitRequest.newBuilder().setUserId("u1")
                                                                                      .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(errorInfo(e).getReason()).isEqualTo("PERMISSION_DENIED");
                });
        assertThatThrownBy(() -> kyc(UpstreamDouble.BAD_KEY).submit(SubmitRequest.newBuilder().setUserId("u1")
                                                                                 .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void aMissingOrMalformedKeyIsUnauthenticatedAtTheEdge() {
        assertThatThrownBy(() -> kyc(null).submit(SubmitRequest.newBuilder().setUserId("u1").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).contains("x-api-key");
                    final ErrorInfo info = errorInfo(e);
                    assertThat(info.getReason()).isEqualTo("UNAUTHENTICATED");
                    assertThat(info.getDomain()).isEqualTo("openkyc");
                    assertThat(info.getMetadataMap()).containsEntry("http_status", "401");
                });
        assertThatThrownBy(() -> kyc("not-a-key").submit(SubmitRequest.newBuilder().setUserId("u1").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("Invalid API key");
                });
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void gRpcWebAndGrpcWebTextWorkWithTheSameRules() {
        for (SerializationFormat format : new SerializationFormat[] {
                GrpcSerializationFormats.PROTO_WEB, GrpcSerializationFormats.PROTO_WEB_TEXT}) {
            g.upstream.reset();
            final SubmitResponse response = web(format, UpstreamDouble.KEY).submit(
                    SubmitRequest.newBuilder().setUserId("w1").build());
            assertThat(response.getProfileId()).as(format.uriText()).isEqualTo("p-w1");
            assertThat(g.upstream.lastCall().header("x-api-key")).isEqualTo(UpstreamDouble.KEY);

            assertThatThrownBy(() -> web(format, null).submit(SubmitRequest.newBuilder().setUserId("w1").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).as(format.uriText())
                                                           .isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(errorInfo(e).getReason()).isEqualTo("UNAUTHENTICATED");
                    });
            assertThat(g.upstream.callCount()).isEqualTo(1);
        }
    }

    @Test
    void aMessageOverItsRoutesLimitIsResourceExhaustedWithoutAnUpstreamCall() {
        final String big = "x".repeat((int) JSON_LIMIT + 1);
        assertThatThrownBy(() -> kyc(UpstreamDouble.KEY).submit(SubmitRequest.newBuilder().setUserId(big).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(g.upstream.callCount()).isZero();
        // Under the limit, the same method is served.
        assertThat(kyc(UpstreamDouble.KEY).submit(SubmitRequest.newBuilder().setUserId("x".repeat(100)).build())
                                          .getProfileId()).startsWith("p-x");
    }

    @Test
    void anUploadMethodHasItsRoutesLargerLimit() {
        final ByteString video = ByteString.copyFrom(new byte[200 * 1024]);
        final VerifyLivenessResponse response = kyc(UpstreamDouble.KEY).verifyLiveness(
                VerifyLivenessRequest.newBuilder().setSessionId("s-1").setVideo1(video).setVideo2(video)
                                     .setVideo3(video).build());
        assertThat(response.getListList()).extracting(r -> r.getScore()).containsOnly(200.0);
    }

    @Test
    void theClientsDeadlineIsCappedAtTheUpstreamTimeout() {
        // The upstream never answers; the client would wait a minute, the gateway ends the call at its own
        // upstream timeout.
        final SubmissionServiceGrpc.SubmissionServiceBlockingStub stub =
                SubmissionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                                     .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                                             key(UpstreamDouble.KEY)));
        assertThatThrownBy(() -> stub.getApplicantSubmissions(GetApplicantSubmissionsRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(g.upstream.lastCall().method()).isEqualTo("GetApplicantSubmissions");
    }

    @Test
    void grpcTimeoutValuesAreRead() {
        assertThat(GrpcEdge.parseTimeoutNanos("250m")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(GrpcEdge.parseTimeoutNanos("3S")).isEqualTo(TimeUnit.SECONDS.toNanos(3));
        assertThat(GrpcEdge.parseTimeoutNanos("99999999H")).isEqualTo(TimeUnit.HOURS.toNanos(99_999_999));
        assertThat(GrpcEdge.parseTimeoutNanos("1x")).isNull();
        assertThat(GrpcEdge.parseTimeoutNanos("123456789S")).isNull();
        assertThat(GrpcEdge.parseTimeoutNanos("")).isNull();
        assertThat(GrpcEdge.parseTimeoutNanos(null)).isNull();
        assertThat(GrpcEdge.upstreamTimeoutMillis(2000)).isEqualTo(2000);
    }

    @Test
    void restRulesStayForNonGrpcRequestsOnMethodPaths() throws Exception {
        final var response = g.http.post("/openkyc.kyc.v1.KycService/Submit", UpstreamDouble.KEY, "{}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(g.upstream.callCount()).isZero();
    }
}
