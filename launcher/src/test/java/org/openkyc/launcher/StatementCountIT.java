package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.GetStatusResponse;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.server.auth.Role;

/**
 * How many statements the server sends the database per call, counted by the database itself (its global
 * status counters, on a database only this product uses). A read of a case is one statement once the caller's
 * key is known, a new profile is one transaction of three inserts (the case, its wrapped data key, its first
 * audit row), and no call changes session settings: those are made once per pooled connection. A key revoked
 * elsewhere is refused once the key cache's time to live has passed; one revoked through this server at once. The
 * statement timeout is one of those per-connection settings, kept by the database.
 */
class StatementCountIT {

    private static final String WEB = "/api/web/kycService";
    /** Calls per measurement: enough that a stray background statement cannot tip an average. */
    private static final int CALLS = 100;
    private static final long KEY_CACHE_TTL_MS = 1500;

    private static TestProduct p;
    private static Connection counters;

    @BeforeAll
    static void start() {
        p = TestProduct.withOwnDatabase("statements",
                Map.of("OPENKYC_API_KEY_CACHE_TTL_MS", Long.toString(KEY_CACHE_TTL_MS),
                        // Many calls in a row: the tenant's rate limit is not what is measured here.
                        "OPENKYC_RATE_LIMIT_PER_SECOND", "0",
                        "OPENKYC_DB_STATEMENT_TIMEOUT_MS", "1000"));
        counters = p.openOwnDatabaseConnection();
    }

    @AfterAll
    static void stop() throws SQLException {
        if (counters != null) {
            counters.close();
        }
        if (p != null) {
            p.close();
        }
    }

