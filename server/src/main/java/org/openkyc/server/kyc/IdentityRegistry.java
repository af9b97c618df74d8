package org.openkyc.server.kyc;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The check of confirmed identity fields against an identity registry: in production a government
 * identity check, by default a table operators load ({@link DatabaseIdentityRegistry}). Implementations
 * are thread-safe and never log the fields.
 */
public interface IdentityRegistry {

    /** What the registry said. */
    enum Verdict {
        /** An entry agrees with every field given. */
        MATCH,
        /** An entry was found (by name and birth date, or by a number) but some fields differ. */
        MISMATCH,
        /** The registry is in use and holds no such person. */
        NOT_FOUND,
        /** The registry is not in use for the tenant (empty): nothing was checked. */
        SKIPPED;

        /** The spelling kept with an attempt: match, mismatch, not_found, skipped. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The person as confirmed. Optional fields are compared only when both sides know them.
     *
     * @param fullName       the full name (compared as {@link IdentityFields#name})
     * @param birthDate      the date of birth
     * @param nationality    ISO alpha-3
     * @param gender         male or female
     * @param identityNumber the person's identity number
     * @param documentNumber the identity document's number
     */
    record Query(String fullName, LocalDate birthDate, Optional<String> nationality, Optional<String> gender,
            Optional<String> identityNumber, Optional<String> documentNumber) {}

    /**
     * The verdict and, for a mismatch, the fields that differ (as the step-2 form names them: name,
     * date_of_birth, nationality, gender, identity_number, document_number).
     */
    record Result(Verdict verdict, List<String> mismatchedFields) {
        public Result {
            mismatchedFields = List.copyOf(mismatchedFields);
        }
    }

    /** Checks the person in the tenant's registry. */
    Result check(long tenantId, Query query);
}
