package org.openkyc.server.travelrule;

import org.openkyc.server.common.CountryCodes;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.openkyc.server.error.DomainException;

/** Reading and writing IVMS101 JSON for the exchange: names, parties, the beneficiary from KYC data. */
public final class Ivms101 {

    private Ivms101() {
    }

    public static JsonObject parseObject(String json, String field) {
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw DomainException.invalidField(field, field + " must be a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonSyntaxException e) {
            throw DomainException.invalidField(field, field + " is not valid JSON");
        }
    }

    /** The persons of an Originator ("originatorPersons") or Beneficiary ("beneficiaryPersons"). */
    static List<JsonObject> persons(JsonObject holder, String field) {
        List<JsonObject> out = new ArrayList<>();
        JsonElement arr = holder.get(field);
        if (arr != null && arr.isJsonArray()) {
            for (JsonElement e : arr.getAsJsonArray()) {
                if (e.isJsonObject()) {
                    out.add(e.getAsJsonObject());
                }
            }
        }
        return out;
    }

    /** A person's LEGL names as full names ("secondary primary" for a natural person). */
    static List<String> legalNames(JsonObject person) {
        List<String> out = new ArrayList<>();
        JsonObject natural = obj(person, "naturalPerson");
        JsonObject legal = obj(person, "legalPerson");
        JsonObject name = obj(natural != null ? natural : legal, "name");
        if (name == null || !name.has("nameIdentifier") || !name.get("nameIdentifier").isJsonArray()) {
            return out;
        }
        for (JsonElement e : name.getAsJsonArray("nameIdentifier")) {
            if (!e.isJsonObject()) {
                continue;
            }
            JsonObject id = e.getAsJsonObject();
            if (natural != null && "LEGL".equals(str(id, "nameIdentifierType"))) {
                String full = (str(id, "secondaryIdentifier") + " " + str(id, "primaryIdentifier")).strip();
                if (!full.isEmpty()) {
                    out.add(full);
                }
            } else if (natural == null && "LEGL".equals(str(id, "legalPersonNameIdentifierType"))
                    && !str(id, "legalPersonName").isBlank()) {
                out.add(str(id, "legalPersonName").strip());
            }
        }
        return out;
    }

    /** The party a screening engine needs from an IVMS101 person. */
    static PartyScreening.Party party(JsonObject person) {
        JsonObject natural = obj(person, "naturalPerson");
        Optional<LocalDate> dob = Optional.empty();
        Optional<String> country = Optional.empty();
        if (natural != null) {
            JsonObject dp = obj(natural, "dateAndPlaceOfBirth");
            if (dp != null) {
                try {
                    dob = Optional.of(LocalDate.parse(str(dp, "dateOfBirth")));
                } catch (DateTimeParseException e) {
                    dob = Optional.empty();
                }
            }
            country = CountryCodes.toAlpha2(str(natural, "countryOfResidence"));
        } else {
            JsonObject legal = obj(person, "legalPerson");
            if (legal != null) {
                country = CountryCodes.toAlpha2(str(legal, "countryOfRegistration"));
            }
        }
        return new PartyScreening.Party(natural != null, legalNames(person), dob, country);
    }

    /**
     * True when one of the requested LEGL names and the KYC name hold the same
     * words, ignoring order, case, accents and punctuation ("Lawrence Clark"
     * matches "CLARK, Lawrence").
     */
    static boolean nameMatches(List<String> requested, String kycName) {
        Set<String> kyc = words(kycName);
        return !kyc.isEmpty() && requested.stream().map(Ivms101::words).anyMatch(kyc::equals);
    }

    static Set<String> words(String name) {
        String plain = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
                .toUpperCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
        return plain.isEmpty() ? Set.of() : new TreeSet<>(List.of(plain.split(" ")));
    }

    /** The beneficiary as this VASP knows them from the KYC case, in IVMS101 JSON. */
    static JsonObject beneficiaryFromKyc(CustomerKyc.Customer c, String account) {
        JsonObject id = new JsonObject();
        id.addProperty("primaryIdentifier", c.fullName().orElse(""));
        id.addProperty("nameIdentifierType", "LEGL");
        JsonArray ids = new JsonArray();
        ids.add(id);
        JsonObject name = new JsonObject();
        name.add("nameIdentifier", ids);
        JsonObject natural = new JsonObject();
        natural.add("name", name);
        natural.addProperty("customerIdentification", c.caseId());
        c.countryAlpha2().ifPresent(cc -> natural.addProperty("countryOfResidence", cc));
        JsonObject person = new JsonObject();
        person.add("naturalPerson", natural);
        JsonArray persons = new JsonArray();
        persons.add(person);
        JsonObject b = new JsonObject();
        b.add("beneficiaryPersons", persons);
        JsonArray accounts = new JsonArray();
        accounts.add(account);
        b.add("accountNumber", accounts);
        return b;
    }

    private static JsonObject obj(JsonObject o, String field) {
        if (o == null) {
            return null;
        }
        JsonElement e = o.get(field);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    private static String str(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }
}
