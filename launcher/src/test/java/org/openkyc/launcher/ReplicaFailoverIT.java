package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkyc.launcher.People.videos;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.StartLivenessRequest;
import org.openkyc.api.kyc.v1.StartLivenessResponse;
import org.openkyc.api.submissions.v2.IdType;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.submissions.v2.SubmitStep1Request;
import org.openkyc.gateway.Gateway;
import org.openkyc.gateway.GatewayConfig;
import org.openkyc.server.auth.Role;
import org.openkyc.server.config.ServerConfig;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.document.SyntheticDocuments;
import org.openkyc.server.liveness.ChallengeAction;
import org.openkyc.server.storage.Database;
import org.openkyc.server.tenant.TenantAdmin;
import org.openkyc.server.vision.TestVision;

/**
 * Two server replicas, each a JVM of its own ({@code org.openkyc.server.Main}), on one embedded MariaDB and one
 * blob folder, behind one gateway; one replica is killed with SIGKILL under a read/write load of REST reads
 * ({@code GET /status}), gRPC reads through the gateway's public port, and REST writes ({@code POST /submit},
 * some with an {@code Idempotency-Key}). What a client sees: no read fails, a write fails only with a clear
 * retryable error (503 with {@code Retry-After}), no acknowledged write is lost, the dead replica is dropped by
 * its health check, and a liveness session started on the killed replica is verified on the other.
 *
 * <p>Prints the figures recorded in BENCHMARKS.md ("Replica failover").
 */
class ReplicaFailoverIT {

    private static final String BASE = "/api/web/kycService";
    private static final int REST_READERS = 3;
    private static final int GRPC_READERS = 1;
    private static final int WRITERS = 2;
    private static final int KEYED_WRITERS = 1;
    /** Calls before the kill, and after the dead replica is dropped (counted, not timed). */
    private static final int CALLS_BEFORE_KILL = 150;
    private static final int CALLS_AFTER_DROP = 150;
    /** Passport uploads (submission step 1) sent just before the kill, every other one with an Idempotency-Key. */
    private static final int UPLOADS_AT_KILL = 4;
    private static final byte[] PASSPORT = TestVision.resource("passport-td3-specimen.png");

