package org.openkyc.server.kyc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openkyc.server.common.CountryCodes;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.IdentityRegistryMapper;
import org.openkyc.server.storage.IdentityRegistryMapper.RegistryRow;
import org.openkyc.server.storage.MasterKeys;

/**
 * The default {@link IdentityRegistry}: a per-tenant table operators load from a CSV file
 * ({@code bin/openkyc admin registry load TENANT FILE.csv}). Names and numbers are stored only as
 * HMAC-SHA256 under a key derived from the data key, so the table answers "does this match" and
 * holds no readable name or number. A tenant whose table is empty does not use a registry: its
 * checks answer {@link Verdict#SKIPPED}.
 */
public final class DatabaseIdentityRegistry implements IdentityRegistry {

    /** The CSV header a load needs (in this order; the number columns may be empty). */
    public static final List<String> COLUMNS = List.of("name", "date_of_birth", "nationality", "gender",
            "identity_number", "document_number");
    static final int MAX_ROWS = 1_000_000;

    /** The birth date of the row that records which master key a tenant's registry was hashed with. */
    static final LocalDate KEY_ROW_DATE = LocalDate.of(1000, 1, 1);

    private final Database db;
    private final String currentKeyId;
    /** The HMAC keys derived from the current and the previous master keys, by master key id. */
    private final Map<String, byte[]> hmacKeys = new LinkedHashMap<>();
    private final Clock clock;

    /**
     * @param dataKey the 32-byte data key; the HMAC key is derived from it and the data key is not kept
     */
    public DatabaseIdentityRegistry(Database db, byte[] dataKey, Clock clock) {
        this(db, dataKey, List.of(), clock);
    }

    /**
     * @param previousKeys master keys replaced by a rotation: a registry loaded while one of them was the master
     *     key is looked up with it until it is loaded again
     */
    public DatabaseIdentityRegistry(Database db, byte[] dataKey, List<byte[]> previousKeys, Clock clock) {
        this.db = db;
        this.currentKeyId = MasterKeys.idOf(dataKey);
        hmacKeys.put(currentKeyId, deriveKey(dataKey));
        for (byte[] k : previousKeys) {
            hmacKeys.putIfAbsent(MasterKeys.idOf(k), deriveKey(k));
        }
        this.clock = clock;
    }

