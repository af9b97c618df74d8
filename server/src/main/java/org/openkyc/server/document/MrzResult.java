package org.openkyc.server.document;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A parsed machine-readable zone. {@link #valid()} is true only when every check
 * digit and the composite check hold; a zone whose checks fail is still returned,
 * with the failing checks named, and must not be trusted.
 *
 * @param format       TD1, TD2 or TD3
 * @param lines        the zone as read, after repairs
 * @param documentType document code, e.g. "P", "I", "ID", "AC" (fillers stripped)
 * @param issuingState issuing state or organisation, alpha-3 (e.g. "UTO", "D")
 * @param surname      primary identifier, fillers turned into spaces
 * @param givenNames   secondary identifier, fillers turned into spaces
 * @param documentNumber document number without fillers
 * @param nationality  alpha-3 nationality
 * @param birthDate    date of birth (century inferred: a year after the current one is taken as 19xx), or null if unreadable
 * @param sex          "M", "F" or "X" (unspecified)
 * @param expiryDate   date of expiry (20xx unless implausible), or null if unreadable
 * @param optionalData optional data / personal number, fillers stripped
 * @param checks       every check by name ("documentNumber", "birthDate", "expiryDate", "optionalData", "composite") and whether it holds
 * @param repairs      how many characters were changed by the check-digit driven repair
 * @param confidence   per-field confidence 0-1 (OCR confidence adjusted by the checks that cover the field)
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
        Map<String, Double> confidence) {

    /** True when every check digit and the composite check hold. */
    public boolean valid() {
        return !checks.isEmpty() && checks.values().stream().allMatch(Boolean::booleanValue)
                && birthDate != null && expiryDate != null;
    }

    /** Names of the checks that failed (empty when valid). */
    public List<String> failedChecks() {
        return checks.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).sorted().toList();
    }
}
