package org.openkyc.server.storage;

import com.google.gson.JsonObject;
import java.time.LocalDate;
import java.util.List;
import org.openkyc.server.storage.CaseMapper.CaseRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch jobs of crypto-shredding, each resumable and safe to run again: sealing rows written before it (at
 * every start, until none is left) and re-wrapping every case key with a new master key (the operator's
 * {@code data-key rotate}). Each batch is one transaction; an interrupted job continues where it stopped.
 */
public final class CaseKeyJobs {

    private static final Logger log = LoggerFactory.getLogger(CaseKeyJobs.class);
    private final Database db;
    private final CaseVault vault;
    private final int batch;

    public CaseKeyJobs(Database db, CaseVault vault, int batch) {
        this.db = db;
        this.vault = vault;
        this.batch = batch;
    }

    /**
     * Seals every case still in the clear-column format, with its attempts, liveness results and remarks; how
     * many were sealed.
     */
    public long sealLegacyRows() {
        long after = 0;
        long sealed = 0;
        while (true) {
            long from = after;
            List<CaseRow> rows = db.inTransaction(s -> {
                CaseKeyMapper m = s.getMapper(CaseKeyMapper.class);
                List<CaseRow> page = m.unsealedCases(from, batch);
                for (CaseRow row : page) {
                    vault.sealNew(row);
                    m.sealCase(row);
                    CaseKeyMapper.KeyRow k = new CaseKeyMapper.KeyRow();
                    k.caseId = row.id;
                    k.masterKeyId = vault.keys().currentId();
                    k.wrappedKey = vault.wrap(row.id, row.dataKey);
                    k.createdAt = row.createdAt;
                    m.insertKey(k);
                    for (CaseMapper.AttemptRow a : m.unsealedAttempts(row.id)) {
                        m.sealAttempt(a.id, vault.sealAttempt(row.dataKey, row.publicId, a.attemptNo,
                                a.fullName, a.retryMsg));
                    }
                    for (LivenessMapper.ResultRow l : m.unsealedLiveness(row.id)) {
                        m.sealLiveness(l.id, vault.sealLiveness(row.dataKey, row.publicId, l.providerSessionId,
                                l.errorMessage));
                    }
                    for (CaseMapper.AuditRow a : m.unsealedAudit(row.id)) {
                        m.sealAudit(a.id, vault.sealRemark(row.dataKey, row.publicId, a.remark));
                    }
                }
                return page;
            });
            if (rows.isEmpty()) {
                break;
            }
            sealed += rows.size();
            after = rows.get(rows.size() - 1).id;
        }
        if (sealed > 0) {
            log.info("sealed {} cases written before crypto-shredding", sealed);
        }
        long parts = sealLegacyParts();
        if (parts > 0) {
            log.info("sealed {} documents, readings, faces and screenings with their cases' keys", parts);
        }
        return sealed + parts;
    }

    /**
     * Seals with the case key the document fields, document readings, face embeddings and screenings stored under
     * the master key only; how many rows were sealed. The rows read are opened by CaseSealing (a value already
     * sealed is opened too), so each is sealed whole.
     */
    long sealLegacyParts() {
        long n = batches((m, after) -> m.unsealedDocuments(after, batch), d -> d.id, (m, d) -> {
            String at = d.casePublicId + ":" + d.publicId;
            byte[] key = vault.unwrap(d.caseId, d.keyId, d.wrappedKey);
            d.ocrFieldsEnc = vault.sealBytes(key, "document-ocr", at, d.ocrFieldsEnc);
            d.declaredFieldsEnc = vault.sealBytes(key, "document-declared", at, d.declaredFieldsEnc);
            d.confirmedFieldsEnc = vault.sealBytes(key, "document-confirmed", at, d.confirmedFieldsEnc);
            m.sealDocument(d);
        }, null);
        n += batches((m, after) -> m.unsealedReadings(after, batch), r -> r.id, (m, r) -> {
            byte[] key = vault.unwrap(r.caseId, r.keyId, r.wrappedKey);
            r.documentNumberEnc = vault.sealBytes(key, "reading-number", r.casePublicId, r.documentNumberEnc);
            m.sealReading(r);
        }, null);
        n += batches((m, after) -> m.unsealedEmbeddings(after, batch), e -> e.caseId, (m, e) -> {
            byte[] key = vault.unwrap(e.caseId, e.keyId, e.wrappedKey);
            e.embeddingEnc = vault.sealBytes(key, "face", e.casePublicId, e.embeddingEnc);
            m.sealEmbedding(e);
        }, null);
        n += batches((m, after) -> m.unsealedScreenings(after, batch), sr -> sr.id, null, (session, sr) -> {
            CaseKeyMapper m = session.getMapper(CaseKeyMapper.class);
            byte[] key = vault.unwrap(sr.caseId, sr.keyId, sr.wrappedKey);
            sr.queryEnc = vault.sealBytes(key, "screening-query", sr.casePublicId + ":" + sr.publicId, sr.queryEnc);
            m.sealScreening(sr);
            for (ScreeningMapper.CandidateRow c : session.getMapper(ScreeningMapper.class).candidatesOf(sr.id)) {
                c.breakdownEnc = vault.sealBytes(key, "screening-candidate",
                        sr.casePublicId + ":" + c.screeningId + ":" + c.rankNo, c.breakdownEnc);
                m.sealCandidate(c);
            }
        });
        return n;
    }

