package org.openkyc.server.storage;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDate;
import org.openkyc.server.storage.CaseMapper.AttemptRow;
import org.openkyc.server.storage.CaseMapper.AuditRow;
import org.openkyc.server.storage.CaseMapper.CaseAttemptRow;
import org.openkyc.server.storage.CaseMapper.CaseRow;

/**
 * Seals and opens the personal fields of a case with the case's own data key. A new case gets a random 256-bit
 * key; its personal fields become one AES-GCM encrypted JSON object (bound to the case's public id), and the
 * fields lists and matching compare for equality get keyed blind indexes. The key itself is stored only wrapped
 * by the master key (bound to the case's row id). Rows written before crypto-shredding (no pii_enc) open as
 * they are: their clear columns are read until they are sealed.
 */
public final class CaseVault {

    private final MasterKeys keys;
    private final SecureRandom random = new SecureRandom();

    public CaseVault(MasterKeys keys) {
        this.keys = keys;
    }

    public MasterKeys keys() {
        return keys;
    }

    /** Gives a case a new data key and seals its fields with it. */
    public void sealNew(CaseRow row) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        row.dataKey = k;
        seal(row);
    }

    /** Seals the row's personal fields with its data key (present: the row was opened or sealed before). */
    public void seal(CaseRow row) {
        if (row.dataKey == null) {
            throw new IllegalStateException("case has no data key");
        }
        JsonObject o = new JsonObject();
        put(o, "userId", row.userId);
        put(o, "email", row.email);
        put(o, "fullName", row.fullName);
        put(o, "dateOfBirth", row.dateOfBirth == null ? null : row.dateOfBirth.toString());
        put(o, "cf1", row.cf1);
        put(o, "cf2", row.cf2);
        put(o, "cf3", row.cf3);
        put(o, "ipAddress", row.ipAddress);
        put(o, "comments", row.comments);
        row.piiEnc = new AesGcm(row.dataKey).encrypt(o.toString().getBytes(StandardCharsets.UTF_8),
                aad("case", row.publicId));
        row.identityNumberSealed = sealBytes(row.dataKey, "identity", row.publicId, row.identityNumberEnc);
        index(row);
    }

    /** Recomputes the blind indexes of the row's searchable fields with the current index key. */
    public void index(CaseRow row) {
        row.userIdBidx = keys.blindIndex(row.tenantId, "userid", row.userId);
        row.emailBidx = keys.blindIndex(row.tenantId, "email", row.email);
        row.birthBidx = keys.blindIndex(row.tenantId, "birth",
                row.dateOfBirth == null ? null : row.dateOfBirth.toString());
    }

    /** The row's data key wrapped by the current master key, bound to the case's row id. */
    public byte[] wrap(long caseId, byte[] dataKey) {
        return keys.wrap(dataKey, keyAad(caseId));
    }

    /** The blind index a {@code userid} filter of this tenant looks up (as stored in {@code user_id_bidx}). */
    public byte[] userIdIndex(long tenantId, String userId) {
        return keys.blindIndex(tenantId, "userid", userId);
    }

    /** The data key of a case from its wrapped form. */
    public byte[] unwrap(long caseId, String keyId, byte[] wrapped) {
        return keys.unwrap(keyId, wrapped, keyAad(caseId));
    }

    /** Opens a row read from the database: fills the personal fields from pii_enc. */
    public void open(CaseRow row) {
        if (row.piiEnc == null || row.dataKey != null) {
            return;
        }
        if (row.wrappedKey == null) {
            throw new IllegalStateException("the key of a sealed case is missing");
        }
        row.dataKey = unwrap(row.id, row.keyId, row.wrappedKey);
        JsonObject o = decrypt(row.dataKey, row.piiEnc, "case", row.publicId);
        row.userId = str(o, "userId");
        row.email = str(o, "email");
        row.fullName = str(o, "fullName");
        String dob = str(o, "dateOfBirth");
        row.dateOfBirth = dob == null ? null : LocalDate.parse(dob);
        row.cf1 = str(o, "cf1");
        row.cf2 = str(o, "cf2");
        row.cf3 = str(o, "cf3");
        row.ipAddress = str(o, "ipAddress");
        row.comments = str(o, "comments");
        row.identityNumberEnc = openBytes(row.dataKey, "identity", row.publicId, row.identityNumberEnc);
        if (row instanceof CaseAttemptRow a && a.attemptPiiEnc != null && a.attemptNo != null) {
            JsonObject p = decrypt(row.dataKey, a.attemptPiiEnc, "attempt", row.publicId + ":" + a.attemptNo);
            a.attemptFullName = str(p, "fullName");
            a.attemptRetryMsg = str(p, "retryMsg");
        }
    }

    /** Seals an attempt's name and retry message with its case's key. */
    public byte[] sealAttempt(byte[] dataKey, String casePublicId, int attemptNo, String fullName, String retryMsg) {
        JsonObject o = new JsonObject();
        put(o, "fullName", fullName);
        put(o, "retryMsg", retryMsg);
        return new AesGcm(dataKey).encrypt(o.toString().getBytes(StandardCharsets.UTF_8),
                aad("attempt", casePublicId + ":" + attemptNo));
    }

    /** Opens an attempt row of a case (attemptsOf). */
    public void openAttempt(byte[] dataKey, String casePublicId, AttemptRow a) {
        if (a.piiEnc == null) {
            return;
        }
        JsonObject p = decrypt(dataKey, a.piiEnc, "attempt", casePublicId + ":" + a.attemptNo);
        a.fullName = str(p, "fullName");
        a.retryMsg = str(p, "retryMsg");
    }

    /** Marks a value sealed once more with a case key (an AES-GCM box of this product starts with 1). */
    private static final byte CASE_SEALED = 2;

    /**
     * Seals bytes the services already encrypted with the master key once more with the case key, so that their
     * copies in logs and backups are shredded with the case too; null stays null.
     */
    public byte[] sealBytes(byte[] dataKey, String what, String casePublicId, byte[] value) {
        if (value == null) {
            return null;
        }
        byte[] box = new AesGcm(dataKey).encrypt(value, aad(what, casePublicId));
        byte[] out = new byte[box.length + 1];
        out[0] = CASE_SEALED;
        System.arraycopy(box, 0, out, 1, box.length);
        return out;
    }

    /** Whether a stored value was sealed by {@link #sealBytes}. */
    public static boolean caseSealed(byte[] stored) {
        return stored != null && stored.length > 0 && stored[0] == CASE_SEALED;
    }

    /** The bytes {@link #sealBytes} sealed; a value stored before (not so marked) as it is. */
    public byte[] openBytes(byte[] dataKey, String what, String casePublicId, byte[] stored) {
        if (stored == null || stored.length == 0 || stored[0] != CASE_SEALED) {
            return stored;
        }
        return new AesGcm(dataKey).decrypt(java.util.Arrays.copyOfRange(stored, 1, stored.length),
                aad(what, casePublicId));
    }

    /** Seals a liveness result's provider session id and error message with its case's key. */
    public byte[] sealLiveness(byte[] dataKey, String casePublicId, String providerSessionId, String errorMessage) {
        JsonObject o = new JsonObject();
        put(o, "providerSessionId", providerSessionId);
        put(o, "errorMessage", errorMessage);
        return new AesGcm(dataKey).encrypt(o.toString().getBytes(StandardCharsets.UTF_8),
                aad("liveness", casePublicId));
    }

    public void openLiveness(byte[] dataKey, String casePublicId, LivenessMapper.ResultRow l) {
        JsonObject p = decrypt(dataKey, l.piiEnc, "liveness", casePublicId);
        l.providerSessionId = str(p, "providerSessionId");
        l.errorMessage = str(p, "errorMessage");
    }

    public byte[] sealRemark(byte[] dataKey, String casePublicId, String remark) {
        return remark == null ? null
                : new AesGcm(dataKey).encrypt(remark.getBytes(StandardCharsets.UTF_8), aad("remark", casePublicId));
    }

    public void openAudit(byte[] dataKey, String casePublicId, AuditRow a) {
        if (a.remarkEnc != null) {
            a.remark = new String(new AesGcm(dataKey).decrypt(a.remarkEnc, aad("remark", casePublicId)),
                    StandardCharsets.UTF_8);
        }
    }

    /** The case's sealed fields, opened with an already unwrapped key. */
    JsonObject fields(byte[] dataKey, String casePublicId, byte[] piiEnc) {
        return decrypt(dataKey, piiEnc, "case", casePublicId);
    }

    private static JsonObject decrypt(byte[] dataKey, byte[] box, String what, String id) {
        byte[] plain = new AesGcm(dataKey).decrypt(box, aad(what, id));
        return JsonParser.parseString(new String(plain, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    static byte[] aad(String what, String id) {
        return ("pii:" + what + ":" + id).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] keyAad(long caseId) {
        return ("case-key:" + caseId).getBytes(StandardCharsets.UTF_8);
    }

    private static void put(JsonObject o, String name, String value) {
        if (value != null) {
            o.addProperty(name, value);
        }
    }

    static String str(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
