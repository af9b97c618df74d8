package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.ConfirmDocumentRequest;
import org.openkyc.api.kyc.v1.DocType;
import org.openkyc.api.kyc.v1.GetLivenessSessionRequest;
import org.openkyc.api.kyc.v1.GetProfileDetailRequest;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.ListProfilesRequest;
import org.openkyc.api.kyc.v1.StartLivenessRequest;
import org.openkyc.api.kyc.v1.SubmitDocumentRequest;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.UpdateStatusRequest;
import org.openkyc.api.kyc.v1.UploadDocumentMetadataRequest;
import org.openkyc.api.screening.v1.GetScreeningRequest;
import org.openkyc.api.screening.v1.ScreenRequest;
import org.openkyc.api.screening.v1.ScreeningServiceGrpc;
import org.openkyc.api.submissions.v2.DeleteSubmissionRequest;
import org.openkyc.api.submissions.v2.GetAmlReportRequest;
import org.openkyc.api.submissions.v2.GetApplicantSubmissionsRequest;
import org.openkyc.api.submissions.v2.GetImageRequest;
import org.openkyc.api.submissions.v2.GetSubmissionsRequest;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.submissions.v2.SubmitStep1Request;
import org.openkyc.api.travelrule.v1.ReportOutgoingTransactionRequest;
import org.openkyc.api.travelrule.v1.VerificationServiceGrpc;

/**
 * What an attacker tries on the server, seen as a user sees it: long and odd ids on every id-taking route
 * over REST and gRPC (400 / INVALID_ARGUMENT, the id not echoed, nothing stored), over-long free text,
 * reflection (off by default; with the flag it needs a key), health (open), the gRPC port bound to the
 * loopback address only, the per-tenant rate limit and the per-profile liveness cap (429 with Retry-After).
 */
class HostileServerIT {

    private static final String WEB = "/api/web/kycService";
    /** In a body: as long as an attacker likes. */
    private static final String LONG = "A" + "x".repeat(9_999);
    /** In a URL: long, but short enough for the gateway to pass the request on. */
    private static final String LONG_IN_URL = "x".repeat(1_000);
    private static final List<String> ODD = List.of("ABCDEF", "abc-def", "../../etc/passwd", "abc def", "' OR 1=1 --",
            "x".repeat(33), "abc\u00e9", "abc%00");

    private static final TestProduct p = TestProduct.get();
    /** Reflection on, a low rate limit and a liveness cap of two, in a product of its own. */
    private static TestProduct limited;

    @BeforeAll
    static void startLimited() {
        limited = TestProduct.start("hostile", Map.of("OPENKYC_GRPC_REFLECTION", "true",
                "OPENKYC_RATE_LIMIT_PER_SECOND", "1", "OPENKYC_RATE_LIMIT_BURST", "20",
                "OPENKYC_LIVENESS_MAX_PER_DAY", "2"));
    }