    /** The statement counters of the whole database server, less this reading itself. */
    private static Map<String, Long> read() {
        Map<String, Long> m = new HashMap<>();
        try (Statement st = counters.createStatement(); ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS WHERE"
                + " Variable_name IN ('Questions', 'Com_select', 'Com_set_option', 'Com_insert', 'Com_commit')")) {
            while (rs.next()) {
                m.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    /** Statements per call of {@code call}, by counter, measured over {@link #CALLS} calls. */
    private static Map<String, Double> perCall(Runnable call) {
        call.run(); // the key is now known
        Map<String, Long> before = read();
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        Map<String, Long> after = read();
        Map<String, Double> per = new HashMap<>();
        for (String k : before.keySet()) {
            // The reading of the counters is itself one question.
            long self = k.equals("questions") ? 1 : 0;
            per.put(k, (after.get(k) - before.get(k) - self) / (double) CALLS);
        }
        System.out.println("statements per call: " + per);
        return per;
    }

    @Test
    void getStatusOverGrpcIsOneStatementAndChangesNoSessionSetting() {
        String id = p.createProfile(p.clientKeyA, "count-grpc");
        KycServiceGrpc.KycServiceBlockingStub stub = p.withKey(KycServiceGrpc.newBlockingStub(p.channel), p.clientKeyA);
        Map<String, Double> per = perCall(() -> {
            GetStatusResponse r = stub.getStatus(GetStatusRequest.newBuilder().setProfileId(id).build());
            assertThat(r.getStatus().getProfileId()).isEqualTo(id);
        });
        assertThat(per.get("questions")).as("statements per GetStatus: %s", per).isLessThanOrEqualTo(2.0);
        assertThat(per.get("com_set_option")).as("SET statements per GetStatus").isZero();
    }

    @Test
    void getStatusOverRestIsOneStatement() {
        String id = p.createProfile(p.clientKeyA, "count-rest");
        Map<String, Double> per = perCall(() -> {
            HttpResponse<String> r = p.call("GET", WEB + "/status/" + id, p.clientKeyA, null);
            assertThat(r.statusCode()).isEqualTo(200);
        });
        assertThat(per.get("questions")).as("statements per GET /status: %s", per).isLessThanOrEqualTo(2.0);
        assertThat(per.get("com_set_option")).isZero();
    }

    @Test
    void oneSubmissionOverRestIsOneStatement() {
        String id = p.createProfile(p.clientKeyA, "count-submission");
        Map<String, Double> per = perCall(() -> {
            HttpResponse<String> r = p.call("GET", "/v2/submission?submission_id=" + id, p.clientKeyA, null);
            assertThat(r.statusCode()).isEqualTo(200);
        });
        assertThat(per.get("questions")).as("statements per GET /v2/submission?submission_id: %s", per)
                .isLessThanOrEqualTo(2.0);
        assertThat(per.get("com_set_option")).isZero();
    }

    @Test
    void aPageOfSubmissionsOverRestIsOneStatement() {
        for (int i = 0; i < 3; i++) {
            p.createProfile(p.clientKeyA, "count-list");
        }
        Map<String, Double> per = perCall(() -> {
            HttpResponse<String> r = p.call("GET", "/v2/submission?userid=count-list&count=2", p.clientKeyA, null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(TestProduct.json(r).get("Count").getAsInt()).isEqualTo(2);
        });
        assertThat(per.get("questions")).as("statements per GET /v2/submission?userid: %s", per)
                .isLessThanOrEqualTo(2.0);
        assertThat(per.get("com_set_option")).isZero();
    }

    @Test
    void aPageOfTheAdminListWithItsCountsPerStatusIsOneStatement() {
        for (int i = 0; i < 3; i++) {
            p.createProfile(p.clientKeyA, "count-admin-list");
        }
        String[] cursor = {null};
        Map<String, Double> per = perCall(() -> {
            HttpResponse<String> r = p.call("POST", "/admin/kyc/list", p.adminKeyA,
                    "{\"userId\":\"count-admin-list\",\"limit\":2,\"status\":\"incomplete\"}");
            assertThat(r.statusCode()).isEqualTo(200);
            var data = TestProduct.json(r).getAsJsonObject("data");
            assertThat(data.getAsJsonArray("list")).hasSize(2);
            assertThat(data.getAsJsonObject("statusCounts").get("incomplete").getAsLong()).isEqualTo(3);
            cursor[0] = data.get("nextCursor").getAsString();
        });
        // The page, the keys of its cases and the counts per status: one statement (the counts of so few cases
        // are counted on every call, in that statement).
        assertThat(per.get("questions")).as("statements per POST /admin/kyc/list: %s", per).isLessThanOrEqualTo(2.0);
        assertThat(per.get("com_set_option")).isZero();
        Map<String, Double> next = perCall(() -> {
            HttpResponse<String> r = p.call("POST", "/admin/kyc/list", p.adminKeyA,
                    "{\"userId\":\"count-admin-list\",\"limit\":2,\"status\":\"incomplete\",\"cursor\":\""
                    + cursor[0] + "\"}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(TestProduct.json(r).getAsJsonObject("data").getAsJsonArray("list")).hasSize(1);
        });
        assertThat(next.get("questions")).as("statements per next page: %s", next).isLessThanOrEqualTo(2.0);
    }

    @Test
    void aNewProfileIsOneTransactionOfThreeInserts() {
        int[] n = {0};
        Map<String, Double> per = perCall(() -> {
            HttpResponse<String> r = p.call("POST", WEB + "/submit", p.clientKeyA,
                    "{\"userId\":\"count-submit-" + n[0]++ + "\",\"country\":\"SG\"}");
            assertThat(r.statusCode()).isEqualTo(200);
        });
        // START TRANSACTION, the case, its wrapped data key (a row of its own, so that deleting it shreds the
        // case), its first audit row, COMMIT; and the key look-up once per time to live.
        assertThat(per.get("questions")).as("statements per POST /submit: %s", per).isLessThanOrEqualTo(5.5);
        assertThat(per.get("com_insert")).isEqualTo(3.0);
        assertThat(per.get("com_commit")).isEqualTo(1.0);
        assertThat(per.get("com_set_option")).isZero();
    }

    /**
     * The statement timeout is kept by the database (set once per pooled connection, not a timer per statement in
     * the server): a read or a write held up by a lock past it is stopped and answered 503 with retry advice, the
     * write leaves nothing behind, and the same calls succeed once the lock is gone.
     */
    @Test
    void aStatementHeldUpPastTheStatementTimeoutIsStoppedAndAnswered503() throws Exception {
        String id = p.createProfile(p.clientKeyA, "count-timeout");
        KycServiceGrpc.KycServiceBlockingStub stub = p.withKey(KycServiceGrpc.newBlockingStub(p.channel), p.clientKeyA);
        GetStatusRequest request = GetStatusRequest.newBuilder().setProfileId(id).build();
        assertThat(p.call("GET", WEB + "/status/" + id, p.clientKeyA, null).statusCode()).isEqualTo(200);
        long abortedBefore = abortedClients();
        try (Connection holder = p.openOwnDatabaseConnection(); Statement st = holder.createStatement()) {
            st.execute("LOCK TABLES kyc_cases WRITE");
            try {
                HttpResponse<String> read = p.call("GET", WEB + "/status/" + id, p.clientKeyA, null);
                assertThat(read.statusCode()).as(read.body()).isEqualTo(503);
                assertThat(read.headers().firstValue("retry-after")).isPresent();
                StatusRuntimeException grpc = catchThrowableOfType(
                        () -> stub.getStatus(request), StatusRuntimeException.class);
                assertThat(grpc.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                HttpResponse<String> write = p.call("POST", WEB + "/submit", p.clientKeyA,
                        "{\"userId\":\"count-timeout-write\",\"country\":\"SG\"}");
                assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
            } finally {
                st.execute("UNLOCK TABLES");
            }
        }
        // Stopped by the database, which answered with its error: no connection was dropped by a socket timeout.
        assertThat(abortedClients()).isEqualTo(abortedBefore);
        assertThat(stub.getStatus(request).getStatus().getProfileId()).isEqualTo(id);
        HttpResponse<String> none = p.call("GET", "/v2/submission?userid=count-timeout-write", p.clientKeyA, null);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(200);
        assertThat(TestProduct.json(none).getAsJsonArray("Items")).isEmpty();
    }

    /** Connections the database saw dropped by their client without a goodbye. */
    private static long abortedClients() throws SQLException {
        try (Statement st = counters.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'Aborted_clients'")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(2);
        }
    }

    @Test
    void aKeyRevokedElsewhereIsRefusedOnceTheKeyCacheTimeToLiveHasPassed() throws Exception {
        var issued = p.product.server().tenants().issueKey("acme", Role.CLIENT, "to-revoke");
        String id = p.createProfile(issued.secret(), "count-revoke");
        assertThat(p.call("GET", WEB + "/status/" + id, issued.secret(), null).statusCode()).isEqualTo(200);
        // Revoked by another process (the operator command line, another replica): straight in the database.
        try (java.sql.PreparedStatement st = counters.prepareStatement(
                "UPDATE api_keys SET revoked_at = UTC_TIMESTAMP(3) WHERE id = ?")) {
            st.setString(1, issued.keyId());
            assertThat(st.executeUpdate()).isEqualTo(1);
        }

        Thread.sleep(KEY_CACHE_TTL_MS + 500);

        HttpResponse<String> rest = p.call("GET", WEB + "/status/" + id, issued.secret(), null);
        assertThat(rest.statusCode()).isEqualTo(401);
        KycServiceGrpc.KycServiceBlockingStub stub = p.withKey(KycServiceGrpc.newBlockingStub(p.channel),
                issued.secret());
        try {
            stub.getStatus(GetStatusRequest.newBuilder().setProfileId(id).build());
            throw new AssertionError("a revoked key was accepted");
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
    }

    @Test
    void aKeyRevokedThroughThisServerIsRefusedAtOnce() {
        var t = p.product.server().tenants();
        var issued = t.issueKey("acme", Role.CLIENT, "revoked-here");
        String id = p.createProfile(issued.secret(), "count-revoke-here");
        assertThat(p.call("GET", WEB + "/status/" + id, issued.secret(), null).statusCode()).isEqualTo(200);
        assertThat(t.revokeKey(issued.keyId())).isTrue();
        assertThat(p.call("GET", WEB + "/status/" + id, issued.secret(), null).statusCode()).isEqualTo(401);
    }
}