    @Test
    void aReplicaKilledUnderLoadFailsNoReadAndLosesNoAcknowledgedWrite() throws Exception {
        Path home = TestProduct.freshHome("replicas");
        List<Replica> replicas = new ArrayList<>();
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(home.resolve("mariadb"), 0)) {
            Map<String, String> env = TestProduct.testEnv();
            env.put("MYSQL_URL", db.jdbcUrl());
            env.put("MYSQL_USER", db.user());
            env.put("MYSQL_PASSWORD", "");
            // A key taken by the replica that is killed is free again after 10 s (default 10 minutes).
            env.put("OPENKYC_IDEMPOTENCY_ABANDON_SECONDS", "10");
            env = LocalProduct.serverEnvironment(home, env);

            // The first replica alone migrates the database; the second starts on it.
            Replica a = Replica.start("a", env, home);
            replicas.add(a);
            a.awaitServing();
            Replica b = Replica.start("b", env, home);
            replicas.add(b);
            b.awaitServing();

            String key;
            try (Database database = new Database(ServerConfig.fromEnvironment(env))) {
                TenantAdmin tenants = new TenantAdmin(database, Clock.systemUTC());
                tenants.ensureTenant("acme");
                key = tenants.issueKey("acme", Role.CLIENT, "failover").secret();
            }

            Map<String, String> gatewayEnv = new HashMap<>(env);
            gatewayEnv.put("OPENKYC_UPSTREAMS", a.address() + "," + b.address());
            gatewayEnv.put("OPENKYC_DEV_CERT_DIR", home.resolve("tls").toString());
            // The test counts failover answers, not slow ones: on a busy machine an upload can take longer than
            // the default 30 s deadline, which would be a 504 unrelated to the replica that dies.
            gatewayEnv.put("OPENKYC_UPSTREAM_TIMEOUT_MS", "120000");
            try (Gateway gateway = Gateway.start(GatewayConfig.fromEnvironment(gatewayEnv))) {
                run(gateway, key, a, b);
            }
        } finally {
            for (Replica r : replicas) {
                r.kill();
            }
        }
    }

    private void run(Gateway gateway, String key, Replica survivor, Replica victim) throws Exception {
        HttpClient http = TestProduct.httpsClient(gateway.certificateFile());
        String baseUrl = "https://localhost:" + gateway.httpsPort();
        ManagedChannel publicGrpc = Grpc.newChannelBuilderForAddress("127.0.0.1", gateway.httpsPort(),
                TlsChannelCredentials.newBuilder().trustManager(gateway.certificateFile().toFile()).build()).build();
        try {
            assertThat(awaitHealthy(gateway, 2)).as("both replicas healthy").isTrue();

            // A liveness session started on the replica that is about to die.
            LivenessStart session = startLivenessOn(victim, key);

            // Profiles to read, written before the load.
            List<String> acknowledged = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = submit(http, baseUrl, key, "seed-" + i, null);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                acknowledged.add(profileId(r));
            }

            Load load = new Load(http, baseUrl, key, publicGrpc, acknowledged);
            load.start();
            load.awaitCalls(CALLS_BEFORE_KILL);

            // Slow writes (a passport upload is read for seconds), some surely on the replica when it dies.
            List<Thread> uploads = new ArrayList<>();
            for (int i = 0; i < UPLOADS_AT_KILL; i++) {
                boolean keyed = i % 2 == 0;
                String email = "upload-" + i + "@example.com";
                Thread t = new Thread(() -> load.upload(email, keyed), "upload-" + i);
                uploads.add(t);
                t.start();
            }
            Thread.sleep(2500); // lets the uploads reach the replicas (nothing is timed or asserted on it)

            long killedAt = System.nanoTime();
            victim.kill();
            boolean dropped = awaitHealthy(gateway, 1);
            long dropMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertThat(dropped).as("the killed replica is dropped by its health check").isTrue();
            int callsAtDrop = load.calls.get();
            load.awaitCalls(callsAtDrop + CALLS_AFTER_DROP);
            load.stop();
            for (Thread t : uploads) {
                t.join(TimeUnit.MINUTES.toMillis(3));
                assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
            }

            // No read failed; a write failed only with a clear retryable error; nothing hung.
            assertThat(load.unexpected).as("unexpected answers").isEmpty();
            assertThat(load.failedReads.get()).as("failed reads: " + load.unexpected).isZero();
            // (503 from the gateway when the replica died with the write, or from a replica too busy for the
            // heavy work the survivor then has twice of.)
            int lostWithReplica = 0;
            for (HttpResponse<String> failed : load.failedWrites) {
                assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
                assertThat(failed.headers().firstValue("retry-after")).as("Retry-After").isPresent();
                JsonObject body = JsonParser.parseString(failed.body()).getAsJsonObject();
                assertThat(body.has("code")).as(failed.body()).isTrue();
                String message = body.get("message").getAsString();
                assertThat(message).as(failed.body()).isNotBlank().doesNotContain("127.0.0.1");
                if (message.contains("may or may not have been applied")) {
                    lostWithReplica++;
                }
            }
            // Every write a client was told succeeded is there.
            for (String pid : acknowledged) {
                HttpResponse<String> r = get(http, baseUrl, key, BASE + "/status/" + pid);
                assertThat(r.statusCode()).as("acknowledged profile %s: %s", pid, r.body()).isEqualTo(200);
            }

            for (String id : load.acknowledgedUploads) {
                HttpResponse<String> r = get(http, baseUrl, key, "/v2/submission?submission_id=" + id);
                assertThat(r.statusCode()).as("acknowledged submission %s: %s", id, r.body()).isEqualTo(200);
                assertThat(TestProduct.json(r).getAsJsonArray("Items")).hasSize(1);
            }

            // The session the dead replica started is verified by the survivor.
            HttpResponse<String> verified = verifyThroughGateway(http, baseUrl, key, session);
            assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
            assertThat(TestProduct.json(verified).getAsJsonObject("data").get("passed").getAsBoolean()).isTrue();

            System.out.printf("REPLICA FAILOVER: reads=%d (REST %d, gRPC %d) failedReads=%d writes=%d"
                            + " (of which %d uploads at the kill) acknowledgedWrites=%d failedWrites=%d"
                            + " (all 503 with Retry-After; %d lost with the replica) keyedWriteRetriesByClient=%d"
                            + " dropMillis=%d%n",
                    load.restReads.get() + load.grpcReads.get(), load.restReads.get(), load.grpcReads.get(),
                    load.failedReads.get(), load.writes.get(), UPLOADS_AT_KILL, load.acknowledgedWrites.get(),
                    load.failedWrites.size(), lostWithReplica, load.keyedRetries.get(), dropMillis);
        } finally {
            publicGrpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------------------------ the load

    /** Reader and writer threads counting what a client sees. */
    private static final class Load {
        final HttpClient http;
        final String baseUrl;
        final String key;
        final ManagedChannel publicGrpc;
        final List<String> acknowledged;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger restReads = new AtomicInteger();
        final AtomicInteger grpcReads = new AtomicInteger();
        final AtomicInteger failedReads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger acknowledgedWrites = new AtomicInteger();
        final AtomicInteger keyedRetries = new AtomicInteger();
        final List<HttpResponse<String>> failedWrites = new CopyOnWriteArrayList<>();
        final List<String> acknowledgedUploads = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();

        Load(HttpClient http, String baseUrl, String key, ManagedChannel publicGrpc, List<String> acknowledged) {
            this.http = http;
            this.baseUrl = baseUrl;
            this.key = key;
            this.publicGrpc = publicGrpc;
            this.acknowledged = acknowledged;
        }

        void start() {
            for (int i = 0; i < REST_READERS; i++) {
                threads.add(new Thread(this::restReader, "rest-reader-" + i));
            }
            for (int i = 0; i < GRPC_READERS; i++) {
                threads.add(new Thread(this::grpcReader, "grpc-reader-" + i));
            }
            for (int i = 0; i < WRITERS; i++) {
                int n = i;
                threads.add(new Thread(() -> writer("w" + n, false), "writer-" + i));
            }
            for (int i = 0; i < KEYED_WRITERS; i++) {
                int n = i;
                threads.add(new Thread(() -> writer("k" + n, true), "keyed-writer-" + i));
            }
            threads.forEach(Thread::start);
        }

        void awaitCalls(int n) throws InterruptedException {
            // Bounded so that a stuck load fails the test instead of hanging it.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (calls.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(calls.get()).as("calls made (unexpected: %s)", unexpected).isGreaterThanOrEqualTo(n);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(2));
                assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
            }
        }

        private String somePid(Random rnd) {
            return acknowledged.get(rnd.nextInt(acknowledged.size()));
        }

        private void restReader() {
            Random rnd = new Random();
            while (running.get()) {
                String pid = somePid(rnd);
                try {
                    HttpResponse<String> r = get(http, baseUrl, key, BASE + "/status/" + pid);
                    restReads.incrementAndGet();
                    if (r.statusCode() != 200) {
                        failedReads.incrementAndGet();
                        unexpected.add("read " + r.statusCode() + " " + r.body());
                    }
                } catch (RuntimeException e) {
                    restReads.incrementAndGet();
                    failedReads.incrementAndGet();
                    unexpected.add("read threw " + e);
                }
                calls.incrementAndGet();
            }
        }

        private void grpcReader() {
            Random rnd = new Random();
            KycServiceGrpc.KycServiceBlockingStub stub = withKey(KycServiceGrpc.newBlockingStub(publicGrpc), key);
            while (running.get()) {
                String pid = somePid(rnd);
                try {
                    stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                            .getStatus(GetStatusRequest.newBuilder().setProfileId(pid).build());
                } catch (StatusRuntimeException e) {
                    failedReads.incrementAndGet();
                    unexpected.add("gRPC read " + e.getStatus());
                }
                grpcReads.incrementAndGet();
                calls.incrementAndGet();
            }
        }

        /**
         * Sends a write; a well-behaved client sends a write with a key again, with the same key, when told to
         * retry: 503 (no replica answered), or 409 40901 (the replica that took the key died with it: the key is
         * free again after OPENKYC_IDEMPOTENCY_ABANDON_SECONDS).
         */
        private HttpResponse<String> write(java.util.function.Supplier<HttpRequest> request, boolean keyed)
                throws InterruptedException {
            HttpResponse<String> r = send(http, request.get());
            writes.incrementAndGet();
            int retries = 0;
            while (keyed && retryable(r) && retries < 60) {
                checkRetryable(r);
                retries++;
                keyedRetries.incrementAndGet();
                Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("retry-after").orElse("1")));
                r = send(http, request.get());
            }
            return r;
        }

        void upload(String email, boolean keyed) {
            String idempotencyKey = keyed ? UUID.randomUUID().toString() : null;
            byte[] form = new Multipart().text("issuingCountry", "SWE").text("email", email)
                    .text("idType", "passport").file("idImage", "passport.png", "image/png", PASSPORT).build();
            try {
                HttpResponse<String> r = write(() -> {
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/v2/submission/step1"))
                            .timeout(Duration.ofSeconds(120)).header("x-api-key", key)
                            .header("content-type", Multipart.CONTENT_TYPE)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(form));
                    if (idempotencyKey != null) {
                        b.header("Idempotency-Key", idempotencyKey);
                    }
                    return b.build();
                }, keyed);
                if (r.statusCode() == 200) {
                    acknowledgedUploads.add(TestProduct.json(r).get("submissionId").getAsString());
                    acknowledgedWrites.incrementAndGet();
                } else if (r.statusCode() == 503 && !keyed) {
                    failedWrites.add(r);
                } else {
                    unexpected.add("upload " + r.statusCode() + " " + r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                writes.incrementAndGet();
                unexpected.add("upload threw " + e);
            }
        }

        private void writer(String name, boolean keyed) {
            int i = 0;
            while (running.get()) {
                String userId = "load-" + name + "-" + i++;
                String idempotencyKey = keyed ? UUID.randomUUID().toString() : null;
                try {
                    HttpResponse<String> r = write(() -> submitRequest(baseUrl, key, userId, idempotencyKey), keyed);
                    if (r.statusCode() == 200) {
                        acknowledged.add(profileId(r));
                        acknowledgedWrites.incrementAndGet();
                    } else if (r.statusCode() == 503 && !keyed) {
                        failedWrites.add(r);
                    } else {
                        unexpected.add("write " + r.statusCode() + " " + r.body());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    writes.incrementAndGet();
                    unexpected.add("write threw " + e);
                }
                calls.incrementAndGet();
            }
        }

        private static boolean retryable(HttpResponse<String> r) {
            return r.statusCode() == 503 || (r.statusCode() == 409 && r.body().contains("40901"));
        }

        private static void checkRetryable(HttpResponse<String> r) {
            assertThat(r.headers().firstValue("retry-after")).as("Retry-After of %s", r.body()).isPresent();
        }
    }

    // ------------------------------------------------------------------------------------ helpers

    private static HttpResponse<String> get(HttpClient http, String baseUrl, String key, String path) {
        return send(http, HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("x-api-key", key).GET().build());
    }

    private static HttpResponse<String> submit(HttpClient http, String baseUrl, String key, String userId,
                                               String idempotencyKey) {
        return send(http, submitRequest(baseUrl, key, userId, idempotencyKey));
    }

    private static HttpRequest submitRequest(String baseUrl, String key, String userId, String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + BASE + "/submit"))
                .timeout(Duration.ofSeconds(60)).header("x-api-key", key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + userId + "\",\"country\":\"SG\"}"));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return b.build();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String profileId(HttpResponse<String> r) {
        return TestProduct.json(r).getAsJsonObject("data").get("profileId").getAsString();
    }

    private static <S extends AbstractStub<S>> S withKey(S stub, String key) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), key);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    /** Waits (bounded) until the gateway counts exactly {@code n} healthy replicas. */
    private static boolean awaitHealthy(Gateway gateway, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (gateway.healthyUpstreams() == n) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private record LivenessStart(String profileId, String sessionId, List<ChallengeAction> actions) {}

    /** A case with a document portrait and a liveness session, both made on {@code replica} directly. */
    private static LivenessStart startLivenessOn(Replica replica, String key) throws IOException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", replica.port).usePlaintext().build();
        try {
            Random rnd = new Random(7);
            SyntheticDocuments.Identity who = SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD3);
            byte[] passport = SyntheticDocuments.render(who,
                    ImageIO.read(new ByteArrayInputStream(People.ASTRONAUT)), rnd);
            String pid = withKey(SubmissionServiceGrpc.newBlockingStub(channel), key)
                    .withDeadlineAfter(120, TimeUnit.SECONDS)
                    .submitStep1(SubmitStep1Request.newBuilder().setIssuingCountry("NLD")
                            .setEmail("failover@example.com").setIdType(IdType.Value.passport)
                            .setIdImage(ByteString.copyFrom(passport)).build())
                    .getSubmissionId();
            StartLivenessResponse started = withKey(KycServiceGrpc.newBlockingStub(channel), key)
                    .withDeadlineAfter(60, TimeUnit.SECONDS)
                    .startLiveness(StartLivenessRequest.newBuilder().setProfileId(pid).build());
            List<ChallengeAction> actions = started.getActionsList().stream()
                    .map(a -> ChallengeAction.valueOf(a.name())).toList();
            return new LivenessStart(pid, started.getSessionId(), actions);
        } finally {
            channel.shutdownNow();
        }
    }

    private static HttpResponse<String> verifyThroughGateway(HttpClient http, String baseUrl, String key,
                                                             LivenessStart s) {
        Multipart form = new Multipart();
        form.text("sessionId", s.sessionId());
        form.text("profileId", s.profileId());
        List<byte[]> clips = videos("astronaut", s.actions());
        for (int i = 0; i < clips.size(); i++) {
            form.file("video" + (i + 1), "v" + (i + 1) + ".mp4", "video/mp4", clips.get(i));
        }
        return send(http, HttpRequest.newBuilder(URI.create(baseUrl + BASE + "/liveness/verify"))
                .timeout(Duration.ofSeconds(120)).header("x-api-key", key)
                .header("content-type", Multipart.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.build())).build());
    }

    // ------------------------------------------------------------------------------------ replicas

    /** A server replica in a JVM of its own, so that it can be killed outright. */
    private static final class Replica {
        final String name;
        final int port;
        final Process process;
        final Path log;

        private Replica(String name, int port, Process process, Path log) {
            this.name = name;
            this.port = port;
            this.process = process;
            this.log = log;
        }

        static Replica start(String name, Map<String, String> env, Path home) throws IOException {
            int port = freePort();
            Path log = home.resolve("replica-" + name + ".log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx768m", "-XX:MaxDirectMemorySize=256m",
                    "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                    "-cp", System.getProperty("java.class.path"), "org.openkyc.server.Main", "serve")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> childEnv = pb.environment();
            childEnv.keySet().removeIf(k -> k.startsWith("OPENKYC_") || k.startsWith("MYSQL_"));
            childEnv.putAll(env);
            childEnv.put("OPENKYC_GRPC_PORT", Integer.toString(port));
            childEnv.put("OPENKYC_GRPC_HOST", "127.0.0.1");
            return new Replica(name, port, pb.start(), log);
        }

        String address() {
            return "127.0.0.1:" + port;
        }

        /** Waits (bounded: a loaded machine starts a server slowly) until the replica answers SERVING. */
        void awaitServing() throws Exception {
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (System.nanoTime() < deadline) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("replica " + name + " stopped: " + tail());
                    }
                    try {
                        HealthCheckResponse r = HealthGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
                        if (r.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                            return;
                        }
                    } catch (StatusRuntimeException e) {
                        // not up yet
                    }
                    Thread.sleep(200);
                }
                throw new IllegalStateException("replica " + name + " did not start: " + tail());
            } finally {
                channel.shutdownNow();
            }
        }

        /** SIGKILL: no shutdown hook runs, open connections are cut. */
        void kill() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
