package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openkyc.api.kyc.v1.LivenessCallbackRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;

/**
 * What an attacker sends to the gateway's edges, with the default limits (the authentication throttle is
 * off here: see {@link AuthThrottleTest}): keys checked before bodies are read, JSON bounded in shape and
 * size, the signed callback with its raw body in the message, unreadable charsets, huge header blocks,
 * the docs' headers, and upstream answers with huge trailers.
 */
class HostileEdgesTest {

    @RegisterExtension
    static final GatewayUnderTest g = new GatewayUnderTest("hostile", b -> b.authFailuresPerWindow(0));

    @BeforeEach
    void reset() {
        g.upstream.reset();
    }

    /** {"0":0,"1":0,...,"255r":0}: a flat object with {@code keys} short unknown keys (100,000 in under 1 MiB). */
    static String manyKeys(int keys) {
        final StringBuilder sb = new StringBuilder(keys * 9).append('{');
        for (int i = 0; i < keys; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(Integer.toString(i, 36)).append("\":0");
        }
        return sb.append('}').toString();
    }

    /** {"a":{"a":...}} nested {@code depth} objects deep. */
    static String deep(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    /**
     * An HTTP/2 POST with Armeria's client, which reads an answer that comes before its body is sent in
     * full (the JDK client stalls on those).
     */
    static AggregatedHttpResponse postJson(String path, String key, String body, String contentType) {
        final RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, path)
                                                            .set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (key != null) {
            headers.set("x-api-key", key);
        }
        return client.execute(headers.build(), HttpData.ofUtf8(body)).aggregate().join();
    }

    static JsonNode json(AggregatedHttpResponse r) throws Exception {
        assertThat(r.contentType()).isNotNull();
        assertThat(r.contentType().isJson()).isTrue();
        return TestHttp.JSON.readTree(r.contentUtf8());
    }

    private static ClientFactory factory;
    private static WebClient client;

    @BeforeAll
    static void client() {
        factory = ClientFactory.builder().tlsCustomizer(b -> b.trustManager(g.gateway.certificateFile().toFile()))
                               .build();
        client = WebClient.builder("h2://127.0.0.1:" + g.gateway.httpsPort()).factory(factory)
                          .responseTimeoutMillis(30_000).build();
    }

    @AfterAll
    static void closeClient() {
        factory.close();
    }

    // ---- authenticate first, parse later ----

