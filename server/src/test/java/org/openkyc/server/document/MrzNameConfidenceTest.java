package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Names carry no check digit: a zone whose every check holds can still carry a misread name. The misreads
 * of the document development set, each as the OCR gave it, must come out unsure (left to the user, sent to
 * a reviewer), never as read; names read surely stay sure.
 */
class MrzNameConfidenceTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);
    private final MrzParser parser = new MrzParser(TODAY);

    private static List<String> passport(String names) {
        return MrzLines.passport("UTO", names, "L898902C3", "UTO", LocalDate.of(1974, 8, 12), "F",
                LocalDate.of(2031, 4, 15));
    }

    /** Every character read with {@code sure} confidence, except {@code low} (line, position) at {@code c}. */
    private static List<double[]> confidence(List<String> lines, double sure, int line, int pos, double c) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            double[] row = new double[lines.get(i).length()];
            Arrays.fill(row, sure);
            if (i == line && pos >= 0) {
                row[pos] = c;
            }
            out.add(row);
        }
        return out;
    }

    private static List<double[]> sure(List<String> lines) {
        return confidence(lines, 0.99, -1, -1, 0);
    }

    @Test
    void aNameLetterReadWithLowConfidenceMakesThatNameUnsure() {
        // HASSAW for HASSAN under motion blur: every check holds, the W was read at 0.92.
        List<String> lines = passport("HASSAW<<FATIMA<ZAHRA");
        MrzResult r = parser.parse(lines, confidence(lines, 0.99, 0, 5 + 5, 0.92));
        assertThat(r.valid()).isTrue();
        assertThat(r.unsure()).containsExactly(MrzResult.SURNAME);
        assertThat(r.confidence().get(MrzResult.SURNAME)).isLessThanOrEqualTo(0.5);
        assertThat(r.confidence().get(MrzResult.GIVEN_NAMES)).isEqualTo(0.99);
        // OMER for OMAR: the given names' letter.
        List<String> visa = passport("RATTANAKOSIN<<OMER");
        assertThat(parser.parse(visa, confidence(visa, 0.99, 0, 5 + 16, 0.86)).unsure())
                .containsExactly(MrzResult.GIVEN_NAMES);
    }

    @Test
    void aFillerReadWithLowConfidenceCountsForTheNameItEnds() {
        // A letter at the end of the given names misread as a filler: its low confidence is the only sign.
        List<String> lines = passport("ERIKSSON<<ANN");
        assertThat(parser.parse(lines, confidence(lines, 0.99, 0, 5 + 13, 0.6)).unsure())
                .containsExactly(MrzResult.GIVEN_NAMES);
        // The double filler that ends the surname belongs to the surname.
        assertThat(parser.parse(lines, confidence(lines, 0.99, 0, 5 + 9, 0.6)).unsure())
                .containsExactly(MrzResult.SURNAME);
    }

    @Test
    void namesReadSurelyStaySureAndOtherFieldsDoNotCount() {
        List<String> lines = passport("ERIKSSON<<ANNA<MARIA");
        MrzResult r = parser.parse(lines, sure(lines));
        assertThat(r.unsure()).isEmpty();
        assertThat(r.valid()).isTrue();
        // A doubtful digit of the document number is the check digit's business, not the names'.
        assertThat(parser.parse(lines, confidence(lines, 0.99, 1, 3, 0.5)).unsure()).isEmpty();
    }

    @Test
    void theFloorIsConfigurableAndZeroTurnsItOff() {
        List<String> lines = passport("HASSAW<<FATIMA<ZAHRA");
        List<double[]> conf = confidence(lines, 0.99, 0, 10, 0.92);
        assertThat(new MrzParser(TODAY, 0.9).parse(lines, conf).unsure()).isEmpty();
        assertThat(new MrzParser(TODAY, 0).parse(lines, conf).unsure()).isEmpty();
        assertThat(new MrzParser(TODAY, 0.93).parse(lines, conf).unsure()).containsExactly(MrzResult.SURNAME);
        assertThatThrownBy(() -> new MrzParser(TODAY, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNamesLineReadShortLostLettersUnderAReflection() {
        // JANKSKA for JANKOWSKA: the glare hid two letters; the line came out two characters short.
        List<String> lines = passport("JANKOWSKA<<DRAGANA");
        String misread = lines.get(0).replace("JANKOWSKA", "JANKSKA");
        MrzResult r = parser.parse(List.of(misread, lines.get(1)), sure(List.of(misread, lines.get(1))));
        assertThat(r.valid()).isTrue();
        assertThat(r.surname()).isEqualTo("JANKSKA");
        assertThat(r.unsure()).contains(MrzResult.SURNAME, MrzResult.GIVEN_NAMES);
    }

    @Test
    void aNamesLineReadLongHasALetterReadTwiceOrInvented() {
        // A small scan: the state code's last letter read twice (UNOOJANKOWSKA), a letter invented
        // (KDONSTANTINOPOULOU). The line is cut back to its length and every check still holds.
        List<String> lines = MrzLines.passport("UNO", "JANKOWSKA<<ZOE", "A48659934", "UNA",
                LocalDate.of(1967, 3, 10), "F", LocalDate.of(2030, 7, 17));
        String doubled = lines.get(0).substring(0, 5) + "O" + lines.get(0).substring(5);
        MrzResult r = parser.parse(List.of(doubled, lines.get(1)), sure(List.of(doubled, lines.get(1))));
        assertThat(r.valid()).isTrue();
        assertThat(r.surname()).isEqualTo("OJANKOWSKA");
        assertThat(r.unsure()).contains(MrzResult.SURNAME, MrzResult.GIVEN_NAMES);

        List<String> card = passport("KONSTANTINOPOULOU<<OLUWAS");
        String invented = card.get(0).replace("KONST", "KDONST");
        assertThat(parser.parse(List.of(invented, card.get(1))).unsure())
                .contains(MrzResult.SURNAME, MrzResult.GIVEN_NAMES);
    }

    @Test
    void aTd1NamesLineIsTheThird() {
        List<String> td1 = SyntheticDocuments.mrzLines(MrzFormat.TD1, "I", "UTO", "ERIKSSON", "ANNA", "D23145890",
                "UTO", LocalDate.of(1974, 8, 12), "F", LocalDate.of(2031, 4, 15), "");
        assertThat(parser.parse(td1, sure(td1)).unsure()).isEmpty();
        List<String> shortNames = List.of(td1.get(0), td1.get(1), td1.get(2).substring(0, 28));
        assertThat(parser.parse(shortNames, sure(shortNames)).unsure())
                .contains(MrzResult.SURNAME, MrzResult.GIVEN_NAMES);
    }

    @Test
    void aNameTwoReadingsOfTheZoneDisagreeOnIsUnsure() {
        // BO read as RO with full confidence under motion blur; the binarised second reading gives BO.
        List<String> visa = passport("NAKAMURA<<RO");
        MrzResult first = parser.parse(visa, sure(visa));
        assertThat(first.unsure()).isEmpty();
        List<String> again = passport("NAKAMURA<<BO");
        MrzResult r = MrzParser.withNamesConfirmedBy(first, parser.parse(again, sure(again)));
        assertThat(r.unsure()).containsExactly(MrzResult.GIVEN_NAMES);
        assertThat(r.givenNames()).isEqualTo("RO");
        assertThat(r.confidence().get(MrzResult.GIVEN_NAMES)).isLessThanOrEqualTo(0.5);
        assertThat(r.valid()).isTrue();
        // Readings that agree change nothing; no second reading at all leaves both names unsure.
        assertThat(MrzParser.withNamesConfirmedBy(first, parser.parse(visa, sure(visa)))).isSameAs(first);
        assertThat(MrzParser.withNamesConfirmedBy(first, null).unsure())
                .containsExactlyInAnyOrder(MrzResult.SURNAME, MrzResult.GIVEN_NAMES);
        // A digit the second reading gives for a letter is the same name once read as a name.
        List<String> digit = passport("NAKAMURA<<R0");
        assertThat(MrzParser.withNamesConfirmedBy(first, parser.parse(digit, sure(digit)))).isSameAs(first);
    }
}
