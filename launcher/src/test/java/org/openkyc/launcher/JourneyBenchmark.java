package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.openkyc.launcher.People.Person;
import org.openkyc.server.liveness.ChallengeAction;

/**
 * Not part of the normal test run (its name matches neither *Test nor *IT). Run with:
 * {@code mvn -B -pl launcher -am verify -Dexec.skip=true -Dtest=JourneyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 *
 * <p>Latency of the heavy journey calls against the running product, one client, over HTTPS through
 * the gateway (TLS, multipart parsing, gRPC to the server, engines, database): step 1 (passport
 * intake, quality, MRZ OCR), step 2 (selfie analysis, portrait match, screening, decision), the web
 * document upload, and the liveness verify of three 2-second 640x360 videos. Inputs are built before
 * the clock starts; two warm-up rounds are not counted.
 */
class JourneyBenchmark {

    private static final int WARM_UP = 2;
    private static final int ROUNDS = 12;
    private static final String WEB = "/api/web/kycService";

    /**
     * The product the journeys run against: by default one started in this JVM ({@link TestProduct}); with
     * {@code -Dopenkyc.bench.url=https://localhost:8443 -Dopenkyc.bench.key=<client key>
     * -Dopenkyc.bench.cert=data/tls/cert.pem} a product running on its own (bin/openkyc local), and with
     * {@code -Dopenkyc.bench.pid=<its JVM's pid>} its peak resident memory is reported, untouched by this
     * client's.
     */
    private final Target p = Target.fromProperties();

    private interface Target {
        HttpResponse<String> postMultipart(String path, Multipart form);

        HttpResponse<String> call(String method, String path, String jsonBody);

        String createProfile(String userId);

        /** The product's JVM, when it runs in another process. */
        default java.util.Optional<ProcessHandle> process() {
            return java.util.Optional.empty();
        }

