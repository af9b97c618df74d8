package org.openkyc.server.kyc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openkyc.server.document.DocumentReading;
import org.openkyc.server.document.ImageFormat;
import org.openkyc.server.document.MrzParser;
import org.openkyc.server.document.MrzResult;
import org.openkyc.server.document.MrzStatus;
import org.openkyc.server.document.QualityReport;
import org.openkyc.server.error.DomainException;

/** A zone field read ambiguously is never shown as read and sends the case to a reviewer. */
class MrzUnsureFieldsTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    private static DocumentReading reading(MrzResult m) {
        return new DocumentReading(ImageFormat.PNG, 1200, 800, new QualityReport(Map.of("sharpness", 90.0),
                Map.of(), Map.of(), List.of()), m.valid() ? MrzStatus.VALID : MrzStatus.CHECKS_FAILED,
                Optional.of(m), "ocrb_int");
    }

    private static MrzResult zone(String names, String birth) {
        String l1 = "P<UTO" + (names + "<".repeat(39)).substring(0, 39);
        String l2 = "L898902C3" + MrzParser.checkDigit("L898902C3") + "UTO" + birth + MrzParser.checkDigit(birth)
                + "F310415" + MrzParser.checkDigit("310415") + "<<<<<<<<<<<<<<<";
        String comp = l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 43);
        return new MrzParser(TODAY).parse(List.of(l1, l2 + MrzParser.checkDigit(comp)));
    }

    @Test
    void anUnsureNameIsNeverShownAsReadAndGoesToManualReview() {
        MrzResult unsure = zone("MAUS<<KETTY<Z<Z<O", "740812");
        assertThat(unsure.valid()).isTrue();
        assertThat(unsure.unsure()).containsExactly(MrzResult.GIVEN_NAMES);
        // Neither journey shows the name as read: the user types it.
        assertThat(SubmissionService.fields(reading(unsure), Optional.empty()).name()).isEmpty();
        DocumentFields f = DocumentService.ocrFields(reading(unsure));
        assertThat(f.name()).isEmpty();
        assertThat(f.docNumber()).contains("L898902C3");  // what the check digits cover stays
        assertThat(f.birthDate()).contains(LocalDate.of(1974, 8, 12));
        // Stored with the reading and given to the decision rules: manual review, naming the field.
        String stored = SubmissionService.unsure(Optional.of(unsure));
        assertThat(stored).isEqualTo("givenNames");
        DecisionRules rules = new DecisionRules(new DecisionRules.Settings(true, 60, 50, 3));
        DecisionRules.Decision d = rules.decide(new DecisionRules.Evidence(true, Optional.of(TODAY.plusYears(3)),
                OptionalDouble.of(91), OptionalDouble.of(88), true, Optional.of("clear"), false,
                SubmissionService.unsure(stored)), TODAY);
        assertThat(d.outcome()).isEqualTo(DecisionRules.Outcome.MANUAL_REVIEW);
        assertThat(d.reasons()).extracting(DecisionRules.Reason::code).containsExactly("mrz_field_unsure");
        assertThat(d.reasons().get(0).message()).contains("givenNames");
        // A sure zone approves as before.
        MrzResult sure = zone("ERIKSSON<<ANNA<MARIA", "740812");
        assertThat(SubmissionService.unsure(Optional.of(sure))).isNull();
        assertThat(rules.decide(new DecisionRules.Evidence(true, Optional.of(TODAY.plusYears(3)),
                OptionalDouble.of(91), OptionalDouble.of(88), true, Optional.of("clear"), false,
                SubmissionService.unsure((String) null)), TODAY).approved()).isTrue();
    }

    @Test
    void anUnsureBirthCenturyIsLeftOutAndReviewed() {
        MrzResult r = zone("ERIKSSON<<ANNA", "110302");
        assertThat(r.unsure()).containsExactly(MrzResult.BIRTH_DATE);
        assertThat(SubmissionService.fields(reading(r), Optional.empty()).birthDate()).isEmpty();
        assertThat(DocumentService.ocrFields(reading(r)).birthDate()).isEmpty();
        assertThat(SubmissionService.unsure(Optional.of(r))).isEqualTo("birthDate");
    }

    @Test
    void countryInputsAcceptIcaoCodesThatAreNotIso() {
        for (String code : List.of("UNO", "XXA", "XXB", "XXC", "XXX", "GBD", "GBN", "EUE", "RKS", "XOM", "SWE")) {
            assertThat(SubmissionService.requireAlpha3(code)).isEqualTo(code);
            assertThat(DocumentService.requireAlpha3(code, "nationality")).isEqualTo(code);
        }
        assertThat(SubmissionService.requireAlpha3("D")).isEqualTo("DEU");
        assertThat(SubmissionService.requireAlpha3("d<<")).isEqualTo("DEU");
        assertThat(SubmissionService.icaoToAlpha3("D<<")).isEqualTo("DEU");
        assertThatThrownBy(() -> SubmissionService.requireAlpha3("SE")).isInstanceOf(DomainException.class)
                .hasMessageContaining("issuingCountry must be an ISO 3166-1 alpha-3");
        assertThatThrownBy(() -> SubmissionService.requireAlpha3("ZZZ")).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> DocumentService.requireAlpha3("ZZZ", "nationality"))
                .isInstanceOf(DomainException.class);
        assertThat(Step2Service.confirmed(new Step2Service.Step2("abc", new byte[] {1}, "A", "1974-08-12", null,
                "XXA", null, null, null, null),
                Optional.of("SWE"), true).nationality()).contains("XXA");
    }
}
