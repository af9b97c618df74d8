package org.openkyc.server.storage;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.session.ResultHandler;
import org.apache.ibatis.session.RowBounds;
import org.openkyc.server.storage.CaseMapper.AttemptRow;
import org.openkyc.server.storage.CaseMapper.AuditRow;
import org.openkyc.server.storage.CaseMapper.CaseFilter;
import org.openkyc.server.storage.CaseMapper.CaseRow;

/**
 * The storage layer's crypto-shredding, as a MyBatis plugin, so that the services above keep reading and writing
 * plain rows: a new case is sealed with a new data key and its wrapped key row is inserted in the same
 * transaction; every case row read is opened with its key, which the reading statements join from
 * kyc_case_keys (no extra statement); writes that change personal fields re-seal them; list filters and
 * applicant matching compare blind indexes. Keys unwrapped in a session are remembered only for that session
 * (a request or a transaction), never across requests.
 */
@Intercepts({
    @Signature(type = Executor.class, method = "update", args = {MappedStatement.class, Object.class}),
    @Signature(type = Executor.class, method = "query",
            args = {MappedStatement.class, Object.class, RowBounds.class, ResultHandler.class})})
public final class CaseSealing implements Interceptor {

    private static final String CASES = CaseMapper.class.getName() + ".";
    private static final String STEP2 = Step2Mapper.class.getName() + ".";
    private static final String DOCUMENTS = DocumentMapper.class.getName() + ".";
    private static final String KEYS = CaseKeyMapper.class.getName() + ".";
    private static final String LIVENESS = LivenessMapper.class.getName() + ".";
    private static final String READINGS = DocumentReadingMapper.class.getName() + ".";
    private static final String SCREENINGS = ScreeningMapper.class.getName() + ".";

    private final CaseVault vault;
    /** The data keys a session has unwrapped or created, by case row id; gone with the session. */
    private final Map<Executor, Map<Long, Known>> sessions = Collections.synchronizedMap(new WeakHashMap<>());
    /** The case of each screening a session inserted, by screening row id, for its candidates. */
    private final Map<Executor, Map<Long, Long>> screenings = Collections.synchronizedMap(new WeakHashMap<>());

    private record Known(byte[] dataKey, String publicId) {
    }

    public CaseSealing(CaseVault vault) {
        this.vault = vault;
    }

