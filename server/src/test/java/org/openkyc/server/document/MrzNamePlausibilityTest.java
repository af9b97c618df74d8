package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names have no check digit: fillers misread as letters are repaired when unambiguous, else the name is unsure. */
class MrzNamePlausibilityTest {

    private final MrzParser parser = new MrzParser(LocalDate.of(2026, 11, 22));

    private MrzResult parse(String names) {
        return parser.parse(MrzLines.passport("UTO", names, "L898902C3", "UTO", LocalDate.of(1974, 8, 12), "F",
                LocalDate.of(2031, 4, 15)));
    }

    @Test
    void fillersMisreadAsLettersAfterTheGivenNamesEndAreRepaired() {
        MrzResult r = parse("ERIKSSON<<ANNA<MARIA<<K<X<<S<<<<Z<<E");
        assertThat(r.givenNames()).isEqualTo("ANNA MARIA");
        assertThat(r.unsure()).isEmpty();
        assertThat(r.valid()).isTrue();
        MrzResult surnameOnly = parse("ERIKSSON<<<<<K<<<C<<");
        assertThat(surnameOnly.surname()).isEqualTo("ERIKSSON");
        assertThat(surnameOnly.givenNames()).isEmpty();
        assertThat(surnameOnly.unsure()).isEmpty();
    }

    @Test
    void singleLetterRunsAmongFillersKeepTheNameButMarkItUnsure() {
        MrzResult r = parse("MAUS<<KETTY<Z<Z<O");
        assertThat(r.valid()).isTrue();  // every check digit holds: the names are not covered by any
        assertThat(r.givenNames()).isEqualTo("KETTY Z Z O");
        assertThat(r.surname()).isEqualTo("MAUS");
        assertThat(r.unsure()).containsExactly(MrzResult.GIVEN_NAMES);
        assertThat(r.sure(MrzResult.SURNAME)).isTrue();
        assertThat(r.confidence().get(MrzResult.GIVEN_NAMES)).isLessThanOrEqualTo(0.5);
    }

    @Test
    void implausibleNamesAreUnsureNotRepaired() {
        // A real letter after the names end: which of the pieces is a name cannot be told.
        assertThat(parse("ERIKSSON<<ANNA<<<<<Q<<<").unsure()).containsExactly(MrzResult.GIVEN_NAMES);
        assertThat(parse("ERIKSSON<<ANNA<<<<<Q<<<").givenNames()).isEqualTo("ANNA Q");
        // A filler run read as one repeated letter, and consonant-only look-alike pieces.
        assertThat(parse("ERIKSSON<<ANNA<KKKK").unsure()).containsExactly(MrzResult.GIVEN_NAMES);
        assertThat(parse("KXCZ<<ANNA").unsure()).containsExactly(MrzResult.SURNAME);
        // A character outside A-Z that no look-alike explains.
        assertThat(parse("ERIK3SON<<ANNA").unsure()).containsExactly(MrzResult.SURNAME);
        // Single-letter runs in the surname.
        assertThat(parse("A<B<C<<ANNA").unsure()).containsExactly(MrzResult.SURNAME);
    }

    @Test
    void realNamesStaySure() {
        for (String names : List.of("VAN<DER<BERG<<PIETER", "KIM<<MIN<JUN", "LEE<<BO", "ESSEX<<JOHN<K",
                "OBRIEN<<SEAN<PATRICK", "GARCIA<LOPEZ<<JOSE<LUIS", "NG<<XI", "ERIKSSON")) {
            MrzResult r = parse(names);
            assertThat(r.unsure()).as(names).isEmpty();
            assertThat(r.valid()).isTrue();
        }
        assertThat(parse("ESSEX<<JOHN<K").givenNames()).isEqualTo("JOHN K");
    }
}
