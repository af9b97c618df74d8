package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Machine-readable visas (ICAO 9303 part 7): MRV-A and MRV-B, optional data to the end, no composite check. */
class MrzVisaTest {

    private final MrzParser parser = new MrzParser(LocalDate.of(2026, 11, 22));

    private static String cd(String s) {
        return String.valueOf(MrzParser.checkDigit(s));
    }

    @Test
    void parsesMrvAAndMrvBVisas() {
        // MRV-A (2 x 44), like the ICAO part 7 specimen.
        String a2 = "L8988901C" + cd("L8988901C") + "XXX" + "400907" + cd("400907") + "F" + "261210" + cd("261210")
                + "<<<<<<<<<<<<<<<<";
        MrzResult a = parser.parse(List.of("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", a2));
        assertThat(a.format()).isEqualTo(MrzFormat.MRV_A);
        assertThat(a2).hasSize(44);
        assertThat(a.valid()).as(a.failedChecks().toString()).isTrue();
        assertThat(a.checks()).containsOnlyKeys("documentNumber", "birthDate", "expiryDate");
        assertThat(a.documentType()).isEqualTo("V");
        assertThat(a.issuingState()).isEqualTo("UTO");
        assertThat(a.surname()).isEqualTo("ERIKSSON");
        assertThat(a.givenNames()).isEqualTo("ANNA MARIA");
        assertThat(a.documentNumber()).isEqualTo("L8988901C");
        assertThat(a.nationality()).isEqualTo("XXX");
        assertThat(a.birthDate()).isEqualTo(LocalDate.of(1940, 9, 7));
        assertThat(a.expiryDate()).isEqualTo(LocalDate.of(2026, 12, 10));
        assertThat(a.unsure()).isEmpty();

        // MRV-B (2 x 36), with optional data in the last eight positions.
        String b2 = "L8988901C" + cd("L8988901C") + "D<<" + "690806" + cd("690806") + "M" + "270101" + cd("270101")
                + "AB12<<<<";
        MrzResult b = parser.parse(List.of("VCD<<MUELLER<<JOHN<<<<<<<<<<<<<<<<<", b2));
        assertThat(b2).hasSize(36);
        assertThat(b.format()).isEqualTo(MrzFormat.MRV_B);
        assertThat(b.valid()).as(b.failedChecks().toString()).isTrue();
        assertThat(b.documentType()).isEqualTo("VC");
        assertThat(b.issuingState()).isEqualTo("D");
        assertThat(b.nationality()).isEqualTo("D");
        assertThat(b.optionalData()).isEqualTo("AB12");
        assertThat(b.birthDate()).isEqualTo(LocalDate.of(1969, 8, 6));
        assertThat(b.expiryDate()).isEqualTo(LocalDate.of(2027, 1, 1));
    }

    @Test
    void aVisaCheckDigitStillCatchesAMisread() {
        String a2 = "L8988901C" + cd("L8988901C") + "XXX" + "400908" + cd("400907") + "F" + "261210" + cd("261210")
                + "<<<<<<<<<<<<<<<<";
        double[] sure = new double[44];
        java.util.Arrays.fill(sure, 0.99);
        MrzResult a = parser.parse(List.of("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", a2), List.of(sure, sure));
        assertThat(a.valid()).isFalse();
        assertThat(a.failedChecks()).containsExactly("birthDate");
    }

    @Test
    void randomVisasRoundTrip() {
        java.util.Random rnd = new java.util.Random(11);
        for (int i = 0; i < 100; i++) {
            MrzFormat f = i % 2 == 0 ? MrzFormat.MRV_A : MrzFormat.MRV_B;
            SyntheticDocuments.Identity id = SyntheticDocuments.randomIdentity(rnd, f);
            MrzResult r = parser.parse(id.lines());
            assertThat(r.format()).isEqualTo(f);
            assertThat(r.valid()).as(id.lines().toString()).isTrue();
            assertThat(r.lines()).isEqualTo(id.lines());
            assertThat(r.documentNumber()).isEqualTo(id.number());
            assertThat(r.surname()).isEqualTo(id.surname());
            assertThat(r.givenNames()).isEqualTo(id.givenNames());
            assertThat(r.birthDate()).isEqualTo(id.birth());
            assertThat(r.expiryDate()).isEqualTo(id.expiry());
            assertThat(r.optionalData()).isEqualTo(id.optional());
        }
    }
}
