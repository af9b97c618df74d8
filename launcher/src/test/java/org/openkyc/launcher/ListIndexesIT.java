package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.scripting.defaults.DefaultParameterHandler;
import org.apache.ibatis.session.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.TravelRuleMapper;

/**
 * Every documented filter of the list routes (A1 GET /v2/submission, B1 GET /v1/verifications) is answered
 * from an index, newest first, without sorting the matching rows: the real statements of the mappers run on
 * a database seeded with tens of thousands of rows (one heavy user among many light ones, so the optimizer
 * chooses as it would in production); each must use an index, and reading one page must touch about one page
 * of index entries (the database's own handler counters), not every row of the user or the tenant.
 */
class ListIndexesIT {

    private static final int CASES = 30_000;
    private static final int OTHER_TENANT_CASES = 5_000;
    private static final int VERIFICATIONS = 30_000;
    private static final String[] STATUSES = {"approved", "rejected", "pending", "incomplete"};
    private static final String[] SYMBOLS = {"BTC", "ETH", "USDT", "XRP", "SOL"};
    private static final String[] NETWORKS = {"bitcoin", "ethereum", "tron"};
    private static final String[] RESULTS = {"VERIFIED", "DENIED", "UNKNOWN", "ERROR"};
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 1, 1, 0, 0);
    /** A1's default page: 50 items and one more to know whether a next page follows. */
    private static final int A1_LIMIT = 51;
    /** B1's default page. */
    private static final int B1_LIMIT = 10;

    private static TestProduct p;
    private static Connection sql;
    private static long tenant;
    private static Configuration mybatis;

    @BeforeAll
    static void seed() throws SQLException {
        p = TestProduct.withOwnDatabase("indexes", Map.of());
        sql = p.openOwnDatabaseConnection();
        tenant = tenantId("acme");
        long other = tenantId("globex");
        insertCases(tenant, CASES, "s");
        insertCases(other, OTHER_TENANT_CASES, "o");
        insertVerifications(tenant, VERIFICATIONS);
        insertAttempts(tenant);
        try (Statement st = sql.createStatement()) {
            st.execute("ANALYZE TABLE kyc_cases, kyc_attempts, tr_verifications");
        }
        mybatis = p.product.server().database().read(s -> s.getConfiguration());
    }

    @AfterAll
    static void stop() throws SQLException {
        if (sql != null) {
            sql.close();
        }
        if (p != null) {
            p.close();
        }
    }

    private static long tenantId(String name) throws SQLException {
        try (PreparedStatement st = sql.prepareStatement("SELECT id FROM tenants WHERE name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Case i: every 10th belongs to user "heavy", the others to one of 9000 users with about three each. */
    private static void insertCases(long tenantId, int n, String prefix) throws SQLException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            boolean heavy = i % 10 == 0;
            String user = heavy ? "heavy" : "u" + (i % 9000);
            LocalDateTime at = T0.plusMinutes(i);
            b.append(b.length() == 0 ? "" : ",").append('(')
                    .append(q(prefix + String.format("%015d", i))).append(',').append(tenantId).append(',')
                    .append(hex(tenantId, "userid", user)).append(',')
                    .append(hex(tenantId, "email", user + "@example.com")).append(',')
                    .append(q(STATUSES[(i / 7) % 4])).append(',').append(q("a" + (i % 12_000))).append(',')
                    .append(q(at.toString())).append(',').append(q(at.toString())).append(')');
            if ((i + 1) % 1000 == 0 || i == n - 1) {
                // Sealed rows keep only blind indexes of userid and email (no pii_enc needed for a plan).
                execute("INSERT INTO kyc_cases (public_id, tenant_id, user_id_bidx, email_bidx, status, applicant_id,"
                        + " created_at, updated_at) VALUES " + b);
                b.setLength(0);
            }
        }
    }

    /** Two step-2 attempts for every third case of the tenant. */
    private static void insertAttempts(long tenantId) throws SQLException {
        execute("INSERT INTO kyc_attempts (case_id, attempt_no, created_at) SELECT id, 1, created_at FROM kyc_cases"
                + " WHERE tenant_id = " + tenantId + " AND id % 3 = 0");
        execute("INSERT INTO kyc_attempts (case_id, attempt_no, created_at) SELECT id, 2, created_at FROM kyc_cases"
                + " WHERE tenant_id = " + tenantId + " AND id % 3 = 0");
    }

    private static void insertVerifications(long tenantId, int n) throws SQLException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            LocalDateTime at = T0.plusMinutes(i);
            b.append(b.length() == 0 ? "" : ",").append('(').append(tenantId).append(',')
                    .append(q("uuid-" + i)).append(',').append(q(i % 2 == 0 ? "SEND" : "RECEIVE")).append(',')
                    .append(q(RESULTS[(i / 3) % 4])).append(',').append(q(SYMBOLS[i % 5])).append(',')
                    .append(q(NETWORKS[(i / 5) % 3])).append(",'1.5',FALSE,'100','USD',")
                    .append(q(at.toString())).append(',').append(q("tx" + i)).append(",'vasp-self',")
                    .append(q("orig" + (i % 5000))).append(",x'00','{}','vasp-other',")
                    .append(q("bene" + (i % 5000))).append(",x'00',").append(q("vasp" + (i % 10))).append(',')
                    .append(q(at.toString())).append(')');
            if ((i + 1) % 1000 == 0 || i == n - 1) {
                execute("INSERT INTO tr_verifications (tenant_id, uuid, action_type, result, symbol, network, amount,"
                        + " is_exceeding_threshold, trade_price, trade_currency, trade_iso_datetime, tx_hash,"
                        + " originating_vasp_id, originator_account_number, ivms101_originator_enc,"
                        + " ivms101_originating_vasp, beneficiary_vasp_id, beneficiary_account_number,"
                        + " ivms101_beneficiary_enc, opposite_vasp_id, created_at) VALUES " + b);
                b.setLength(0);
            }
        }
    }

    /** The blind index of a value, as the server computes it, as an SQL literal. */
    private static String hex(long tenantId, String kind, String value) {
        return "X'" + java.util.HexFormat.of().formatHex(
                p.product.server().database().vault().keys().blindIndex(tenantId, kind, value)) + "'";
    }

    private static String q(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static void execute(String statement) throws SQLException {
        try (Statement st = sql.createStatement()) {
            st.execute(statement);
        }
    }

    /** One row of EXPLAIN. */
    record Plan(String selectType, String table, String type, String key, String extra) {
    }

    /** What one statement of a mapper did: its plan and the index entries and rows it touched. */
    record Run(String sql, List<Plan> plans, long handlerReads, int resultRows) {
        @Override
        public String toString() {
            return handlerReads + " reads, " + resultRows + " rows, plan " + plans + " for " + sql;
        }
    }

    private static Run run(String mapperStatement, Object filter) {
        MappedStatement ms = mybatis.getMappedStatement(mapperStatement);
        BoundSql bound = ms.getBoundSql(filter);
        try {
            List<Plan> plans = new ArrayList<>();
            try (PreparedStatement st = sql.prepareStatement("EXPLAIN " + bound.getSql())) {
                new DefaultParameterHandler(ms, filter, bound).setParameters(st);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        plans.add(new Plan(rs.getString("select_type"), rs.getString("table"), rs.getString("type"),
                                rs.getString("key"), rs.getString("Extra")));
                    }
                }
            }
            long before = handlerReads();
            long overhead = handlerReads() - before; // what reading the counters itself costs
            long start = handlerReads();
            int rows = 0;
            try (PreparedStatement st = sql.prepareStatement(bound.getSql())) {
                new DefaultParameterHandler(ms, filter, bound).setParameters(st);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
            }
            long reads = handlerReads() - start - overhead;
            return new Run(bound.getSql().replaceAll("\\s+", " "), plans, reads, rows);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long handlerReads() throws SQLException {
        long sum = 0;
        try (Statement st = sql.createStatement();
                ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read%'")) {
            while (rs.next()) {
                sum += rs.getLong(2);
            }
        }
        return sum;
    }

    /** The plan uses an index on every base table and sorts no base-table rows. */
    private static void assertIndexed(Run r, String table) {
        List<Plan> base = r.plans.stream().filter(x -> table.equals(x.table)).toList();
        assertThat(base).as("plan of %s", r).isNotEmpty();
        for (Plan x : base) {
            assertThat(x.key).as("index of %s", r).isNotNull();
            assertThat(x.type).as("access of %s", r).isNotEqualTo("ALL");
        }
        assertThat(base.stream().filter(x -> !"eq_ref".equals(x.type)).allMatch(
                x -> x.extra == null || !x.extra.contains("filesort"))).as("no sort of matching rows in %s", r)
                .isTrue();
    }

    private static CaseMapper.CaseFilter cases(Consumer<CaseMapper.CaseFilter> set) {
        CaseMapper.CaseFilter f = new CaseMapper.CaseFilter();
        f.tenantId = tenant;
        f.limit = A1_LIMIT;
        set.accept(f);
        // What the storage layer sets from userid and email before the statement runs.
        var keys = p.product.server().database().vault().keys();
        f.userIdBidx = keys.blindIndex(f.tenantId, "userid", f.userId);
        f.emailBidx = keys.blindIndex(f.tenantId, "email", f.email);
        return f;
    }

    private static TravelRuleMapper.VerificationFilter verifications(
            Consumer<TravelRuleMapper.VerificationFilter> set) {
        TravelRuleMapper.VerificationFilter f = new TravelRuleMapper.VerificationFilter();
        f.tenantId = tenant;
        f.createdFrom = LocalDateTime.of(1970, 1, 1, 0, 0);
        f.createdBefore = T0.plusYears(1);
        f.limit = B1_LIMIT;
        f.offset = 0;
        set.accept(f);
        return f;
    }

    /** The documented A1 filters, alone and combined, with and without the next-page cursor. */
    private static Map<String, CaseMapper.CaseFilter> a1Filters() {
        LocalDateTime from = T0.plusDays(5);
        LocalDateTime before = T0.plusDays(15);
        LocalDateTime cursor = T0.plusDays(12);
        Map<String, CaseMapper.CaseFilter> m = new java.util.LinkedHashMap<>();
        m.put("none", cases(f -> { }));
        m.put("userid heavy", cases(f -> f.userId = "heavy"));
        m.put("userid light", cases(f -> f.userId = "u17"));
        m.put("email heavy", cases(f -> f.email = "heavy@example.com"));
        m.put("kyc_result", cases(f -> f.status = "approved"));
        m.put("applicant_id", cases(f -> f.applicantId = "a42"));
        m.put("dates", cases(f -> { f.createdFrom = from; f.createdBefore = before; }));
        m.put("userid + dates", cases(f -> { f.userId = "heavy"; f.createdFrom = from; f.createdBefore = before; }));
        m.put("email + dates", cases(f -> {
            f.email = "heavy@example.com"; f.createdFrom = from; f.createdBefore = before; }));
        m.put("kyc_result + dates", cases(f -> { f.status = "pending"; f.createdFrom = from; f.createdBefore = before; }));
        m.put("userid + kyc_result", cases(f -> { f.userId = "heavy"; f.status = "rejected"; }));
        m.put("email + kyc_result", cases(f -> { f.email = "heavy@example.com"; f.status = "rejected"; }));
        m.put("userid + kyc_result + dates", cases(f -> {
            f.userId = "heavy"; f.status = "incomplete"; f.createdFrom = from; f.createdBefore = before; }));
        m.put("userid + email", cases(f -> { f.userId = "heavy"; f.email = "heavy@example.com"; }));
        m.put("cursor", cases(f -> { f.cursorCreatedAt = cursor; f.cursorId = Long.MAX_VALUE; }));
        m.put("userid + cursor", cases(f -> { f.userId = "heavy"; f.cursorCreatedAt = cursor; f.cursorId = 1_000L; }));
        m.put("email + cursor", cases(f -> {
            f.email = "heavy@example.com"; f.cursorCreatedAt = cursor; f.cursorId = Long.MAX_VALUE; }));
        m.put("kyc_result + cursor", cases(f -> {
            f.status = "approved"; f.cursorCreatedAt = cursor; f.cursorId = Long.MAX_VALUE; }));
        m.put("applicant_id + dates", cases(f -> {
            f.applicantId = "a42"; f.createdFrom = from; f.createdBefore = before; }));
        m.put("applicant_id + cursor", cases(f -> {
            f.applicantId = "a42"; f.cursorCreatedAt = cursor; f.cursorId = Long.MAX_VALUE; }));
        m.put("dates + cursor", cases(f -> {
            f.createdFrom = from; f.createdBefore = before; f.cursorCreatedAt = cursor; f.cursorId = 5_000L; }));
        m.put("userid + dates + cursor", cases(f -> {
            f.userId = "heavy"; f.createdFrom = from; f.createdBefore = before; f.cursorCreatedAt = cursor;
            f.cursorId = Long.MAX_VALUE; }));
        return m;
    }

    @Test
    void everyA1FilterReadsOnePageFromAnIndex() {
        List<String> report = new ArrayList<>();
        a1Filters().forEach((name, f) -> {
            Run r = run(CaseMapper.class.getName() + ".listCasesWithAttempts", f);
            report.add(name + ": " + r.handlerReads + " reads, " + r.resultRows + " rows");
            assertIndexed(r, "kyc_cases");
            assertIndexed(r, "a");
            // One page of index entries (and the one that tells the page is full), the page's ids written to and
            // read back from a derived table, each case read by its primary key and its attempts looked up by
            // case: a few reads per case of the page, not per case of the user or the tenant.
            assertThat(r.handlerReads).as("%s: %s", name, r).isLessThanOrEqualTo(8L * A1_LIMIT + 15);
        });
        System.out.println("A1 pages: " + report);
    }

    /**
     * The next page's cursor is placed by its case's public id alone (no case fields read), and a profile's status
     * (the case, its newest document and newest liveness result) is one statement that finds each row by an index:
     * a handful of index entries however many cases the tenant holds.
     */
    @Test
    void theCursorAndTheStatusAreFoundByIndexInAFewReads() {
        Map<String, Object> byId = new java.util.HashMap<>();
        byId.put("tenantId", tenant);
        byId.put("publicId", "s" + String.format("%015d", 12_345));
        Run anchor = run(CaseMapper.class.getName() + ".anchorByPublicId", byId);
        assertThat(anchor.resultRows).as("%s", anchor).isEqualTo(1);
        assertIndexed(anchor, "kyc_cases");
        assertThat(anchor.handlerReads).as("%s", anchor).isLessThanOrEqualTo(3L);
        Run status = run(CaseMapper.class.getName() + ".statusByPublicId", byId);
        assertThat(status.resultRows).as("%s", status).isEqualTo(1);
        assertIndexed(status, "c");
        assertThat(status.handlerReads).as("%s", status).isLessThanOrEqualTo(10L);
        // Another tenant's case is not found by either.
        byId.put("publicId", "o" + String.format("%015d", 42));
        assertThat(run(CaseMapper.class.getName() + ".anchorByPublicId", byId).resultRows).isZero();
        assertThat(run(CaseMapper.class.getName() + ".statusByPublicId", byId).resultRows).isZero();
        System.out.println("cursor: " + anchor.handlerReads + " reads; status: " + status.handlerReads + " reads");
    }

    @Test
    void everyB1FilterReadsOnePageFromAnIndexAndCountsFromTheIndexAlone() {
        LocalDateTime from = T0.plusDays(5);
        LocalDateTime before = T0.plusDays(15);
        Map<String, TravelRuleMapper.VerificationFilter> m = new java.util.LinkedHashMap<>();
        m.put("none", verifications(f -> { }));
        m.put("dates", verifications(f -> { f.createdFrom = from; f.createdBefore = before; }));
        m.put("symbol", verifications(f -> f.symbol = "ETH"));
        m.put("network", verifications(f -> f.network = "tron"));
        m.put("result", verifications(f -> f.result = "DENIED"));
        m.put("actionType", verifications(f -> f.actionType = "RECEIVE"));
        m.put("oppositeVaspId", verifications(f -> f.oppositeVaspId = "vasp3"));
        m.put("txHash", verifications(f -> f.txHash = "tx12345"));
        m.put("originatorAccountNumber", verifications(f -> f.originatorAccountNumber = "orig42"));
        m.put("beneficiaryAccountNumber", verifications(f -> f.beneficiaryAccountNumber = "bene42"));
        m.put("symbol + dates", verifications(f -> { f.symbol = "BTC"; f.createdFrom = from; f.createdBefore = before; }));
        m.put("oppositeVaspId + dates", verifications(f -> {
            f.oppositeVaspId = "vasp7"; f.createdFrom = from; f.createdBefore = before; }));
        List<String> report = new ArrayList<>();
        m.forEach((name, f) -> {
            Run page = run(TravelRuleMapper.class.getName() + ".pageVerifications", f);
            report.add(name + ": " + page.handlerReads + " reads, " + page.resultRows + " rows");
            assertIndexed(page, "tr_verifications");
            // The page's ids from the index, the page written to and read back from a derived table, one
            // primary-key look-up and the sort of the page's rows: a few reads per row of the page, not per row
            // of the tenant.
            assertThat(page.handlerReads).as("%s: %s", name, page).isLessThanOrEqualTo(5L * B1_LIMIT + 15);
            Run count = run(TravelRuleMapper.class.getName() + ".countVerifications", f);
            assertThat(count.plans).as("%s: %s", name, count).allSatisfy(x -> {
                assertThat(x.key).isNotNull();
                assertThat(x.type).isNotEqualTo("ALL");
            });
        });
        System.out.println("B1 pages: " + report);
    }
}
