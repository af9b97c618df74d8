package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.SubmitRequest;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;

/**
 * The gateway's health checks of its upstream replicas, and what a client sees when a replica dies while it
 * answers: a read is answered by another replica, a write is 503 with {@code Retry-After} (gRPC: UNAVAILABLE
 * with {@code RetryInfo}) unless it carries an {@code Idempotency-Key}, which is sent again to another replica.
 */
class ReplicaHealthTest {

    @TempDir
    Path certDir;

    private Gateway gateway(UpstreamDouble... replicas) {
        final StringBuilder upstreams = new StringBuilder();
        for (UpstreamDouble r : replicas) {
            upstreams.append(upstreams.length() == 0 ? "" : ",").append(r.address());
        }
        return Gateway.start(GatewayConfig.builder().host("127.0.0.1").port(0).upstreams(upstreams.toString())
                                          .upstreamHealthInterval(Duration.ofMillis(100))
                                          .devCertDir(certDir).build());
    }

    /** Waits, bounded, until the gateway counts {@code n} healthy replicas. */
    private static void awaitHealthy(Gateway gateway, int n) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (gateway.healthyUpstreams() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(gateway.healthyUpstreams()).as("healthy replicas").isEqualTo(n);
    }

    @Test
    void aReplicaNotServingGetsNoRequestsUntilItServesAgain() throws Exception {
        try (UpstreamDouble a = UpstreamDouble.start("a");
             UpstreamDouble b = UpstreamDouble.start("b");
             Gateway gateway = gateway(a, b)) {
            final TestHttp http = new TestHttp(gateway);
            awaitHealthy(gateway, 2);

            b.setServing(false);
            awaitHealthy(gateway, 1);
            a.reset();
            b.reset();
            for (int i = 0; i < 10; i++) {
                assertThat(http.get("/v2/submission?submission_id=s-" + i, UpstreamDouble.KEY).statusCode())
                        .isEqualTo(200);
                assertThat(http.post("/api/web/kycService/submit", UpstreamDouble.KEY, "{\"userId\":\"u" + i + "\"}")
                               .statusCode()).isEqualTo(200);
            }
            assertThat(a.callCount()).isEqualTo(20);
            assertThat(b.callCount()).isZero();

            b.setServing(true);
            awaitHealthy(gateway, 2);
            for (int i = 0; i < 20; i++) {
                assertThat(http.get("/v2/submission?submission_id=t-" + i, UpstreamDouble.KEY).statusCode())
                        .isEqualTo(200);
            }
            assertThat(b.callCount()).isPositive();
        }
    }

    @Test
    void everyReplicaNotServingStillForwardsSoTheServersOwnAnswerComesThrough() throws Exception {
        try (UpstreamDouble a = UpstreamDouble.start("a");
             Gateway gateway = gateway(a)) {
            final TestHttp http = new TestHttp(gateway);
            a.setServing(false);
            awaitHealthy(gateway, 0);
            assertThat(http.get("/v2/submission?submission_id=s", UpstreamDouble.KEY).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aWriteWhoseReplicaDiesMidCallIs503WithRetryAdviceAndTheOtherReplicaTakesTheNextOne() throws Exception {
        final AtomicBoolean once = new AtomicBoolean(true);
        try (UpstreamDouble a = UpstreamDouble.start("a");
             UpstreamDouble b = UpstreamDouble.start("b");
             Gateway gateway = gateway(a, b)) {
            a.dieOnSubmit(once);
            b.dieOnSubmit(once);
            final TestHttp http = new TestHttp(gateway);
            awaitHealthy(gateway, 2);

            final HttpResponse<String> failed = http.post("/api/web/kycService/submit", UpstreamDouble.KEY,
                                                          "{\"userId\":\"u1\"}");
            assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
            assertThat(failed.headers().firstValue("retry-after")).hasValue("2");
            assertThat(TestHttp.json(failed).get("code").asInt()).isEqualTo(50300);
            assertThat(TestHttp.json(failed).get("message").asText())
                    .contains("may or may not have been applied").doesNotContain("127.0.0.1");
            assertThat(a.callCount() + b.callCount()).as("not sent again").isEqualTo(1);

            awaitHealthy(gateway, 1);
            assertThat(http.post("/api/web/kycService/submit", UpstreamDouble.KEY, "{\"userId\":\"u2\"}")
                           .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aWriteWithAnIdempotencyKeyWhoseReplicaDiesMidCallIsSentToAnotherReplica() throws Exception {
        final AtomicBoolean once = new AtomicBoolean(true);
        try (UpstreamDouble a = UpstreamDouble.start("a");
             UpstreamDouble b = UpstreamDouble.start("b");
             Gateway gateway = gateway(a, b)) {
            a.dieOnSubmit(once);
            b.dieOnSubmit(once);
            final TestHttp http = new TestHttp(gateway);
            awaitHealthy(gateway, 2);

            final HttpResponse<String> r = http.send(http.request("/api/web/kycService/submit")
                    .header("content-type", "application/json").header("x-api-key", UpstreamDouble.KEY)
                    .header("Idempotency-Key", "order-7")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u1\"}")).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(TestHttp.json(r).get("data").get("profileId").asText()).isEqualTo("p-u1");
            assertThat(once).isFalse();
            // Once on the replica that died, once on the other, with the same key both times.
            assertThat(a.callCount()).isEqualTo(1);
            assertThat(b.callCount()).isEqualTo(1);
            assertThat(a.lastCall().header("idempotency-key")).isEqualTo("order-7");
            assertThat(b.lastCall().header("idempotency-key")).isEqualTo("order-7");
        }
    }

    @Test
    void overGrpcAWriteWhoseReplicaDiesMidCallIsUnavailableWithRetryInfo() throws Exception {
        final AtomicBoolean once = new AtomicBoolean(true);
        try (UpstreamDouble a = UpstreamDouble.start("a");
             Gateway gateway = gateway(a)) {
            a.dieOnSubmit(once);
            final ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", gateway.httpsPort(),
                    TlsChannelCredentials.newBuilder().trustManager(gateway.certificateFile().toFile()).build())
                                               .build();
            try {
                final Metadata md = new Metadata();
                md.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), UpstreamDouble.KEY);
                final KycServiceGrpc.KycServiceBlockingStub stub = KycServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                        .withDeadlineAfter(30, TimeUnit.SECONDS);
                assertThatThrownBy(() -> stub.submit(SubmitRequest.newBuilder().setUserId("u1").build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            final com.google.rpc.Status details = StatusProto.fromThrowable(e);
                            assertThat(details).isNotNull();
                            assertThat(details.getDetailsList()).anySatisfy(any -> {
                                assertThat(any.is(RetryInfo.class)).isTrue();
                                assertThat(any.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(2);
                            });
                            assertThat(details.getDetailsList()).anySatisfy(any -> {
                                assertThat(any.is(ErrorInfo.class)).isTrue();
                                assertThat(any.unpack(ErrorInfo.class).getReason()).isEqualTo("UNAVAILABLE");
                            });
                        });
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
