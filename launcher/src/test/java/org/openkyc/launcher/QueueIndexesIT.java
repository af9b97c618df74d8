package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

/**
 * The reviewer queue (the admin list, API.md C3) reads one page of index entries for every filter a reviewer
 * combines, newest or oldest first, on page one as from a cursor deep in the queue: the real statement of the
 * mapper runs on a database seeded with tens of thousands of cases (statuses, screening results and unmet rules
 * spread as a busy team's queue holds them), and the database's own handler counters say how many index entries
 * and rows it touched. The counts per status, when asked for, are read from an index alone.
 */
class QueueIndexesIT {

    private static final int CASES = 40_000;
    private static final int OTHER_TENANT_CASES = 5_000;
    private static final String[] STATUSES = {"approved", "rejected", "pending", "incomplete"};
    /** Screening results: never screened (NULL) most often before step 2, then clear, then the rare ones. */
    private static final String[] SCREENINGS = {null, "clear", "clear", "clear", "clear", "pending", "hit"};
    private static final String[] RULES = {"auto_approve_off", "face_similarity_low", "liveness_not_passed",
        "mrz_not_verified", "document_expired", "screening_not_clear"};
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 1, 1, 0, 0);
    /** The console's page: 20 cases and one more to know whether a next page follows. */
    private static final int LIMIT = 21;

    private static TestProduct p;
    private static Connection sql;
    private static long tenant;
    private static Configuration mybatis;

    @BeforeAll
    static void seed() throws SQLException {
        p = TestProduct.withOwnDatabase("queue-indexes", Map.of());
        sql = p.openOwnDatabaseConnection();
        tenant = tenantId("acme");
        insertCases(tenant, CASES, "q");
        insertCases(tenantId("globex"), OTHER_TENANT_CASES, "g");
        // The rule rows as the storage layer writes them with each status change (see UnmetRuleRows).
        execute("INSERT INTO kyc_case_unmet_rules (case_id, rule_code, tenant_id, status, created_at)"
                + " SELECT c.id, SUBSTRING_INDEX(SUBSTRING_INDEX(c.comment_codes, CHAR(10), n.n), CHAR(10), -1),"
                + " c.tenant_id, c.status, c.created_at FROM kyc_cases c"
                + " JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) n"
                + " ON n.n <= 1 + LENGTH(c.comment_codes) - LENGTH(REPLACE(c.comment_codes, CHAR(10), ''))"
                + " WHERE c.comment_codes IS NOT NULL");
        execute("ANALYZE TABLE kyc_cases, kyc_case_unmet_rules, kyc_case_keys");
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

    /**
     * Case i: every 10th belongs to user "heavy"; statuses in runs of seven; pending and rejected cases carry one
     * to three unmet rules (auto_approve_off on most), the others none.
     */
    private static void insertCases(long tenantId, int n, String prefix) throws SQLException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String user = i % 10 == 0 ? "heavy" : "u" + (i % 9000);
            String status = STATUSES[(i / 7) % 4];
            String screening = SCREENINGS[i % SCREENINGS.length];
            String codes = null;
            if (status.equals("pending") || status.equals("rejected")) {
                List<String> c = new ArrayList<>();
                if (i % 5 != 0) {
                    c.add(RULES[0]);
                }
                c.add(RULES[1 + i % (RULES.length - 1)]);
                if (i % 3 == 0) {
                    c.add(RULES[1 + (i / 3) % (RULES.length - 1)]);
                }
                codes = String.join("\n", c.stream().distinct().toList());
            }
            LocalDateTime at = T0.plusMinutes(i);
            b.append(b.length() == 0 ? "" : ",").append('(')
                    .append(q(prefix + String.format("%015d", i))).append(',').append(tenantId).append(',')
                    .append(hex(tenantId, "userid", user)).append(',').append(q(status)).append(',')
                    .append(screening == null ? "NULL" : q(screening)).append(',')
                    .append(codes == null ? "NULL" : q(codes)).append(',')
                    .append(q(at.toString())).append(',').append(q(at.toString())).append(')');
            if ((i + 1) % 1000 == 0 || i == n - 1) {
                execute("INSERT INTO kyc_cases (public_id, tenant_id, user_id_bidx, status, aml_result, comment_codes,"
                        + " created_at, updated_at) VALUES " + b);
                b.setLength(0);
            }
        }
    }

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

    record Plan(String table, String type, String key, String extra) {
    }

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
                        plans.add(new Plan(rs.getString("table"), rs.getString("type"), rs.getString("key"),
                                rs.getString("Extra")));
                    }
                }
            }
            long before = handlerReads();
            long overhead = handlerReads() - before;
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
            return new Run(bound.getSql().replaceAll("\\s+", " "), plans, handlerReads() - start - overhead, rows);
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

    private static CaseMapper.CaseFilter filter(Consumer<CaseMapper.CaseFilter> set) {
        CaseMapper.CaseFilter f = new CaseMapper.CaseFilter();
        f.tenantId = tenant;
        f.limit = LIMIT;
        set.accept(f);
        f.userIdBidx = p.product.server().database().vault().keys().blindIndex(f.tenantId, "userid", f.userId);
        return f;
    }

    /** The queue's filters, alone and combined as a reviewer combines them. */
    private static Map<String, Consumer<CaseMapper.CaseFilter>> filters() {
        LocalDateTime from = T0.plusDays(5);
        LocalDateTime before = T0.plusDays(20);
        Map<String, Consumer<CaseMapper.CaseFilter>> m = new LinkedHashMap<>();
        m.put("none", f -> { });
        m.put("status", f -> f.status = "pending");
        m.put("rule", f -> f.unmetRule = "face_similarity_low");
        m.put("rule + status", f -> { f.unmetRule = "liveness_not_passed"; f.status = "pending"; });
        m.put("common rule + status", f -> { f.unmetRule = "auto_approve_off"; f.status = "rejected"; });
        m.put("screening", f -> f.screening = "hit");
        m.put("never screened", f -> f.unscreened = true);
        m.put("screening + status", f -> { f.screening = "pending"; f.status = "pending"; });
        m.put("userId", f -> f.userId = "heavy");
        m.put("userId + status", f -> { f.userId = "heavy"; f.status = "pending"; });
        m.put("dates", f -> { f.createdFrom = from; f.createdBefore = before; });
        m.put("status + dates", f -> { f.status = "pending"; f.createdFrom = from; f.createdBefore = before; });
        m.put("rule + dates", f -> { f.unmetRule = "mrz_not_verified"; f.createdFrom = from; f.createdBefore = before; });
        m.put("rule + status + dates", f -> {
            f.unmetRule = "document_expired"; f.status = "pending"; f.createdFrom = from; f.createdBefore = before; });
        m.put("screening + status + dates", f -> {
            f.screening = "clear"; f.status = "pending"; f.createdFrom = from; f.createdBefore = before; });
        return m;
    }

    @Test
    void everyQueueFilterReadsOnePageFromAnIndexInBothOrdersAndFromADeepCursor() {
        List<String> report = new ArrayList<>();
        filters().forEach((name, set) -> {
            for (boolean oldest : new boolean[] {false, true}) {
                for (boolean deep : new boolean[] {false, true}) {
                    CaseMapper.CaseFilter f = filter(set.andThen(x -> {
                        x.oldestFirst = oldest;
                        if (deep) {
                            // Deep into the queue: the cursor of a page about half way through.
                            x.cursorCreatedAt = T0.plusMinutes(CASES / 2);
                            x.cursorId = Long.MAX_VALUE / 2;
                        }
                    }));
                    String what = name + (oldest ? ", oldest first" : ", newest first") + (deep ? ", deep cursor" : "");
                    Run r = run(CaseMapper.class.getName() + ".queuePage", f);
                    report.add(what + ": " + r.handlerReads + " reads, " + r.resultRows + " rows");
                    assertThat(r.resultRows).as("%s: %s", what, r).isPositive();
                    for (Plan x : r.plans) {
                        if (x.table.equals("c") || x.table.equals("r") || x.table.equals("k")) {
                            assertThat(x.key).as("index of %s: %s", what, r).isNotNull();
                            assertThat(x.type).as("access of %s: %s", what, r).isNotEqualTo("ALL");
                            assertThat(x.extra == null || !x.extra.contains("filesort"))
                                    .as("no sort of matching rows in %s: %s", what, r).isTrue();
                        }
                    }
                    // The page's index entries (and the one more that tells a page follows), the case row and its
                    // key for each, the page written to a derived table and read back in order: a handful of
                    // reads per case of the page, however many cases match or precede the cursor. Filters that
                    // only some cases of the index range pass (screening among a user's cases) read a few more.
                    assertThat(r.handlerReads).as("%s: %s", what, r).isLessThanOrEqualTo(12L * LIMIT + 30);
                }
            }
        });
        System.out.println("queue pages: " + report);
    }

    @Test
    void countsPerStatusAreReadFromAnIndexAloneAndComeInTheSameStatement() {
        Map<String, Consumer<CaseMapper.CaseFilter>> m = new LinkedHashMap<>();
        m.put("none", f -> { });
        m.put("rule", f -> f.unmetRule = "face_similarity_low");
        m.put("screening", f -> f.screening = "pending");
        m.put("never screened", f -> f.unscreened = true);
        m.put("userId", f -> f.userId = "heavy");
        List<String> report = new ArrayList<>();
        m.forEach((name, set) -> {
            CaseMapper.CaseFilter f = filter(set.andThen(x -> { x.withCounts = true; x.status = "pending"; }));
            Run r = run(CaseMapper.class.getName() + ".queuePage", f);
            report.add(name + ": " + r.handlerReads + " reads, plan " + r.plans);
            assertThat(r.resultRows).as("%s: %s", name, r).isPositive();
            // The counting reads an index alone (a page's own rows never can: they need the whole case).
            assertThat(r.plans).as("%s: %s", name, r).anySatisfy(x -> {
                assertThat(x.table).isIn("c", "r");
                assertThat(x.type).isNotEqualTo("ALL");
                assertThat(x.extra).contains("Using index");
            });
        });
        System.out.println("queue counts: " + report);
    }
}
