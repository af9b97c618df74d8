package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two-digit years get their century from the document's own dates, or stay unsure: never a guess. */
class MrzCenturyTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    private final MrzParser parser = new MrzParser(TODAY);

    @Test
    void aHolderBornIn1911IsNotAnswered2011() {
        // The passport expired in 2009: a holder born in 2011 cannot have held it.
        MrzResult r = parser.parse(MrzLines.passport("ERIKSSON<<ANNA", "110302", "090415"));
        assertThat(r.birthDate()).isEqualTo(LocalDate.of(1911, 3, 2));
        assertThat(r.expiryDate()).isEqualTo(LocalDate.of(2009, 4, 15));
        assertThat(r.unsure()).isEmpty();
        assertThat(r.valid()).isTrue();
    }

    @Test
    void whenBothCenturiesStayPossibleTheBirthDateIsUnsureNotGuessed() {
        // Expiring in 2031: born 1911 (115 today) and born 2011 (15 today) both fit.
        MrzResult r = parser.parse(MrzLines.passport("ERIKSSON<<ANNA", "110302", "310415"));
        assertThat(r.birthDate()).isNull();
        assertThat(r.unsure()).containsExactly(MrzResult.BIRTH_DATE);
        assertThat(r.confidence().get(MrzResult.BIRTH_DATE)).isZero();
        assertThat(r.expiryDate()).isEqualTo(LocalDate.of(2031, 4, 15));
        assertThat(r.valid()).isTrue();  // the check digits hold: the date is unsure, not misread
    }

    @Test
    void thePrintedIssueDateDecidesTheCentury() {
        // Issued in 2010 (before a 2011 birth): the holder was born in 1911.
        MrzResult r = parser.parse(MrzLines.passport("ERIKSSON<<ANNA", "110302", "200415"), null,
                Optional.of(LocalDate.of(2010, 4, 16)));
        assertThat(r.birthDate()).isEqualTo(LocalDate.of(1911, 3, 2));
        assertThat(r.unsure()).isEmpty();
    }

    @Test
    void anIssueDateReadAfterTheZoneDecidesAnOpenCentury() {
        MrzResult open = parser.parse(MrzLines.passport("ERIKSSON<<ANNA", "110302", "200415"));
        assertThat(open.unsure()).containsExactly(MrzResult.BIRTH_DATE);
        MrzResult dated = parser.withIssueDate(open, LocalDate.of(2010, 4, 16));
        assertThat(dated.birthDate()).isEqualTo(LocalDate.of(1911, 3, 2));
        assertThat(dated.unsure()).isEmpty();
        assertThat(dated.valid()).isTrue();
        // Issued 2015: born 1911 or 2011 both fit, the date stays unsure.
        assertThat(parser.withIssueDate(open, LocalDate.of(2015, 4, 16)).unsure()).containsExactly(MrzResult.BIRTH_DATE);
        // An issue date after the expiry is a misread: nothing changes.
        assertThat(parser.withIssueDate(open, LocalDate.of(2021, 1, 1))).isEqualTo(open);
    }

    @Test
    void aPlausibleAgeAndThePassportValidityDecideTheOtherCases() {
        // Born 74: 2074 is in the future and 1874 would make the holder 152.
        assertThat(parser.parse(MrzLines.passport("ERIKSSON<<ANNA", "740812", "310415")).birthDate())
                .isEqualTo(LocalDate.of(1974, 8, 12));
        // Born 05: 1905 would be 121 today.
        assertThat(parser.parse(MrzLines.passport("ERIKSSON<<ANNA", "050101", "300101")).birthDate())
                .isEqualTo(LocalDate.of(2005, 1, 1));
        // Expiry 12 for a holder born 1974: 1912 is before the birth (and before any MRZ), 2112 past the
        // ten years a passport is valid.
        assertThat(parser.parse(MrzLines.passport("ERIKSSON<<ANNA", "740812", "120415")).expiryDate())
                .isEqualTo(LocalDate.of(2012, 4, 15));
        // Expiry 36: 2036 is within ten years of today; 1936 before machine-readable zones existed.
        assertThat(parser.parse(MrzLines.passport("ERIKSSON<<ANNA", "740812", "361101")).expiryDate())
                .isEqualTo(LocalDate.of(2036, 11, 1));
        // A passport cannot expire 11 years from now.
        MrzResult tooLong = parser.parse(MrzLines.passport("ERIKSSON<<ANNA", "740812", "371201"));
        assertThat(tooLong.expiryDate()).isNull();
        assertThat(tooLong.valid()).isFalse();
    }

    @Test
    void aBirthDateAfterTodayIsNeverAnswered() {
        // 2026-12-01 is after today: the holder was born in 1926 (a passport that expired in 1999).
        MrzResult r = parser.parse(MrzLines.passport("ERIKSSON<<ANNA", "261201", "990101"));
        assertThat(r.birthDate()).isEqualTo(LocalDate.of(1926, 12, 1));
        assertThat(r.expiryDate()).isEqualTo(LocalDate.of(1999, 1, 1));
    }
}
