package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;

/**
 * Idempotent retries: a client that sends the same POST twice with one Idempotency-Key (REST header,
 * gRPC {@code idempotency-key} metadata) gets the first answer again and one case, not two.
 */
class IdempotencyIT {

    private static final String SUBMIT = "/api/web/kycService/submit";

    private final TestProduct p = TestProduct.get();

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String body(String userId) {
        return "{\"userId\":\"" + userId + "\",\"country\":\"SG\"}";
    }

    private HttpResponse<String> post(String path, String apiKey, String idempotencyKey, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.url(path))).timeout(Duration.ofSeconds(60))
                .header("x-api-key", apiKey).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return p.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Cases of a user (in any tenant), counted in the database by the user id's blind index. */
    private long cases(String userId) {
        var db = p.product.server().database();
        return db.read(s -> {
            try (java.sql.PreparedStatement tenants = s.getConnection()
                    .prepareStatement("SELECT DISTINCT tenant_id FROM kyc_cases");
                 java.sql.ResultSet t = tenants.executeQuery()) {
                long total = 0;
                while (t.next()) {
                    long tenant = t.getLong(1);
                    try (java.sql.PreparedStatement st = s.getConnection().prepareStatement(
                            "SELECT COUNT(*) FROM kyc_cases WHERE tenant_id = ? AND user_id_bidx = ?")) {
                        st.setLong(1, tenant);
                        st.setBytes(2, db.vault().userIdIndex(tenant, userId));
                        try (java.sql.ResultSet rs = st.executeQuery()) {
                            rs.next();
                            total += rs.getLong(1);
                        }
                    }
                }
                return total;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aRetriedSubmitGetsTheSameProfileAndCreatesOneCase() {
        String user = unique("idem");
        String key = unique("key");
        HttpResponse<String> first = post(SUBMIT, p.clientKeyA, key, body(user));
        HttpResponse<String> retry = post(SUBMIT, p.clientKeyA, key, body(user));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(TestProduct.json(retry).getAsJsonObject("data").get("profileId").getAsString())
                .isEqualTo(TestProduct.json(first).getAsJsonObject("data").get("profileId").getAsString());
        assertThat(cases(user)).isEqualTo(1);

        // Without a key, a repeat is a new request.
        String other = unique("nokey");
        post(SUBMIT, p.clientKeyA, null, body(other));
        post(SUBMIT, p.clientKeyA, null, body(other));
        assertThat(cases(other)).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422InTheWebErrorShape() {
        String key = unique("key");
        String user = unique("idem");
        assertThat(post(SUBMIT, p.clientKeyA, key, body(user)).statusCode()).isEqualTo(200);
        String changed = unique("idem");
        HttpResponse<String> r = post(SUBMIT, p.clientKeyA, key, body(changed));
        assertThat(r.statusCode()).isEqualTo(422);
        JsonObject err = TestProduct.json(r);
        assertThat(err.get("code").getAsInt()).isEqualTo(42204);
        assertThat(err.get("message").getAsString()).contains("Idempotency-Key").contains("different request");
        assertThat(cases(changed)).isZero();

        // Another route with the same key is another request too.
        HttpResponse<String> start = post("/api/web/kycService/liveness/start", p.clientKeyA, key, "{}");
        assertThat(start.statusCode()).isEqualTo(422);
        assertThat(TestProduct.json(start).get("code").getAsInt()).isEqualTo(42204);
    }

    @Test
    void aMalformedKeyIs400() {
        String user = unique("idem");
        HttpResponse<String> r = post(SUBMIT, p.clientKeyA, "k".repeat(256), body(user));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestProduct.json(r).get("code").getAsInt()).isEqualTo(40000);
        assertThat(TestProduct.json(r).get("message").getAsString()).contains("Idempotency-Key");
        assertThat(cases(user)).isZero();
    }

    @Test
    void tenantsWithTheSameKeyDoNotInterfere() {
        String key = unique("shared");
        String userA = unique("idemA");
        String userB = unique("idemB");
        HttpResponse<String> a = post(SUBMIT, p.clientKeyA, key, body(userA));
        HttpResponse<String> b = post(SUBMIT, p.clientKeyB, key, body(userB));
        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(b.statusCode()).isEqualTo(200);
        assertThat(cases(userA)).isEqualTo(1);
        assertThat(cases(userB)).isEqualTo(1);
        // The same body under both tenants: each tenant gets its own profile.
        String same = unique("idemS");
        String key2 = unique("shared");
        String pa = TestProduct.json(post(SUBMIT, p.clientKeyA, key2, body(same)))
                .getAsJsonObject("data").get("profileId").getAsString();
        String pb = TestProduct.json(post(SUBMIT, p.clientKeyB, key2, body(same)))
                .getAsJsonObject("data").get("profileId").getAsString();
        assertThat(pa).isNotEqualTo(pb);
        assertThat(cases(same)).isEqualTo(2);
    }

    @Test
    void concurrentDuplicatesMakeOneCaseAndAllAnswersAgreeOrAskToRetry() throws Exception {
        String user = unique("idemC");
        String key = unique("race");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return post(SUBMIT, p.clientKeyA, key, body(user));
                }));
            }
            go.countDown();
            String okBody = null;
            for (Future<HttpResponse<String>> f : answers) {
                HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    if (okBody == null) {
                        okBody = r.body();
                    }
                    assertThat(r.body()).isEqualTo(okBody);
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
                    assertThat(r.headers().firstValue("retry-after")).isPresent();
                    assertThat(TestProduct.json(r).get("code").getAsInt()).isEqualTo(40901);
                    assertThat(TestProduct.json(r).get("message").getAsString()).contains("in progress");
                }
            }
            assertThat(okBody).isNotNull();
        } finally {
            pool.shutdownNow();
        }
        assertThat(cases(user)).isEqualTo(1);
    }

    @Test
    void grpcCallersSetTheKeyAsMetadata() {
        String user = unique("idemG");
        String key = unique("grpc");
        SubmitRequest req = SubmitRequest.newBuilder().setUserId(user).setCountry("SG").build();
        SubmitResponse first = grpc(key).submit(req);
        SubmitResponse again = grpc(key).submit(req);
        assertThat(again.toByteArray()).isEqualTo(first.toByteArray());
        assertThat(cases(user)).isEqualTo(1);

        // The REST header and the gRPC metadata are one key: the same request through REST replays too.
        HttpResponse<String> rest = post(SUBMIT, p.clientKeyA, key, body(user));
        assertThat(rest.statusCode()).isEqualTo(200);
        assertThat(TestProduct.json(rest).getAsJsonObject("data").get("profileId").getAsString())
                .isEqualTo(first.getProfileId());

        StatusRuntimeException reused = catchThrowableOfType(StatusRuntimeException.class, () -> grpc(key)
                .submit(SubmitRequest.newBuilder().setUserId(unique("other")).setCountry("SG").build()));
        assertThat(reused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(reused.getStatus().getDescription()).contains("Idempotency-Key");
        assertThat(cases(user)).isEqualTo(1);
    }

    private KycServiceGrpc.KycServiceBlockingStub grpc(String idempotencyKey) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("idempotency-key", Metadata.ASCII_STRING_MARSHALLER), idempotencyKey);
        return p.withKey(KycServiceGrpc.newBlockingStub(p.channel), p.clientKeyA)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }
}
