package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.CreateWebhookRequest;
import org.openkyc.api.kyc.v1.CreateWebhookResponse;
import org.openkyc.api.kyc.v1.ListWebhooksRequest;
import org.openkyc.api.kyc.v1.WebhookAdminServiceGrpc;
import org.openkyc.server.auth.Role;
import org.openkyc.server.config.WebhookSettings;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.webhook.WebhookSender;
import org.openkyc.server.webhook.WebhookSignature;
import org.openkyc.server.webhook.Webhooks;

/**
 * Webhooks end to end (docs/API.md C5): an HTTPS receiver on loopback with a certificate of a test CA, which the
 * product trusts through OPENKYC_WEBHOOK_CA_FILE, gets signed events for status changes made through the admin
 * API; a receiver that is down gets the event again later, with the same id, also across a restart of the
 * product; hostile endpoint URLs and client keys are refused.
 */
class WebhooksIT {

    private static final String HOOKS = "/admin/kyc/webhooks";
    private static final String CASE_CHANGED = "kyc.case.status_changed";

    /** A REST call on a product: method, path, key, JSON body or null. */
    @FunctionalInterface
    interface Rest {
        java.net.http.HttpResponse<String> call(String method, String path, String key, String body);
    }

    /** REST calls on a product started here (not through {@link TestProduct}). */
    private static Rest rest(LocalProduct product) {
        HttpClient http = TestProduct.httpsClient(product.gateway().certificateFile());
        return (method, path, key, body) -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(product.baseUrl() + path))
                    .timeout(Duration.ofSeconds(30)).header("x-api-key", key)
                    .header("content-type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            try {
                return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }

