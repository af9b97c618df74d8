package org.openkyc.server.document.devset;

import java.time.LocalDate;
import java.util.List;
import org.openkyc.server.document.MrzFormat;

/**
 * The ground truth of one development-set document: every field of its machine-readable zone as a reader
 * should return it (names as the zone spells them, after transliteration and truncation), the zone's lines,
 * and the names as printed in the visual zone.
 *
 * @param layout       SPECIMEN (the ICAO specimen image) or the rendered layout (TD1, TD2, TD3, MRV_A, MRV_B)
 * @param sex          "M", "F" or "X" (a filler in the zone)
 * @param printedName  the holder's name as the visual zone prints it (accents, hyphens, untruncated)
 */
public record Truth(
        String layout,
        MrzFormat format,
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
        List<String> lines,
        String printedName) {

    /** The ICAO Doc 9303 specimen passport (UTOPIA, ERIKSSON ANNA MARIA) in the test resources. */
    public static final Truth SPECIMEN = new Truth("SPECIMEN", MrzFormat.TD3, "P", "UTO", "ERIKSSON", "ANNA MARIA",
            "L898902C3", "UTO", LocalDate.of(1974, 8, 12), "F", LocalDate.of(2012, 4, 15), "ZE184226B",
            List.of("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"),
            "ERIKSSON, Anna Maria");
}
