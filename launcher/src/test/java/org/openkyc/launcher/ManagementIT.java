package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.server.vision.TestVision;

/**
 * The management ports of the server and the gateway as an operator uses them: plain HTTP on loopback,
 * {@code /healthz}, {@code /readyz} and {@code /metrics} (Prometheus text), and the standard gRPC health service
 * with a status per service. While the database is stopped the server and every one of its services say
 * NOT_SERVING and both readiness checks fail, while both processes stay alive.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementIT {

    private static final List<String> SERVICES = List.of("openkyc.kyc.v1.KycService",
            "openkyc.kyc.v1.KycAdminService", "openkyc.submissions.v2.SubmissionService",
            "openkyc.screening.v1.ScreeningService", "openkyc.travelrule.v1.VerificationService",
            "openkyc.travelrule.v1.VaspAdminService");

    private static TestProduct p;
    private static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        p = TestProduct.withOwnDatabase("management", Map.of());
    }

    @AfterAll
    static void stop() {
        if (p != null) {
            p.close();
        }
    }

    private static int serverPort() {
        return p.product.server().managementPort().orElseThrow();
    }

    private static int gatewayPort() {
        return p.product.gateway().managementPort();
    }

    static HttpResponse<String> get(int port, String path) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        try {
            return PLAIN.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ServingStatus health(String service) {
        return HealthGrpc.newBlockingStub(p.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    @Test
    @Order(1)
    void bothProcessesAnswerHealthAndReadinessOnLoopbackPlainHttp() {
        assertThat(serverPort()).isPositive().isNotEqualTo(p.product.server().port());
        assertThat(gatewayPort()).isPositive().isNotEqualTo(p.product.gateway().httpsPort());
        for (int port : new int[] {serverPort(), gatewayPort()}) {
            HttpResponse<String> alive = get(port, "/healthz");
            assertThat(alive.statusCode()).isEqualTo(200);
            assertThat(alive.body()).contains("\"status\":\"UP\"");
            HttpResponse<String> ready = get(port, "/readyz");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(get(port, "/nothing-here").statusCode()).isEqualTo(404);
        }
        assertThat(get(serverPort(), "/readyz").body())
                .contains("\"database\":\"UP\"", "\"models\":\"UP\"", "\"sanctions_lists\":\"UP\"");
        assertThat(get(gatewayPort(), "/readyz").body()).contains("SERVING");
        // Not on the public port: the management paths are not API routes there.
        assertThat(p.call("GET", "/metrics", null, null).statusCode()).isIn(401, 404);
    }

    @Test
    @Order(2)
    void grpcHealthHasAStatusForTheServerAndForEachService() {
        assertThat(health("")).isEqualTo(ServingStatus.SERVING);
        for (String service : SERVICES) {
            assertThat(health(service)).as(service).isEqualTo(ServingStatus.SERVING);
        }
        try {
            health("openkyc.no.such.Service");
            throw new AssertionError("an unknown service has no status");
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }
    }

    @Test
    @Order(3)
    void metricsShowRequestsByRouteWithHistogramsPoolJvmVisionAndLists() {
        String pid = p.createProfile(p.clientKeyA, "metrics-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(p.call("GET", "/api/web/kycService/status/" + pid, p.clientKeyA, null).statusCode()).isEqualTo(200);
        assertThat(p.call("GET", "/api/web/kycService/status/" + pid, null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> step1 = p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "SWE").text("email", "metrics@example.com").text("idType", "passport")
                .file("idImage", "passport.png", "image/png", TestVision.resource("passport-td3-specimen.png")));
        assertThat(step1.statusCode()).as(step1.body()).isEqualTo(200);
        String submission = TestProduct.json(step1).get("submissionId").getAsString();
        HttpResponse<String> step2 = p.postMultipart("/v2/submission/step2", p.clientKeyA, new Multipart()
                .text("submissionId", submission).text("name", "ANNA MARIA ERIKSSON")
                .text("date_of_birth", "1974-08-12")
                .file("faceImage", "selfie.png", "image/png", TestVision.resource("astronaut.png")));
        assertThat(step2.statusCode()).as(step2.body()).isEqualTo(200);
        try {
            KycServiceGrpc.newBlockingStub(p.channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getStatus(GetStatusRequest.newBuilder().setProfileId(pid).build());
            throw new AssertionError("a call without a key is refused");
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }

        HttpResponse<String> gateway = get(gatewayPort(), "/metrics");
        assertThat(gateway.statusCode()).isEqualTo(200);
        assertThat(gateway.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        String g = gateway.body();
        // Requests by route pattern (never the id in the path), method and status, with latency buckets.
        assertThat(g).containsPattern("openkyc_gateway_requests_total\\{[^}]*method=\"POST\"[^}]*"
                + "route=\"/api/web/kycService/submit\"[^}]*\\}");
        assertThat(g).contains("openkyc_gateway_total_duration_seconds_bucket{method=\"GET\","
                + "route=\"/api/web/kycService/status/:profile_id\",status=\"200\",le=\"");
        assertThat(g).containsPattern("status=\"401\"");
        assertThat(g).doesNotContain(pid);
        assertThat(g).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_");

        String s = get(serverPort(), "/metrics").body();
        assertThat(s).containsPattern("openkyc_grpc_server_requests_seconds_bucket\\{[^}]*code=\"OK\""
                + "[^}]*method=\"GetStatus\"[^}]*service=\"openkyc.kyc.v1.KycService\"");
        assertThat(s).containsPattern("openkyc_grpc_server_requests_seconds_count\\{[^}]*code=\"UNAUTHENTICATED\"[^}]*"
                + "method=\"GetStatus\"");
        assertThat(s).contains("hikaricp_connections_active", "hikaricp_connections_acquire_seconds",
                "jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_");
        assertThat(s).containsPattern("openkyc_vision_stage_seconds_bucket\\{[^}]*outcome=\"ok\"[^}]*"
                + "stage=\"document_read\"");
        assertThat(s).containsPattern("openkyc_vision_stage_seconds_count\\{[^}]*stage=\"face_selfie\"");
        assertThat(s).containsPattern("openkyc_step2_outcomes_total\\{reason=\"[a-z_]+\",status=\"[a-z]+\"\\} 1(\\.0)?\n");
        assertThat(s).containsPattern("openkyc_screening_list_entries\\{source=\"[^\"]+\"\\} [1-9]");
        assertThat(s).containsPattern("openkyc_screening_list_age_seconds\\{source=\"[^\"]+\"\\} ");
        assertThat(s).containsPattern("openkyc_screening_list_info\\{sha256=\"[0-9a-f]{64}\",source=\"[^\"]+\"\\} 1");
        assertThat(s).doesNotContain(pid, submission, "ERIKSSON", "metrics@example.com");
    }

    @Test
    @Order(4)
    void withTheDatabaseStoppedEveryServiceIsNotServingAndNeitherProcessIsReady() throws Exception {
        p.stopDatabase();
        try {
            assertThat(until(() -> health("") == ServingStatus.NOT_SERVING)).as("server NOT_SERVING").isTrue();
            for (String service : SERVICES) {
                assertThat(health(service)).as(service).isEqualTo(ServingStatus.NOT_SERVING);
            }
            HttpResponse<String> server = get(serverPort(), "/readyz");
            assertThat(server.statusCode()).isEqualTo(503);
            assertThat(server.body()).contains("\"database\":\"DOWN\"", "\"status\":\"DOWN\"");
            assertThat(get(gatewayPort(), "/readyz").statusCode()).isEqualTo(503);
            // Alive all the same: an orchestrator must not restart a process for its database.
            assertThat(get(serverPort(), "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(gatewayPort(), "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(serverPort(), "/metrics").statusCode()).isEqualTo(200);
        } finally {
            p.startDatabase();
        }
        assertThat(until(() -> health("") == ServingStatus.SERVING)).as("server SERVING again").isTrue();
        for (String service : SERVICES) {
            assertThat(health(service)).as(service).isEqualTo(ServingStatus.SERVING);
        }
        assertThat(get(serverPort(), "/readyz").statusCode()).isEqualTo(200);
        assertThat(get(gatewayPort(), "/readyz").statusCode()).isEqualTo(200);
    }

    /** Polls a condition for up to two minutes (a loaded machine is slow, the answer is not timed). */
    private static boolean until(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
