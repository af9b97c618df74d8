package org.openkyc.server.travelrule;

import org.openkyc.server.common.CountryCodes;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks IVMS101 payloads in their JSON form (the IVMS101 JSON names, as the
 * API prints them) against the standard's rules, and reports every problem
 * with its field path instead of stopping at the first one.
 *
 * <p>It works on the JSON tree rather than on generated proto classes so the
 * domain stays free of them; the proto form prints to exactly this JSON.
 * Rules: required parts; at least one LEGL name (IVMS101 C5, C6); the code
 * lists of name, address and national identifier types; ISO 3166-1 alpha-2
 * countries (C3); dates as YYYY-MM-DD in the past (C2); the length limits;
 * an address has addressLine or streetName with buildingName/buildingNumber
 * (C8); an originator who is a natural person has an address, customer
 * identification, national identification or date and place of birth (C1);
 * a legal person's national identifier is RAID, MISC, LEIX or TXID (C7), has
 * no countryOfIssue and a registrationAuthority unless LEIX (C9); an LEI has
 * valid ISO 17442 check digits (C11).
 *
 * <p>Violations are {@link Kind#MISSING} (a required part is absent: the
 * counterpart answers LACK-OF-INFORMATION) or {@link Kind#INVALID} (a value
 * breaks a rule).
 */
public final class Ivms101Validator {

    /** Whether something required is absent or a value is wrong. */
    public enum Kind {
        MISSING, INVALID
    }

