package org.openkyc.server.api;

import java.util.List;
import java.util.Optional;
import org.openkyc.server.common.Ids;
import org.openkyc.server.error.DomainException;

/**
 * The one check of what callers send, applied by the adapters before any look-up: ids have the format the
 * product issues them in, free text is no longer than the column that keeps it. A refusal is 400
 * INVALID_ARGUMENT naming the field; it never quotes the value, so an attacker's input is not echoed.
 */
final class Inputs {

    /** Longest documentId: documents get a random number below 2^53 (it travels as a JSON number). */
    static final long MAX_DOCUMENT_ID = (1L << 53) - 1;
    /** Longest verification uuid and VASP id (their columns are 64 wide). */
    static final int MAX_UUID = 64;
    /** Most ids one listing may name. */
    static final int MAX_IDS = 100;

    // Column sizes of the free text callers send (db/migration): kyc_cases and kyc_attempts.
    static final int USER_ID = 255;
    static final int EMAIL = 320;
    static final int NAME = 300;
    static final int CUSTOM_FIELD = 255;
    static final int IP_ADDRESS = 64;
    static final int IDENTITY_NUMBER = 64;
    static final int DOCUMENT_NUMBER = 64;
    /** kyc_status_audit.remark. */
    static final int REMARK = 1000;
    /** Short codes: countries, nationalities, genders, dates, languages. */
    static final int CODE = 35;
    /** An address to encode (A5) and names of a screening query. */
    static final int ADDRESS = 1000;
    static final int ISSUER = 300;
    /** A name or alias to screen (list names run long for organisations). */
    static final int SCREENING_NAME = 1000;
    static final int MAX_ALIASES = 50;
    // Travel rule (tr_* tables).
    static final int TX_HASH = 128;
    static final int ACCOUNT_NUMBER = 128;
    static final int WALLET_ADDRESS = 128;
    static final int NETWORK = 64;
    static final int SYMBOL = 32;
    static final int VOUT = 16;
    static final int VASP_NAME = 200;
    static final int VASP_ENDPOINT = 300;

    private Inputs() {
    }

    /** A required id of this product (profile, submission, applicant, session, screening resource). */
    static String id(String field, String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw DomainException.invalidField(field, field + " is required");
        }
        if (!Ids.plausible(v)) {
            throw DomainException.invalidField(field, field + " is not a valid id: ids are 1-" + Ids.MAX_LENGTH
                    + " lower-case letters and digits");
        }
        return v;
    }

    /** An optional id: empty when blank, else as {@link #id}. */
    static Optional<String> optionalId(String field, String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(id(field, value));
    }

    /** A list of ids, each as {@link #id}, at most {@link #MAX_IDS}. */
    static List<String> ids(String field, List<String> values) {
        if (values.size() > MAX_IDS) {
            throw DomainException.invalidField(field, field + " may name at most " + MAX_IDS + " ids");
        }
        return values.stream().map(v -> id(field, v)).toList();
    }

    /** A documentId: a positive number below 2^53. */
    static long documentId(String field, long value) {
        if (value == 0) {
            throw DomainException.invalidField(field, field + " is required");
        }
        if (value < 0 || value > MAX_DOCUMENT_ID) {
            throw DomainException.invalidField(field, field + " is not a valid document id");
        }
        return value;
    }

    /** A verification uuid or VASP id: 1-64 letters, digits, '-', '.' or '_'. */
    static String token(String field, String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw DomainException.invalidField(field, field + " is required");
        }
        if (v.length() > MAX_UUID || !v.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
            throw DomainException.invalidField(field, field + " is not valid: 1-" + MAX_UUID
                    + " letters, digits, '-', '.' or '_'");
        }
        return v;
    }

    static Optional<String> optionalToken(String field, String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(token(field, value));
    }

    /** Free text no longer than {@code max} characters; returned unchanged (null stays null). */
    static String text(String field, String value, int max) {
        if (value != null && value.length() > max && value.strip().length() > max) {
            throw DomainException.invalidField(field, field + " is longer than " + max + " characters");
        }
        return value;
    }

    /** Texts each no longer than {@code max}, at most {@code maxCount} of them. */
    static List<String> texts(String field, List<String> values, int maxCount, int max) {
        if (values.size() > maxCount) {
            throw DomainException.invalidField(field, field + " may hold at most " + maxCount + " entries");
        }
        values.forEach(v -> text(field, v, max));
        return values;
    }
}
