package org.openkyc.server.kyc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openkyc.server.error.DomainException;

/** The pure rules of step 2: validating the confirmed fields and comparing them with the document. */
class Step2RulesTest {

    private static Step2Service.Step2 form(String name, String dob, String gender, String nationality, String issue,
            String expiry, String identity, String document) {
        return new Step2Service.Step2("abc", new byte[] {1}, name, dob, gender, nationality, issue, expiry, identity,
                document);
    }

    private static Step2Service.Known known() {
        return new Step2Service.Known(Optional.of("ANNA MARIA ERIKSSON"), Optional.of(LocalDate.of(1974, 8, 12)),
                Optional.of("female"), Optional.of("SWE"), Optional.empty(), Optional.of(LocalDate.of(2032, 4, 15)),
                Optional.of("L898902C3"));
    }

    @Test
    void namesIgnoreCaseSpacingAccentsPunctuationAndOrder() {
        assertThat(IdentityFields.sameName("anna  maria Eriksson", "ANNA MARIA ERIKSSON")).isTrue();
        assertThat(IdentityFields.sameName("Eriksson, Anna-Maria", "ANNA MARIA ERIKSSON")).isTrue();
        assertThat(IdentityFields.sameName("Ånna María Eriksson", "ANNA MARIA ERIKSSON")).isTrue();
        assertThat(IdentityFields.sameName("Anna Eriksson", "ANNA MARIA ERIKSSON")).isFalse();
        assertThat(IdentityFields.sameName("", "")).isFalse();
        assertThat(IdentityFields.sameNumber("l89 8902-c3", "L898902C3")).isTrue();
        assertThat(IdentityFields.sameNumber("L898902C4", "L898902C3")).isFalse();
    }

    @Test
    void confirmedFieldsAreComparedWithWhatTheDocumentShows() {
        Step2Service.Confirmed same = Step2Service.confirmed(form("Anna Maria Eriksson", "1974-08-12", "FEMALE", "swe",
                null, "2032-04-15", null, "L898902C3"), Optional.of("SWE"), true);
        assertThat(Step2Service.compare(same, known())).isEmpty();

        Step2Service.Confirmed other = Step2Service.confirmed(form("Anna Eriksson", "1974-08-13", "male", "NOR",
                "2020-01-01", "2032-04-16", null, "L898902C4"), Optional.of("SWE"), true);
        // The issue date is unknown on the document: it cannot contradict.
        assertThat(Step2Service.compare(other, known())).containsExactly("name", "date_of_birth", "gender",
                "nationality", "date_of_expiry", "document_number");

        Step2Service.Known nothing = new Step2Service.Known(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(Step2Service.compare(other, nothing)).isEmpty();
    }

    @Test
    void malformedFieldsAreRefusedWithTheFieldsName() {
        List<Object[]> bad = List.of(
                new Object[] {form(null, "1974-08-12", null, null, null, null, null, null), "name is required"},
                new Object[] {form("A", null, null, null, null, null, null, null), "date_of_birth is required"},
                new Object[] {form("A", "1974-8-12", null, null, null, null, null, null), "date_of_birth must be"},
                new Object[] {form("A", "1974-02-30", null, null, null, null, null, null), "date_of_birth must be"},
                new Object[] {form("A", "1974-08-12", "x", null, null, null, null, null), "gender must be"},
                new Object[] {form("A", "1974-08-12", null, "SE", null, null, null, null), "nationality must be"},
                new Object[] {form("A", "1974-08-12", null, "XYZ", null, null, null, null), "nationality must be"},
                new Object[] {form("A", "1974-08-12", null, null, "soon", null, null, null), "date_of_issue must"},
                new Object[] {form("A", "1974-08-12", null, null, null, null, "12;DROP", null), "identity_number"},
                new Object[] {form("A\u0000", "1974-08-12", null, null, null, null, null, null), "control"});
        for (Object[] b : bad) {
            assertThatThrownBy(() -> Step2Service.confirmed((Step2Service.Step2) b[0], Optional.of("SWE"), true))
                    .isInstanceOf(DomainException.class).hasMessageContaining((String) b[1]);
        }
        // A code the document itself carries is accepted even when it is not ISO (the ICAO specimen's UTO).
        assertThat(Step2Service.confirmed(form("A", "1974-08-12", null, "UTO", null, null, null, null),
                Optional.of("UTO"), true).nationality()).contains("UTO");
    }

    @Test
    void embeddingsSurviveTheirByteForm() {
        float[] v = {0.25f, -1.5f, 3.0e-7f, 0f};
        assertThat(Step2Service.toFloats(Step2Service.floats(v))).containsExactly(v);
    }

    @Test
    void theRegistryCsvKeepsQuotedCommasAndRefusesAnOpenQuote() {
        List<List<String>> rows = DatabaseIdentityRegistry.parseCsv(
                "name,date_of_birth\r\n\"Silva, Joao \"\"JP\"\"\",1990-09-09\nB,2000-01-01");
        assertThat(rows).containsExactly(List.of("name", "date_of_birth"),
                List.of("Silva, Joao \"JP\"", "1990-09-09"), List.of("B", "2000-01-01"));
        assertThatThrownBy(() -> DatabaseIdentityRegistry.parseCsv("a,\"b\n"))
                .isInstanceOf(DomainException.class).hasMessageContaining("not closed");
        byte[] key = new byte[32];
        assertThat(DatabaseIdentityRegistry.deriveKey(key)).hasSize(32).isNotEqualTo(key);
    }
}
