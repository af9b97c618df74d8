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

    private final TestProduct p = TestProduct.get();

    @Test
    void journeyCallLatencies() {
        List<Long> step1 = new ArrayList<>();
        List<Long> step2 = new ArrayList<>();
        List<Long> upload = new ArrayList<>();
        List<Long> verify = new ArrayList<>();
        for (int i = 0; i < WARM_UP + ROUNDS; i++) {
            boolean counted = i >= WARM_UP;
            Person who = People.person("BENCH" + letters(i), "ALMA", "BX" + (1000000 + i), LocalDate.of(1980, 1,
                    1 + i % 28));
            Multipart step1Form = new Multipart().text("issuingCountry", "NLD").text("idType", "passport")
                    .text("email", "b" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                    .file("idImage", "passport.png", "image/png", who.passport());
            String id = timed(counted ? step1 : null, () -> ok(p.postMultipart("/v2/submission/step1", p.clientKeyA,
                    step1Form))).get("submissionId").getAsString();

            Multipart step2Form = new Multipart().text("submissionId", id)
                    .file("faceImage", "selfie.png", "image/png", People.ASTRONAUT).text("name", who.name())
                    .text("date_of_birth", who.id().birth().toString()).text("gender", who.gender())
                    .text("nationality", who.id().nationality());
            timed(counted ? step2 : null, () -> ok(p.postMultipart("/v2/submission/step2", p.clientKeyA, step2Form)));

            String profile = p.createProfile(p.clientKeyA, "bench-" + i);
            Multipart uploadForm = new Multipart().text("profileId", profile).text("docType", "PASSPORT")
                    .text("country", "NL").file("frontImage", "passport.png", "image/png", who.passport());
            timed(counted ? upload : null, () -> ok(p.postMultipart(WEB + "/document/upload", p.clientKeyA,
                    uploadForm)));

            JsonObject session = ok(p.call("POST", WEB + "/liveness/start?profileId=" + profile, p.clientKeyA,
                    null)).getAsJsonObject("data");
            List<ChallengeAction> actions = new ArrayList<>();
            session.getAsJsonArray("actions").forEach(a -> actions.add(ChallengeAction.valueOf(a.getAsString())));
            Multipart verifyForm = new Multipart().text("sessionId", session.get("sessionId").getAsString())
                    .text("profileId", profile);
            List<byte[]> videos = People.videos("astronaut", actions);
            for (int v = 0; v < 3; v++) {
                verifyForm.file("video" + (v + 1), "v.mp4", "video/mp4", videos.get(v));
            }
            timed(counted ? verify : null, () -> ok(p.postMultipart(WEB + "/liveness/verify", p.clientKeyA,
                    verifyForm)));
        }
        System.out.println("JOURNEY BENCHMARK (ms, " + ROUNDS + " rounds, one client, HTTPS through the gateway)");
        report("POST /v2/submission/step1", step1);
        report("POST /v2/submission/step2", step2);
        report("POST /document/upload", upload);
        report("POST /liveness/verify (3 videos)", verify);
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