    /** HMAC-SHA256(dataKey, purpose): a key used only for the registry's look-up hashes. */
    static byte[] deriveKey(byte[] dataKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(dataKey, "HmacSHA256"));
            return mac.doFinal("openkyc/identity-registry/v1".getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** The look-up hash of a normalised value, bound to its field; null for an empty value. */
    String hmac(String field, String normalized) {
        return hmac(hmacKeys.get(currentKeyId), field, normalized);
    }

    private static String hmac(byte[] hmacKey, String field, String normalized) {
        if (normalized == null || normalized.isEmpty()) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((field + ":" + normalized).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public Result check(long tenantId, Query q) {
        return db.read(s -> {
            IdentityRegistryMapper m = s.getMapper(IdentityRegistryMapper.class);
            if (m.inUse(tenantId) == 0) {
                return new Result(Verdict.SKIPPED, List.of());
            }
            byte[] key = hmacKey(m.keyRow(tenantId));
            String nameHmac = hmac(key, "name", IdentityFields.name(q.fullName()));
            String idHmac = q.identityNumber().map(v -> hmac(key, "identity_number", IdentityFields.number(v)))
                    .orElse(null);
            String docHmac = q.documentNumber().map(v -> hmac(key, "document_number", IdentityFields.number(v)))
                    .orElse(null);
            List<RegistryRow> rows = m.candidates(tenantId, nameHmac, q.birthDate(), idHmac, docHmac);
            List<String> best = null;
            for (RegistryRow r : rows) {
                List<String> diff = new ArrayList<>();
                if (!r.nameHmac.equals(nameHmac)) {
                    diff.add("name");
                }
                if (!r.birthDate.equals(q.birthDate())) {
                    diff.add("date_of_birth");
                }
                if (!IdentityFields.agrees(q.nationality(), Optional.ofNullable(r.nationality))) {
                    diff.add("nationality");
                }
                if (!IdentityFields.agrees(q.gender(), Optional.ofNullable(r.gender))) {
                    diff.add("gender");
                }
                if (!IdentityFields.agrees(Optional.ofNullable(idHmac), Optional.ofNullable(r.identityNumberHmac))) {
                    diff.add("identity_number");
                }
                if (!IdentityFields.agrees(Optional.ofNullable(docHmac), Optional.ofNullable(r.documentNumberHmac))) {
                    diff.add("document_number");
                }
                if (best == null || diff.size() < best.size()) {
                    best = diff;
                }
            }
            if (best == null) {
                return new Result(Verdict.NOT_FOUND, List.of());
            }
            return best.isEmpty() ? new Result(Verdict.MATCH, List.of()) : new Result(Verdict.MISMATCH, best);
        });
    }

    /**
     * Replaces the tenant's registry with the entries of a CSV file (UTF-8, header
     * {@code name,date_of_birth,nationality,gender,identity_number,document_number}; dates YYYY-MM-DD,
     * nationality ISO alpha-3, gender male|female, empty cells allowed except name and date_of_birth).
     * All or nothing: a bad line is refused with its number and the registry stays as it was. An empty
     * file (header only) turns the registry off.
     *
     * @return how many entries the registry now holds
     */
    public int load(long tenantId, String csv) {
        List<List<String>> lines = parseCsv(csv);
        if (lines.isEmpty() || !lines.get(0).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList()
                .equals(COLUMNS)) {
            throw DomainException.invalid("the first line must be the header " + String.join(",", COLUMNS));
        }
        if (lines.size() - 1 > MAX_ROWS) {
            throw DomainException.invalid("at most " + MAX_ROWS + " entries");
        }
        List<RegistryRow> rows = new ArrayList<>();
        var now = CaseService.utc(clock.instant());
        for (int i = 1; i < lines.size(); i++) {
            List<String> f = lines.get(i);
            int lineNo = i + 1;
            if (f.size() == 1 && f.get(0).isBlank()) {
                continue;
            }
            if (f.size() != COLUMNS.size()) {
                throw DomainException.invalid("line " + lineNo + ": expected " + COLUMNS.size() + " fields");
            }
            RegistryRow r = new RegistryRow();
            r.tenantId = tenantId;
            r.nameHmac = hmac("name", IdentityFields.name(f.get(0)));
            if (r.nameHmac == null) {
                throw DomainException.invalid("line " + lineNo + ": name is required");
            }
            try {
                r.birthDate = LocalDate.parse(f.get(1).strip());
            } catch (DateTimeParseException e) {
                throw DomainException.invalid("line " + lineNo + ": date_of_birth must be YYYY-MM-DD");
            }
            String nat = f.get(2).strip().toUpperCase(Locale.ROOT);
            if (!nat.isEmpty() && (nat.length() != 3 || CountryCodes.toAlpha3(nat).isEmpty())) {
                throw DomainException.invalid("line " + lineNo + ": nationality must be ISO 3166-1 alpha-3");
            }
            r.nationality = nat.isEmpty() ? null : nat;
            String gender = f.get(3).strip().toLowerCase(Locale.ROOT);
            if (!gender.isEmpty() && !gender.equals("male") && !gender.equals("female")) {
                throw DomainException.invalid("line " + lineNo + ": gender must be male or female");
            }
            r.gender = gender.isEmpty() ? null : gender;
            r.identityNumberHmac = hmac("identity_number", IdentityFields.number(f.get(4)));
            r.documentNumberHmac = hmac("document_number", IdentityFields.number(f.get(5)));
            r.createdAt = now;
            rows.add(r);
        }
        db.inTransaction(s -> {
            IdentityRegistryMapper m = s.getMapper(IdentityRegistryMapper.class);
            m.clear(tenantId);
            rows.forEach(m::insert);
            if (!rows.isEmpty()) {
                // Which master key the hashes come from: a rotation cannot hash them again (the values are not
                // kept), so the registry is looked up with that key until it is loaded again.
                RegistryRow k = new RegistryRow();
                k.tenantId = tenantId;
                k.nameHmac = IdentityRegistryMapper.KEY_ROW_PREFIX + currentKeyId;
                k.birthDate = KEY_ROW_DATE;
                k.createdAt = now;
                m.insert(k);
            }
            return null;
        });
        return rows.size();
    }

    /**
     * The HMAC key of a tenant's registry: from the master key recorded when it was loaded (the current one for a
     * registry loaded before keys were recorded).
     */
    private byte[] hmacKey(String keyRow) {
        if (keyRow == null) {
            return hmacKeys.get(currentKeyId);
        }
        String id = keyRow.strip().substring(IdentityRegistryMapper.KEY_ROW_PREFIX.length());
        byte[] key = hmacKeys.get(id);
        if (key == null) {
            throw new IllegalStateException("the identity registry was hashed with master key " + id
                    + ", which is not configured: give it in OPENKYC_DATA_KEY_PREVIOUS or load the registry again");
        }
        return key;
    }

    /** Empties the tenant's registry (turns the check off); returns how many entries were removed. */
    public int clear(long tenantId) {
        return db.inTransaction(s -> s.getMapper(IdentityRegistryMapper.class).clear(tenantId));
    }

    /** How many entries the tenant's registry holds. */
    public long size(long tenantId) {
        return db.read(s -> s.getMapper(IdentityRegistryMapper.class).count(tenantId));
    }

    /** RFC 4180 fields: commas, double quotes with doubled quotes inside, CRLF or LF line ends. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        int line = 1;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                out.add(row);
                row = new ArrayList<>();
                line++;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw DomainException.invalid("line " + line + ": a quoted field is not closed");
        }
        if (!field.isEmpty() || !row.isEmpty()) {
            row.add(field.toString());
            out.add(row);
        }
        return out;
    }
}
