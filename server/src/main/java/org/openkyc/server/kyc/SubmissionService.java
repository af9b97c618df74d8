package org.openkyc.server.kyc;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.common.CountryCodes;
import org.openkyc.server.common.Ids;
import org.openkyc.server.document.DocumentReader;
import org.openkyc.server.document.DocumentReading;
import org.openkyc.server.document.ImageIntake;
import org.openkyc.server.document.IntakeImage;
import org.openkyc.server.document.MrzParser;
import org.openkyc.server.document.MrzResult;
import org.openkyc.server.document.MrzStatus;
import org.openkyc.server.document.QualityIssue;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.BlobStore;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.CaseMapper.CaseRow;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.DocumentReadingMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submissions journey (docs/API.md A3): step 1 reads the identity document (intake, quality, MRZ) and
 * creates the case with the fields read, its images encrypted in the blob store and the reading kept
 * for the later steps. Nothing is stored until every check has passed; a refused upload leaves no
 * case and no blob behind.
 */
public final class SubmissionService {

    private static final Logger log = LoggerFactory.getLogger(SubmissionService.class);
    private static final int ID_LENGTH = 16;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");
    /** Document types of A3, as the wire spells them. */
    public static final List<String> ID_TYPES = List.of("passport", "government_id", "drivers_license",
            "residence_permit");

    private final Database db;
    private final BlobStore blobs;
    private final AesGcm aes;
    private final DocumentReader reader;
    private final ImageIntake intake;
    private final Clock clock;

    public SubmissionService(Database db, BlobStore blobs, AesGcm aes, DocumentReader reader, ImageIntake intake,
            Clock clock) {
        this.db = db;
        this.blobs = blobs;
        this.aes = aes;
        this.reader = reader;
        this.intake = intake;
        this.clock = clock;
    }

    /** What step 1 receives. Optional text is null or blank when absent; idBackImage may be null or empty. */
    public record Step1(String issuingCountry, String email, String idType, byte[] idImage, byte[] idBackImage,
            String userId, String cf1, String cf2, String cf3, String ipAddress) {}

    /** The fields read from the document for the user to review; unread fields are empty. */
    public record OcrFields(Optional<LocalDate> issueDate, Optional<String> gender, Optional<String> nationality,
            Optional<LocalDate> birthDate, Optional<String> name) {}

    /** The answer of step 1. */
    public record Step1Result(String submissionId, OcrFields ocr, boolean filesStored) {}

    /**
     * Validates the fields, reads the document and creates the case.
     *
     * @throws DomainException INVALID_ARGUMENT for a missing or malformed field; UNSUPPORTED_MEDIA_TYPE,
     *         PAYLOAD_TOO_LARGE or UNPROCESSABLE_IMAGE (with the quality reasons) for an unusable image
     */
    public Step1Result step1(Caller caller, Step1 in) {
        String country = requireAlpha3(in.issuingCountry());
        String email = text(in.email()).orElseThrow(() -> DomainException.invalidField("email", "email is required"));
        if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
            throw DomainException.invalidField("email", "email is not a valid e-mail address");
        }
        String idType = text(in.idType()).map(t -> t.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> DomainException.invalidField("idType", "idType is required"));
        if (!ID_TYPES.contains(idType)) {
            throw DomainException.invalidField("idType", "idType must be one of " + String.join(", ", ID_TYPES));
        }
        if (in.idImage() == null || in.idImage().length == 0) {
            throw DomainException.invalidField("idImage", "idImage is required");
        }
        Optional<String> userId = limited(in.userId(), "userid", 255);
        Optional<String> cf1 = limited(in.cf1(), "cf1", 255);
        Optional<String> cf2 = limited(in.cf2(), "cf2", 255);
        Optional<String> cf3 = limited(in.cf3(), "cf3", 255);
        Optional<String> ip = limited(in.ipAddress(), "ip_address", 64);

