package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.KycServiceGrpc;

/**
 * The database goes away and comes back while requests keep coming: every answer is a success or a 503 with
 * Retry-After (gRPC: UNAVAILABLE with RetryInfo), none waits past the 6-second bound the client allows;
 * health says NOT_SERVING while the database is down and SERVING by itself after; once it is back every
 * request succeeds, and every write that was acknowledged can be read.
 */
class DatabaseFaultIT {

    private static final String WEB = "/api/web/kycService";
    /** The longest a caller waits for any answer, database down or not. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(6);

    private static TestProduct p;

    @BeforeAll
    static void start() {
        p = TestProduct.withOwnDatabase("dbfault", Map.of());
    }

    @AfterAll
    static void stop() {
        if (p != null) {
            p.close();
        }
    }

    /** One answer of the loop, as the caller saw it. */
    record Answer(String what, int status, boolean retryAfter, String body) {
    }

    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();

    private HttpResponse<String> call(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.url(path))).timeout(ANSWER_BOUND)
                .header("x-api-key", p.clientKeyA);
        if (body != null) {
            b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        // A request that gets no answer within the bound fails the test with HttpTimeoutException.
        return p.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One round: a write, a read of an earlier write over REST, and the same read over gRPC. */
    private void round(String known) {
        HttpResponse<String> w = call("POST", WEB + "/submit",
                "{\"userId\":\"fault-" + counter.incrementAndGet() + "\",\"country\":\"SG\"}");
        record("write", w);
        if (w.statusCode() == 200) {
            acknowledged.add(TestProduct.json(w).getAsJsonObject("data").get("profileId").getAsString());
        }
        record("read", call("GET", WEB + "/status/" + known, null));
        try {
            p.withKey(KycServiceGrpc.newBlockingStub(p.channel), p.clientKeyA)
                    .withDeadlineAfter(ANSWER_BOUND.toMillis(), TimeUnit.MILLISECONDS)
                    .getStatus(GetStatusRequest.newBuilder().setProfileId(known).build());
            answers.add(new Answer("grpc read", 200, false, ""));
        } catch (StatusRuntimeException e) {
            boolean retryInfo = StatusProto.fromThrowable(e) != null && StatusProto.fromThrowable(e).getDetailsList()
                    .stream().anyMatch(d -> d.is(RetryInfo.class));
            answers.add(new Answer("grpc read", e.getStatus().getCode() == Status.Code.UNAVAILABLE ? 503 : -1,
                    retryInfo, e.getStatus().toString()));
        }
    }

    private void record(String what, HttpResponse<String> r) {
        answers.add(new Answer(what, r.statusCode(), r.headers().firstValue("retry-after").isPresent(), r.body()));
    }

    private ServingStatus health() {
        return HealthGrpc.newBlockingStub(p.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    /** Runs rounds until health shows the wanted status (at most {@code maxRounds}); true when it did. */
    private boolean roundsUntil(String known, ServingStatus wanted, int maxRounds) throws InterruptedException {
        for (int i = 0; i < maxRounds; i++) {
            round(known);
            if (health() == wanted) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    @Test
    void requestsAreAnsweredOrRefusedWithRetryAdviceWhileTheDatabaseIsAway() throws Exception {
        String known = p.createProfile(p.clientKeyA, "fault-known");
        for (int i = 0; i < 5; i++) {
            round(known);
        }
        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(200));
        assertThat(health()).isEqualTo(ServingStatus.SERVING);

        // Reads and writes keep coming on another thread while the database stops.
        AtomicBoolean running = new AtomicBoolean(true);
        List<Throwable> loopFailures = new CopyOnWriteArrayList<>();
        Thread loop = new Thread(() -> {
            try {
                for (int i = 0; i < 10_000 && running.get(); i++) {
                    round(known);
                }
            } catch (Throwable t) {
                loopFailures.add(t);
            }
        }, "fault-loop");
        loop.start();
        p.stopDatabase();
        assertThat(roundsUntil(known, ServingStatus.NOT_SERVING, 100)).as("health went NOT_SERVING").isTrue();
        HttpResponse<String> gatewayHealth = p.call("GET", "/internal/health", null, null);
        assertThat(gatewayHealth.statusCode()).isEqualTo(503);
        int whileDown = answers.size();
        for (int i = 0; i < 5; i++) {
            round(known);
        }
        List<Answer> down = List.copyOf(answers);
        assertThat(down.subList(whileDown, down.size()))
                .allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(503));

        p.startDatabase();
        assertThat(roundsUntil(known, ServingStatus.SERVING, 300)).as("health went SERVING again").isTrue();
        running.set(false);
        loop.join(60_000);
        assertThat(loopFailures).isEmpty();
        assertThat(p.call("GET", "/internal/health", null, null).statusCode()).isEqualTo(200);

        // Every answer so far was a success, or a 503 that says when to retry.
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).as(a.toString()).isIn(200, 503);
            if (a.status() == 503) {
                assertThat(a.retryAfter()).as(a.toString()).isTrue();
            }
        });
        assertThat(answers).anySatisfy(a -> assertThat(a.status()).isEqualTo(503));

        // Back: everything succeeds, and every acknowledged write is there.
        int afterRestart = answers.size();
        for (int i = 0; i < 5; i++) {
            round(known);
        }
        List<Answer> back = List.copyOf(answers);
        assertThat(back.subList(afterRestart, back.size()))
                .allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(200));
        assertThat(acknowledged).hasSizeGreaterThan(5);
        for (String id : acknowledged) {
            HttpResponse<String> r = call("GET", WEB + "/status/" + id, null);
            assertThat(r.statusCode()).as(id + " " + r.body()).isEqualTo(200);
        }
    }
}
