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
        return sealed;
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