    private interface Page<T> {
        List<T> read(CaseKeyMapper m, long after);
    }

    private interface Seal<T> {
        void seal(CaseKeyMapper m, T row);
    }

    private interface SessionSeal<T> {
        void seal(org.apache.ibatis.session.SqlSession s, T row);
    }

    /** Runs a sealing job over pages of rows after the last id, one transaction per page; how many rows. */
    private <T> long batches(Page<T> page, java.util.function.ToLongFunction<T> idOf, Seal<T> seal,
            SessionSeal<T> sessionSeal) {
        long after = 0;
        long done = 0;
        while (true) {
            long from = after;
            List<T> rows = db.inTransaction(s -> {
                CaseKeyMapper m = s.getMapper(CaseKeyMapper.class);
                List<T> got = page.read(m, from);
                for (T row : got) {
                    if (seal != null) {
                        seal.seal(m, row);
                    } else {
                        sessionSeal.seal(s, row);
                    }
                }
                return got;
            });
            if (rows.isEmpty()) {
                return done;
            }
            done += rows.size();
            after = idOf.applyAsLong(rows.get(rows.size() - 1));
        }
    }

    /**
     * Re-wraps every case key not wrapped by the current master key (the previous keys must be configured to
     * unwrap them), and recomputes the blind indexes with the current index key; how many were re-wrapped.
     */
    public long rotate() {
        String current = vault.keys().currentId();
        long after = 0;
        long done = 0;
        while (true) {
            long from = after;
            List<CaseKeyMapper.KeyRow> rows = db.inTransaction(s -> {
                CaseKeyMapper m = s.getMapper(CaseKeyMapper.class);
                List<CaseKeyMapper.KeyRow> page = m.keysToRewrap(current, from, batch);
                for (CaseKeyMapper.KeyRow k : page) {
                    byte[] dataKey = vault.unwrap(k.caseId, k.masterKeyId, k.wrappedKey);
                    if (k.piiEnc != null) {
                        JsonObject o = vault.fields(dataKey, k.publicId, k.piiEnc);
                        CaseRow r = new CaseRow();
                        r.id = k.caseId;
                        r.tenantId = k.tenantId;
                        r.userId = CaseVault.str(o, "userId");
                        r.email = CaseVault.str(o, "email");
                        String dob = CaseVault.str(o, "dateOfBirth");
                        r.dateOfBirth = dob == null ? null : LocalDate.parse(dob);
                        vault.index(r);
                        m.setIndexes(r);
                    }
                    k.masterKeyId = current;
                    k.wrappedKey = vault.wrap(k.caseId, dataKey);
                    m.rewrap(k);
                }
                return page;
            });
            if (rows.isEmpty()) {
                break;
            }
            done += rows.size();
            after = rows.get(rows.size() - 1).caseId;
            log.info("data key rotation: {} case keys re-wrapped so far", done);
        }
        return done;
    }

    /** How many case keys each master key id wraps. */
    public List<CaseKeyMapper.KeyCount> keyCounts() {
        return db.read(s -> s.getMapper(CaseKeyMapper.class).keyCounts());
    }
}
