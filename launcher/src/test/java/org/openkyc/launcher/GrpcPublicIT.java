package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.ListProfilesRequest;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.submissions.v2.DeleteSubmissionRequest;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;

/**
 * gRPC and gRPC-Web on the public HTTPS port of the product, as an external client calls them: over TLS to
 * the gateway (trusting its development certificate), never to the server's internal port.
 */
class GrpcPublicIT {

    private static final TestProduct p = TestProduct.get();
    private static ManagedChannel channel;
    private static ClientFactory webFactory;

    @BeforeAll
    static void clients() {
        try {
            channel = Grpc.newChannelBuilderForAddress(
                    "127.0.0.1", p.product.gateway().httpsPort(),
                    TlsChannelCredentials.newBuilder()
                            .trustManager(p.product.gateway().certificateFile().toFile()).build())
                    .build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // A loaded machine may take long to set a TLS session up.
        webFactory = ClientFactory.builder()
                .connectTimeout(Duration.ofSeconds(60))
                .tlsCustomizer(tls -> tls.trustManager(p.product.gateway().certificateFile().toFile()))
                .build();
    }

    @AfterAll
    static void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        webFactory.close();
    }

    private static KycServiceGrpc.KycServiceBlockingStub kyc(String key) {
        var stub = KycServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        return key == null ? stub : p.withKey(stub, key);
    }


    @Test
    void aCaseThroughGrpcOnTheHttpsPort() {
        var created = kyc(p.clientKeyA).submit(SubmitRequest.newBuilder().setUserId("grpc_public").setCountry("kr")
                .build());
        assertThat(created.getProfileId()).isNotBlank();
        String id = created.getProfileId();

        var status = kyc(p.clientKeyA).getStatus(GetStatusRequest.newBuilder().setProfileId(id).build());
        assertThat(status.getStatus().getOverallStatus()).isEqualTo("incomplete");

        // Another tenant does not see the case.
        assertThatThrownBy(() -> kyc(p.clientKeyB).getStatus(GetStatusRequest.newBuilder().setProfileId(id).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));

        var deleted = p.withKey(SubmissionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS),
                p.clientKeyA).deleteSubmission(DeleteSubmissionRequest.newBuilder().setSubmissionId(id).build());
        assertThat(deleted.getContent()).isEqualTo("Submission #" + id + " deleted successfully.");
        assertThatThrownBy(() -> kyc(p.clientKeyA).getStatus(GetStatusRequest.newBuilder().setProfileId(id).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(TestProduct.errorInfo(e).getReason()).isEqualTo("PROFILE_NOT_FOUND");
                    assertThat(TestProduct.errorInfo(e).getMetadataMap()).containsEntry("http_status", "404");
                });
    }

    @Test
    void keysAndRolesAreTheServersRules() {
        assertThatThrownBy(() -> kyc(null).submit(SubmitRequest.newBuilder().setUserId("u").setCountry("SG").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(TestProduct.errorInfo(e).getReason()).isEqualTo("UNAUTHENTICATED");
                });
        var admin = p.withKey(KycAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS),
                p.clientKeyA);
        assertThatThrownBy(() -> admin.listProfiles(ListProfilesRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(TestProduct.errorInfo(e).getReason()).isEqualTo("PERMISSION_DENIED");
                });
        var asAdmin = p.withKey(KycAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS),
                p.adminKeyA);
        assertThat(asAdmin.listProfiles(ListProfilesRequest.getDefaultInstance()).getPage()).isEqualTo(1);
    }

    @Test
    void grpcWebWorksToo() {
        var web = GrpcClients.builder("https://127.0.0.1:" + p.product.gateway().httpsPort())
                .factory(webFactory)
                .serializationFormat(GrpcSerializationFormats.PROTO_WEB)
                .responseTimeout(Duration.ofSeconds(60))
                .addHeader("x-api-key", p.clientKeyA)
                .build(KycServiceGrpc.KycServiceBlockingStub.class);
        var created = web.submit(SubmitRequest.newBuilder().setUserId("grpc_web").setCountry("SG").build());
        assertThat(created.getProfileId()).isNotBlank();
        var status = web.getStatus(GetStatusRequest.newBuilder().setProfileId(created.getProfileId())
                .build());
        assertThat(status.getStatus().getOverallStatus()).isEqualTo("incomplete");
        // Another tenant's case is not found.
        String theirs = p.createProfile(p.clientKeyB, "grpc_web_other");
        assertThatThrownBy(() -> web.getStatus(GetStatusRequest.newBuilder().setProfileId(theirs).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }
}
