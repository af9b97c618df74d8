package org.openkyc.server.kyc;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The identity fields of a document: as read by OCR, as declared by the client, or as confirmed by the
 * user. Absent fields are empty. Kept at rest as one encrypted JSON object per set.
 *
 * @param name        full name, given names first
 * @param idNumber    the personal identity number (the MRZ's optional data when present, else the document number)
 * @param birthDate   date of birth
 * @param expiryDate  date of expiry
 * @param issuer      issuing state or authority
 * @param nationality ISO 3166-1 alpha-3
 * @param gender      male | female
 * @param docNumber   the document number
 * @param issueDate   date of issue (the printed page of a submission's document, or what its user confirmed)
 */
public record DocumentFields(Optional<String> name, Optional<String> idNumber, Optional<LocalDate> birthDate,
        Optional<LocalDate> expiryDate, Optional<String> issuer, Optional<String> nationality,
        Optional<String> gender, Optional<String> docNumber, Optional<LocalDate> issueDate) {

    /** The fields of a KYC web document, which carry no issue date. */
    public DocumentFields(Optional<String> name, Optional<String> idNumber, Optional<LocalDate> birthDate,
            Optional<LocalDate> expiryDate, Optional<String> issuer, Optional<String> nationality,
            Optional<String> gender, Optional<String> docNumber) {
        this(name, idNumber, birthDate, expiryDate, issuer, nationality, gender, docNumber, Optional.empty());
    }

    /** The same fields with another issue date. */
    public DocumentFields withIssueDate(Optional<LocalDate> date) {
        return new DocumentFields(name, idNumber, birthDate, expiryDate, issuer, nationality, gender, docNumber, date);
    }

    public static final DocumentFields NONE = new DocumentFields(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    /** The same fields with identity and document numbers masked, as answers show them. */
    public DocumentFields masked() {
        return new DocumentFields(name, idNumber.map(Masking::identityNumber), birthDate, expiryDate, issuer,
                nationality, gender, docNumber.map(Masking::identityNumber), issueDate);
    }

    byte[] toJson() {
        JsonObject o = new JsonObject();
        name.ifPresent(v -> o.addProperty("name", v));
        idNumber.ifPresent(v -> o.addProperty("idNumber", v));
        birthDate.ifPresent(v -> o.addProperty("birthDate", v.toString()));
        expiryDate.ifPresent(v -> o.addProperty("expiryDate", v.toString()));
        issuer.ifPresent(v -> o.addProperty("issuer", v));
        nationality.ifPresent(v -> o.addProperty("nationality", v));
        gender.ifPresent(v -> o.addProperty("gender", v));
        docNumber.ifPresent(v -> o.addProperty("docNumber", v));
        issueDate.ifPresent(v -> o.addProperty("issueDate", v.toString()));
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    static DocumentFields fromJson(byte[] json) {
        JsonObject o = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
        return new DocumentFields(text(o, "name"), text(o, "idNumber"), text(o, "birthDate").map(LocalDate::parse),
                text(o, "expiryDate").map(LocalDate::parse), text(o, "issuer"), text(o, "nationality"),
                text(o, "gender"), text(o, "docNumber"), text(o, "issueDate").map(LocalDate::parse));
    }

    private static Optional<String> text(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? Optional.of(o.get(key).getAsString()) : Optional.empty();
    }
}
