import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import org.openkyc.server.storage.CaseMapper.CaseRow;
import org.openkyc.server.storage.CaseVault;
import org.openkyc.server.storage.MasterKeys;

/**
 * Fills a tenant up to a number of cases for the list benchmark (bench/load.sh), as POST /submit writes them
 * since crypto-shredding: each case with its own data key wrapped by the product's master key (kyc_case_keys),
 * its personal fields sealed in pii_enc, blind indexes of its user id and e-mail, and its "profile created"
 * audit row with the remark sealed. So that every list filter has something to select, the rows vary as the
 * later steps would leave them: created over the last 365 days, about three cases per user id, half of them with
 * an e-mail address, the four statuses evenly.
 *
 * <p>Run with the product's jar on the class path (single-file source):
 * {@code java -cp launcher/target/openkyc-launcher-*.jar bench/SeedCases.java JDBC_URL TENANT TARGET KEY_FILE}.
 */
public class SeedCases {

    private static final String[] STATUSES = {"incomplete", "pending", "approved", "rejected"};
    private static final String[] COUNTRIES = {"SG", "KR", "US", "DE", "JP"};
    private static final int BATCH = 2000;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long tenant = Long.parseLong(args[1]);
        long target = Long.parseLong(args[2]);
        byte[] master = Base64.getDecoder().decode(Files.readString(Path.of(args[3])).trim());
        CaseVault vault = new CaseVault(new MasterKeys(master, List.of()));
        String keyId = vault.keys().currentId();
        SecureRandom random = new SecureRandom();
        long users = Math.max(1, target / 3);
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            long have = count(c, tenant);
            long t0 = System.nanoTime();
            String cases = "INSERT INTO kyc_cases (id, public_id, tenant_id, country, status, applicant_id, retry_count,"
                    + " created_at, updated_at, pii_enc, user_id_bidx, email_bidx) VALUES (?,?,?,?,?,?,0,?,?,?,?,?)";
            String keys = "INSERT INTO kyc_case_keys (case_id, master_key_id, wrapped_key, created_at) VALUES (?,?,?,?)";
            String audit = "INSERT INTO kyc_status_audit (case_id, actor, actor_role, from_status, to_status,"
                    + " remark_enc, changed_at) VALUES (?,'bench-seed','client',NULL,'incomplete',?,?)";
            try (PreparedStatement pc = c.prepareStatement(cases); PreparedStatement pk = c.prepareStatement(keys);
                    PreparedStatement pa = c.prepareStatement(audit)) {
                while (have < target) {
                    long base = maxId(c);
                    int n = (int) Math.min(BATCH, target - have);
                    for (int i = 1; i <= n; i++) {
                        long seq = base + i;
                        CaseRow row = new CaseRow();
                        row.id = seq;
                        row.tenantId = tenant;
                        row.publicId = id(seq, random);
                        long user = crc(Long.toString(seq)) % users;
                        row.userId = "user_" + user;
                        row.email = seq % 2 == 0 ? "user_" + user + "@example.com" : null;
                        row.status = STATUSES[random.nextInt(4)];
                        row.country = COUNTRIES[random.nextInt(5)];
                        row.applicantId = rand8(random) + rand8(random);
                        LocalDateTime at = now.minusNanos(((crc("t" + seq) % 31_536_000L) * 1000 + seq % 1000)
                                * 1_000_000L);
                        row.createdAt = at;
                        vault.sealNew(row);
                        Timestamp ts = Timestamp.valueOf(at);
                        pc.setLong(1, seq);
                        pc.setString(2, row.publicId);
                        pc.setLong(3, tenant);
                        pc.setString(4, row.country);
                        pc.setString(5, row.status);
                        pc.setString(6, row.applicantId);
                        pc.setTimestamp(7, ts);
                        pc.setTimestamp(8, ts);
                        pc.setBytes(9, row.piiEnc);
                        pc.setBytes(10, row.userIdBidx);
                        pc.setBytes(11, row.emailBidx);
                        pc.addBatch();
                        pk.setLong(1, seq);
                        pk.setString(2, keyId);
                        pk.setBytes(3, vault.wrap(seq, row.dataKey));
                        pk.setTimestamp(4, ts);
                        pk.addBatch();
                        pa.setLong(1, seq);
                        pa.setBytes(2, vault.sealRemark(row.dataKey, row.publicId, "profile created"));
                        pa.setTimestamp(3, ts);
                        pa.addBatch();
                    }
                    pc.executeBatch();
                    pk.executeBatch();
                    pa.executeBatch();
                    c.commit();
                    have += n;
                    if (have % 100_000 < BATCH) {
                        System.err.printf("%d cases, %d s%n", have, (System.nanoTime() - t0) / 1_000_000_000L);
                    }
                }
            }
        }
    }

    /** 16 characters of [a-z0-9]: 8 from the sequence (unique), 8 random. */
    private static String id(long seq, SecureRandom random) {
        String a = Long.toString(seq, 36);
        return "0".repeat(Math.max(0, 8 - a.length())) + a + rand8(random);
    }

    private static String rand8(SecureRandom random) {
        String b = Long.toString(Math.floorMod(random.nextLong(), 2_821_109_907_456L), 36);
        return "0".repeat(8 - b.length()) + b;
    }

    private static long crc(String s) {
        CRC32 c = new CRC32();
        c.update(s.getBytes(StandardCharsets.UTF_8));
        return c.getValue();
    }

    private static long count(Connection c, long tenant) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM kyc_cases WHERE tenant_id = " + tenant)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long maxId(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM kyc_cases")) {
            r.next();
            return r.getLong(1);
        }
    }
}
