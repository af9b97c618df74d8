package org.openkyc.server.document;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed machine-readable zone. {@link #valid()} is true only when every check
 * digit and the composite check hold; a zone whose checks fail is still returned,
 * with the failing checks named, and must not be trusted.
 *
 * <p>Check digits do not cover everything: names and nationality have none, and a two-digit year does not
 * say its century. A field the parser could not read unambiguously is named in {@link #unsure()}; it must
 * not be presented as certain (an unsure date is null rather than guessed) and sends the case to a
 * reviewer even when every check digit holds.
 *
 * @param format       TD1, TD2, TD3, MRV_A or MRV_B
 * @param lines        the zone as read, after repairs
 * @param documentType document code, e.g. "P", "I", "ID", "AC" (fillers stripped)
 * @param issuingState issuing state or organisation, alpha-3 (e.g. "UTO", "D")
 * @param surname      primary identifier, fillers turned into spaces
 * @param givenNames   secondary identifier, fillers turned into spaces
 * @param documentNumber document number without fillers
 * @param nationality  alpha-3 nationality
 * @param birthDate    date of birth, its century decided by the document's own dates; null if unreadable or
 *                     if two centuries stay possible (then "birthDate" is unsure)
 * @param sex          "M", "F" or "X" (unspecified)
 * @param expiryDate   date of expiry, its century decided the same way; null if unreadable or ambiguous
 * @param optionalData optional data / personal number, fillers stripped
 * @param checks       every check by name ("documentNumber", "birthDate", "expiryDate", "optionalData", "composite") and
 *                     whether it holds; visas have no composite check
 * @param repairs      how many characters were changed by the check-digit driven repair
 * @param confidence   per-field confidence 0-1 (OCR confidence adjusted by the checks that cover the field)
 * @param unsure       fields read but not unambiguously ("surname", "givenNames", "nationality", "issuingState",
 *                     "birthDate", "expiryDate"): low confidence, for a reviewer to confirm
 */
public record MrzResult(
        MrzFormat format,
        List<String> lines,
        String documentType,
        String issuingState,
        String surname,
        String givenNames,
        String documentNumber,
        String nationality,
        LocalDate birthDate,
        String sex,
        LocalDate expiryDate,
        String optionalData,
        Map<String, Boolean> checks,
        int repairs,
        Map<String, Double> confidence,
        Set<String> unsure) {

    /** Field names of {@link #unsure()}. */
    public static final String SURNAME = "surname";
    public static final String GIVEN_NAMES = "givenNames";
    public static final String NATIONALITY = "nationality";
    public static final String ISSUING_STATE = "issuingState";
    public static final String BIRTH_DATE = "birthDate";
    public static final String EXPIRY_DATE = "expiryDate";

    public MrzResult {
        unsure = Set.copyOf(unsure);
    }

    /** A result with no unsure field. */
    public MrzResult(MrzFormat format, List<String> lines, String documentType, String issuingState, String surname,
            String givenNames, String documentNumber, String nationality, LocalDate birthDate, String sex,
            LocalDate expiryDate, String optionalData, Map<String, Boolean> checks, int repairs,
            Map<String, Double> confidence) {
        this(format, lines, documentType, issuingState, surname, givenNames, documentNumber, nationality, birthDate,
                sex, expiryDate, optionalData, checks, repairs, confidence, Set.of());
    }

    /**
     * True when every check digit (and the composite check, where the format has one) holds and both dates
     * were read; a date whose century stays ambiguous counts as read (it is named in {@link #unsure()}).
     */
    public boolean valid() {
        return !checks.isEmpty() && checks.values().stream().allMatch(Boolean::booleanValue)
                && (birthDate != null || unsure.contains(BIRTH_DATE))
                && (expiryDate != null || unsure.contains(EXPIRY_DATE));
    }

    /** True when the field was read unambiguously (a field never named unsure is sure). */
    public boolean sure(String field) {
        return !unsure.contains(field);
    }

    /** Names of the checks that failed (empty when valid). */
    public List<String> failedChecks() {
        return checks.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).sorted().toList();
    }
}