        static Target fromProperties() {
            String url = System.getProperty("openkyc.bench.url");
            if (url == null || url.isBlank()) {
                TestProduct t = TestProduct.get();
                return new Target() {
                    public HttpResponse<String> postMultipart(String path, Multipart form) {
                        return t.postMultipart(path, t.clientKeyA, form);
                    }

                    public HttpResponse<String> call(String method, String path, String jsonBody) {
                        return t.call(method, path, t.clientKeyA, jsonBody);
                    }

                    public String createProfile(String userId) {
                        return t.createProfile(t.clientKeyA, userId);
                    }
                };
            }
            String key = System.getProperty("openkyc.bench.key");
            java.net.http.HttpClient http = TestProduct.httpsClient(java.nio.file.Path.of(
                    System.getProperty("openkyc.bench.cert", "data/tls/cert.pem")));
            String pid = System.getProperty("openkyc.bench.pid", "");
            return new Target() {
                public HttpResponse<String> postMultipart(String path, Multipart form) {
                    return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + path))
                            .timeout(java.time.Duration.ofSeconds(90)).header("x-api-key", key)
                            .header("content-type", Multipart.CONTENT_TYPE)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(form.build())).build());
                }

                public HttpResponse<String> call(String method, String path, String jsonBody) {
                    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(url + path)).timeout(java.time.Duration.ofSeconds(30))
                            .header("x-api-key", key);
                    if (jsonBody != null) {
                        b.header("content-type", "application/json")
                                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(jsonBody));
                    } else {
                        b.method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
                    }
                    return send(b.build());
                }

                public String createProfile(String userId) {
                    HttpResponse<String> r = call("POST", "/api/web/kycService/submit",
                            "{\"userId\":\"" + userId + "\",\"country\":\"SG\"}");
                    return ok(r).getAsJsonObject("data").get("profileId").getAsString();
                }

                public java.util.Optional<ProcessHandle> process() {
                    return pid.isBlank() ? java.util.Optional.empty() : ProcessHandle.of(Long.parseLong(pid.trim()));
                }

                private HttpResponse<String> send(java.net.http.HttpRequest request) {
                    try {
                        return http.send(request, HttpResponse.BodyHandlers.ofString());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            };
        }
    }

    @Test
    void journeyCallLatencies() {
        List<Long> step1 = new ArrayList<>();
        List<Long> step2 = new ArrayList<>();
        List<Long> upload = new ArrayList<>();
        List<Long> verify = new ArrayList<>();
        // Every input first (the client's drawing and video encoding happen in this JVM too), then the peak
        // resident memory starts again from here, so that it measures the product serving the journeys.
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < WARM_UP + ROUNDS; i++) {
            people.add(People.person("BENCH" + letters(i), "ALMA", "BX" + (1000000 + i), LocalDate.of(1980, 1,
                    1 + i % 28)));
        }
        People.videos("astronaut", List.of(ChallengeAction.values()));
        System.gc();
        resetPeakResident();
        for (int i = 0; i < WARM_UP + ROUNDS; i++) {
            boolean counted = i >= WARM_UP;
            Person who = people.get(i);
            Multipart step1Form = new Multipart().text("issuingCountry", "NLD").text("idType", "passport")
                    .text("email", "b" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                    .file("idImage", "passport.png", "image/png", who.passport());
            String id = timed(counted ? step1 : null, () -> ok(p.postMultipart("/v2/submission/step1", step1Form))).get("submissionId").getAsString();

            Multipart step2Form = new Multipart().text("submissionId", id)
                    .file("faceImage", "selfie.png", "image/png", People.ASTRONAUT).text("name", who.name())
                    .text("date_of_birth", who.id().birth().toString()).text("gender", who.gender())
                    .text("nationality", who.id().nationality());
            timed(counted ? step2 : null, () -> ok(p.postMultipart("/v2/submission/step2", step2Form)));

            String profile = p.createProfile("bench-" + i + "-" + UUID.randomUUID());
            Multipart uploadForm = new Multipart().text("profileId", profile).text("docType", "PASSPORT")
                    .text("country", "NL").file("frontImage", "passport.png", "image/png", who.passport());
            timed(counted ? upload : null, () -> ok(p.postMultipart(WEB + "/document/upload", uploadForm)));

            JsonObject session = ok(p.call("POST", WEB + "/liveness/start?profileId=" + profile, null)).getAsJsonObject("data");
            List<ChallengeAction> actions = new ArrayList<>();
            session.getAsJsonArray("actions").forEach(a -> actions.add(ChallengeAction.valueOf(a.getAsString())));
            Multipart verifyForm = new Multipart().text("sessionId", session.get("sessionId").getAsString())
                    .text("profileId", profile);
            List<byte[]> videos = People.videos("astronaut", actions);
            for (int v = 0; v < 3; v++) {
                verifyForm.file("video" + (v + 1), "v.mp4", "video/mp4", videos.get(v));
            }
            timed(counted ? verify : null, () -> ok(p.postMultipart(WEB + "/liveness/verify", verifyForm)));
        }
        System.out.println("JOURNEY BENCHMARK (ms, " + ROUNDS + " rounds, one client, HTTPS through the gateway)");
        report("POST /v2/submission/step1", step1);
        report("POST /v2/submission/step2", step2);
        report("POST /document/upload", upload);
        report("POST /liveness/verify (3 videos)", verify);
        // Peak resident memory while the journeys ran: this JVM (the product's server and gateway, plus this
        // test's HTTP client and the inputs it holds: an upper bound of the product's) and its MariaDB (since
        // its start).
        ProcessHandle product = p.process().orElse(ProcessHandle.current());
        long jvm = peakResidentMb(product.pid());
        long db = product.descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("mariadbd")).orElse(false))
                .mapToLong(h -> peakResidentMb(h.pid())).sum();
        System.out.println(String.format(Locale.ROOT, "PEAK RESIDENT (VmHWM) MB: jvm %d (%s), mariadb %d, sum %d",
                jvm, p.process().isPresent() ? "the product's own process, since its start"
                        : "with this test's client, since the inputs were made", db, jvm + db));
    }

    /** Restarts this process's VmHWM from its current resident size (Linux 4.0+; ignored elsewhere). */
    private static void resetPeakResident() {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/self/clear_refs"), "5");
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or not allowed: the peak then counts from the JVM's start
        }
    }

    /** VmHWM of a process, in MB (0 when it cannot be read). */
    private static long peakResidentMb(long pid) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return 0;
    }

    private static String letters(int i) {
        return String.valueOf((char) ('A' + i / 26)) + (char) ('A' + i % 26);
    }

    private static JsonObject ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestProduct.json(r);
    }

    private static JsonObject timed(List<Long> into, Supplier<JsonObject> call) {
        long t0 = System.nanoTime();
        JsonObject out = call.get();
        if (into != null) {
            into.add((System.nanoTime() - t0) / 1_000_000);
        }
        return out;
    }

    private static void report(String name, List<Long> ms) {
        List<Long> s = new ArrayList<>(ms);
        Collections.sort(s);
        System.out.println(String.format(Locale.ROOT, "%-36s median %5d  p90 %5d  max %5d", name,
                s.get(s.size() / 2), s.get((int) Math.ceil(s.size() * 0.9) - 1), s.get(s.size() - 1)));
    }
}