    @Test
    void manyKeysWithAMalformedKeyAre401BeforeTheBodyIsParsed() throws Exception {
        final String body = manyKeys(100_000);
        for (String key : new String[] {"not-a-real-key", "okyc_short", "okyc_" + "!".repeat(43), "okyc_"
                                                                                                 + "A".repeat(44)}) {
            final AggregatedHttpResponse r = postJson("/api/web/kycService/submit", key, body, "application/json");
            assertThat(r.status().code()).as(key).isEqualTo(401);
            assertThat(json(r).get("code").asInt()).isEqualTo(40100);
        }
        final AggregatedHttpResponse r = postJson("/v2/address_code", "not-a-real-key", "address=x", "application/x-www-form-urlencoded");
        assertThat(r.status().code()).isEqualTo(401);
        assertThat(json(r).get("code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void manyKeysWithAWellFormedKeyAre400WithoutCallingUpstream() throws Exception {
        final AggregatedHttpResponse r = postJson("/api/web/kycService/submit", UpstreamDouble.KEY,
                                                manyKeys(100_000), "application/json");
        assertThat(r.status().code()).isEqualTo(400);
        final JsonNode body = json(r);
        assertThat(body.get("code").asInt()).isEqualTo(40000);
        assertThat(body.get("message").asText()).isEqualTo("Request body has more than 10000 keys");
        assertThat(g.upstream.callCount()).isZero();

        // Under the limit, unknown keys are still ignored (and pruned in linear time).
        final String allowed = manyKeys(9_000).replace("{\"0\":0", "{\"userId\":\"u-1\"");
        final AggregatedHttpResponse ok = postJson("/api/web/kycService/submit", UpstreamDouble.KEY, allowed,
                                                 "application/json");
        assertThat(ok.status().code()).isEqualTo(200);
        assertThat(json(ok).get("data").get("profileId").asText()).isEqualTo("p-u-1");
    }

    @Test
    void deepJsonAndLongKeysAre400InTheFamilyShape() throws Exception {
        for (int depth : new int[] {33, 1000, 100_000}) {
            final AggregatedHttpResponse r = postJson("/api/web/kycService/document/confirm?documentId=5",
                                                    UpstreamDouble.KEY, deep(depth), "application/json");
            assertThat(r.status().code()).as("depth %d", depth).isEqualTo(400);
            assertThat(json(r).get("message").asText()).isEqualTo(
                    "Request body is nested deeper than 32 levels");
        }
        AggregatedHttpResponse r = postJson("/v2/address_code", UpstreamDouble.KEY, "[".repeat(5000),
                                          "application/json");
        assertThat(r.status().code()).isEqualTo(400);
        assertThat(json(r).get("code").asText()).isEqualTo("INVALID_ARGUMENT");

        r = postJson("/admin/kyc/list", UpstreamDouble.KEY, "{\"" + "n".repeat(300) + "\":1}", "application/json");
        assertThat(r.status().code()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).isEqualTo(
                "Request body has a key longer than 256 characters");
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void jsonRoutesWithoutImagesAreLimitedTo1MiBTheDocumentRouteIsNot() throws Exception {
        final String big = "{\"userId\":\"" + "u".repeat(1_100_000) + "\"}";
        AggregatedHttpResponse r = postJson("/api/web/kycService/submit", UpstreamDouble.KEY, big, "application/json");
        assertThat(r.status().code()).isEqualTo(413);
        assertThat(json(r).get("message").asText()).isEqualTo("Request body is larger than 1048576 bytes");
        r = postJson("/v2/address_code", UpstreamDouble.KEY, "address=" + "a".repeat(1_100_000),
                     "application/x-www-form-urlencoded");
        assertThat(r.status().code()).isEqualTo(413);
        assertThat(g.upstream.callCount()).isZero();

        // The document metadata route carries data: URLs of images: it keeps the general limit (the double does
        // not implement it, so the call reaching upstream answers 501).
        r = postJson(ApiDecorator.DOCUMENT_PATH, UpstreamDouble.KEY,
                     "{\"profileId\":\"p-1\",\"frontImage\":\"data:image/png;base64," + "A".repeat(1_100_000) + "\"}",
                     "application/json");
        assertThat(r.status().code()).isEqualTo(501);
    }

    @Test
    void anUnreadableOrNonUtf8CharsetIs415OnEveryRouteThatReadsABody() throws Exception {
        final String[][] cases = {
                {"/v2/address_code", "application/x-www-form-urlencoded; charset=x", "address=Seoul"},
                {"/v2/address_code", "application/x-www-form-urlencoded; charset=utf-16", "address=Seoul"},
                {"/api/web/kycService/submit", "application/json; charset=x", "{\"userId\":\"u\"}"},
                {"/api/web/kycService/callback/liveness", "application/json; charset=latin1", "{}"},
                {Gateway.STEP1_PATH, "multipart/form-data; boundary=b; charset=x", "--b--\r\n"},
                {"/admin/kyc/list", "application/json; charset", "{}"},
                {"/admin/kyc/list", "no/such/type", "{}"},
        };
        for (String[] c : cases) {
            final AggregatedHttpResponse r = postJson(c[0], UpstreamDouble.KEY, c[2], c[1]);
            assertThat(r.status().code()).as("%s %s", c[0], c[1]).isIn(400, 415);
            assertThat(json(r).get("message").asText()).isNotBlank();
        }
        assertThat(postJson("/v2/address_code", UpstreamDouble.KEY, "address=Seoul",
                            "application/x-www-form-urlencoded; charset=UTF-8").status().code()).isEqualTo(200);
        assertThat(g.upstream.callCount()).isEqualTo(1);
    }

    // ---- the signed liveness callback ----

    private static AggregatedHttpResponse callback(String key, String json) {
        final RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, CallbackRoute.PATH)
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set("x-openkyc-timestamp", "1700000000")
                .set("x-openkyc-signature", "abc123")
                // The old header path: never trusted, never forwarded.
                .set("x-openkyc-raw-body-bin", "e30");
        if (key != null) {
            headers.set("x-api-key", key);
        }
        return client.execute(headers.build(), HttpData.ofUtf8(json)).aggregate().join();
    }

    /** A callback of about {@code size} bytes: the fields, padded by an error message and unknown keys. */
    static String callbackBody(int size) {
        final StringBuilder sb = new StringBuilder("{\"profileId\":\"p-1\",\"sessionId\":\"s-1\",\"confidence\":87.5,"
                                                   + "\"result\":\"success\",\"errorMessage\":\"");
        sb.append("e".repeat(Math.max(0, size - sb.length() - 2)));
        return sb.append("\"}").toString();
    }

    @Test
    void aLargeCallbackTravelsInTheMessageWithItsExactBytes() throws Exception {
        final String body = callbackBody(16 * 1024).replace("{\"profileId\"", "{\"rawBody\":\"c211Z2dsZWQ=\",\"profileId\"");
        assertThat(callback("not-a-real-key", body).status().code()).isEqualTo(401);
        assertThat(callback(null, body).status().code()).isEqualTo(401);
        assertThat(g.upstream.callCount()).isZero();

        final AggregatedHttpResponse r = callback(UpstreamDouble.KEY, body);
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(json(r).get("message").asText()).isEqualTo("liveness result recorded");
        final UpstreamDouble.Call call = g.upstream.lastCall();
        final LivenessCallbackRequest sent = (LivenessCallbackRequest) call.request();
        assertThat(sent.getRawBody().toStringUtf8()).isEqualTo(body); // what the client sent there is replaced
        assertThat(sent.getProfileId()).isEqualTo("p-1");
        assertThat(sent.getConfidence()).isEqualTo(87.5);
        assertThat(call.header("x-openkyc-timestamp")).isEqualTo("1700000000");
        assertThat(call.header("x-openkyc-signature")).isEqualTo("abc123");
        assertThat(call.headers().keys()).doesNotContain("x-openkyc-raw-body-bin");
    }

    @Test
    void aCallbackOver64KiBIs413AndANonJsonOneIs415() throws Exception {
        AggregatedHttpResponse r = callback(UpstreamDouble.KEY, callbackBody(64 * 1024 + 1));
        assertThat(r.status().code()).isEqualTo(413);
        assertThat(json(r).get("code").asInt()).isEqualTo(41300);
        assertThat(callback(UpstreamDouble.KEY, callbackBody(64 * 1024)).status().code()).isEqualTo(200);
        r = postJson(CallbackRoute.PATH, UpstreamDouble.KEY, "x", "text/plain");
        assertThat(r.status().code()).isEqualTo(415);
        assertThat(callback(UpstreamDouble.KEY, "{\"confidence\":\"high\"}").status().code()).isEqualTo(400);
        assertThat(g.upstream.callCount()).isEqualTo(1);
    }

    // ---- HTTP edges ----

    /** One HTTP/1.1 request on a bare TLS socket; returns the status line and headers of the answer. */
    private static String rawHttp1(String request) throws Exception {
        try (RawHttps raw = new RawHttps(g.gateway.certificateFile(), g.gateway.httpsPort())) {
            return raw.exchangeHead(request);
        }
    }

    @Test
    void aHugeHeaderIs431OverHttp1NotAReset() throws Exception {
        // The gateway closes the connection after the answer while the client is still sending: the answer
        // must arrive anyway, every time.
        for (int i = 0; i < 5; i++) {
            final String answer = rawHttp1("GET /v2/submission?submission_id=s-1 HTTP/1.1\r\nHost: localhost\r\n"
                                           + "x-api-key: " + UpstreamDouble.KEY + "\r\nx-padding: "
                                           + "p".repeat(100_000) + "\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 431");
        }
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void overHttp2AHugeHeaderNeverReachesUpstream() {
        // The gateway advertises its header limit in its HTTP/2 SETTINGS: a conforming client refuses to send
        // a larger header block, and one that sends it anyway gets its stream refused. Either way no call.
        Throwable failure = null;
        AggregatedHttpResponse r = null;
        try {
            r = client.execute(RequestHeaders.builder(HttpMethod.GET, "/v2/submission?submission_id=s-1")
                                             .set("x-api-key", UpstreamDouble.KEY)
                                             .set("x-padding", "p".repeat(100_000)).build()).aggregate().join();
        } catch (RuntimeException e) {
            failure = e;
        }
        if (r != null) {
            assertThat(r.status().code()).isEqualTo(431);
        } else {
            assertThat(failure).isNotNull();
        }
        assertThat(g.upstream.callCount()).isZero();
        // The connection (shared by the tests' client) still serves.
        assertThat(postJson("/v2/address_code", UpstreamDouble.KEY, "address=after",
                            "application/x-www-form-urlencoded").status().code()).isEqualTo(200);
    }

    @Test
    void aLongUrlIs414() throws Exception {
        final String answer = rawHttp1("GET /v2/submission?submission_id=" + "s".repeat(10_000)
                                       + " HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + UpstreamDouble.KEY + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 414");
    }

    @Test
    void docsAreFramedByNobodyAndNoAnswerNamesTheServerSoftware() throws Exception {
        final HttpResponse<String> docs = g.http.get("/docs/", null);
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.headers().firstValue("content-security-policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-eval", "http:", "https:", "*"));
        assertThat(docs.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(docs.headers().map()).doesNotContainKey("server");
        for (HttpResponse<String> r : List.of(g.http.get("/v2/submission?submission_id=s-1", UpstreamDouble.KEY),
                                               g.http.get("/v2/submission?submission_id=s-1", null),
                                               g.http.get("/nothing-here", null))) {
            assertThat(r.headers().map()).as("%s", r.uri()).doesNotContainKey("server");
        }
        assertThat(rawHttp1("GET /nothing HTTP/1.1\r\nHost: localhost\r\n\r\n").toLowerCase())
                .doesNotContain("\r\nserver:");
    }

    // ---- the shared upstream connection ----

    @Test
    void hugeUpstreamTrailersFailOnlyTheirOwnCall() throws Exception {
        // One caller's calls answer with a status message of 10,000+ characters (trailers over gRPC's default
        // 8 KiB metadata limit) while another's reads share the same gateway-to-upstream connection.
        final String longId = "{\"userId\":\"" + "x".repeat(10_000) + "\"}";
        assertThat(postJson("/v2/address_code", UpstreamDouble.KEY, "address=warm-up",
                            "application/x-www-form-urlencoded").status().code()).isEqualTo(200);
        final List<CompletableFuture<AggregatedHttpResponse>> attacks = new ArrayList<>();
        final List<CompletableFuture<AggregatedHttpResponse>> reads = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            attacks.add(client.execute(RequestHeaders.builder(HttpMethod.POST, "/api/web/kycService/submit")
                                                     .set("x-api-key", UpstreamDouble.KEY)
                                                     .contentType(com.linecorp.armeria.common.MediaType.JSON)
                                                     .build(), HttpData.ofUtf8(longId)).aggregate());
            for (int i = 0; i < 20; i++) {
                reads.add(client.execute(RequestHeaders.builder(HttpMethod.GET,
                                                                "/v2/submission?submission_id=s-" + (round * 20 + i))
                                                       .set("x-api-key", UpstreamDouble.KEY).build()).aggregate());
            }
        }
        for (CompletableFuture<AggregatedHttpResponse> read : reads) {
            assertThat(read.join().status().code()).isEqualTo(200);
        }
        for (CompletableFuture<AggregatedHttpResponse> attack : attacks) {
            final AggregatedHttpResponse r = attack.join();
            assertThat(r.status().code()).isEqualTo(404);
            assertThat(json(r).get("message").asText()).startsWith("No user xxx");
        }
        assertThat(g.upstream.callCount()).isEqualTo(1 + 10 + 200);
    }
}