    /** One request the receiver got. */
    record Received(String path, String eventId, String timestamp, String signature, String body) {
        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }
    }

    private static final List<Received> received = new CopyOnWriteArrayList<>();
    /** Paths the receiver answers 503 on, as a receiver that is down for maintenance. */
    private static final Set<String> down = ConcurrentHashMap.newKeySet();
    private static TestPki pki;
    private static Server receiver;
    private static int port;
    private static TestProduct p;

    @BeforeAll
    static void start() {
        Path dir = TestProduct.freshHome("webhooks-pki");
        pki = new TestPki(dir, "webhooks");
        receiver = startReceiver(0);
        port = receiver.activeLocalPort();
        p = TestProduct.start("webhooks", settings());
    }

    @AfterAll
    static void stop() {
        if (p != null) {
            p.close();
        }
        if (receiver != null) {
            receiver.stop().join();
        }
    }

    /** Webhook settings for a quick test: localhost on the receiver's port allowed, short waits. */
    private static Map<String, String> settings() {
        Map<String, String> env = new HashMap<>();
        env.put("OPENKYC_WEBHOOK_URL_HOSTS", "localhost:" + port + ",*.example.com");
        env.put("OPENKYC_WEBHOOK_CA_FILE", pki.caFile().toString());
        env.put("OPENKYC_WEBHOOK_BACKOFF_MS", "100");
        env.put("OPENKYC_WEBHOOK_MAX_BACKOFF_MS", "400");
        env.put("OPENKYC_WEBHOOK_POLL_MS", "50");
        env.put("OPENKYC_WEBHOOK_MAX_ATTEMPTS", "100");
        env.put("OPENKYC_WEBHOOK_TIMEOUT_MS", "2000");
        env.put("OPENKYC_WEBHOOK_URL_MAX_LENGTH", "500");
        return env;
    }

    private static Server startReceiver(int onPort) {
        TestPki.Issued cert = pki.issue("receiver");
        Server s = Server.builder()
                .https(onPort)
                .tls(cert.cert().toFile(), cert.key().toFile())
                .serviceUnder("/", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
                    String path = ctx.path();
                    received.add(new Received(path, agg.headers().get(WebhookSignature.EVENT_ID_HEADER),
                            agg.headers().get(WebhookSignature.TIMESTAMP_HEADER),
                            agg.headers().get(WebhookSignature.SIGNATURE_HEADER), agg.contentUtf8()));
                    if (down.contains(path)) {
                        return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8,
                                "down for maintenance\n");
                    }
                    return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "thanks");
                })))
                .build();
        s.start().join();
        return s;
    }

    private static String url(String path) {
        return "https://localhost:" + port + path;
    }

    /** Registers an endpoint through REST; returns {webhookId, secret}. */
    private static String[] register(Rest product, String key, String path) {
        var r = product.call("POST", HOOKS, key, "{\"url\":\"" + url(path) + "\",\"eventTypes\":[\"" + CASE_CHANGED
                + "\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsInt()).isZero();
        JsonObject data = body.getAsJsonObject("data");
        return new String[] {data.getAsJsonObject("webhook").get("webhookId").getAsString(),
            data.get("secret").getAsString()};
    }

    private static void setStatus(Rest product, String key, String profileId, int status) {
        var r = product.call("POST", "/admin/kyc/update-status", key,
                "{\"profileId\":\"" + profileId + "\",\"status\":" + status + ",\"remark\":\"checked\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** What the receiver got on the path about the profile, in order. */
    private static List<Received> about(String path, String profileId) {
        return received.stream().filter(x -> x.path().equals(path) && x.body().contains(profileId)).toList();
    }

    private static JsonArray deliveries(Rest product, String key, String webhookId) {
        var r = product.call("GET", HOOKS + "/" + webhookId + "/deliveries", key, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestProduct.json(r).getAsJsonObject("data").getAsJsonArray("list");
    }

    private static JsonObject delivery(Rest product, String key, String webhookId, String eventId) {
        for (JsonElement e : deliveries(product, key, webhookId)) {
            if (e.getAsJsonObject().get("eventId").getAsString().equals(eventId)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no delivery " + eventId);
    }

    /** Waits until the probe answers non-null (a generous bound only against a hang; nothing is timed). */
    private static <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("never happened: " + what);
    }

    private static void assertSigned(Received r, String secret) {
        assertThat(r.signature()).startsWith("t=" + r.timestamp() + ",v1=");
        assertThat(WebhookSignature.verify(secret, r.signature(), r.body().getBytes(StandardCharsets.UTF_8),
                Instant.now(), Duration.ofMinutes(5))).as("signature of %s", r.body()).isTrue();
        assertThat(WebhookSignature.verify(secret + "x", r.signature(), r.body().getBytes(StandardCharsets.UTF_8),
                Instant.now(), Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void approvalsAndRejectionsThroughTheAdminApiArriveSignedWithoutPersonalData() {
        String[] hook = register(p::call, p.adminKeyA, "/approve");
        String[] otherTenant = register(p::call, p.adminKeyB, "/other-tenant");
        String profile = p.createProfile(p.clientKeyA, "webhook-user-1@example.org");

        setStatus(p::call, p.adminKeyA, profile, 2);
        Received approved = await("the approval event", () -> about("/approve", profile).stream().findFirst()
                .orElse(null));
        assertSigned(approved, hook[1]);
        JsonObject event = approved.json();
        assertThat(event.get("id").getAsString()).isEqualTo(approved.eventId()).startsWith("evt_");
        assertThat(event.get("type").getAsString()).isEqualTo(CASE_CHANGED);
        assertThat(Instant.parse(event.get("createdAt").getAsString())).isBefore(Instant.now().plusSeconds(60));
        JsonObject data = event.getAsJsonObject("data");
        assertThat(data.get("profileId").getAsString()).isEqualTo(profile);
        assertThat(data.get("oldStatus").getAsString()).isEqualTo("incomplete");
        assertThat(data.get("newStatus").getAsString()).isEqualTo("approved");
        assertThat(data.keySet()).containsExactlyInAnyOrder("profileId", "oldStatus", "newStatus");
        assertThat(approved.body()).doesNotContain("webhook-user-1").doesNotContain("tenant");

        setStatus(p::call, p.adminKeyA, profile, -1);
        Received rejected = await("the rejection event", () -> about("/approve", profile).stream()
                .filter(r -> r.body().contains("\"newStatus\":\"rejected\"")).findFirst().orElse(null));
        assertSigned(rejected, hook[1]);
        assertThat(rejected.json().getAsJsonObject("data").get("oldStatus").getAsString()).isEqualTo("approved");
        assertThat(rejected.eventId()).isNotEqualTo(approved.eventId());

        // The log shows each delivery; another tenant's endpoint got nothing of this tenant's cases (the
        // outbox rows are written with the status change, so there is nothing still to come).
        JsonObject d = await("delivered in the log", () -> {
            JsonObject x = delivery(p::call, p.adminKeyA, hook[0], approved.eventId());
            return "DELIVERED".equals(x.get("status").getAsString()) ? x : null;
        });
        assertThat(d.get("attempts").getAsInt()).isEqualTo(1);
        assertThat(d.get("lastHttpStatus").getAsInt()).isEqualTo(200);
        assertThat(d.get("answerExcerpt").getAsString()).isEqualTo("thanks");
        assertThat(d.get("eventType").getAsString()).isEqualTo(CASE_CHANGED);
        assertThat(deliveries(p::call, p.adminKeyB, otherTenant[0])).isEmpty();
        assertThat(about("/other-tenant", profile)).isEmpty();
        // Nor can that tenant read or remove this tenant's endpoint.
        assertThat(p.call("GET", HOOKS + "/" + hook[0] + "/deliveries", p.adminKeyB, null).statusCode())
                .isEqualTo(404);
        assertThat(p.call("DELETE", HOOKS + "/" + hook[0], p.adminKeyB, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aReceiverThatIsDownGetsTheEventLaterAndAReplayResendsTheSameEvent() {
        String path = "/flaky";
        down.add(path);
        String[] hook = register(p::call, p.adminKeyA, path);
        String profile = p.createProfile(p.clientKeyA, "webhook-user-2");
        setStatus(p::call, p.adminKeyA, profile, 2);

        await("two refused attempts", () -> about(path, profile).size() >= 2 ? true : null);
        String eventId = about(path, profile).get(0).eventId();
        JsonObject pending = delivery(p::call, p.adminKeyA, hook[0], eventId);
        assertThat(pending.get("status").getAsString()).isEqualTo("PENDING");
        assertThat(pending.get("attempts").getAsInt()).isGreaterThanOrEqualTo(2);
        assertThat(pending.get("lastHttpStatus").getAsInt()).isEqualTo(503);
        assertThat(pending.get("answerExcerpt").getAsString()).isEqualTo("down for maintenance");
        assertThat(pending.get("nextAttemptAt").getAsString()).isNotEmpty();

        down.remove(path);
        JsonObject delivered = await("delivered once the receiver is back", () -> {
            JsonObject x = delivery(p::call, p.adminKeyA, hook[0], eventId);
            return "DELIVERED".equals(x.get("status").getAsString()) ? x : null;
        });
        int attempts = delivered.get("attempts").getAsInt();
        assertThat(attempts).isGreaterThanOrEqualTo(3);
        assertThat(delivered.get("lastHttpStatus").getAsInt()).isEqualTo(200);
        assertThat(delivered.get("deliveredAt").getAsString()).isNotEmpty();
        List<Received> got = about(path, profile);
        assertThat(got).hasSize(attempts);
        assertThat(got).extracting(Received::eventId).containsOnly(eventId);
        assertThat(got).extracting(Received::body).containsOnly(got.get(0).body());

        // The attempts are on the server's metrics: the refused ones as retries with a 5xx, then the delivery.
        String metrics = ManagementIT.get(p.product.server().managementPort().orElseThrow(), "/metrics").body();
        assertThat(metrics).containsPattern("openkyc_webhook_deliveries_seconds_count\\{outcome=\"retry\","
                + "status_class=\"5xx\"\\} [1-9]");
        assertThat(metrics).containsPattern("openkyc_webhook_deliveries_seconds_count\\{outcome=\"delivered\","
                + "status_class=\"2xx\"\\} [1-9]");
        assertThat(metrics).containsPattern("openkyc_webhook_deliveries_seconds_bucket\\{[^}]*outcome=\"delivered\"");
        assertThat(metrics).doesNotContain(eventId, path, hook[0]);

        var replay = p.call("POST", HOOKS + "/" + hook[0] + "/deliveries/" + eventId + "/replay", p.adminKeyA, "{}");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        JsonObject again = TestProduct.json(replay).getAsJsonObject("data").getAsJsonObject("delivery");
        assertThat(again.get("eventId").getAsString()).isEqualTo(eventId);
        assertThat(again.get("status").getAsString()).isEqualTo("PENDING");
        Received resent = await("the replayed event", () -> about(path, profile).size() > attempts
                ? about(path, profile).get(attempts) : null);
        assertThat(resent.eventId()).isEqualTo(eventId);
        assertThat(resent.body()).isEqualTo(got.get(0).body());
        assertThat(await("replay logged", () -> {
            JsonObject x = delivery(p::call, p.adminKeyA, hook[0], eventId);
            return "DELIVERED".equals(x.get("status").getAsString()) && x.get("attempts").getAsInt() > attempts
                    ? x : null;
        }).get("attempts").getAsInt()).isEqualTo(attempts + 1);

        assertThat(p.call("POST", HOOKS + "/" + hook[0] + "/deliveries/evt_nosuchevent/replay", p.adminKeyA, "{}")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aDeletedEndpointGetsNothingMore() {
        String[] hook = register(p::call, p.adminKeyA, "/deleted");
        var listed = TestProduct.json(p.call("GET", HOOKS, p.adminKeyA, null)).getAsJsonObject("data")
                .getAsJsonArray("list");
        assertThat(listed.toString()).contains(hook[0]).contains(url("/deleted")).doesNotContain(hook[1]);

        var del = p.call("DELETE", HOOKS + "/" + hook[0], p.adminKeyA, null);
        assertThat(del.statusCode()).as(del.body()).isEqualTo(200);
        assertThat(TestProduct.json(del).getAsJsonObject("data").get("webhookId").getAsString()).isEqualTo(hook[0]);
        assertThat(p.call("GET", HOOKS + "/" + hook[0] + "/deliveries", p.adminKeyA, null).statusCode())
                .isEqualTo(404);
        assertThat(TestProduct.json(p.call("GET", HOOKS, p.adminKeyA, null)).toString()).doesNotContain(hook[0]);
    }

    @Test
    void hostileEndpointsAreRefusedWithA400() {
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        urls.put("plain http", "http://localhost:" + port + "/x");
        urls.put("private IP", "https://10.0.0.1/x");
        urls.put("loopback IP", "https://127.0.0.1:" + port + "/x");
        urls.put("metadata IP", "https://169.254.169.254/latest");
        urls.put("unknown host", "https://unknown-host.invalid/x");
        urls.put("listed host, other port", "https://localhost:1/x");
        urls.put("under a listed domain, not resolving", "https://no-such-host-for-openkyc-tests.example.com/x");
        urls.put("user info", "https://user:pw@localhost:" + port + "/x");
        urls.put("huge URL", url("/" + "a".repeat(10_000)));
        urls.put("not a URL", "::::");
        urls.put("empty", "");
        for (Map.Entry<String, String> u : urls.entrySet()) {
            var r = p.call("POST", HOOKS, p.adminKeyA, "{\"url\":\"" + u.getValue() + "\",\"eventTypes\":[\""
                    + CASE_CHANGED + "\"]}");
            assertThat(r.statusCode()).as(u.getKey() + ": " + r.body()).isEqualTo(400);
            JsonObject body = TestProduct.json(r);
            assertThat(body.get("code").getAsInt()).as(u.getKey()).isEqualTo(40000);
            assertThat(body.get("message").getAsString()).as(u.getKey()).startsWith("url ");
        }
        var noTypes = p.call("POST", HOOKS, p.adminKeyA, "{\"url\":\"" + url("/t") + "\"}");
        assertThat(noTypes.statusCode()).isEqualTo(400);
        assertThat(TestProduct.json(noTypes).get("message").getAsString()).contains("eventTypes");
        var unknownType = p.call("POST", HOOKS, p.adminKeyA, "{\"url\":\"" + url("/t") + "\",\"eventTypes\":[\"x\"]}");
        assertThat(unknownType.statusCode()).isEqualTo(400);
        assertThat(TestProduct.json(unknownType).get("message").getAsString()).contains("unknown event type");
        assertThat(p.call("POST", HOOKS, p.adminKeyA, "{\"url\":").statusCode()).isEqualTo(400);
    }

    @Test
    void clientKeysAreRefusedOverRestAndGrpc() {
        String body = "{\"url\":\"" + url("/client") + "\",\"eventTypes\":[\"" + CASE_CHANGED + "\"]}";
        var r = p.call("POST", HOOKS, p.clientKeyA, body);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(TestProduct.json(r).get("code").getAsInt()).isEqualTo(40300);
        assertThat(p.call("GET", HOOKS, p.clientKeyA, null).statusCode()).isEqualTo(403);
        assertThat(p.call("GET", HOOKS, null, null).statusCode()).isEqualTo(401);

        var stub = WebhookAdminServiceGrpc.newBlockingStub(p.channel);
        assertThatThrownBy(() -> p.withKey(stub, p.clientKeyA).listWebhooks(ListWebhooksRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        // Over gRPC an admin gets the data message itself, without the REST envelope.
        CreateWebhookResponse created = p.withKey(stub, p.adminKeyA).createWebhook(CreateWebhookRequest.newBuilder()
                .setUrl(url("/grpc")).addEventTypes(CASE_CHANGED).build());
        assertThat(created.getSecret()).startsWith("whsec_");
        assertThat(created.getWebhook().getUrl()).isEqualTo(url("/grpc"));
        assertThatThrownBy(() -> p.withKey(stub, p.adminKeyA).createWebhook(CreateWebhookRequest.newBuilder()
                .setUrl("http://localhost/x").addEventTypes(CASE_CHANGED).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    /**
     * A restart of the product while an event waits for its next attempt loses nothing; and two workers on one
     * database (two replicas) never send the same attempt.
     */
    @Test
    void anEventWaitingForARetryIsSentAfterTheProductRestarts() throws Exception {
        Path home = TestProduct.freshHome("webhooks-restart");
        Map<String, String> env = TestProduct.testEnv();
        env.putAll(settings());
        String path = "/restart";
        down.add(path);
        String key;
        String profile;
        String eventId;
        try (LocalProduct first = LocalProduct.start(home, env)) {
            first.server().tenants().ensureTenant("restart-co");
            key = first.server().tenants().issueKey("restart-co", Role.ADMIN, null).secret();
            String client = first.server().tenants().issueKey("restart-co", Role.CLIENT, null).secret();
            Rest rest = rest(first);
            register(rest, key, path);
            var created = rest.call("POST", "/api/web/kycService/submit", client,
                    "{\"userId\":\"restart-user\",\"country\":\"SG\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            profile = TestProduct.json(created).getAsJsonObject("data").get("profileId").getAsString();
            setStatus(rest, key, profile, 2);
            eventId = await("a refused attempt before the restart", () -> about(path, profile).stream().findFirst()
                    .map(Received::eventId).orElse(null));
        }
        int before = about(path, profile).size();
        down.remove(path);
        try (LocalProduct second = LocalProduct.start(home, env)) {
            Rest rest = rest(second);
            Received after = await("the event after the restart", () -> {
                List<Received> got = about(path, profile);
                return got.size() > before ? got.get(got.size() - 1) : null;
            });
            assertThat(after.eventId()).isEqualTo(eventId);
            String hookId = TestProduct.json(rest.call("GET", HOOKS, key, null)).getAsJsonObject("data")
                    .getAsJsonArray("list").get(0).getAsJsonObject().get("webhookId").getAsString();
            JsonObject d = await("delivered after the restart", () -> {
                JsonObject x = delivery(rest, key, hookId, eventId);
                return "DELIVERED".equals(x.get("status").getAsString()) ? x : null;
            });
            assertThat(d.get("attempts").getAsInt()).isEqualTo(before + 1);

            // Two replicas on one database: while one worker is sending an event, the other finds nothing to
            // send (the row is under the first one's lease), and once it is delivered nothing is sent twice.
            second.server().webhooks().worker().close();
            byte[] dataKey = Base64.getDecoder().decode(Files.readString(home.resolve("keys/data.key")).strip());
            WebhookSettings ws = WebhookSettings.fromEnvironment(env);
            CountDownLatch sending = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<String> sentBySecond = new CopyOnWriteArrayList<>();
            WebhookSender slow = (u, headers, body, timeout) -> {
                sending.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new WebhookSender.Answer(200, "ok");
            };
            WebhookSender recording = (u, headers, body, timeout) -> {
                sentBySecond.add(headers.get(WebhookSignature.EVENT_ID_HEADER));
                return new WebhookSender.Answer(200, "ok");
            };
            Webhooks replicaA = Webhooks.create(second.server().database(), new AesGcm(dataKey), ws, slow,
                    Clock.systemUTC());
            Webhooks replicaB = Webhooks.create(second.server().database(), new AesGcm(dataKey), ws, recording,
                    Clock.systemUTC());
            setStatus(rest, key, profile, -1);
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(replicaA.worker()::runOnce);
            assertThat(sending.await(2, TimeUnit.MINUTES)).as("replica A sends").isTrue();
            assertThat(replicaB.worker().runOnce()).as("claimed by replica B while A sends").isZero();
            release.countDown();
            assertThat(a.get(2, TimeUnit.MINUTES)).isEqualTo(1);
            assertThat(replicaB.worker().runOnce()).as("claimed by replica B after A delivered").isZero();
            assertThat(sentBySecond).isEmpty();
            JsonArray log = deliveries(rest, key, hookId);
            assertThat(log).hasSize(2);
            JsonObject rejection = log.get(0).getAsJsonObject();
            assertThat(rejection.get("eventId").getAsString()).isNotEqualTo(eventId);
            assertThat(rejection.get("status").getAsString()).isEqualTo("DELIVERED");
            assertThat(rejection.get("attempts").getAsInt()).isEqualTo(1);
        }
    }
}
