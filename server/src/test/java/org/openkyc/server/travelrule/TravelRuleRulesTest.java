package org.openkyc.server.travelrule;

import org.openkyc.server.common.CountryCodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Country codes, thresholds, name matching and address comparison. */
class TravelRuleRulesTest {

    @Test
    void countryCodesConvertBetweenAlpha3AndAlpha2() {
        assertThat(CountryCodes.toAlpha2("KOR")).contains("KR");
        assertThat(CountryCodes.toAlpha2("kr")).contains("KR");
        assertThat(CountryCodes.toAlpha3("GB")).contains("GBR");
        assertThat(CountryCodes.toAlpha3("USA")).contains("USA");
        assertThat(CountryCodes.toAlpha2("XXX")).isEmpty();
        assertThat(CountryCodes.toAlpha3("ZZ")).isEmpty();
        assertThat(CountryCodes.isAlpha2("US")).isTrue();
        assertThat(CountryCodes.isAlpha2("us")).isFalse();
    }

    @Test
    void thresholdsPerCurrency() {
        Thresholds t = Thresholds.parse(Thresholds.DEFAULT);
        assertThat(t.exceeds(new BigDecimal("1000"), "USD")).isTrue();
        assertThat(t.exceeds(new BigDecimal("999.99"), "usd")).isFalse();
        assertThat(t.exceeds(new BigDecimal("1000000"), "KRW")).isTrue();
        assertThat(t.exceeds(new BigDecimal("999999"), "KRW")).isFalse();
        // A currency without a threshold never lowers what is required.
        assertThat(t.exceeds(BigDecimal.ONE, "EUR")).isTrue();
        assertThat(Thresholds.parse("EUR=800").exceeds(new BigDecimal("799"), "EUR")).isFalse();
        assertThatThrownBy(() -> Thresholds.parse("USD")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Thresholds.parse("USD=-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Thresholds.parse("DOLLAR=1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesMatchIgnoringOrderCaseAccentsAndPunctuation() {
        assertThat(Ivms101.nameMatches(List.of("Lawrence Clark"), "CLARK, Lawrence")).isTrue();
        assertThat(Ivms101.nameMatches(List.of("José Núñez"), "jose nunez")).isTrue();
        assertThat(Ivms101.nameMatches(List.of("Lawrence Clark"), "Larry Clark")).isFalse();
        assertThat(Ivms101.nameMatches(List.of(), "Larry Clark")).isFalse();
        assertThat(Ivms101.nameMatches(List.of("Anna"), " ")).isFalse();
    }

    @Test
    void legalNamesOfBothKindsOfPerson() {
        assertThat(Ivms101.legalNames(JsonParser.parseString("{\"naturalPerson\":{\"name\":{\"nameIdentifier\":["
                + "{\"primaryIdentifier\":\"Clark\",\"secondaryIdentifier\":\"Lawrence\",\"nameIdentifierType\":\"LEGL\"},"
                + "{\"primaryIdentifier\":\"Clark\",\"secondaryIdentifier\":\"Larry\",\"nameIdentifierType\":\"ALIA\"}"
                + "]}}}").getAsJsonObject())).containsExactly("Lawrence Clark");
        assertThat(Ivms101.legalNames(JsonParser.parseString("{\"legalPerson\":{\"name\":{\"nameIdentifier\":["
                + "{\"legalPersonName\":\"B Exchange\",\"legalPersonNameIdentifierType\":\"LEGL\"}]}}}")
                .getAsJsonObject())).containsExactly("B Exchange");
    }

    @Test
    void theBeneficiaryFromKycDataIsValidIvms101() {
        var c = new CustomerKyc.Customer("case1", true, Optional.of("Lawrence Clark"), Optional.empty(),
                CountryCodes.toAlpha2("GBR"));
        var json = Ivms101.beneficiaryFromKyc(c, "0xabc");
        assertThat(new Ivms101Validator(java.time.Clock.systemUTC()).beneficiary(json, "beneficiary")).isEmpty();
        assertThat(json.toString()).contains("\"countryOfResidence\":\"GB\"").contains("\"accountNumber\":[\"0xabc\"]");
    }

    @Test
    void hexAddressesCompareWithoutCase() {
        assertThat(VaspRegistry.addressKey(" 0xAbCd ")).isEqualTo("0xabcd");
        assertThat(VaspRegistry.addressKey("bc1QabC")).isEqualTo("bc1QabC");
    }
}
