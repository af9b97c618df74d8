package org.openkyc.server.travelrule;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.openkyc.api.ivms101.v1.IdentityPayload;
import org.openkyc.server.travelrule.Ivms101Validator.Kind;
import org.openkyc.server.travelrule.Ivms101Validator.Violation;

/** The IVMS101 rules: the TRISA examples pass; every rule has a failing example. */
class Ivms101ValidatorTest {

    private final Ivms101Validator validator =
            new Ivms101Validator(Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC));

    private static JsonObject load(String name) {
        try (InputStream in = Ivms101ValidatorTest.class.getResourceAsStream("/ivms101/" + name)) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theExamplePayloadIsValid() {
        assertThat(validator.identityPayload(load("identity_payload.json"))).isEmpty();
    }

    @Test
    void theExampleWithNonStandardFieldNamesIsNotIvms101Json() {
        // identity_payload_alt.json spells fields its own way (nameIdentifiers, dob, pob ...).
        List<Violation> vs = validator.identityPayload(load("identity_payload_alt.json"));
        assertHas(vs, ON + ".name.nameIdentifier", Kind.MISSING);
        assertHas(vs, ON + ".dateAndPlaceOfBirth.dateOfBirth", Kind.MISSING);
    }

    @Test
    void theExamplePersonsAreValidExceptAFakeLei() {
        assertThat(validator.person(load("person_natural_person.json"), "p")).isEmpty();
        JsonObject wrapped = new JsonObject();
        wrapped.add("naturalPerson", load("natural_person.json"));
        assertThat(validator.person(wrapped, "p")).isEmpty();
        // The example's LEI 213800AQUAUP6I215N33 does not carry valid ISO 17442 check digits.
        assertThat(validator.person(load("person_legal_person.json"), "p")).singleElement().satisfies(v ->
                assertThat(v.path()).isEqualTo("p.legalPerson.nationalIdentification.nationalIdentifier"));
    }

    @Test
    void ivms101JsonReadsIntoTheProtoFormAndPrintsBackToValidIvms101Json() throws Exception {
        IdentityPayload.Builder b = IdentityPayload.newBuilder();
        JsonFormat.parser().merge(load("identity_payload.json").toString(), b);
        assertThat(b.getOriginator().getOriginatorPersons(0).getNaturalPerson().getGeographicAddress(0)
                .getPostCode()).isEqualTo("38017");
        String printed = JsonFormat.printer().print(b.build());
        JsonObject back = JsonParser.parseString(printed).getAsJsonObject();
        assertThat(printed).contains("\"postcode\"").contains("\"originatingVASP\"").contains("\"nameIdentifier\"");
        assertThat(validator.identityPayload(back)).isEmpty();
    }

    @Test
    void aPersonThatIsBothNaturalAndLegalIsInvalid() {
        assertThat(validator.person(load("person_both_persons.json"), "p"))
                .anyMatch(v -> v.path().equals("p") && v.kind() == Kind.INVALID);
    }

    private List<Violation> payloadWith(Consumer<JsonObject> change) {
        JsonObject p = load("identity_payload.json");
        change.accept(p);
        return validator.identityPayload(p);
    }

    private static JsonObject origNatural(JsonObject p) {
        return p.getAsJsonObject("originator").getAsJsonArray("originatorPersons").get(0).getAsJsonObject()
                .getAsJsonObject("naturalPerson");
    }

    private static JsonObject origVaspLegal(JsonObject p) {
        return p.getAsJsonObject("originatingVASP").getAsJsonObject("originatingVASP").getAsJsonObject("legalPerson");
    }

    private static final String ON = "originator.originatorPersons[0].naturalPerson";
    private static final String OV = "originatingVASP.originatingVASP.legalPerson";

    private static void assertHas(List<Violation> vs, String path, Kind kind) {
        assertThat(vs).as(vs.toString()).anyMatch(v -> v.path().equals(path) && v.kind() == kind);
    }

    @Test
    void requiredParts() {
        assertHas(payloadWith(p -> p.remove("originator")), "originator", Kind.MISSING);
        assertHas(payloadWith(p -> p.remove("originatingVASP")), "originatingVASP", Kind.MISSING);
        assertHas(payloadWith(p -> p.getAsJsonObject("originator").add("originatorPersons", new JsonArray())),
                "originator.originatorPersons", Kind.MISSING);
        assertHas(payloadWith(p -> origNatural(p).remove("name")), ON + ".name", Kind.MISSING);
        assertHas(payloadWith(p -> nameId(p).remove("primaryIdentifier")),
                ON + ".name.nameIdentifier[0].primaryIdentifier", Kind.MISSING);
        assertHas(payloadWith(p -> origNatural(p).getAsJsonObject("dateAndPlaceOfBirth").remove("placeOfBirth")),
                ON + ".dateAndPlaceOfBirth.placeOfBirth", Kind.MISSING);
        assertHas(payloadWith(p -> origNatural(p).getAsJsonArray("geographicAddress").get(0).getAsJsonObject()
                .remove("country")), ON + ".geographicAddress[0].country", Kind.MISSING);
    }

    private static JsonObject nameId(JsonObject p) {
        return origNatural(p).getAsJsonObject("name").getAsJsonArray("nameIdentifier").get(0).getAsJsonObject();
    }

    @Test
    void atLeastOneLegalName() {
        assertHas(payloadWith(p -> nameId(p).addProperty("nameIdentifierType", "ALIA")),
                ON + ".name.nameIdentifier", Kind.MISSING);
        assertHas(payloadWith(p -> origVaspLegal(p).getAsJsonObject("name").getAsJsonArray("nameIdentifier")
                .get(0).getAsJsonObject().addProperty("legalPersonNameIdentifierType", "SHRT")),
                OV + ".name.nameIdentifier", Kind.MISSING);
    }

    @Test
    void codeLists() {
        assertHas(payloadWith(p -> nameId(p).addProperty("nameIdentifierType", "NICK")),
                ON + ".name.nameIdentifier[0].nameIdentifierType", Kind.INVALID);
        assertHas(payloadWith(p -> origVaspLegal(p).getAsJsonObject("name").getAsJsonArray("nameIdentifier")
                .get(1).getAsJsonObject().addProperty("legalPersonNameIdentifierType", "FULL")),
                OV + ".name.nameIdentifier[1].legalPersonNameIdentifierType", Kind.INVALID);
        assertHas(payloadWith(p -> address(p).addProperty("addressType", "WORK")),
                ON + ".geographicAddress[0].addressType", Kind.INVALID);
        assertHas(payloadWith(p -> origNatural(p).getAsJsonObject("nationalIdentification")
                .addProperty("nationalIdentifierType", "PASS")),
                ON + ".nationalIdentification.nationalIdentifierType", Kind.INVALID);
    }

    private static JsonObject address(JsonObject p) {
        return origNatural(p).getAsJsonArray("geographicAddress").get(0).getAsJsonObject();
    }

    @Test
    void countriesAreIsoAlpha2() {
        assertHas(payloadWith(p -> address(p).addProperty("country", "USA")),
                ON + ".geographicAddress[0].country", Kind.INVALID);
        assertHas(payloadWith(p -> origNatural(p).addProperty("countryOfResidence", "ZZ")),
                ON + ".countryOfResidence", Kind.INVALID);
        assertHas(payloadWith(p -> origNatural(p).getAsJsonObject("nationalIdentification")
                .addProperty("countryOfIssue", "us")), ON + ".nationalIdentification.countryOfIssue", Kind.INVALID);
        assertHas(payloadWith(p -> origVaspLegal(p).addProperty("countryOfRegistration", "XK1")),
                OV + ".countryOfRegistration", Kind.INVALID);
    }

    @Test
    void datesAreIsoAndInThePast() {
        assertHas(payloadWith(p -> origNatural(p).getAsJsonObject("dateAndPlaceOfBirth")
                .addProperty("dateOfBirth", "04/10/1992")), ON + ".dateAndPlaceOfBirth.dateOfBirth", Kind.INVALID);
        assertHas(payloadWith(p -> origNatural(p).getAsJsonObject("dateAndPlaceOfBirth")
                .addProperty("dateOfBirth", "1992-02-30")), ON + ".dateAndPlaceOfBirth.dateOfBirth", Kind.INVALID);
        assertHas(payloadWith(p -> origNatural(p).getAsJsonObject("dateAndPlaceOfBirth")
                .addProperty("dateOfBirth", "2030-01-01")), ON + ".dateAndPlaceOfBirth.dateOfBirth", Kind.INVALID);
    }

    @Test
    void lengthLimits() {
        assertHas(payloadWith(p -> nameId(p).addProperty("primaryIdentifier", "x".repeat(101))),
                ON + ".name.nameIdentifier[0].primaryIdentifier", Kind.INVALID);
        assertHas(payloadWith(p -> origNatural(p).addProperty("customerIdentification", "1".repeat(51))),
                ON + ".customerIdentification", Kind.INVALID);
        assertHas(payloadWith(p -> origNatural(p).getAsJsonObject("nationalIdentification")
                .addProperty("nationalIdentifier", "9".repeat(36))),
                ON + ".nationalIdentification.nationalIdentifier", Kind.INVALID);
        assertHas(payloadWith(p -> address(p).addProperty("townName", "T".repeat(36))),
                ON + ".geographicAddress[0].townName", Kind.INVALID);
        assertHas(payloadWith(p -> address(p).addProperty("postCode", "1".repeat(17))),
                ON + ".geographicAddress[0].postCode", Kind.INVALID);
        assertHas(payloadWith(p -> {
            JsonArray lines = new JsonArray();
            for (int i = 0; i < 8; i++) {
                lines.add("line " + i);
            }
            address(p).add("addressLine", lines);
        }), ON + ".geographicAddress[0].addressLine", Kind.INVALID);
        assertHas(payloadWith(p -> p.getAsJsonObject("originator").getAsJsonArray("accountNumber").set(0,
                new com.google.gson.JsonPrimitive("a".repeat(101)))), "originator.accountNumber[0]", Kind.INVALID);
    }

    @Test
    void anAddressNeedsLinesOrStreetAndBuilding() {
        assertHas(payloadWith(p -> address(p).remove("buildingNumber")),
                ON + ".geographicAddress[0].addressLine", Kind.MISSING);
        assertThat(payloadWith(p -> {
            address(p).remove("buildingNumber");
            JsonArray lines = new JsonArray();
            lines.add("28 Greystone Street");
            address(p).add("addressLine", lines);
        })).isEmpty();
    }

    @Test
    void anOriginatorNaturalPersonNeedsMoreThanAName() {
        List<Violation> vs = payloadWith(p -> {
            JsonObject n = origNatural(p);
            n.remove("geographicAddress");
            n.remove("nationalIdentification");
            n.remove("customerIdentification");
            n.remove("dateAndPlaceOfBirth");
        });
        assertThat(vs).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(Kind.MISSING);
            assertThat(v.path()).startsWith(ON + ".geographicAddress|");
        });
        // The beneficiary has no such rule.
        assertThat(validator.beneficiary(JsonParser.parseString("{\"beneficiaryPersons\":[{\"naturalPerson\":"
                + "{\"name\":{\"nameIdentifier\":[{\"primaryIdentifier\":\"Clark\",\"nameIdentifierType\":\"LEGL\"}]}}}"
                + "]}"), "beneficiary")).isEmpty();
    }

    @Test
    void legalPersonNationalIdentifierRules() {
        // Type must be RAID, MISC, LEIX or TXID.
        assertHas(payloadWith(p -> legalId(p).addProperty("nationalIdentifierType", "DRLC")),
                OV + ".nationalIdentification.nationalIdentifierType", Kind.INVALID);
        // No country of issue.
        assertHas(payloadWith(p -> legalId(p).addProperty("countryOfIssue", "US")),
                OV + ".nationalIdentification.countryOfIssue", Kind.INVALID);
        // LEIX: no registration authority, and a valid LEI.
        assertHas(payloadWith(p -> legalId(p).addProperty("registrationAuthority", "RA000001")),
                OV + ".nationalIdentification.registrationAuthority", Kind.INVALID);
        assertHas(payloadWith(p -> legalId(p).addProperty("nationalIdentifier", "506700T7Z685VUOZL878")),
                OV + ".nationalIdentification.nationalIdentifier", Kind.INVALID);
        // Other types need a registration authority, in the GLEIF form.
        assertHas(payloadWith(p -> legalId(p).addProperty("nationalIdentifierType", "RAID")),
                OV + ".nationalIdentification.registrationAuthority", Kind.MISSING);
        assertHas(payloadWith(p -> {
            legalId(p).addProperty("nationalIdentifierType", "TXID");
            legalId(p).addProperty("registrationAuthority", "GLEIF");
        }), OV + ".nationalIdentification.registrationAuthority", Kind.INVALID);
    }

    private static JsonObject legalId(JsonObject p) {
        return origVaspLegal(p).getAsJsonObject("nationalIdentification");
    }

    @Test
    void everyErrorIsCollectedWithItsPath() {
        List<Violation> vs = payloadWith(p -> {
            nameId(p).addProperty("nameIdentifierType", "NICK");
            address(p).addProperty("country", "USA");
            origNatural(p).getAsJsonObject("dateAndPlaceOfBirth").addProperty("dateOfBirth", "yesterday");
            legalId(p).addProperty("nationalIdentifierType", "DRLC");
        });
        assertThat(vs).extracting(Violation::path).contains(
                ON + ".name.nameIdentifier[0].nameIdentifierType",
                ON + ".geographicAddress[0].country",
                ON + ".dateAndPlaceOfBirth.dateOfBirth",
                OV + ".nationalIdentification.nationalIdentifierType");
    }

    @Test
    void wrongJsonTypesAreReportedNotThrown() {
        assertHas(payloadWith(p -> origNatural(p).addProperty("name", "Jane Howard")), ON + ".name", Kind.INVALID);
        assertHas(payloadWith(p -> origNatural(p).addProperty("geographicAddress", "somewhere")),
                ON + ".geographicAddress", Kind.INVALID);
        JsonElement notAnObject = JsonParser.parseString("[1,2]");
        assertThat(validator.originator(notAnObject, "originator")).singleElement()
                .satisfies(v -> assertThat(v.kind()).isEqualTo(Kind.INVALID));
    }

    @Test
    void leiCheckDigits() {
        assertThat(Ivms101Validator.validLei("506700T7Z685VUOZL877")).isTrue();
        assertThat(Ivms101Validator.validLei("529900T8BM49AURSDO55")).isTrue();
        assertThat(Ivms101Validator.validLei("529900T8BM49AURSDO56")).isFalse();
        assertThat(Ivms101Validator.validLei("529900T8BM49AURSDO5")).isFalse();
    }
}