    @AfterAll
    static void stopLimited() {
        if (limited != null) {
            limited.close();
        }
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Rows of every table a refused call might have written, and the image files. */
    private static Map<String, Long> stored(TestProduct t) {
        Map<String, Long> counts = new LinkedHashMap<>();
        String[] db = t.product.embeddedDatabase().orElseThrow();
        try (Connection c = DriverManager.getConnection(db[0], db[1], ""); Statement s = c.createStatement()) {
            for (String table : List.of("kyc_cases", "kyc_documents", "kyc_images", "kyc_attempts",
                    "liveness_sessions", "liveness_results", "kyc_status_audit", "aml_screenings")) {
                try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    r.next();
                    counts.put(table, r.getLong(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        counts.put("blob files", t.blobFiles());
        return counts;
    }

    private static void assertRefusedRest(String what, HttpResponse<String> r, String id) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(400);
        assertThat(r.body()).as(what).doesNotContain(id.substring(0, Math.min(id.length(), 40)));
        assertThat(r.body().length()).as(what).isLessThan(1_000);
    }

    @Test
    void longIdsOnEveryRestRouteAre400AndStoreNothing() {
        String pid = p.createProfile(p.clientKeyA, "hostile-rest");
        Map<String, Long> before = stored(p);
        String a = p.clientKeyA;
        String admin = p.adminKeyA;
        byte[] png = People.ASTRONAUT;
        for (String id : List.of(LONG_IN_URL, "ABC", "../etc")) {
            String u = q(id);
            Map<String, Supplier<HttpResponse<String>>> calls = new LinkedHashMap<>();
            calls.put("status", () -> p.call("GET", WEB + "/status/" + u, a, null));
            calls.put("liveness start", () -> p.call("POST", WEB + "/liveness/start?profileId=" + u, a, null));
            calls.put("liveness session", () -> p.call("GET", WEB + "/liveness/session/" + u, a, null));
            calls.put("admin detail", () -> p.call("GET", "/admin/kyc/detail/" + u, admin, null));
            calls.put("submission", () -> p.call("GET", "/v2/submission?submission_id=" + u, a, null));
            calls.put("submission page", () -> p.call("GET", "/v2/submission?nextpage_id=" + u
                    + "&nextpage_date=2026-01-01T00:00:00.000Z", a, null));
            calls.put("applicant", () -> p.call("GET", "/v2/submission/applicant?applicant_id=" + u, a, null));
            calls.put("delete", () -> p.call("DELETE", "/v2/submission?submission_id=" + u, a, null));
            calls.put("aml report", () -> p.call("GET", "/v2/report/aml?resourceId=" + u, a, null));
            calls.put("image", () -> p.call("GET", "/v2/image?submission_id=" + u + "&type=idImage", a, null));
            for (var c : calls.entrySet()) {
                assertRefusedRest(c.getKey() + " " + id.length(), c.getValue().get(), u);
            }
        }
        Map<String, Supplier<HttpResponse<String>>> bodies = new LinkedHashMap<>();
        bodies.put("document", () -> p.call("POST", WEB + "/document", a,
                "{\"profileId\":\"" + LONG + "\",\"docType\":\"PASSPORT\",\"docNumber\":\"X1\"}"));
        bodies.put("document upload", () -> p.postMultipart(WEB + "/document/upload", a, new Multipart()
                .text("profileId", LONG).text("docType", "PASSPORT").file("frontImage", "f.png", "image/png", png)));
        bodies.put("liveness verify", () -> p.postMultipart(WEB + "/liveness/verify", a, new Multipart()
                .text("sessionId", LONG).text("profileId", pid).file("video1", "v.mp4", "video/mp4", new byte[16])
                .file("video2", "v.mp4", "video/mp4", new byte[16]).file("video3", "v.mp4", "video/mp4", new byte[16])));
        bodies.put("step2", () -> p.postMultipart("/v2/submission/step2", a, new Multipart()
                .text("submissionId", LONG).file("faceImage", "f.png", "image/png", png).text("name", "A B")));
        bodies.put("admin update", () -> p.call("POST", "/admin/kyc/update-status", admin,
                "{\"profileId\":\"" + LONG + "\",\"status\":2}"));
        bodies.put("admin list", () -> p.call("POST", "/admin/kyc/list", admin,
                "{\"profileIds\":[\"" + LONG + "\"]}"));
        bodies.put("confirm negative", () -> p.call("POST", WEB + "/document/confirm?documentId=-5", a,
                "{\"name\":\"A\"}"));
        bodies.put("submit too big", () -> p.call("POST", WEB + "/document/submit?documentId=" + (1L << 60), a,
                null));
        for (var c : bodies.entrySet()) {
            assertRefusedRest(c.getKey(), c.getValue().get(), LONG);
        }
        // Odd ids in a body: 400 naming the field, the id not quoted.
        for (String id : ODD) {
            HttpResponse<String> r = p.call("POST", WEB + "/document", a, "{\"profileId\":\""
                    + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"docType\":\"PASSPORT\"}");
            assertThat(r.statusCode()).as(id + " " + r.body()).isEqualTo(400);
            assertThat(TestProduct.json(r).get("message").getAsString()).contains("profileId").doesNotContain(id);
        }
        // Over-long free text: 400 naming the field.
        HttpResponse<String> userId = p.call("POST", WEB + "/submit", a,
                "{\"userId\":\"" + "u".repeat(256) + "\",\"country\":\"SG\"}");
        assertThat(userId.statusCode()).isEqualTo(400);
        assertThat(TestProduct.json(userId).get("message").getAsString()).contains("userId");
        HttpResponse<String> remark = p.call("POST", "/admin/kyc/update-status", admin,
                "{\"profileId\":\"" + pid + "\",\"status\":2,\"remark\":\"" + "r".repeat(1001) + "\"}");
        assertThat(remark.statusCode()).isEqualTo(400);
        assertThat(TestProduct.json(remark).get("message").getAsString()).contains("remark");
        HttpResponse<String> email = p.postMultipart("/v2/submission/step1", a, new Multipart()
                .text("issuingCountry", "NLD").text("email", "e".repeat(400) + "@example.com")
                .text("idType", "passport").file("idImage", "f.png", "image/png", png));
        assertThat(email.statusCode()).as(email.body()).isEqualTo(400);
        assertThat(email.body()).contains("email");

        assertThat(stored(p)).isEqualTo(before);
    }

    private static Status invalid(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        throw new AssertionError("the call was accepted");
    }

    @Test
    void longIdsOverGrpcAreInvalidArgumentAndNotEchoed() {
        Map<String, Long> before = stored(p);
        var web = p.withKey(KycServiceGrpc.newBlockingStub(p.channel), p.clientKeyA);
        var admin = p.withKey(KycAdminServiceGrpc.newBlockingStub(p.channel), p.adminKeyA);
        var subs = p.withKey(SubmissionServiceGrpc.newBlockingStub(p.channel), p.clientKeyA);
        var screening = p.withKey(ScreeningServiceGrpc.newBlockingStub(p.channel), p.clientKeyA);
        var verifications = p.withKey(VerificationServiceGrpc.newBlockingStub(p.channel), p.clientKeyA);
        List<Runnable> calls = new ArrayList<>();
        calls.add(() -> web.getStatus(GetStatusRequest.newBuilder().setProfileId(LONG).build()));
        calls.add(() -> web.startLiveness(StartLivenessRequest.newBuilder().setProfileId(LONG).build()));
        calls.add(() -> web.getLivenessSession(GetLivenessSessionRequest.newBuilder().setSessionId(LONG).build()));
        calls.add(() -> web.uploadDocumentMetadata(UploadDocumentMetadataRequest.newBuilder().setProfileId(LONG)
                .setDocType(DocType.Value.PASSPORT).build()));
        calls.add(() -> web.confirmDocument(ConfirmDocumentRequest.newBuilder().setDocumentId(-1).build()));
        calls.add(() -> web.submitDocument(SubmitDocumentRequest.newBuilder().setDocumentId(Long.MAX_VALUE).build()));
        calls.add(() -> admin.getProfileDetail(GetProfileDetailRequest.newBuilder().setProfileId(LONG).build()));
        calls.add(() -> admin.updateStatus(UpdateStatusRequest.newBuilder().setProfileId(LONG).setStatus(2).build()));
        calls.add(() -> admin.listProfiles(ListProfilesRequest.newBuilder()
                .addAllProfileIds(Collections.nCopies(101, "abc")).build()));
        calls.add(() -> subs.getSubmissions(GetSubmissionsRequest.newBuilder().setSubmissionId(LONG).build()));
        calls.add(() -> subs.getApplicantSubmissions(GetApplicantSubmissionsRequest.newBuilder()
                .setApplicantId(LONG).build()));
        calls.add(() -> subs.deleteSubmission(DeleteSubmissionRequest.newBuilder().setSubmissionId(LONG).build()));
        calls.add(() -> subs.getImage(GetImageRequest.newBuilder().setSubmissionId(LONG).setType("idImage").build()));
        calls.add(() -> subs.getAmlReport(GetAmlReportRequest.newBuilder().setResourceId(LONG).build()));
        calls.add(() -> subs.submitStep1(SubmitStep1Request.newBuilder().setUserid("u".repeat(300)).build()));
        calls.add(() -> screening.getScreening(GetScreeningRequest.newBuilder().setResourceId(LONG).build()));
        calls.add(() -> screening.screen(ScreenRequest.newBuilder().setName("Anna").setCaseId(LONG).build()));
        calls.add(() -> verifications.reportOutgoingTransaction(ReportOutgoingTransactionRequest.newBuilder()
                .setVerificationUuid(LONG).setTxHash("0xabc").build()));
        calls.add(() -> web.submit(SubmitRequest.newBuilder().setUserId(LONG).setCountry("SG").build()));
        for (int i = 0; i < calls.size(); i++) {
            Status s = invalid(calls.get(i));
            assertThat(s.getCode()).as("call " + i + ": " + s).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(s.getDescription()).as("call " + i).doesNotContain("xxxxxxxxxx").hasSizeLessThan(300);
        }
        assertThat(stored(p)).isEqualTo(before);
    }

    @Test
    void reflectionIsOffByDefaultAndHealthIsOpen() throws Exception {
        assertThat(reflect(p.channel, null).getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        HealthCheckResponse h = HealthGrpc.newBlockingStub(p.channel).check(HealthCheckRequest.getDefaultInstance());
        assertThat(h.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        HttpResponse<String> gatewayHealth = p.call("GET", "/internal/health", null, null);
        assertThat(gatewayHealth.statusCode()).isEqualTo(200);
    }

    @Test
    void withTheFlagReflectionNeedsAKey() throws Exception {
        assertThat(reflect(limited.channel, null).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(reflect(limited.channel, "okyc_" + "Z".repeat(43)).getStatus().getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        ServerReflectionResponse listed = listServices(limited.channel, limited.adminKeyA);
        assertThat(listed.getListServicesResponse().getServiceList())
                .anySatisfy(s -> assertThat(s.getName()).isEqualTo("openkyc.kyc.v1.KycService"));
    }

    /** A list_services call; the failure as a StatusRuntimeException (OK status when it answered). */
    private static StatusRuntimeException reflect(ManagedChannel channel, String key) throws Exception {
        try {
            listServices(channel, key);
            return new StatusRuntimeException(Status.OK);
        } catch (java.util.concurrent.ExecutionException e) {
            return (StatusRuntimeException) e.getCause();
        }
    }

    private static ServerReflectionResponse listServices(ManagedChannel channel, String key) throws Exception {
        var stub = ServerReflectionGrpc.newStub(channel);
        if (key != null) {
            stub = limitedOrShared(channel).withKey(stub, key);
        }
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = stub.serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new IllegalStateException("no answer"));
            }
        });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        requests.onCompleted();
        return answer.get(30, TimeUnit.SECONDS);
    }

    private static TestProduct limitedOrShared(ManagedChannel channel) {
        return channel == p.channel ? p : limited;
    }

    @Test
    void grpcListensOnTheLoopbackAddressOnly() throws Exception {
        InetSocketAddress bound = p.product.server().address();
        assertThat(bound.getAddress().isLoopbackAddress()).as(bound.toString()).isTrue();
        Optional<InetAddress> other = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
        if (other.isPresent()) {
            // Only a connection attempt to this machine's own address: refused, since nothing listens there.
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(other.get(), p.product.server().port()), 2_000);
                throw new AssertionError("gRPC answered on " + other.get());
            } catch (java.io.IOException expected) {
                // refused: the port is bound to 127.0.0.1 only
            }
        }
    }

    @Test
    void pastTheRateLimitATenantGets429WithRetryAfter() {
        HttpResponse<String> refused = null;
        for (int i = 0; i < 60 && refused == null; i++) {
            HttpResponse<String> r = limited.call("GET", "/v2/submission?submission_id=nosuch0", limited.clientKeyB,
                    null);
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
            }
        }
        assertThat(refused).as("no request was rate limited").isNotNull();
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
        assertThat(Long.parseLong(refused.headers().firstValue("retry-after").get())).isBetween(1L, 5L);
        assertThat(TestProduct.json(refused).get("code").getAsString()).isEqualTo("RATE_LIMITED");
        // Over gRPC too, as RESOURCE_EXHAUSTED.
        var grpc = limited.withKey(SubmissionServiceGrpc.newBlockingStub(limited.channel), limited.clientKeyB);
        io.grpc.StatusRuntimeException limitedCall = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.grpc.StatusRuntimeException.class, () -> grpc.getSubmissions(GetSubmissionsRequest.newBuilder()
                        .setSubmissionId("nosuch0").build()));
        assertThat(limitedCall.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        // With the time to wait as a RetryInfo, and the request id as a RequestInfo.
        com.google.rpc.Status details = io.grpc.protobuf.StatusProto.fromThrowable(limitedCall);
        assertThat(details.getDetailsList()).filteredOn(d -> d.is(com.google.rpc.RetryInfo.class))
                .singleElement().satisfies(d -> assertThat(d.unpack(com.google.rpc.RetryInfo.class).getRetryDelay()
                        .getSeconds()).isBetween(1L, 5L));
        assertThat(details.getDetailsList()).anyMatch(d -> d.is(com.google.rpc.RequestInfo.class));
        // The other tenant is not slowed down by this one.
        assertThat(limited.call("GET", "/v2/submission?submission_id=nosuch0", limited.adminKeyA, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aProfileStartsAtMostTheConfiguredLivenessSessionsPerDay() {
        String pid = limited.createProfile(limited.clientKeyA, "liveness-cap");
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = limited.call("POST", WEB + "/liveness/start?profileId=" + pid,
                    limited.clientKeyA, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        HttpResponse<String> third = limited.call("POST", WEB + "/liveness/start?profileId=" + pid,
                limited.clientKeyA, null);
        assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
        long retryAfter = Long.parseLong(third.headers().firstValue("retry-after").orElseThrow());
        assertThat(retryAfter).isBetween(23L * 3600, 24L * 3600);
        assertThat(TestProduct.json(third).get("code").getAsInt()).isEqualTo(42900);
        assertThat(TestProduct.json(third).get("message").getAsString()).contains("24 hours");
        // Another profile has its own allowance.
        String other = limited.createProfile(limited.clientKeyA, "liveness-cap-2");
        assertThat(limited.call("POST", WEB + "/liveness/start?profileId=" + other, limited.clientKeyA, null)
                .statusCode()).isEqualTo(200);
    }
}
