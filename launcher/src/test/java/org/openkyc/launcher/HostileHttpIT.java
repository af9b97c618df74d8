package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openkyc.gateway.RawHttps;
import org.openkyc.server.auth.Role;
import org.openkyc.server.liveness.CallbackSignature;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;

/**
 * What an attacker sends to the HTTPS gateway in front of a real server, and what every caller sees:
 * keys checked before bodies are parsed, bounded JSON, the signed callback whose raw body travels in the
 * message, unreadable charsets, huge header blocks, the docs' headers, no server software named, failed
 * authentications throttled, and another tenant's reads unharmed while one tenant's calls make the server
 * echo huge ids. After each attack the product still answers and nothing was stored.
 *
 * <p>Runs its own product (its own database, server and gateway): the authentication throttle it trips
 * must not touch the shared one other test classes use.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileHttpIT {

    private static final String BASE = "/api/web/kycService";
    private static final CallbackSignature SIGNER = new CallbackSignature(TestProduct.LIVENESS_CALLBACK_SECRET);

    private static LocalProduct product;
    private static String keyA;
    private static String adminKeyA;
    private static String keyB;
    private static HttpClient http;
    private static ClientFactory factory;
    private static WebClient h2;

    @BeforeAll
    static void start() {
        final Map<String, String> env = new java.util.HashMap<>(TestProduct.testEnv());
        env.put("OPENKYC_GATEWAY_AUTH_FAILURES_PER_WINDOW", "30"); // the default
        product = LocalProduct.start(TestProduct.freshHome("hostile"), env);
        var t = product.server().tenants();
        t.ensureTenant("acme");
        t.ensureTenant("globex");
        keyA = t.issueKey("acme", Role.CLIENT, "test").secret();
        adminKeyA = t.issueKey("acme", Role.ADMIN, "test").secret();
        keyB = t.issueKey("globex", Role.CLIENT, "test").secret();
        http = TestProduct.httpsClient(product.gateway().certificateFile());
        factory = ClientFactory.builder()
                               .tlsCustomizer(b -> b.trustManager(product.gateway().certificateFile().toFile()))
                               .build();
        // Armeria's client reads an answer that comes before its body is sent in full (the JDK's stalls).
        h2 = WebClient.builder("h2://127.0.0.1:" + product.gateway().httpsPort()).factory(factory)
                      .responseTimeoutMillis(60_000).build();
    }

    @AfterAll
    static void stop() {
        if (factory != null) {
            factory.close();
        }
        if (product != null) {
            product.close();
        }
    }

    private static AggregatedHttpResponse post(String path, String key, String contentType, String body,
                                               Map<String, String> extra) {
        final RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, path)
                                                            .set("content-type", contentType);
        if (key != null) {
            headers.set("x-api-key", key);
        }
        extra.forEach(headers::set);
        return h2.execute(headers.build(), HttpData.ofUtf8(body)).aggregate().join();
    }

    private static AggregatedHttpResponse postJson(String path, String key, String body) {
        return post(path, key, "application/json", body, Map.of());
    }

    private static JsonObject json(AggregatedHttpResponse r) {
        assertThat(r.contentType()).isNotNull();
        assertThat(r.contentType().isJson()).isTrue();
        return JsonParser.parseString(r.contentUtf8()).getAsJsonObject();
    }

    private static HttpResponse<String> get(String path, String key) throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(product.baseUrl() + path))
                                                 .timeout(Duration.ofSeconds(60)).GET();
        if (key != null) {
            b.header("x-api-key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String newProfile(String key) {
        final AggregatedHttpResponse r = postJson(BASE + "/submit", key,
                "{\"userId\":\"user_" + UUID.randomUUID().toString().substring(0, 8) + "\",\"country\":\"SG\"}");
        assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
        return json(r).getAsJsonObject("data").get("profileId").getAsString();
    }

    private static JsonObject status(String key, String profileId) throws Exception {
        final HttpResponse<String> r = get(BASE + "/status/" + profileId, key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data").getAsJsonObject("status");
    }

    /** The product still answers: the gateway's health check and a real call with a good key. */
    private static void healthy() throws Exception {
        assertThat(get("/internal/health", null).statusCode()).isEqualTo(200);
        assertThat(get(BASE + "/status/" + healthProfile, keyA).statusCode()).isEqualTo(200);
    }

    private static String healthProfile;

    /** {"0":0,"1":0,...}: {@code keys} short unknown keys (100,000 in under 1 MiB). */
    private static String manyKeys(String first, int keys) {
        final StringBuilder sb = new StringBuilder(keys * 9).append('{').append(first);
        for (int i = 0; i < keys; i++) {
            sb.append(',').append('"').append(Integer.toString(i, 36)).append("\":0");
        }
        return sb.append('}').toString();
    }

    @Test
    @Order(1)
    void manyKeysAre401WithABadKeyAnd400WithAGoodOneAndStoreNothing() throws Exception {
        healthProfile = newProfile(keyA);
        final String userId = "many_keys_" + UUID.randomUUID().toString().substring(0, 8);
        final String body = manyKeys("\"userId\":\"" + userId + "\",\"country\":\"SG\"", 100_000);
        assertThat(body.length()).isLessThan(1 << 20);

        AggregatedHttpResponse r = postJson(BASE + "/submit", "not-a-real-key", body);
        assertThat(r.status().code()).isEqualTo(401);
        assertThat(json(r).get("code").getAsInt()).isEqualTo(40100);

        r = postJson(BASE + "/submit", keyA, body);
        assertThat(r.status().code()).isEqualTo(400);
        assertThat(json(r).get("code").getAsInt()).isEqualTo(40000);
        assertThat(json(r).get("message").getAsString()).contains("keys");

        // Nothing was stored: the same user id makes a new profile only now.
        r = postJson(BASE + "/submit", keyA, "{\"userId\":\"" + userId + "\",\"country\":\"SG\"}");
        assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
        healthy();
    }

    @Test
    @Order(2)
    void deepJsonAndAnUnreadableCharsetAreClientErrors() throws Exception {
        final String deep = "{\"a\":".repeat(1000) + "1" + "}".repeat(1000);
        AggregatedHttpResponse r = postJson(BASE + "/document/confirm?documentId=1", keyA, deep);
        assertThat(r.status().code()).isEqualTo(400);
        assertThat(json(r).get("code").getAsInt()).isEqualTo(40000);
        assertThat(json(r).get("message").getAsString()).contains("nested deeper than 32");

        r = post("/v2/address_code", keyA, "application/x-www-form-urlencoded; charset=x", "address=Seoul", Map.of());
        assertThat(r.status().code()).isIn(400, 415);
        assertThat(json(r).get("code").getAsString()).isNotBlank();
        r = post(BASE + "/submit", keyA, "application/json; charset=x", "{\"userId\":\"u\"}", Map.of());
        assertThat(r.status().code()).isIn(400, 415);
        healthy();
    }

    private static String callbackBody(String profileId, int size) {
        final StringBuilder sb = new StringBuilder("{\"profileId\":\"" + profileId
                                                   + "\",\"confidence\":91,\"result\":\"success\",\"padding\":\"");
        sb.append("p".repeat(Math.max(0, size - sb.length() - 2)));
        return sb.append("\"}").toString();
    }

    private static AggregatedHttpResponse callback(String key, String body, String signedBody) {
        final String ts = Long.toString(Instant.now().getEpochSecond());
        return post(BASE + "/callback/liveness", key, "application/json", body, Map.of(
                "x-openkyc-timestamp", ts,
                "x-openkyc-signature", SIGNER.sign(ts, signedBody.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    @Order(3)
    void aSignedCallbackOf16KiBIsRecordedAndOver64KiBIs413() throws Exception {
        final String pid = newProfile(keyA);
        final String body = callbackBody(pid, 16 * 1024);
        assertThat(callback("not-a-real-key", body, body).status().code()).isEqualTo(401);
        // A client cannot smuggle its own "raw body" in the message: the gateway overwrites it.
        final String other = body.replace("\"confidence\":91", "\"confidence\":12");
        final String smuggling = body.replace("{\"profileId\"", "{\"rawBody\":\""
                + java.util.Base64.getEncoder().encodeToString(other.getBytes(StandardCharsets.UTF_8))
                + "\",\"profileId\"");
        assertThat(callback(keyA, smuggling, other).status().code()).isEqualTo(401);
        final AggregatedHttpResponse tooLarge = callback(keyA, callbackBody(pid, 64 * 1024 + 1),
                                                         callbackBody(pid, 64 * 1024 + 1));
        assertThat(tooLarge.status().code()).isEqualTo(413);
        assertThat(json(tooLarge).get("code").getAsInt()).isEqualTo(41300);
        assertThat(status(keyA, pid).has("livenessResult")).isFalse();

        final AggregatedHttpResponse ok = callback(keyA, body, body);
        assertThat(ok.status().code()).as(ok.contentUtf8()).isEqualTo(200);
        assertThat(json(ok).get("code").getAsInt()).isZero();
        final JsonObject s = status(keyA, pid);
        assertThat(s.get("livenessResult").getAsString()).isEqualTo("success");
        assertThat(s.get("livenessConfidence").getAsDouble()).isEqualTo(91.0);
        healthy();
    }

    /** One HTTP/1.1 request on a bare TLS socket; the answer's status line and headers. */
    private static String rawHttp1(String request) throws Exception {
        try (RawHttps raw = new RawHttps(product.gateway().certificateFile(), product.gateway().httpsPort())) {
            return raw.exchangeHead(request);
        }
    }

    @Test
    @Order(4)
    void hugeHeadersAre431AndDocsAreLockedDownAndNoAnswerNamesTheServer() throws Exception {
        final String answer = rawHttp1("GET " + BASE + "/status/" + healthProfile + " HTTP/1.1\r\nHost: localhost\r\n"
                                       + "x-api-key: " + keyA + "\r\nx-padding: " + "p".repeat(100_000) + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431");

        final HttpResponse<String> docs = get("/docs/", null);
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.headers().firstValue("content-security-policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "frame-ancestors 'none'").doesNotContain("https:", "*"));
        assertThat(docs.headers().firstValue("x-frame-options")).hasValue("DENY");
        for (HttpResponse<String> r : List.of(docs, get(BASE + "/status/" + healthProfile, keyA),
                                               get(BASE + "/status/" + healthProfile, null),
                                               get("/no/such/route", keyA))) {
            assertThat(r.headers().map()).as("%s", r.uri()).doesNotContainKey("server");
        }
        healthy();
    }

    @Test
    @Order(5)
    void anotherTenantsReadsNeverFailWhileOneTenantMakesTheServerEchoHugeIds() throws Exception {
        final String pidB = newProfile(keyB);
        final String hugeId = "x".repeat(10_000);
        final List<CompletableFuture<AggregatedHttpResponse>> attacks = new ArrayList<>();
        final List<CompletableFuture<AggregatedHttpResponse>> reads = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            attacks.add(h2.execute(RequestHeaders.builder(HttpMethod.POST, "/admin/kyc/update-status")
                                                 .set("x-api-key", adminKeyA).set("content-type", "application/json")
                                                 .build(),
                                   HttpData.ofUtf8("{\"profileId\":\"" + hugeId + "\",\"status\":2}")).aggregate());
            for (int i = 0; i < 10; i++) {
                reads.add(h2.execute(RequestHeaders.builder(HttpMethod.GET, BASE + "/status/" + pidB)
                                                   .set("x-api-key", keyB).build()).aggregate());
            }
        }
        int failures = 0;
        for (CompletableFuture<AggregatedHttpResponse> read : reads) {
            if (read.join().status().code() != 200) {
                failures++;
            }
        }
        assertThat(failures).isZero();
        for (CompletableFuture<AggregatedHttpResponse> attack : attacks) {
            final AggregatedHttpResponse r = attack.join();
            assertThat(r.status().code()).as(r.contentUtf8()).isBetween(400, 499);
            assertThat(r.contentUtf8().length()).isLessThan(2000);
        }
        healthy();
    }

    @Test
    @Order(6)
    void repeatedBadKeysAreThrottledWith429AndRetryAfterWhileAWorkingKeyGoesOn() throws Exception {
        int unauthorized = 0;
        AggregatedHttpResponse r = null;
        for (int i = 0; i < 40; i++) {
            r = postJson(BASE + "/submit", i % 2 == 0 ? "not-a-real-key" : "okyc_" + "A".repeat(43),
                         "{\"userId\":\"u\"}");
            if (r.status().code() != 401) {
                break;
            }
            unauthorized++;
        }
        assertThat(r.status().code()).isEqualTo(429);
        assertThat(unauthorized).isBetween(1, 30);
        assertThat(Long.parseLong(r.headers().get("retry-after"))).isBetween(1L, 60L);
        assertThat(json(r).get("code").getAsInt()).isEqualTo(42900);
        final HttpResponse<String> v2 = get("/v2/submission?submission_id=s-1", "okyc_" + "B".repeat(43));
        assertThat(v2.statusCode()).isEqualTo(429);
        assertThat(JsonParser.parseString(v2.body()).getAsJsonObject().get("code").getAsString())
                .isEqualTo("RESOURCE_EXHAUSTED");
        // A key that has worked from this address is not throttled.
        healthy();
    }
}
