package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MrzParserTest {

    private final MrzParser parser = new MrzParser(LocalDate.of(2026, 11, 22));

    @Test
    void checkDigitsFollowIcao9303() {
        assertThat(MrzParser.checkDigit("L898902C3")).isEqualTo(6);
        assertThat(MrzParser.checkDigit("740812")).isEqualTo(2);
        assertThat(MrzParser.checkDigit("120415")).isEqualTo(9);
        assertThat(MrzParser.checkDigit("ZE184226B<<<<<")).isEqualTo(1);
        assertThat(MrzParser.checkDigit("D23145890")).isEqualTo(7);
    }

    @Test
    void parsesTheIcaoTd3Specimen() {
        MrzResult r = parser.parse(List.of(
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10"));
        assertThat(r.format()).isEqualTo(MrzFormat.TD3);
        assertThat(r.valid()).isTrue();
        assertThat(r.documentType()).isEqualTo("P");
        assertThat(r.issuingState()).isEqualTo("UTO");
        assertThat(r.surname()).isEqualTo("ERIKSSON");
        assertThat(r.givenNames()).isEqualTo("ANNA MARIA");
        assertThat(r.documentNumber()).isEqualTo("L898902C3");
        assertThat(r.nationality()).isEqualTo("UTO");
        assertThat(r.birthDate()).isEqualTo(LocalDate.of(1974, 8, 12));
        assertThat(r.sex()).isEqualTo("F");
        assertThat(r.expiryDate()).isEqualTo(LocalDate.of(2012, 4, 15));
        assertThat(r.optionalData()).isEqualTo("ZE184226B");
        assertThat(r.repairs()).isZero();
        assertThat(r.confidence()).containsKeys("surname", "givenNames", "documentNumber", "nationality",
                "birthDate", "sex", "expiryDate", "issuingState", "documentType");
    }

    @Test
    void parsesTheIcaoTd2AndTd1Specimens() {
        MrzResult td2 = parser.parse(List.of(
                "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
                "D231458907UTO7408122F1204159<<<<<<<6"));
        assertThat(td2.format()).isEqualTo(MrzFormat.TD2);
        assertThat(td2.valid()).isTrue();
        assertThat(td2.documentNumber()).isEqualTo("D23145890");
        assertThat(td2.givenNames()).isEqualTo("ANNA MARIA");

        MrzResult td1 = parser.parse(List.of(
                "I<UTOD231458907<<<<<<<<<<<<<<<",
                "7408122F1204159UTO<<<<<<<<<<<6",
                "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"));
        assertThat(td1.format()).isEqualTo(MrzFormat.TD1);
        assertThat(td1.valid()).isTrue();
        assertThat(td1.documentType()).isEqualTo("I");
        assertThat(td1.documentNumber()).isEqualTo("D23145890");
        assertThat(td1.nationality()).isEqualTo("UTO");
        assertThat(td1.surname()).isEqualTo("ERIKSSON");
        assertThat(td1.givenNames()).isEqualTo("ANNA MARIA");
        assertThat(td1.birthDate()).isEqualTo(LocalDate.of(1974, 8, 12));
    }

    @Test
    void repairsTypicalOcrConfusionsWithTypesAndCheckDigits() {
        // O for 0 in dates, I for 1 in the composite, 8 read as B in the document number,
        // 0 for O in the nationality and the name.
        // The OCR was unsure of the B: the only look-alike that satisfies the check digit is 8.
        double[] line1 = new double[44];
        double[] line2 = new double[44];
        java.util.Arrays.fill(line1, 0.97);
        java.util.Arrays.fill(line2, 0.97);
        line2[1] = 0.55;
        MrzResult r = parser.parse(List.of(
                "P<UT0ERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "LB98902C36UTO74O8122F12O4159ZE184226B<<<<<I0"), List.of(line1, line2));
        assertThat(r.valid()).isTrue();
        assertThat(r.documentNumber()).isEqualTo("L898902C3");
        assertThat(r.issuingState()).isEqualTo("UTO");
        assertThat(r.surname()).isEqualTo("ERIKSSON");
        assertThat(r.birthDate()).isEqualTo(LocalDate.of(1974, 8, 12));
        assertThat(r.repairs()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void fillersMisreadAsLettersAfterTheNamesAreRepaired() {
        MrzResult r = parser.parse(List.of(
                "P<UTOERIKSSON<<ANNA<MARIA<<<<K<<<<<X<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10"));
        assertThat(r.givenNames()).isEqualTo("ANNA MARIA");
    }

    @Test
    void failingChecksAreReportedNeverAccepted() {
        // Birth date changed from 740812 to 740813: its check digit and the composite fail.
        MrzResult r = parser.parse(List.of(
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408132F1204159ZE184226B<<<<<10"));
        assertThat(r.valid()).isFalse();
        assertThat(r.failedChecks()).contains("birthDate", "composite");
        assertThat(r.confidence().get("birthDate")).isLessThan(0.6);

        // A document number that no single look-alike substitution explains.
        // Read with confidence, a wrong document number is not "repaired" into a valid one.
        double[] sure = new double[44];
        java.util.Arrays.fill(sure, 0.99);
        MrzResult n = parser.parse(List.of(
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898903C36UTO7408122F1204159ZE184226B<<<<<10"), List.of(sure, sure));
        assertThat(n.valid()).isFalse();
        assertThat(n.failedChecks()).contains("documentNumber");
    }

    @Test
    void impossibleDatesAreInvalid() {
        MrzResult r = parser.parse(List.of(
                "I<UTOD231458907<<<<<<<<<<<<<<<",
                "7413322F1204159UTO<<<<<<<<<<<0",
                "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"));
        assertThat(r.birthDate()).isNull();
        assertThat(r.valid()).isFalse();
    }

    @Test
    void randomValidIdentitiesRoundTrip() {
        Random rnd = new Random(7);
        for (int i = 0; i < 300; i++) {
            MrzFormat f = MrzFormat.values()[i % 3];
            SyntheticDocuments.Identity id = SyntheticDocuments.randomIdentity(rnd, f);
            MrzResult r = parser.parse(id.lines());
            assertThat(r.valid()).as(id.lines().toString()).isTrue();
            assertThat(r.lines()).isEqualTo(id.lines());
            assertThat(r.documentNumber()).isEqualTo(id.number());
            assertThat(r.surname()).isEqualTo(id.surname());
            assertThat(r.givenNames()).isEqualTo(id.givenNames());
            assertThat(r.birthDate()).isEqualTo(id.birth());
            assertThat(r.expiryDate()).isEqualTo(id.expiry());
            assertThat(r.sex()).isEqualTo(id.sex());
        }
    }

    @Test
    void refusesTextWithoutMrzShape() {
        assertThatThrownBy(() -> parser.parse(List.of("HELLO"))).isInstanceOf(IllegalArgumentException.class);
    }
}
