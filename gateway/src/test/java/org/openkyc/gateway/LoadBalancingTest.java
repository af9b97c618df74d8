package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client-side round robin over several upstream replicas, and fail-over when one is down. */
class LoadBalancingTest {

    @TempDir
    Path certDir;

    @Test
    void spreadsCallsOverReplicasAndKeepsWorkingWhenOneStops() throws Exception {
        try (UpstreamDouble a = UpstreamDouble.start("a");
             UpstreamDouble b = UpstreamDouble.start("b");
             Gateway gateway = Gateway.start(GatewayConfig.builder()
                                                          .host("127.0.0.1").port(0)
                                                          .upstreams(a.address() + ", " + b.address())
                                                          .devCertDir(certDir).build())) {
            final TestHttp http = new TestHttp(gateway);
            for (int i = 0; i < 20; i++) {
                assertThat(http.get("/v2/submission?submission_id=s-" + i, UpstreamDouble.KEY).statusCode()).isEqualTo(200);
            }
            assertThat(a.callCount()).isGreaterThanOrEqualTo(5);
            assertThat(b.callCount()).isGreaterThanOrEqualTo(5);
            assertThat(a.callCount() + b.callCount()).isEqualTo(20);

            b.close();
            a.reset();
            for (int i = 0; i < 20; i++) {
                final HttpResponse<String> response = http.get("/v2/submission?submission_id=t-" + i, UpstreamDouble.KEY);
                assertThat(response.statusCode()).as("call %d after one replica stopped", i).isEqualTo(200);
                // A write is not retried, but the replica that is down is no longer picked.
                assertThat(http.post("/api/web/kycService/submit", UpstreamDouble.KEY, "{\"userId\":\"u" + i + "\"}")
                               .statusCode()).isEqualTo(200);
            }
            assertThat(a.callCount()).isEqualTo(40);
            assertThat(http.get("/internal/health", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void replicaDownFromTheStartDoesNotFailRequests() throws Exception {
        final int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (UpstreamDouble a = UpstreamDouble.start("a");
             Gateway gateway = Gateway.start(GatewayConfig.builder()
                                                          .host("127.0.0.1").port(0)
                                                          .upstreams("127.0.0.1:" + deadPort + "," + a.address())
                                                          .devCertDir(certDir).build())) {
            final TestHttp http = new TestHttp(gateway);
            for (int i = 0; i < 10; i++) {
                assertThat(http.post("/api/web/kycService/submit", UpstreamDouble.KEY, "{\"userId\":\"u\"}").statusCode())
                        .isEqualTo(200);
            }
            assertThat(a.callCount()).isEqualTo(10);
        }
    }

    @Test
    void allReplicasDownIs503WithoutInternals() throws Exception {
        final int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (Gateway gateway = Gateway.start(GatewayConfig.builder()
                                                          .host("127.0.0.1").port(0)
                                                          .upstreams("127.0.0.1:" + deadPort)
                                                          .devCertDir(certDir).build())) {
            final TestHttp http = new TestHttp(gateway);
            HttpResponse<String> response = http.get("/v2/submission?submission_id=s", UpstreamDouble.KEY);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(TestHttp.json(response).get("code").asText()).isEqualTo("UNAVAILABLE");
            assertThat(response.body()).doesNotContain("127.0.0.1").doesNotContain(String.valueOf(deadPort))
                                       .doesNotContain("Exception");

            response = http.get("/admin/kyc/detail/p-1", UpstreamDouble.KEY);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(TestHttp.json(response).get("code").asInt()).isEqualTo(50300);

            response = http.get("/internal/health", null);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(TestHttp.json(response).get("status").asText()).isEqualTo("NOT_SERVING");
        }
    }

    @Test
    void singleHostNameUsesDnsAndTimeoutIs504() throws Exception {
        try (UpstreamDouble a = UpstreamDouble.start("a");
             Gateway gateway = Gateway.start(GatewayConfig.builder()
                                                          .host("127.0.0.1").port(0)
                                                          .upstreams("localhost:" + a.port())
                                                          .upstreamTimeout(Duration.ofMillis(400))
                                                          .devCertDir(certDir).build())) {
            final TestHttp http = new TestHttp(gateway);
            for (int i = 0; i < 5; i++) {
                assertThat(http.get("/v2/submission?submission_id=s", UpstreamDouble.KEY).statusCode()).isEqualTo(200);
            }
            assertThat(a.callCount()).isEqualTo(5);

            final HttpResponse<String> slow = http.get("/v2/submission/applicant?applicant_id=x", UpstreamDouble.KEY);
            assertThat(slow.statusCode()).isEqualTo(504);
            assertThat(TestHttp.json(slow).get("code").asText()).isEqualTo("DEADLINE_EXCEEDED");
        }
    }

    @Test
    void talksTlsToUpstreamsWhenACaIsConfigured() throws Exception {
        // A self-signed certificate for localhost/127.0.0.1 serves as the upstream's certificate and CA.
        final DevCertificate upstreamCert = DevCertificate.loadOrCreate(certDir.resolve("upstream"));
        try (UpstreamDouble a = UpstreamDouble.startTls("a", upstreamCert.certificateFile(),
                                                        upstreamCert.privateKeyFile());
             Gateway gateway = Gateway.start(GatewayConfig.builder()
                                                          .host("127.0.0.1").port(0)
                                                          .upstreams(a.address())
                                                          .upstreamCa(upstreamCert.certificateFile())
                                                          .devCertDir(certDir.resolve("gateway")).build())) {
            final TestHttp http = new TestHttp(gateway);
            assertThat(http.get("/v2/submission?submission_id=s", UpstreamDouble.KEY).statusCode()).isEqualTo(200);
            assertThat(a.lastCall().header("x-api-key")).isEqualTo(UpstreamDouble.KEY);
        }
    }
}
