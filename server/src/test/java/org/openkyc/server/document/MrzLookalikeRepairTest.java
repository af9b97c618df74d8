package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Look-alike characters are repaired by the field's type: digits in numeric fields, letters in alphabetic ones. */
class MrzLookalikeRepairTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    private final MrzParser parser = new MrzParser(TODAY);
    /** Each digit and the letter OCR confuses it with. */
    private static final char[][] PAIRS = {{'0', 'O'}, {'1', 'I'}, {'2', 'Z'}, {'4', 'A'}, {'5', 'S'}, {'6', 'G'},
        {'7', 'T'}, {'8', 'B'}};

    @Test
    void everyLookalikePairIsRepairedInBothDirectionsByFieldType() {
        for (char[] pair : PAIRS) {
            char digit = pair[0];
            char letter = pair[1];
            // The letter in the surname and a date whose day holds the digit.
            LocalDate birth = LocalDate.of(1974, 8, 10 + (digit - '0'));
            List<String> good = MrzLines.passport("UTO", "ERIK" + letter + "SON<<ANNA", "L898902C3", "UTO", birth, "F",
                    LocalDate.of(2031, 4, 15));
            // A digit where only letters may stand (surname), a letter where only digits may (birth day).
            List<String> misread = MrzLines.with(MrzLines.with(good, 0, 9, digit), 1, 18, letter);
            MrzResult r = parser.parse(misread);
            assertThat(r.surname()).as(digit + "/" + letter).isEqualTo("ERIK" + letter + "SON");
            assertThat(r.birthDate()).as(digit + "/" + letter).isEqualTo(birth);
            assertThat(r.lines()).as(digit + "/" + letter).isEqualTo(good);
            assertThat(r.valid()).isTrue();
            assertThat(r.unsure()).isEmpty();
        }
    }

    @Test
    void aNationalityPrintedWithLookalikesComesBackAsItsCode() {
        LocalDate birth = LocalDate.of(1974, 8, 12);
        LocalDate expiry = LocalDate.of(2031, 4, 15);
        for (String[] c : new String[][] {{"1RL", "IRL"}, {"6BR", "GBR"}, {"2WE", "ZWE"}, {"U5A", "USA"}, {"8EL", "BEL"}, {"7UR", "TUR"}, {"E5P", "ESP"}}) {
            String code = c[1];
            List<String> good = MrzLines.passport(code, "ERIKSSON<<ANNA", "L898902C3", code, birth, "F", expiry);
            List<String> misread = MrzLines.with(MrzLines.with(MrzLines.with(good, 1, 10, c[0].charAt(0)), 1, 11,
                    c[0].charAt(1)), 1, 12, c[0].charAt(2));
            MrzResult r = parser.parse(misread);
            assertThat(r.nationality()).as(c[0]).isEqualTo(code);
            assertThat(r.unsure()).as(c[0]).doesNotContain(MrzResult.NATIONALITY);
        }
    }

    @Test
    void aCodeLookalikeIsRepairedOnlyWhenExactlyOneRepairIsACountry() {
        LocalDate birth = LocalDate.of(1974, 8, 12);
        LocalDate expiry = LocalDate.of(2031, 4, 15);
        List<String> good = MrzLines.passport("D", "MUELLER<<JOHN", "C01X00T47", "DEU", birth, "F", expiry);
        // 0 reads as O, D or Q: only D makes a country (DEU); OEU and QEU are none.
        MrzResult deu = parser.parse(MrzLines.with(good, 1, 10, '0'));
        assertThat(deu.nationality()).isEqualTo("DEU");
        assertThat(deu.unsure()).isEmpty();
        // 3 has no look-alike letter: the code stays as read and is reported unsure, not guessed.
        MrzResult unknown = parser.parse(MrzLines.with(good, 1, 11, '3'));
        assertThat(unknown.nationality()).isEqualTo("D3U");
        assertThat(unknown.unsure()).containsExactly(MrzResult.NATIONALITY);
        assertThat(unknown.confidence().get(MrzResult.NATIONALITY)).isLessThanOrEqualTo(0.5);
    }

    @Test
    void aCheckDigitRepairIsKeptOnlyWhenItIsTheOnlyOne() {
        // The document number's 8 misread as B, which the OCR was unsure of: only 8 satisfies the check digit.
        List<String> good = MrzLines.passport("UTO", "ERIKSSON<<ANNA", "L898902C3", "UTO", LocalDate.of(1974, 8, 12),
                "F", LocalDate.of(2031, 4, 15));
        double[] line0 = new double[44];
        double[] line1 = new double[44];
        java.util.Arrays.fill(line0, 0.97);
        java.util.Arrays.fill(line1, 0.97);
        line1[1] = 0.5;
        MrzResult r = parser.parse(MrzLines.with(good, 1, 1, 'B'), List.of(line0, line1));
        assertThat(r.documentNumber()).isEqualTo("L898902C3");
        assertThat(r.valid()).isTrue();
        // Read with confidence, the same B is not changed: the zone fails its check instead of being made valid.
        java.util.Arrays.fill(line1, 0.97);
        MrzResult sure = parser.parse(MrzLines.with(good, 1, 1, 'B'), List.of(line0, line1));
        assertThat(sure.valid()).isFalse();
        assertThat(sure.failedChecks()).contains("documentNumber");
    }
}
