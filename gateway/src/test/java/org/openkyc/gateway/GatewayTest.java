package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openkyc.api.kyc.v1.ListProfilesRequest;
import org.openkyc.api.kyc.v1.StartLivenessRequest;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.submissions.v2.GetImageRequest;
import org.openkyc.api.submissions.v2.GetSubmissionsRequest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The gateway against one upstream test double, through a real HTTPS client: transcoding, JSON
 * shape, headers, API keys and every error path of both error-body families.
 */
class GatewayTest {

    private static final String JSON_UTF_8 = "application/json; charset=utf-8";

    @RegisterExtension
    static final GatewayUnderTest g = new GatewayUnderTest("a", b -> b.maxBodyBytes(64 * 1024));

    @BeforeEach
    void resetUpstream() {
        g.upstream.reset();
        g.upstream.setServing(true);
    }

    // ---- transcoding ----

    @Test
    void transcodedGetWithSnakeCaseQueryReachesUpstreamWithKeyAndRequestId() throws Exception {
        final HttpRequest request = g.http.request("/v2/submission?submission_id=s-1&unknown=x")
                                        .header("x-api-key", UpstreamDouble.KEY)
                                        .header("x-request-id", "rid-123")
                                        .header("x-forwarded-for", "203.0.113.9")
                                        .GET().build();
        final HttpResponse<String> response = g.http.send(request);

        assertThat(response.statusCode()).isEqualTo(200);
        final UpstreamDouble.Call call = g.upstream.lastCall();
        assertThat(call.method()).isEqualTo("GetSubmissions");
        assertThat(((GetSubmissionsRequest) call.request()).getSubmissionId()).isEqualTo("s-1");
        assertThat(call.header("x-api-key")).isEqualTo(UpstreamDouble.KEY);
        assertThat(call.header("x-request-id")).isEqualTo("rid-123");
        assertThat(call.header("x-forwarded-for")).isEqualTo("127.0.0.1");

        final JsonNode body = TestHttp.json(response);
        assertThat(body.get("Count").asInt()).isEqualTo(1);
        final JsonNode item = body.get("Items").get(0);
        assertThat(item.get("submission_id").asText()).isEqualTo("s-1");
        assertThat(item.get("data").get("idcard_issuingCountry").asText()).isEqualTo("UTO");
        assertThat(item.get("kyc").get("result").asText()).isEqualTo("pending");
        // Fields without presence print even when empty; unset optional fields stay absent.
        assertThat(item.get("kyc").get("comment").isArray()).isTrue();
        final JsonNode attempt = item.get("kyc").get("attempts").get(0);
        assertThat(attempt.get("faceSimilarityScore").asInt()).isEqualTo(97);
        assertThat(attempt.has("livenessScore")).isFalse();
        assertThat(item.has("applicant_id")).isFalse();
        assertThat(body.has("nextpageKey")).isFalse();
        assertThat(body.has("items")).isFalse();

        assertThat(response.headers().firstValue("strict-transport-security")).isPresent();
        assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(response.headers().firstValue("x-request-id")).hasValue("rid-123");
    }