    /** One problem at a field path such as {@code originator.originatorPersons[0].naturalPerson.name}. */
    public record Violation(String path, Kind kind, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    static final Set<String> NATURAL_NAME_TYPES = Set.of("ALIA", "BIRT", "MAID", "LEGL", "MISC");
    static final Set<String> LEGAL_NAME_TYPES = Set.of("LEGL", "SHRT", "TRAD");
    static final Set<String> ADDRESS_TYPES = Set.of("HOME", "BIZZ", "GEOG");
    static final Set<String> NATIONAL_ID_TYPES =
            Set.of("ARNU", "CCPT", "RAID", "DRLC", "FIIN", "TXID", "SOCS", "IDCD", "LEIX", "MISC");
    static final Set<String> LEGAL_NATIONAL_ID_TYPES = Set.of("RAID", "MISC", "LEIX", "TXID");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern LEI = Pattern.compile("[A-Z0-9]{18}[0-9]{2}");
    private static final Pattern REGISTRATION_AUTHORITY = Pattern.compile("RA\\d{6}");

    private final Clock clock;

    public Ivms101Validator(Clock clock) {
        this.clock = clock;
    }

    /** An IVMS101 Originator: {@code {"originatorPersons":[...],"accountNumber":[...]}}. */
    public List<Violation> originator(JsonElement json, String path) {
        List<Violation> out = new ArrayList<>();
        JsonObject o = object(json, path, out);
        if (o != null) {
            persons(o, "originatorPersons", path, true, out);
            accountNumbers(o, path, out);
        }
        return out;
    }

    /** An IVMS101 Beneficiary: {@code {"beneficiaryPersons":[...],"accountNumber":[...]}}. */
    public List<Violation> beneficiary(JsonElement json, String path) {
        List<Violation> out = new ArrayList<>();
        JsonObject o = object(json, path, out);
        if (o != null) {
            persons(o, "beneficiaryPersons", path, false, out);
            accountNumbers(o, path, out);
        }
        return out;
    }

    /** A single IVMS101 Person ({@code {"naturalPerson":...}} or {@code {"legalPerson":...}}), e.g. a VASP. */
    public List<Violation> person(JsonElement json, String path) {
        List<Violation> out = new ArrayList<>();
        person(json, path, false, out);
        return out;
    }

    /** A whole IdentityPayload: originator, beneficiary, originatingVASP and optional beneficiaryVASP. */
    public List<Violation> identityPayload(JsonElement json) {
        List<Violation> out = new ArrayList<>();
        JsonObject o = object(json, "", out);
        if (o == null) {
            return out;
        }
        if (present(o, "originator")) {
            out.addAll(originator(o.get("originator"), "originator"));
        } else {
            out.add(missing("originator", "the originator is required"));
        }
        if (present(o, "beneficiary")) {
            out.addAll(beneficiary(o.get("beneficiary"), "beneficiary"));
        } else {
            out.add(missing("beneficiary", "the beneficiary is required"));
        }
        vaspWrapper(o, "originatingVASP", true, out);
        vaspWrapper(o, "beneficiaryVASP", false, out);
        return out;
    }

    private void vaspWrapper(JsonObject o, String name, boolean required, List<Violation> out) {
        if (!present(o, name)) {
            if (required) {
                out.add(missing(name, "the " + name + " is required"));
            }
            return;
        }
        JsonObject w = object(o.get(name), name, out);
        if (w == null) {
            return;
        }
        if (!present(w, name)) {
            out.add(missing(name + "." + name, "the VASP person is required"));
            return;
        }
        person(w.get(name), name + "." + name, false, out);
    }

    private void persons(JsonObject o, String field, String path, boolean originator, List<Violation> out) {
        String p = join(path, field);
        JsonArray arr = array(o, field, p, out);
        if (arr == null || arr.isEmpty()) {
            if (arr != null || !present(o, field)) {
                out.add(missing(p, "at least one person is required"));
            }
            return;
        }
        for (int i = 0; i < arr.size(); i++) {
            person(arr.get(i), p + "[" + i + "]", originator, out);
        }
    }

    private void accountNumbers(JsonObject o, String path, List<Violation> out) {
        String p = join(path, "accountNumber");
        JsonArray arr = array(o, "accountNumber", p, out);
        if (arr == null) {
            return;
        }
        for (int i = 0; i < arr.size(); i++) {
            String v = string(arr.get(i), p + "[" + i + "]", out);
            if (v != null) {
                maxLength(v, 100, p + "[" + i + "]", out);
            }
        }
    }

    private void person(JsonElement json, String path, boolean originator, List<Violation> out) {
        JsonObject o = object(json, path, out);
        if (o == null) {
            return;
        }
        boolean natural = present(o, "naturalPerson");
        boolean legal = present(o, "legalPerson");
        if (natural && legal) {
            out.add(invalid(path, "a person is either a naturalPerson or a legalPerson, not both"));
        } else if (!natural && !legal) {
            out.add(missing(path + ".naturalPerson", "a naturalPerson or a legalPerson is required"));
        } else if (natural) {
            naturalPerson(o.get("naturalPerson"), path + ".naturalPerson", originator, out);
        } else {
            legalPerson(o.get("legalPerson"), path + ".legalPerson", out);
        }
    }

    private void naturalPerson(JsonElement json, String path, boolean originator, List<Violation> out) {
        JsonObject o = object(json, path, out);
        if (o == null) {
            return;
        }
        if (!present(o, "name")) {
            out.add(missing(path + ".name", "the name is required"));
        } else {
            JsonObject name = object(o.get("name"), path + ".name", out);
            if (name != null) {
                names(name, path + ".name", NATURAL_NAME, out);
            }
        }
        addresses(o, path, out);
        if (present(o, "nationalIdentification")) {
            nationalIdentification(o.get("nationalIdentification"), path + ".nationalIdentification", false, out);
        }
        text(o, "customerIdentification", path, 50, false, out);
        if (present(o, "dateAndPlaceOfBirth")) {
            String p = path + ".dateAndPlaceOfBirth";
            JsonObject dob = object(o.get("dateAndPlaceOfBirth"), p, out);
            if (dob != null) {
                String date = text(dob, "dateOfBirth", p, 10, true, out);
                if (date != null) {
                    pastDate(date, p + ".dateOfBirth", out);
                }
                text(dob, "placeOfBirth", p, 70, true, out);
            }
        }
        country(o, "countryOfResidence", path, out);
        if (originator && !present(o, "geographicAddress") && !present(o, "customerIdentification")
                && !present(o, "nationalIdentification") && !present(o, "dateAndPlaceOfBirth")) {
            out.add(missing(path + ".geographicAddress|customerIdentification|nationalIdentification"
                    + "|dateAndPlaceOfBirth", "an originator needs an address, a customer identification,"
                    + " a national identification or a date and place of birth"));
        }
    }

    /** The fields of one kind of person name: the texts each identifier carries and its type code list. */
    private record NameShape(String requiredText, Optional<String> optionalText, String typeField,
            Set<String> types) {
    }

    private static final NameShape NATURAL_NAME = new NameShape("primaryIdentifier",
            Optional.of("secondaryIdentifier"), "nameIdentifierType", NATURAL_NAME_TYPES);
    private static final NameShape LEGAL_NAME = new NameShape("legalPersonName", Optional.empty(),
            "legalPersonNameIdentifierType", LEGAL_NAME_TYPES);

    /** The legal names (at least one LEGL) and the optional local and phonetic names of a person. */
    private void names(JsonObject name, String path, NameShape shape, List<Violation> out) {
        nameList(name, "nameIdentifier", path, true, shape, out);
        nameList(name, "localNameIdentifier", path, false, shape, out);
        nameList(name, "phoneticNameIdentifier", path, false, shape, out);
    }

    private void nameList(JsonObject name, String field, String path, boolean required, NameShape shape,
            List<Violation> out) {
        String p = path + "." + field;
        String needLegal = "at least one name with " + shape.typeField() + " LEGL is required";
        JsonArray arr = array(name, field, p, out);
        if (arr == null || arr.isEmpty()) {
            if (required && (arr != null || !present(name, field))) {
                out.add(missing(p, needLegal));
            }
            return;
        }
        boolean legl = false;
        for (int i = 0; i < arr.size(); i++) {
            String ip = p + "[" + i + "]";
            JsonObject id = object(arr.get(i), ip, out);
            if (id == null) {
                continue;
            }
            text(id, shape.requiredText(), ip, 100, true, out);
            shape.optionalText().ifPresent(t -> text(id, t, ip, 100, false, out));
            String type = code(id, shape.typeField(), ip, shape.types(), out);
            legl |= "LEGL".equals(type);
        }
        if (required && !legl) {
            out.add(missing(p, needLegal));
        }
    }

    private void legalPerson(JsonElement json, String path, List<Violation> out) {
        JsonObject o = object(json, path, out);
        if (o == null) {
            return;
        }
        if (!present(o, "name")) {
            out.add(missing(path + ".name", "the name is required"));
        } else {
            JsonObject name = object(o.get("name"), path + ".name", out);
            if (name != null) {
                names(name, path + ".name", LEGAL_NAME, out);
            }
        }
        addresses(o, path, out);
        text(o, "customerNumber", path, 50, false, out);
        if (present(o, "nationalIdentification")) {
            nationalIdentification(o.get("nationalIdentification"), path + ".nationalIdentification", true, out);
        }
        country(o, "countryOfRegistration", path, out);
    }

    private void addresses(JsonObject o, String path, List<Violation> out) {
        String p = path + ".geographicAddress";
        JsonArray arr = array(o, "geographicAddress", p, out);
        if (arr == null) {
            return;
        }
        for (int i = 0; i < arr.size(); i++) {
            String ap = p + "[" + i + "]";
            JsonObject a = object(arr.get(i), ap, out);
            if (a == null) {
                continue;
            }
            code(a, "addressType", ap, ADDRESS_TYPES, out);
            text(a, "department", ap, 50, false, out);
            text(a, "subDepartment", ap, 70, false, out);
            String street = text(a, "streetName", ap, 70, false, out);
            String number = text(a, "buildingNumber", ap, 16, false, out);
            String building = text(a, "buildingName", ap, 35, false, out);
            text(a, "floor", ap, 70, false, out);
            text(a, "postBox", ap, 16, false, out);
            text(a, "room", ap, 70, false, out);
            text(a, present(a, "postCode") && !present(a, "postcode") ? "postCode" : "postcode", ap, 16, false, out);
            text(a, "townName", ap, 35, false, out);
            text(a, "townLocationName", ap, 35, false, out);
            text(a, "districtName", ap, 35, false, out);
            text(a, "countrySubDivision", ap, 35, false, out);
            JsonArray lines = array(a, "addressLine", ap + ".addressLine", out);
            int lineCount = 0;
            if (lines != null) {
                if (lines.size() > 7) {
                    out.add(invalid(ap + ".addressLine", "at most 7 address lines are allowed"));
                }
                for (int l = 0; l < lines.size(); l++) {
                    String line = string(lines.get(l), ap + ".addressLine[" + l + "]", out);
                    if (line != null && !line.isBlank()) {
                        lineCount++;
                        maxLength(line, 70, ap + ".addressLine[" + l + "]", out);
                    }
                }
            }
            if (lineCount == 0 && (street == null || (number == null && building == null))) {
                out.add(missing(ap + ".addressLine", "an address needs addressLine, or streetName with"
                        + " buildingNumber or buildingName"));
            }
            if (!present(a, "country")) {
                out.add(missing(ap + ".country", "the country is required"));
            } else {
                country(a, "country", ap, out);
            }
        }
    }

    private void nationalIdentification(JsonElement json, String path, boolean legalPerson, List<Violation> out) {
        JsonObject o = object(json, path, out);
        if (o == null) {
            return;
        }
        String id = text(o, "nationalIdentifier", path, 35, true, out);
        String type = code(o, "nationalIdentifierType", path, NATIONAL_ID_TYPES, out);
        country(o, "countryOfIssue", path, out);
        String authority = text(o, "registrationAuthority", path, 8, false, out);
        if (authority != null && !REGISTRATION_AUTHORITY.matcher(authority).matches()) {
            out.add(invalid(path + ".registrationAuthority", "must be a GLEIF registration authority code (RA and six"
                    + " digits)"));
        }
        if (legalPerson) {
            if (type != null && !LEGAL_NATIONAL_ID_TYPES.contains(type)) {
                out.add(invalid(path + ".nationalIdentifierType", "a legal person's identifier type must be RAID,"
                        + " MISC, LEIX or TXID"));
            }
            if (present(o, "countryOfIssue")) {
                out.add(invalid(path + ".countryOfIssue", "a legal person's identifier has no countryOfIssue"));
            }
            if ("LEIX".equals(type) && authority != null) {
                out.add(invalid(path + ".registrationAuthority", "must be empty for an LEI (LEIX)"));
            }
            if (type != null && !"LEIX".equals(type) && authority == null) {
                out.add(missing(path + ".registrationAuthority", "is required unless the type is LEIX"));
            }
        }
        if ("LEIX".equals(type) && id != null && !validLei(id)) {
            out.add(invalid(path + ".nationalIdentifier", "is not a valid ISO 17442 LEI"));
        }
    }

    /** ISO 17442: 18 alphanumerics and two check digits, ISO 7064 MOD 97-10 over the whole code equals 1. */
    static boolean validLei(String lei) {
        if (!LEI.matcher(lei).matches()) {
            return false;
        }
        StringBuilder digits = new StringBuilder();
        for (char c : lei.toCharArray()) {
            digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    private void pastDate(String value, String path, List<Violation> out) {
        if (!DATE.matcher(value).matches()) {
            out.add(invalid(path, "must be a date as YYYY-MM-DD"));
            return;
        }
        try {
            LocalDate d = LocalDate.parse(value);
            if (!d.isBefore(LocalDate.now(clock))) {
                out.add(invalid(path, "must be in the past"));
            }
        } catch (DateTimeParseException e) {
            out.add(invalid(path, "must be a date as YYYY-MM-DD"));
        }
    }

    private void country(JsonObject o, String field, String path, List<Violation> out) {
        String v = text(o, field, path, 2, false, out);
        if (v != null && !CountryCodes.isAlpha2(v)) {
            out.add(invalid(join(path, field), "must be an ISO 3166-1 alpha-2 country code"));
        }
    }

    private String code(JsonObject o, String field, String path, Set<String> allowed, List<Violation> out) {
        String v = text(o, field, path, 4, true, out);
        if (v != null && !allowed.contains(v)) {
            out.add(invalid(join(path, field), "must be one of " + String.join(", ", allowed.stream().sorted().toList())));
            return null;
        }
        return v;
    }

    /** A string field: reported when required and absent/blank, or longer than max. Returns the value or null. */
    private String text(JsonObject o, String field, String path, int max, boolean required, List<Violation> out) {
        String p = join(path, field);
        if (!present(o, field)) {
            if (required) {
                out.add(missing(p, "is required"));
            }
            return null;
        }
        String v = string(o.get(field), p, out);
        if (v == null) {
            return null;
        }
        if (v.isBlank()) {
            if (required) {
                out.add(missing(p, "is required"));
            }
            return null;
        }
        maxLength(v, max, p, out);
        return v;
    }

    private static void maxLength(String v, int max, String path, List<Violation> out) {
        if (v.codePointCount(0, v.length()) > max) {
            out.add(invalid(path, "is longer than " + max + " characters"));
        }
    }

    private static String string(JsonElement e, String path, List<Violation> out) {
        if (e instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        out.add(invalid(path, "must be a string"));
        return null;
    }

    private static JsonObject object(JsonElement e, String path, List<Violation> out) {
        if (e != null && e.isJsonObject()) {
            return e.getAsJsonObject();
        }
        out.add(invalid(path.isEmpty() ? "$" : path, "must be an object"));
        return null;
    }

    private static JsonArray array(JsonObject o, String field, String path, List<Violation> out) {
        if (!present(o, field)) {
            return null;
        }
        JsonElement e = o.get(field);
        if (e.isJsonArray()) {
            return e.getAsJsonArray();
        }
        out.add(invalid(path, "must be an array"));
        return null;
    }

    static boolean present(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && !e.isJsonNull()
                && !(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() && e.getAsString().isEmpty())
                && !(e.isJsonArray() && e.getAsJsonArray().isEmpty());
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static Violation missing(String path, String message) {
        return new Violation(path, Kind.MISSING, message);
    }

    private static Violation invalid(String path, String message) {
        return new Violation(path, Kind.INVALID, message);
    }
}