    @Override
    public Object plugin(Object target) {
        return Plugins.wrapOnly(Executor.class, target, this);
    }

    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        Executor executor = (Executor) invocation.getTarget();
        MappedStatement ms = (MappedStatement) invocation.getArgs()[0];
        Object param = invocation.getArgs()[1];
        String id = ms.getId();
        if (invocation.getMethod().getName().equals("update")) {
            if (id.equals(CASES + "insertCase")) {
                CaseRow row = (CaseRow) param;
                vault.sealNew(row);
                Object result = invocation.proceed();
                insertKey(executor, ms, row);
                return result;
            }
            beforeUpdate(executor, id, param);
            Object result = invocation.proceed();
            if (id.equals(SCREENINGS + "insertScreening")) {
                ScreeningMapper.ScreeningRow sr = (ScreeningMapper.ScreeningRow) param;
                if (sr.caseId != null && sr.id != null) {
                    screenings.computeIfAbsent(executor, e -> Collections.synchronizedMap(new HashMap<>()))
                            .put(sr.id, sr.caseId);
                }
            }
            return result;
        }
        beforeQuery(id, param);
        Object result = invocation.proceed();
        if (result instanceof List<?> rows) {
            for (Object r : rows) {
                afterRead(executor, r);
            }
        }
        return result;
    }

    private void beforeUpdate(Executor executor, String id, Object param) throws Exception {
        if (id.equals(CASES + "updateStatus")) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) param;
            CaseRow cur = current(executor, (Long) m.get("id"));
            cur.comments = (String) m.get("comments");
            vault.seal(cur);
            m.put("piiEnc", cur.piiEnc);
        } else if (id.equals(STEP2 + "completeCase")) {
            CaseRow upd = (CaseRow) param;
            CaseRow cur = current(executor, upd.id);
            cur.fullName = cur.fullName != null ? cur.fullName : upd.fullName;
            cur.dateOfBirth = cur.dateOfBirth != null ? cur.dateOfBirth : upd.dateOfBirth;
            vault.seal(cur);
            upd.piiEnc = cur.piiEnc;
            upd.birthBidx = cur.birthBidx;
            upd.identityNumberSealed = vault.sealBytes(cur.dataKey, "identity", cur.publicId, upd.identityNumberEnc);
        } else if (id.equals(DOCUMENTS + "updatePerson")) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) param;
            CaseRow cur = current(executor, (Long) m.get("caseId"));
            if (m.get("fullName") != null) {
                cur.fullName = (String) m.get("fullName");
            }
            if (m.get("birthDate") != null) {
                cur.dateOfBirth = (LocalDate) m.get("birthDate");
            }
            vault.seal(cur);
            m.put("piiEnc", cur.piiEnc);
            m.put("birthBidx", cur.birthBidx);
            m.put("identityNumberSealed", vault.sealBytes(cur.dataKey, "identity", cur.publicId,
                    (byte[]) m.get("identityNumberEnc")));
        } else if (id.equals(STEP2 + "insertAttempt")) {
            AttemptRow a = (AttemptRow) param;
            Known k = key(executor, a.caseId);
            a.piiEnc = vault.sealAttempt(k.dataKey, k.publicId, a.attemptNo, a.fullName, a.retryMsg);
        } else if (id.equals(LIVENESS + "insertResult")) {
            LivenessMapper.ResultRow l = (LivenessMapper.ResultRow) param;
            Known k = key(executor, l.caseId);
            l.piiEnc = vault.sealLiveness(k.dataKey, k.publicId, l.providerSessionId, l.errorMessage);
        } else if (id.equals(CASES + "insertImage")) {
            CaseMapper.ImageRow img = (CaseMapper.ImageRow) param;
            CaseSealedBlobs.Handle h = CaseSealedBlobs.Handle.of(img.blobKey);
            img.storedBlobKey = h.storeKey();
            img.blobKeyEnc = null;
            if (h.blobKey() != null) {
                Known k = key(executor, img.caseId);
                img.blobKeyEnc = new AesGcm(k.dataKey).encrypt(h.blobKey(), CaseVault.aad("blob", h.storeKey()));
            }
        } else if (id.equals(DOCUMENTS + "insert")) {
            DocumentMapper.DocumentRow d = (DocumentMapper.DocumentRow) param;
            Known k = key(executor, d.caseId);
            d.ocrFieldsEnc = vault.sealBytes(k.dataKey, "document-ocr", k.publicId + ":" + d.publicId, d.ocrFieldsEnc);
            d.declaredFieldsEnc = vault.sealBytes(k.dataKey, "document-declared", k.publicId + ":" + d.publicId,
                    d.declaredFieldsEnc);
        } else if (id.equals(DOCUMENTS + "confirm")) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) param;
            Known k = key(executor, (Long) m.get("caseId"));
            m.put("confirmedFieldsEnc", vault.sealBytes(k.dataKey, "document-confirmed",
                    k.publicId + ":" + m.get("publicId"), (byte[]) m.get("confirmedFieldsEnc")));
        } else if (id.equals(READINGS + "insert")) {
            DocumentReadingMapper.ReadingRow r = (DocumentReadingMapper.ReadingRow) param;
            Known k = key(executor, r.caseId);
            r.documentNumberEnc = vault.sealBytes(k.dataKey, "reading-number", k.publicId, r.documentNumberEnc);
            r.ocrFieldsEnc = vault.sealBytes(k.dataKey, "reading-ocr", k.publicId, r.ocrFieldsEnc);
        } else if (id.equals(READINGS + "confirm")) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) param;
            Known k = key(executor, (Long) m.get("caseId"));
            m.put("confirmedFieldsEnc", vault.sealBytes(k.dataKey, "reading-confirmed", k.publicId,
                    (byte[]) m.get("confirmedFieldsEnc")));
        } else if (id.equals(STEP2 + "insertEmbedding")) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) param;
            Known k = key(executor, (Long) m.get("caseId"));
            m.put("embeddingEnc", vault.sealBytes(k.dataKey, "face", k.publicId, (byte[]) m.get("embeddingEnc")));
        } else if (id.equals(SCREENINGS + "insertScreening")) {
            ScreeningMapper.ScreeningRow sr = (ScreeningMapper.ScreeningRow) param;
            if (sr.caseId != null) {
                Known k = key(executor, sr.caseId);
                sr.queryEnc = vault.sealBytes(k.dataKey, "screening-query", k.publicId + ":" + sr.publicId,
                        sr.queryEnc);
            }
        } else if (id.equals(SCREENINGS + "insertCandidate")) {
            ScreeningMapper.CandidateRow c = (ScreeningMapper.CandidateRow) param;
            Map<Long, Long> mine = screenings.get(executor);
            Long caseId = mine == null ? null : mine.get(c.screeningId);
            if (caseId != null) {
                Known k = key(executor, caseId);
                c.breakdownEnc = vault.sealBytes(k.dataKey, "screening-candidate",
                        k.publicId + ":" + c.screeningId + ":" + c.rankNo, c.breakdownEnc);
            }
        } else if (id.equals(CASES + "insertAudit")) {
            AuditRow a = (AuditRow) param;
            if (a.remark != null) {
                Known k = key(executor, a.caseId);
                a.remarkEnc = vault.sealRemark(k.dataKey, k.publicId, a.remark);
            }
        }
    }

    private void beforeQuery(String id, Object param) {
        if (param instanceof CaseFilter f) {
            f.userIdBidx = vault.keys().blindIndex(f.tenantId, "userid", f.userId);
            f.emailBidx = vault.keys().blindIndex(f.tenantId, "email", f.email);
        } else if (id.equals(STEP2 + "sameDetails")) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) param;
            LocalDate birth = (LocalDate) m.get("birthDate");
            m.put("birthBidx", vault.keys().blindIndex((Long) m.get("tenantId"), "birth",
                    birth == null ? null : birth.toString()));
        }
    }

    private void afterRead(Executor executor, Object r) throws Exception {
        if (r instanceof CaseRow row) {
            vault.open(row);
            if (row.dataKey != null) {
                remember(executor, row.id, row.dataKey, row.publicId);
            }
        } else if (r instanceof Step2Mapper.EmbeddingRow e) {
            Known k = joined(executor, e.caseId, e.casePublicId, e.keyId, e.wrappedKey);
            if (e.piiEnc != null) {
                e.fullName = CaseVault.str(vault.fields(need(k).dataKey, e.casePublicId, e.piiEnc), "fullName");
            }
            e.embeddingEnc = open(k, "face", e.casePublicId, e.embeddingEnc);
        } else if (r instanceof DocumentMapper.DocumentRow d) {
            Known k = joined(executor, d.caseId, d.casePublicId, d.keyId, d.wrappedKey);
            String at = d.casePublicId + ":" + d.publicId;
            d.ocrFieldsEnc = open(k, "document-ocr", at, d.ocrFieldsEnc);
            d.declaredFieldsEnc = open(k, "document-declared", at, d.declaredFieldsEnc);
            d.confirmedFieldsEnc = open(k, "document-confirmed", at, d.confirmedFieldsEnc);
        } else if (r instanceof DocumentReadingMapper.ReadingRow rr) {
            Known k = joined(executor, rr.caseId, rr.casePublicId, rr.keyId, rr.wrappedKey);
            rr.documentNumberEnc = open(k, "reading-number", rr.casePublicId, rr.documentNumberEnc);
            rr.ocrFieldsEnc = open(k, "reading-ocr", rr.casePublicId, rr.ocrFieldsEnc);
            rr.confirmedFieldsEnc = open(k, "reading-confirmed", rr.casePublicId, rr.confirmedFieldsEnc);
        } else if (r instanceof ScreeningMapper.ScreeningRow sr) {
            if (sr.caseId != null) {
                Known k = joined(executor, sr.caseId, sr.casePublicId, sr.keyId, sr.wrappedKey);
                sr.queryEnc = open(k, "screening-query", sr.casePublicId + ":" + sr.publicId, sr.queryEnc);
            }
        } else if (r instanceof ScreeningMapper.CandidateRow c) {
            if (c.caseId != null) {
                Known k = joined(executor, c.caseId, c.casePublicId, c.keyId, c.wrappedKey);
                c.breakdownEnc = open(k, "screening-candidate", c.casePublicId + ":" + c.screeningId + ":" + c.rankNo,
                        c.breakdownEnc);
            }
        } else if (r instanceof AttemptRow a) {
            if (a.piiEnc != null) {
                Known k = key(executor, a.caseId);
                vault.openAttempt(k.dataKey, k.publicId, a);
            }
        } else if (r instanceof LivenessMapper.ResultRow l) {
            if (l.piiEnc != null) {
                Known k = key(executor, l.caseId);
                vault.openLiveness(k.dataKey, k.publicId, l);
            }
        } else if (r instanceof CaseMapper.ImageRow img) {
            if (img.blobKeyEnc != null && img.blobKey.indexOf('.') < 0) {
                Known k = key(executor, img.caseId);
                img.blobKey = CaseSealedBlobs.Handle.join(img.blobKey,
                        new AesGcm(k.dataKey).decrypt(img.blobKeyEnc, CaseVault.aad("blob", img.blobKey)));
            }
        } else if (r instanceof AuditRow a) {
            if (a.remarkEnc != null) {
                Known k = key(executor, a.caseId);
                vault.openAudit(k.dataKey, k.publicId, a);
            }
        }
    }

    /**
     * The key of a case whose wrapped key a read joined: remembered by this session or unwrapped now; null for a
     * case written before crypto-shredding and not sealed yet.
     */
    private Known joined(Executor executor, Long caseId, String publicId, String keyId, byte[] wrapped) {
        if (caseId == null) {
            return null;
        }
        Known k = known(executor).get(caseId);
        if (k == null && wrapped != null) {
            k = new Known(vault.unwrap(caseId, keyId, wrapped), publicId);
            known(executor).put(caseId, k);
        }
        return k;
    }

    private static Known need(Known k) {
        if (k == null) {
            throw new IllegalStateException("the key of a sealed case is missing");
        }
        return k;
    }

    /** A value {@link CaseVault#sealBytes} sealed, opened; a value stored before sealing as it is. */
    private byte[] open(Known k, String what, String at, byte[] stored) {
        if (!CaseVault.caseSealed(stored)) {
            return stored;
        }
        return vault.openBytes(need(k).dataKey, what, at, stored);
    }

    /** The key of a case: remembered by this session, or read (a case written before sealing is sealed now). */
    private Known key(Executor executor, long caseId) throws Exception {
        Known k = known(executor).get(caseId);
        if (k != null) {
            return k;
        }
        CaseRow cur = current(executor, caseId);
        return new Known(cur.dataKey, cur.publicId);
    }

    /** The case as stored now, opened, for a write that re-seals it. */
    private CaseRow current(Executor executor, long caseId) throws Exception {
        List<CaseRow> rows = executor.query(statement(executor, KEYS + "caseForSeal"), caseId, RowBounds.DEFAULT,
                Executor.NO_RESULT_HANDLER);
        if (rows.isEmpty()) {
            throw new IllegalStateException("case row not found");
        }
        CaseRow cur = rows.get(0);
        if (cur.piiEnc == null) {
            // Written before crypto-shredding and not yet sealed: seal it now, in this transaction.
            vault.sealNew(cur);
            executor.update(statement(executor, KEYS + "sealCase"), cur);
            insertKey(executor, null, cur);
        } else {
            vault.open(cur);
        }
        remember(executor, cur.id, cur.dataKey, cur.publicId);
        return cur;
    }

    private void insertKey(Executor executor, MappedStatement any, CaseRow row) throws Exception {
        CaseKeyMapper.KeyRow k = new CaseKeyMapper.KeyRow();
        k.caseId = row.id;
        k.masterKeyId = vault.keys().currentId();
        k.wrappedKey = vault.wrap(row.id, row.dataKey);
        k.createdAt = row.createdAt != null ? row.createdAt : LocalDateTime.now(ZoneOffset.UTC);
        executor.update(statement(executor, KEYS + "insertKey"), k);
        row.keyId = k.masterKeyId;
        row.wrappedKey = k.wrappedKey;
        remember(executor, row.id, row.dataKey, row.publicId);
    }

    private MappedStatement statement(Executor executor, String id) {
        return configuration.getMappedStatement(id);
    }

    private org.apache.ibatis.session.Configuration configuration;

    /** The MyBatis configuration whose statements this plugin runs (set once, when the plugin is added). */
    public void configuration(org.apache.ibatis.session.Configuration c) {
        this.configuration = c;
    }

    private void remember(Executor executor, long caseId, byte[] dataKey, String publicId) {
        known(executor).put(caseId, new Known(dataKey, publicId));
    }

    private Map<Long, Known> known(Executor executor) {
        return sessions.computeIfAbsent(executor, e -> Collections.synchronizedMap(new HashMap<>()));
    }
}
