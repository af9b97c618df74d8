package org.openkyc.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.openkyc.server.config.ServerConfig;
import org.openkyc.server.idempotency.DatabaseIdempotencyKeys;
import org.openkyc.server.kyc.DocumentService;
import org.openkyc.server.kyc.Step2Service;
import org.openkyc.server.kyc.SubmissionService;
import org.openkyc.server.screening.ScreeningService;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.BlobStore;
import org.openkyc.server.storage.BlobStores;
import org.openkyc.server.storage.CaseKeyMapper;
import org.openkyc.server.storage.CaseVault;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.IdentityRegistryMapper;
import org.openkyc.server.storage.TravelRuleMapper;
import org.openkyc.server.travelrule.TravelRuleService;
import org.openkyc.server.webhook.WebhookService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Master key rotation of everything the master key seals: the case keys it wraps (with the blind indexes derived
 * from it), the blobs of the object store, and every value the services encrypt with it directly (document
 * fields, readings, face embeddings, screenings, travel-rule records, stored idempotent answers, webhook secrets,
 * the identity numbers of cases), whether or not a case key seals them once more. The identity registries'
 * hashes cannot be computed again (the values are not kept): {@link #status} shows which key each registry was
 * loaded under, and a registry is loaded again from its file after the rotation.
 *
 * <p>{@link #rotate} seals anew with the current master key what an older key still seals, in batches of
 * {@code OPENKYC_KEY_BATCH_SIZE} rows, each batch in one transaction; run again after an interruption, it
 * continues with what is left (what is sealed by the current key is skipped). It is safe while the product
 * serves: servers already write with the current key, and a value is replaced only if it is still the one read
 * (the UPDATE compares it), so a row changed meanwhile keeps its new value. {@link #status} counts, per kind of
 * record, how many values each master key id seals; an old key can be removed once it seals nothing.
 */
public final class MasterKeyRotation implements AutoCloseable {

    /** The key id counted for a value no configured master key opens. */
    public static final String UNREADABLE = "unreadable";
    public static final String CASE_KEYS = "case keys";
    public static final String BLOBS = "blobs";
    /**
     * The identity registries: their hashes cannot be computed again (the values are not kept), so a rotation
     * leaves them; each is loaded again from its file ({@code registry load}).
     */
    public static final String REGISTRIES = "identity registries";
    /** The key id counted for registry entries loaded before the registry recorded its master key. */
    public static final String UNRECORDED = "unrecorded";
    private static final Logger log = LoggerFactory.getLogger(MasterKeyRotation.class);

    private final Database db;
    private final AesGcm master;
    private final BlobStore blobs;
    private final int batch;
    private final AutoCloseable closeBlobs;

    /** The rotation of the configured database and blob store, with the configured master keys. */
    public static MasterKeyRotation of(Database db, ServerConfig config) {
        AesGcm master = new AesGcm(config.dataKey(), config.previousDataKeys());
        BlobStore store = BlobStores.open(config.objectStorage(), config.blobDir(), master);
        return new MasterKeyRotation(db, master, store, config.keyBatchSize(),
                store instanceof AutoCloseable c ? c : null);
    }

    /**
     * @param master the current master key with the previous ones (for reading)
     * @param blobs the blob store, as it seals with the master key (under the case-sealing layer)
     */
    public MasterKeyRotation(Database db, AesGcm master, BlobStore blobs, int batch) {
        this(db, master, blobs, batch, null);
    }

    private MasterKeyRotation(Database db, AesGcm master, BlobStore blobs, int batch, AutoCloseable closeBlobs) {
        this.db = db;
        this.master = master;
        this.blobs = blobs;
        this.batch = batch;
        this.closeBlobs = closeBlobs;
    }

    /** The id of the master key that seals from now on. */
    public String currentKeyId() {
        return master.keyId();
    }

    /**
     * Seals anew with the current master key everything an older one still seals; what each master key id seals
     * afterwards, per kind of record (as {@link #status}).
     */
    public Map<String, Map<String, Long>> rotate() {
        long rewrapped = db.keyJobs().rotate();
        log.info("data key rotation: {} case keys re-wrapped", rewrapped);
        return scan(true);
    }

    /** How many values each master key id seals, per kind of record (case keys first). */
    public Map<String, Map<String, Long>> status() {
        return scan(false);
    }

    private Map<String, Map<String, Long>> scan(boolean rewrite) {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        Map<String, Long> caseKeys = new TreeMap<>();
        for (CaseKeyMapper.KeyCount c : db.keyJobs().keyCounts()) {
            caseKeys.put(c.masterKeyId, c.cases);
        }
        counts.put(CASE_KEYS, caseKeys);
        counts.put(BLOBS, blobs(rewrite));
        for (Kind k : kinds()) {
            counts.put(k.name, values(k, rewrite));
        }
        counts.put(REGISTRIES, registries());
        return counts;
    }

    /** Registry entries per master key id their hashes come from. */
    private Map<String, Long> registries() {
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, Object> t : db.read(s -> s.getMapper(IdentityRegistryMapper.class).keysByTenant())) {
            Object keyRow = t.get("key_row");
            long entries = ((Number) t.get("entries")).longValue();
            if (entries > 0) {
                counts.merge(keyRow == null ? UNRECORDED
                        : keyRow.toString().strip().substring(IdentityRegistryMapper.KEY_ROW_PREFIX.length()),
                        entries, Long::sum);
            }
        }
        return counts;
    }

    // --- the blobs of the object store

    private Map<String, Long> blobs(boolean rewrite) {
        Map<String, Long> counts = new TreeMap<>();
        long after = 0;
        long done = 0;
        while (true) {
            long from = after;
            List<Map<String, Object>> page = db.read(s -> query(s.getConnection(),
                    "SELECT id, blob_key FROM kyc_images WHERE id > ? ORDER BY id LIMIT ?", List.of(from, batch)));
            if (page.isEmpty()) {
                return counts;
            }
            for (Map<String, Object> row : page) {
                String key = (String) row.get("blob_key");
                String keyId;
                try {
                    keyId = blobs.reseal(key, rewrite);
                } catch (IllegalStateException e) {
                    keyId = UNREADABLE;
                }
                if (keyId == null) {
                    continue; // no blob under this key (deleted with its case meanwhile)
                }
                if (rewrite && !keyId.equals(UNREADABLE) && !keyId.equals(master.keyId())) {
                    done++;
                    keyId = master.keyId();
                    long id = ((Number) row.get("id")).longValue();
                    boolean referenced = !db.read(s -> query(s.getConnection(),
                            "SELECT id FROM kyc_images WHERE id = ?", List.of(id))).isEmpty();
                    if (!referenced) {
                        // Its case was deleted while the blob was sealed anew: not kept.
                        blobs.deleteUnreferenced(List.of(key), "deleted case");
                        continue;
                    }
                }
                counts.merge(keyId, 1L, Long::sum);
            }
            after = ((Number) page.get(page.size() - 1).get("id")).longValue();
            if (rewrite) {
                log.info("data key rotation: {} blobs sealed anew so far", done);
            }
        }
    }

    // --- values in the database

    /** A value column: the associated data of its master-key layer; for a case's value, its case-key layer. */
    private record Column(String name, Function<Map<String, Object>, byte[]> aad, String sealedAs,
            Function<Map<String, Object>, String> sealedAt) {
        static Column plain(String name, Function<Map<String, Object>, byte[]> aad) {
            return new Column(name, aad, null, null);
        }
    }

    /**
     * A kind of record: its table (alias t) and key columns, the page query (the case's key joined as case_row,
     * case_public_id, case_key_id, case_wrapped_key where its values are case-sealed), the cursor condition with
     * its order, the cursor's values after a row, and the value columns.
     */
    private record Kind(String name, String table, List<String> keys, String select, String cursor,
            List<Object> start, Function<Map<String, Object>, List<Object>> after, List<Column> columns) {
    }

    private static final String CASE_KEY = " c.id AS case_row, c.public_id AS case_public_id,"
            + " k.master_key_id AS case_key_id, k.wrapped_key AS case_wrapped_key";
    private static final String JOIN_CASE = " LEFT JOIN kyc_case_keys k ON k.case_id = c.id";

    private static List<Object> byId(Map<String, Object> row) {
        return List.of(row.get("id"));
    }

    private static String s(Map<String, Object> row, String column) {
        return String.valueOf(row.get(column));
    }

    private static long n(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    private static List<Kind> kinds() {
        List<Kind> kinds = new ArrayList<>();
        kinds.add(new Kind("case identity numbers", "kyc_cases", List.of("id"),
                "SELECT t.id, t.public_id, t.identity_number_enc, t.id AS case_row, t.public_id AS case_public_id,"
                        + " k.master_key_id AS case_key_id, k.wrapped_key AS case_wrapped_key FROM kyc_cases t"
                        + " LEFT JOIN kyc_case_keys k ON k.case_id = t.id",
                "t.id > ? ORDER BY t.id", List.of(0L), MasterKeyRotation::byId,
                List.of(new Column("identity_number_enc", r -> SubmissionService.aad(s(r, "public_id")), "identity",
                        r -> s(r, "case_public_id")))));
        kinds.add(new Kind("documents", "kyc_documents", List.of("id"),
                "SELECT t.id, t.public_id, t.ocr_fields_enc, t.declared_fields_enc, t.confirmed_fields_enc,"
                        + CASE_KEY + " FROM kyc_documents t JOIN kyc_cases c ON c.id = t.case_id" + JOIN_CASE,
                "t.id > ? ORDER BY t.id", List.of(0L), MasterKeyRotation::byId,
                List.of(documentColumn("ocr"), documentColumn("declared"), documentColumn("confirmed"))));
        kinds.add(new Kind("document readings", "kyc_document_readings", List.of("id"),
                "SELECT t.id, t.document_number_enc," + CASE_KEY
                        + " FROM kyc_document_readings t JOIN kyc_cases c ON c.id = t.case_id" + JOIN_CASE,
                "t.id > ? ORDER BY t.id", List.of(0L), MasterKeyRotation::byId,
                List.of(new Column("document_number_enc", r -> SubmissionService.readingAad(s(r, "case_public_id")),
                        "reading-number", r -> s(r, "case_public_id")))));
        kinds.add(new Kind("face embeddings", "kyc_face_embeddings", List.of("case_id"),
                "SELECT t.case_id, t.embedding_enc," + CASE_KEY
                        + " FROM kyc_face_embeddings t JOIN kyc_cases c ON c.id = t.case_id" + JOIN_CASE,
                "t.case_id > ? ORDER BY t.case_id", List.of(0L), r -> List.of(r.get("case_id")),
                List.of(new Column("embedding_enc", r -> Step2Service.faceAad(s(r, "case_public_id")), "face",
                        r -> s(r, "case_public_id")))));
        kinds.add(new Kind("screenings", "aml_screenings", List.of("id"),
                "SELECT t.id, t.public_id, t.query_enc," + CASE_KEY
                        + " FROM aml_screenings t LEFT JOIN kyc_cases c ON c.id = t.case_id" + JOIN_CASE,
                "t.id > ? ORDER BY t.id", List.of(0L), MasterKeyRotation::byId,
                List.of(new Column("query_enc", r -> ScreeningService.aad("query", s(r, "public_id")),
                        "screening-query", r -> s(r, "case_public_id") + ":" + s(r, "public_id")))));
        kinds.add(new Kind("screening candidates", "aml_candidates", List.of("id"),
                "SELECT t.id, t.screening_id, t.rank_no, t.breakdown_enc, sc.public_id AS screening_public_id,"
                        + CASE_KEY + " FROM aml_candidates t JOIN aml_screenings sc ON sc.id = t.screening_id"
                        + " LEFT JOIN kyc_cases c ON c.id = sc.case_id" + JOIN_CASE,
                "t.id > ? ORDER BY t.id", List.of(0L), MasterKeyRotation::byId,
                List.of(new Column("breakdown_enc",
                        r -> ScreeningService.aad("candidate:" + s(r, "rank_no"), s(r, "screening_public_id")),
                        "screening-candidate",
                        r -> s(r, "case_public_id") + ":" + s(r, "screening_id") + ":" + s(r, "rank_no")))));
        kinds.add(new Kind("travel-rule records", "tr_verifications", List.of("id"),
                "SELECT t.id, t.tenant_id, t.ivms101_originator_enc, t.ivms101_beneficiary_enc"
                        + " FROM tr_verifications t",
                "t.id > ? ORDER BY t.id", List.of(0L), MasterKeyRotation::byId,
                List.of(Column.plain("ivms101_originator_enc", r -> travelRuleAad(r, "originator")),
                        Column.plain("ivms101_beneficiary_enc", r -> travelRuleAad(r, "beneficiary")))));
        kinds.add(new Kind("idempotent answers", "idempotency_keys", List.of("tenant_id", "idem_key"),
                "SELECT t.tenant_id, t.idem_key, t.answer FROM idempotency_keys t",
                "(t.tenant_id > ? OR (t.tenant_id = ? AND t.idem_key > ?)) ORDER BY t.tenant_id, t.idem_key",
                List.of(-1L, -1L, ""), r -> List.of(r.get("tenant_id"), r.get("tenant_id"), r.get("idem_key")),
                List.of(Column.plain("answer",
                        r -> DatabaseIdempotencyKeys.boundTo(n(r, "tenant_id"), s(r, "idem_key"))))));
        kinds.add(new Kind("webhook secrets", "webhook_endpoints", List.of("id"),
                "SELECT t.id, t.tenant_id, t.public_id, t.secret_enc FROM webhook_endpoints t",
                "t.id > ? ORDER BY t.id", List.of(0L), MasterKeyRotation::byId,
                List.of(Column.plain("secret_enc", r -> WebhookService.aad(n(r, "tenant_id"), s(r, "public_id"))))));
        return kinds;
    }

    private static Column documentColumn(String set) {
        return new Column(set + "_fields_enc", r -> DocumentService.aad(set, n(r, "public_id")), "document-" + set,
                r -> s(r, "case_public_id") + ":" + s(r, "public_id"));
    }

    private static byte[] travelRuleAad(Map<String, Object> r, String part) {
        TravelRuleMapper.VerificationRow v = new TravelRuleMapper.VerificationRow();
        v.tenantId = n(r, "tenant_id");
        return TravelRuleService.aad(v, part);
    }

    /** One kind of record, page by page, each page one transaction. */
    private Map<String, Long> values(Kind kind, boolean rewrite) {
        Map<String, Long> counts = new TreeMap<>();
        List<Object> cursor = kind.start;
        long done = 0;
        while (true) {
            List<Object> from = cursor;
            Page page = db.inTransaction(s -> page(s.getConnection(), kind, from, rewrite, counts));
            if (page.rows == 0) {
                return counts;
            }
            done += page.resealed;
            cursor = page.next;
            if (rewrite && page.resealed > 0) {
                log.info("data key rotation: {} sealed anew so far: {}", kind.name, done);
            }
        }
    }

    private record Page(int rows, long resealed, List<Object> next) {
    }

    private Page page(Connection c, Kind kind, List<Object> from, boolean rewrite, Map<String, Long> counts) {
        List<Object> params = new ArrayList<>(from);
        params.add(batch);
        List<Map<String, Object>> rows = query(c, kind.select + " WHERE " + kind.cursor + " LIMIT ?", params);
        CaseVault vault = db.vault();
        Map<Long, byte[]> caseKeys = new HashMap<>();
        long resealed = 0;
        for (Map<String, Object> row : rows) {
            for (Column col : kind.columns) {
                byte[] stored = (byte[]) row.get(col.name);
                if (stored == null || stored.length == 0) {
                    continue;
                }
                String keyId;
                try {
                    boolean caseSealed = col.sealedAs != null && CaseVault.caseSealed(stored);
                    byte[] caseKey = caseSealed ? caseKey(vault, row, caseKeys) : null;
                    String at = caseSealed ? col.sealedAt.apply(row) : null;
                    byte[] inner = caseSealed ? vault.openBytes(caseKey, col.sealedAs, at, stored) : stored;
                    byte[] aad = col.aad.apply(row);
                    AesGcm.Opened opened = master.open(inner, aad);
                    keyId = opened.keyId();
                    if (rewrite && !keyId.equals(master.keyId())) {
                        byte[] fresh = master.encrypt(opened.plain(), aad);
                        if (caseSealed) {
                            fresh = vault.sealBytes(caseKey, col.sealedAs, at, fresh);
                        }
                        // Only if unchanged since read; a row changed meanwhile was written with the current key.
                        if (update(c, kind, col, row, stored, fresh) == 1) {
                            resealed++;
                        }
                        keyId = master.keyId();
                    }
                } catch (IllegalStateException e) {
                    keyId = UNREADABLE;
                }
                counts.merge(keyId, 1L, Long::sum);
            }
        }
        List<Object> next = rows.isEmpty() ? from : kind.after.apply(rows.get(rows.size() - 1));
        return new Page(rows.size(), resealed, next);
    }

    private static byte[] caseKey(CaseVault vault, Map<String, Object> row, Map<Long, byte[]> known) {
        Object caseRow = row.get("case_row");
        byte[] wrapped = (byte[]) row.get("case_wrapped_key");
        if (caseRow == null || wrapped == null) {
            throw new IllegalStateException("the key of a sealed case is missing");
        }
        long caseId = ((Number) caseRow).longValue();
        return known.computeIfAbsent(caseId, id -> vault.unwrap(id, (String) row.get("case_key_id"), wrapped));
    }

    private static int update(Connection c, Kind kind, Column col, Map<String, Object> row, byte[] old,
            byte[] fresh) {
        StringBuilder sql = new StringBuilder("UPDATE ").append(kind.table).append(" SET ").append(col.name)
                .append(" = ? WHERE ");
        List<Object> params = new ArrayList<>();
        params.add(fresh);
        for (String key : kind.keys) {
            sql.append(key).append(" = ? AND ");
            params.add(row.get(key));
        }
        sql.append(col.name).append(" = ?");
        params.add(old);
        try (PreparedStatement st = c.prepareStatement(sql.toString())) {
            bind(st, params);
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot seal a value of " + kind.name + " anew: " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> query(Connection c, String sql, List<Object> params) {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot read for the data key rotation: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement st, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            st.setObject(i + 1, params.get(i));
        }
    }

    @Override
    public void close() {
        if (closeBlobs != null) {
            try {
                closeBlobs.close();
            } catch (Exception e) {
                log.warn("closing the blob store failed: {}", e.getClass().getName());
            }
        }
    }
}
