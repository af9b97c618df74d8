package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.openkyc.server.common.CountryCodes;

/** ICAO 9303 codes that ISO 3166 does not assign are read as issuing states and nationalities. */
class MrzCountryCodeTest {

    private final MrzParser parser = new MrzParser(LocalDate.of(2026, 11, 22));

    @Test
    void icaoCodesThatAreNotIsoAreAcceptedAsIssuerAndNationality() {
        for (String code : new String[] {"UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX", "XOM", "XPO", "XES", "XCC",
                "XBA", "XIM", "RKS", "EUE", "D", "GBD", "GBN", "GBO", "GBP", "GBS", "SWE", "KOR"}) {
            MrzResult r = parser.parse(MrzLines.passport(code, "ERIKSSON<<ANNA", "L898902C3", code,
                    LocalDate.of(1974, 8, 12), "F", LocalDate.of(2031, 4, 15)));
            assertThat(r.issuingState()).as(code).isEqualTo(code);
            assertThat(r.nationality()).as(code).isEqualTo(code);
            assertThat(r.unsure()).as(code).isEmpty();
            assertThat(r.valid()).isTrue();
        }
    }

    @Test
    void oneTableSpellsDocumentCodesInAlpha3() {
        assertThat(CountryCodes.documentCode("D<<")).contains("DEU");
        assertThat(CountryCodes.documentCode("D")).contains("DEU");
        assertThat(CountryCodes.documentCode("xxa")).contains("XXA");
        assertThat(CountryCodes.documentCode("GBD")).contains("GBD");
        assertThat(CountryCodes.documentCode("SWE")).contains("SWE");
        assertThat(CountryCodes.documentCode("SE")).isEmpty();
        assertThat(CountryCodes.documentCode("ZZZ")).isEmpty();
        assertThat(CountryCodes.documentCode("UTO")).isEmpty();  // the specimen state is read, never asked
        assertThat(CountryCodes.isMrzCode("UTO")).isTrue();
        assertThat(CountryCodes.documentCodeOrAlpha2("SE")).contains("SWE");
        assertThat(CountryCodes.documentCodeOrAlpha2("UNO")).contains("UNO");
        // ISO tables elsewhere (IVMS101, sanctions) are unchanged.
        assertThat(CountryCodes.toAlpha3("XXA")).isEmpty();
    }
}