    @Test
    void http1ClientsGetTheSameCleanAnswers() throws Exception {
        HttpResponse<String> response = g.http.send(g.http.request("/v2/submission?submission_id=s-1")
                                                      .version(java.net.http.HttpClient.Version.HTTP_1_1)
                                                      .header("x-api-key", UpstreamDouble.KEY).GET().build());
        assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(response.statusCode()).isEqualTo(200);
        response = g.http.send(g.http.request("/admin/kyc/detail/missing")
                                 .version(java.net.http.HttpClient.Version.HTTP_1_1)
                                 .header("x-api-key", UpstreamDouble.KEY).GET().build());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(response).get("code").asInt()).isEqualTo(40400);
    }

    @Test
    void generatesRequestIdWhenAbsent() throws Exception {
        final HttpResponse<String> response = g.http.get("/v2/submission?submission_id=s-2", UpstreamDouble.KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        final String forwarded = g.upstream.lastCall().header("x-request-id");
        assertThat(forwarded).isNotBlank();
        assertThat(response.headers().firstValue("x-request-id")).hasValue(forwarded);
    }

    @Test
    void camelCaseAndSnakeCaseQueryParametersBind() throws Exception {
        HttpResponse<String> response = g.http.post("/api/web/kycService/liveness/start?profileId=p-9", UpstreamDouble.KEY, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(((StartLivenessRequest) g.upstream.lastCall().request()).getProfileId()).isEqualTo("p-9");
        final JsonNode body = TestHttp.json(response);
        assertThat(body.get("code").isInt()).isTrue();
        assertThat(body.get("code").asInt()).isZero();
        assertThat(body.get("data").get("sessionId").asText()).isEqualTo("s-1");

        response = g.http.post("/api/web/kycService/liveness/start?profile_id=p-8", UpstreamDouble.KEY, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(((StartLivenessRequest) g.upstream.lastCall().request()).getProfileId()).isEqualTo("p-8");
    }

    @Test
    void kycAnswerPrintsCodeZeroAndAcceptsBothFieldNameStyles() throws Exception {
        HttpResponse<String> response = g.http.post("/api/web/kycService/submit", UpstreamDouble.KEY,
                                                  "{\"userId\":\"u1\",\"country\":\"KOR\",\"extra\":true}");
        assertThat(response.statusCode()).isEqualTo(200);
        final JsonNode body = TestHttp.json(response);
        assertThat(body.get("code").asInt()).isZero();
        assertThat(body.get("message").asText()).isEqualTo("success");
        assertThat(body.get("data").get("profileId").asText()).isEqualTo("p-u1");
        assertThat(((SubmitRequest) g.upstream.lastCall().request()).getCountry()).isEqualTo("KOR");

        response = g.http.post("/api/web/kycService/submit", UpstreamDouble.KEY, "{\"user_id\":\"u2\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(((SubmitRequest) g.upstream.lastCall().request()).getUserId()).isEqualTo("u2");
    }

    @Test
    void httpBodyPassesThroughWithItsContentType() throws Exception {
        final HttpResponse<byte[]> response = g.http.sendForBytes(
                g.http.request("/v2/image?submission_id=s-1&type=idImage").header("x-api-key", UpstreamDouble.KEY).GET()
                    .build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(response.body()).isEqualTo(UpstreamDouble.PNG);
        assertThat(((GetImageRequest) g.upstream.lastCall().request()).getType()).isEqualTo("idImage");
    }

    @Test
    void verificationsFamilyIsTranscoded() throws Exception {
        final HttpResponse<String> response = g.http.get("/v1/verifications?actionType=SEND&rpp=10", UpstreamDouble.KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        final JsonNode body = TestHttp.json(response);
        assertThat(body.get("count").asInt()).isZero();
        assertThat(body.get("verifications").isArray()).isTrue();
    }

    // ---- API keys ----

    @Test
    void missingOrEmptyKeyIsRefusedAtTheEdgeInEachFamilyShape() throws Exception {
        HttpResponse<String> response = g.http.get("/v2/submission?submission_id=s-1", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("content-type")).hasValue(JSON_UTF_8);
        JsonNode body = TestHttp.json(response);
        assertThat(body.get("code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(body.get("message").asText()).contains("x-api-key");

        response = g.http.get("/v1/verifications", "   ");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(response).get("code").asText()).isEqualTo("UNAUTHENTICATED");

        response = g.http.post("/admin/kyc/list", null, "{}");
        assertThat(response.statusCode()).isEqualTo(401);
        body = TestHttp.json(response);
        assertThat(body.get("code").isInt()).isTrue();
        assertThat(body.get("code").asInt()).isEqualTo(40100);

        response = g.http.post("/api/web/kycService/submit", null, "{\"userId\":\"u\"}");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(response).get("code").asInt()).isEqualTo(40100);
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");

        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void upstreamAuthErrorsAreMapped() throws Exception {
        HttpResponse<String> response = g.http.get("/v2/submission?submission_id=s-1", UpstreamDouble.BAD_KEY);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(response).get("code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(TestHttp.json(response).get("message").asText()).isEqualTo("Unknown API key");

        response = g.http.post("/admin/kyc/list", UpstreamDouble.READONLY_KEY, "{}");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(TestHttp.json(response).get("code").asInt()).isEqualTo(40300);
    }

    // ---- upstream errors ----

    @Test
    void upstreamNotFoundWithErrorInfoIsRenderedPerFamily() throws Exception {
        HttpResponse<String> response = g.http.get("/v2/submission?submission_id=missing", UpstreamDouble.KEY);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue(JSON_UTF_8);
        JsonNode body = TestHttp.json(response);
        assertThat(body.get("code").asText()).isEqualTo("SUBMISSION_NOT_FOUND");
        assertThat(body.get("message").asText()).isEqualTo("Submission not found");
        assertThat(body.size()).isEqualTo(2);

        for (String path : new String[] {"/admin/kyc/detail/missing", "/api/web/kycService/detail/missing"}) {
            response = g.http.get(path, UpstreamDouble.KEY);
            assertThat(response.statusCode()).isEqualTo(404);
            body = TestHttp.json(response);
            assertThat(body.get("code").isInt()).isTrue();
            assertThat(body.get("code").asInt()).isEqualTo(40400);
            assertThat(body.get("message").asText()).isEqualTo("Profile not found");
        }
    }

    @Test
    void unimplementedUpstreamMethodIs501() throws Exception {
        final HttpResponse<String> response = g.http.send(
                g.http.request("/v2/submission?submission_id=s-1").header("x-api-key", UpstreamDouble.KEY).DELETE().build());
        assertThat(response.statusCode()).isEqualTo(501);
        final JsonNode body = TestHttp.json(response);
        assertThat(body.get("code").asText()).isEqualTo("UNIMPLEMENTED");
        assertThat(body.get("message").asText()).doesNotContain("openkyc.submissions").doesNotContain("Exception");
    }

    // ---- errors that never reach gRPC ----

    @Test
    void malformedJsonIsA400InTheFamilyShape() throws Exception {
        HttpResponse<String> response = g.http.post("/admin/kyc/list", UpstreamDouble.KEY, "{\"page\":");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).hasValue(JSON_UTF_8);
        assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        JsonNode body = TestHttp.json(response);
        assertThat(body.get("code").asInt()).isEqualTo(40000);
        assertThat(body.get("message").asText()).isEqualTo("Request body is not valid JSON");

        response = g.http.post("/v2/address_code", UpstreamDouble.KEY, "{not json");
        assertThat(response.statusCode()).isEqualTo(400);
        body = TestHttp.json(response);
        assertThat(body.get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void typeWrongJsonIsA400NamingTheField() throws Exception {
        HttpResponse<String> response = g.http.post("/admin/kyc/list", UpstreamDouble.KEY, "{\"page\":\"abc\",\"limit\":5}");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = TestHttp.json(response);
        assertThat(body.get("code").asInt()).isEqualTo(40000);
        assertThat(body.get("message").asText()).isEqualTo("Field 'page' has a wrong type or value");

        response = g.http.post("/api/web/kycService/document/confirm?documentId=5", UpstreamDouble.KEY,
                             "{\"name\":\"A\",\"userModified\":\"maybe\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(response).get("message").asText()).contains("userModified");

        response = g.http.get("/v1/verifications?result=BOGUS", UpstreamDouble.KEY);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(response).get("message").asText())
                .isEqualTo("Field 'result' has a wrong type or value");

        response = g.http.get("/v2/submission?count=abc", UpstreamDouble.KEY);
        assertThat(response.statusCode()).isEqualTo(400);
        body = TestHttp.json(response);
        assertThat(body.get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(body.get("message").asText()).isEqualTo("Parameter 'count' must be a number");

        assertThat(g.upstream.callCount()).isZero();

        // A valid body of the same route goes through.
        response = g.http.post("/admin/kyc/list", UpstreamDouble.KEY, "{\"page\":2,\"limit\":5}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(((ListProfilesRequest) g.upstream.lastCall().request()).getPage()).isEqualTo(2);
    }

    @Test
    void unknownRouteAndWrongMethodAreFamilyErrors() throws Exception {
        HttpResponse<String> response = g.http.get("/v2/nothing-here", UpstreamDouble.KEY);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(response).get("code").asText()).isEqualTo("NOT_FOUND");

        response = g.http.get("/admin/kyc/nothing-here", UpstreamDouble.KEY);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(response).get("code").asInt()).isEqualTo(40400);

        response = g.http.send(g.http.request("/v2/submission").header("x-api-key", UpstreamDouble.KEY)
                                 .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(TestHttp.json(response).get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");

        // gRPC method paths are not served by the REST g.gateway.
        response = g.http.post("/openkyc.kyc.v1.KycService/Submit", UpstreamDouble.KEY, "{}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void tooLargeBodyIs413() throws Exception {
        final String big = "{\"profileIds\":[\"" + "x".repeat(100 * 1024) + "\"]}";
        final HttpResponse<String> response = g.http.post("/admin/kyc/list", UpstreamDouble.KEY, big);
        assertThat(response.statusCode()).isEqualTo(413);
        final JsonNode body = TestHttp.json(response);
        assertThat(body.get("code").asInt()).isEqualTo(41300);
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void nonJsonBodyOnJsonRouteIs415() throws Exception {
        final HttpResponse<String> response = g.http.send(
                g.http.request("/api/web/kycService/submit").header("x-api-key", UpstreamDouble.KEY)
                    .header("content-type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("userId=u1")).build());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(TestHttp.json(response).get("code").asInt()).isEqualTo(41500);
    }

    // ---- transport, docs, health ----

    @Test
    void plainHttpGetsNoData() throws Exception {
        final byte[] answer;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), g.gateway.httpsPort())) {
            socket.setSoTimeout(3000);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET /v2/submission?submission_id=s-1 HTTP/1.1\r\nHost: localhost\r\n"
                       + "x-api-key: okyc_key1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answer = readAll(socket.getInputStream());
        }
        final String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotStartWith("HTTP/1.1 2").doesNotContain("Items").doesNotContain("s-1");
        assertThat(g.upstream.callCount()).isZero();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        final byte[] chunk = new byte[4096];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                buf.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // closed or reset: whatever arrived so far is the answer
        }
        return buf.toByteArray();
    }

    @Test
    void docsNeedNoKey() throws Exception {
        assertThat(g.http.get("/docs/", null).statusCode()).isEqualTo(200);
        assertThat(g.http.get("/docs", null).statusCode()).isEqualTo(200);
        final HttpResponse<String> spec = g.http.get("/docs/specification.json", null);
        assertThat(spec.statusCode()).isEqualTo(200);
        assertThat(spec.body()).contains("openkyc.submissions.v2.SubmissionService").contains("/v2/submission");
    }

    @Test
    void healthFollowsTheUpstreamHealthCheck() throws Exception {
        HttpResponse<String> response = g.http.get("/internal/health", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(response).get("status").asText()).isEqualTo("SERVING");

        g.upstream.setServing(false);
        response = g.http.get("/internal/health", null);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(TestHttp.json(response).get("status").asText()).isEqualTo("NOT_SERVING");
    }

    @Test
    void devCertificateIsReusedOnTheNextStart() throws Exception {
        final byte[] first = Files.readAllBytes(g.gateway.certificateFile());
        assertThat(g.gateway.certificateFile().getParent()).isEqualTo(g.certDir.toAbsolutePath().normalize());
        try (Gateway second = Gateway.start(GatewayConfig.builder().host("127.0.0.1").port(0)
                                                         .upstreams(g.upstream.address())
                                                         .devCertDir(g.certDir).build())) {
            assertThat(Files.readAllBytes(second.certificateFile())).isEqualTo(first);
            assertThat(second.httpsPort()).isNotEqualTo(g.gateway.httpsPort());
            final HttpResponse<String> response = new TestHttp(second).get("/internal/health", null);
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }
}