        DocumentReading front = reader.read(in.idImage()); // intake refusals throw here
        // No outline alone does not refuse a close-up scan whose zone was read; no document at all does.
        // A zone whose checks all hold is never refused for image quality (the issues stay as warnings).
        List<QualityIssue> blocking = new ArrayList<>(front.blockingIssues());
        if (!front.documentFound()) {
            blocking.add(QualityIssue.NO_DOCUMENT);
        }
        if (!blocking.isEmpty()) {
            throw new DomainException(ErrorCode.UNPROCESSABLE_IMAGE, "idImage cannot be used: "
                    + blocking.stream().map(i -> i.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
        Optional<String> backType = Optional.empty();
        boolean hasBack = in.idBackImage() != null && in.idBackImage().length > 0;
        if (hasBack) {
            try (IntakeImage back = intake.decode(in.idBackImage())) {
                backType = Optional.of(back.format().mediaType());
            }
        }
        Optional<LocalDate> zoneExpiry = front.mrz().filter(m -> front.mrzStatus() == MrzStatus.VALID)
                .map(MrzResult::expiryDate);
        Optional<LocalDate> printedIssue = front.mrzStatus() == MrzStatus.NOT_FOUND ? Optional.empty()
                : reader.readIssueDate(in.idImage(), zoneExpiry);
        // The printed issue date may decide a birth or expiry century the zone alone left open.
        DocumentReading dated = printedIssue.flatMap(issued -> front.mrz().map(m -> new DocumentReading(
                front.format(), front.width(), front.height(), front.quality(), front.mrzStatus(),
                Optional.of(new MrzParser(LocalDate.now(clock)).withIssueDate(m, issued)),
                front.ocrModel()))).orElse(front);
        OcrFields ocr = fields(dated, printedIssue);

        Instant now = clock.instant();
        CaseRow row = new CaseRow();
        row.publicId = Ids.random(ID_LENGTH);
        row.tenantId = caller.tenantId();
        row.userId = userId.orElse(null);
        row.email = email;
        row.fullName = ocr.name().orElse(null);
        row.gender = ocr.gender().orElse(null);
        row.nationality = ocr.nationality().orElse(null);
        row.dateOfBirth = ocr.birthDate().orElse(null);
        row.cf1 = cf1.orElse(null);
        row.cf2 = cf2.orElse(null);
        row.cf3 = cf3.orElse(null);
        row.ipAddress = ip.orElse(null);
        row.idType = idType;
        row.issuingCountry = country;
        row.issueDate = ocr.issueDate().orElse(null);
        Optional<MrzResult> trusted = dated.mrz().filter(m -> dated.mrzStatus() == MrzStatus.VALID);
        trusted.map(MrzResult::documentNumber).filter(n -> !n.isBlank()).ifPresent(n -> {
            row.identityNumberEnc = aes.encrypt(n.getBytes(StandardCharsets.UTF_8), aad(row.publicId));
            row.identityNumberMasked = Masking.identityNumber(n);
        });
        row.status = CaseStatus.INCOMPLETE.wireName();
        row.applicantId = Ids.random(ID_LENGTH);
        row.retryCount = 0;
        row.createdAt = utc(now);
        row.updatedAt = row.createdAt;

        DocumentReadingMapper.ReadingRow reading = readingRow(dated, trusted, row.publicId, now);
        // What was read, kept beside what the user later confirms, for the reviewer.
        reading.ocrFieldsEnc = aes.encrypt(DocumentService.ocrFields(dated).withIssueDate(printedIssue).toJson(),
                readingAad("ocr", row.publicId));

        List<String> keys = new ArrayList<>();
        try {
            keys.add(blobs.put(in.idImage()));
            if (hasBack) {
                keys.add(blobs.put(in.idBackImage()));
            }
            String backMedia = backType.orElse(null);
            db.inTransaction(s -> {
                CaseMapper m = s.getMapper(CaseMapper.class);
                m.insertCase(row);
                m.insertImage(image(row.id, CaseService.ImageKind.ID_FRONT, keys.get(0),
                        front.format().mediaType(), in.idImage().length, now));
                if (hasBack) {
                    m.insertImage(image(row.id, CaseService.ImageKind.ID_BACK, keys.get(1), backMedia,
                            in.idBackImage().length, now));
                }
                reading.caseId = row.id;
                s.getMapper(DocumentReadingMapper.class).insert(reading);
                m.insertAudit(CaseService.audit(row.id, caller, null, CaseStatus.INCOMPLETE, "step 1 submitted", now));
                return null;
            });
        } catch (RuntimeException e) {
            blobs.deleteUnreferenced(keys, "a failed step 1");
            throw e;
        }
        log.info("submission created id={} tenant={} mrz={} by={}", row.publicId, caller.tenantId(),
                front.mrzStatus(), caller.keyId());
        return new Step1Result(row.publicId, ocr, true);
    }

    /**
     * The fields shown for review: only from a zone whose checks all hold, plus the printed issue date. A field
     * the zone read ambiguously is left out (the user fills it in): it is never shown as if it were read.
     */
    static OcrFields fields(DocumentReading d, Optional<LocalDate> issueDate) {
        Optional<MrzResult> m = d.mrz().filter(x -> d.mrzStatus() == MrzStatus.VALID);
        Optional<String> gender = m.map(MrzResult::sex).flatMap(s -> switch (s) {
            case "M" -> Optional.of("male");
            case "F" -> Optional.of("female");
            default -> Optional.empty();
        });
        Optional<String> nationality = m.filter(x -> x.sure(MrzResult.NATIONALITY)).map(MrzResult::nationality)
                .map(SubmissionService::icaoToAlpha3).filter(n -> n.length() == 3);
        Optional<String> name = m.filter(x -> x.sure(MrzResult.SURNAME) && x.sure(MrzResult.GIVEN_NAMES))
                .map(x -> (x.givenNames().strip() + " " + x.surname().strip()).strip())
                .filter(n -> !n.isEmpty());
        return new OcrFields(issueDate, gender, nationality, m.map(MrzResult::birthDate), name);
    }

    /** ICAO 9303 codes that are not ISO alpha-3 ("D" is Germany); others pass unchanged. */
    static String icaoToAlpha3(String code) {
        String c = code.replace("<", "").strip();
        return CountryCodes.documentCode(c).orElse(c);
    }

    /** The zone's unsure fields as stored: comma-separated, null when none. */
    static String unsure(Optional<MrzResult> zone) {
        return zone.map(MrzResult::unsure).filter(u -> !u.isEmpty())
                .map(u -> String.join(",", new TreeSet<>(u))).orElse(null);
    }

    /** The stored unsure fields as a set. */
    static Set<String> unsure(String stored) {
        return stored == null || stored.isBlank() ? Set.of() : Set.of(stored.split(","));
    }

    private DocumentReadingMapper.ReadingRow readingRow(DocumentReading d, Optional<MrzResult> trusted,
            String publicId, Instant now) {
        DocumentReadingMapper.ReadingRow r = new DocumentReadingMapper.ReadingRow();
        r.mrzStatus = d.mrzStatus().name();
        d.mrz().ifPresent(m -> {
            r.mrzFormat = m.format().name();
            r.documentType = m.documentType();
            r.issuingState = m.issuingState();
            r.failedChecks = m.failedChecks().isEmpty() ? null : String.join(",", m.failedChecks());
        });
        r.mrzUnsure = unsure(trusted);
        trusted.ifPresent(m -> {
            r.expiryDate = m.expiryDate();
            if (m.documentNumber() != null && !m.documentNumber().isBlank()) {
                r.documentNumberEnc = aes.encrypt(m.documentNumber().getBytes(StandardCharsets.UTF_8),
                        readingAad(publicId));
            }
        });
        r.qualityScores = new TreeMap<>(d.quality().scores()).entrySet().stream()
                .map(e -> e.getKey() + "=" + Math.round(e.getValue())).collect(Collectors.joining(","));
        r.qualityIssues = d.quality().issues().isEmpty() ? null
                : d.quality().issues().stream().map(Enum::name).collect(Collectors.joining(","));
        r.ocrModel = d.ocrModel();
        r.createdAt = utc(now);
        return r;
    }

    static CaseMapper.ImageRow image(long caseId, CaseService.ImageKind kind, String key, String mediaType,
            long size, Instant now) {
        CaseMapper.ImageRow img = new CaseMapper.ImageRow();
        img.caseId = caseId;
        img.kind = kind.name();
        img.blobKey = key;
        img.mediaType = mediaType;
        img.sizeBytes = size;
        img.createdAt = utc(now);
        return img;
    }

    /** Associated data of a submission's read or confirmed document fields: binds the ciphertext to its case. */
    static byte[] readingAad(String what, String publicId) {
        return ("reading-" + what + ":" + publicId).getBytes(StandardCharsets.UTF_8);
    }

    /** The associated data of the document number a case's reading holds (also for master key rotation). */
    public static byte[] readingAad(String casePublicId) {
        return ("document:" + casePublicId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Associated data of a case's encrypted identity number: binds the ciphertext to its case (also for master
     * key rotation).
     */
    public static byte[] aad(String publicId) {
        return ("identity:" + publicId).getBytes(StandardCharsets.UTF_8);
    }

    /** An issuing country: ISO 3166-1 alpha-3, or an ICAO 9303 code ("D" is stored as DEU). */
    static String requireAlpha3(String value) {
        String v = text(value).orElseThrow(() -> DomainException.invalidField("issuingCountry", "issuingCountry is required"))
                .toUpperCase(Locale.ROOT);
        return CountryCodes.documentCode(v).orElseThrow(() -> DomainException.invalid(
                "issuingCountry must be an ISO 3166-1 alpha-3 or ICAO 9303 country code"));
    }

    private static Optional<String> limited(String value, String name, int max) {
        Optional<String> t = text(value);
        if (t.isPresent() && t.get().length() > max) {
            throw DomainException.invalidField(name, name + " is longer than " + max + " characters");
        }
        return t;
    }

    private static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static LocalDateTime utc(Instant t) {
        return CaseService.utc(t);
    }
}
