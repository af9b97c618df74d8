package org.openkyc.server.kyc;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.common.CountryCodes;
import org.openkyc.server.common.Ids;
import org.openkyc.server.document.DocumentReader;
import org.openkyc.server.document.DocumentReading;
import org.openkyc.server.document.ImageReferences;
import org.openkyc.server.document.ImageRejectedException;
import org.openkyc.server.document.MrzResult;
import org.openkyc.server.document.MrzStatus;
import org.openkyc.server.document.QualityIssue;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.liveness.LivenessCallbacks;
import org.openkyc.server.liveness.LivenessResult;
import org.openkyc.server.screening.ScreeningService;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.BlobStore;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.CaseMapper.CaseRow;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.DocumentMapper;
import org.openkyc.server.storage.DocumentReadingMapper;
import org.openkyc.server.storage.DocumentMapper.DocumentRow;
import org.openkyc.server.webhook.WebhookEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Documents of the KYC web API (docs/API.md C1): upload (images, quality checks, MRZ), metadata with image
 * references, the user's confirmation and the final submission that decides the case.
 *
 * <p>Like step 1 of the submissions API, nothing is stored until every check has passed: the images
 * are read first, the blobs written only then, and the rows in one transaction; on a failure the blobs
 * are removed again. Identity fields are stored encrypted; answers show identity and document numbers
 * masked.
 *
 * <p>Decisions taken here (README "Documents through the KYC web API"):
 * <ul>
 *   <li>A confirmation counts as user-modified when the client says so, or when a confirmed value differs
 *       from what OCR read (including a value OCR could not read at all): a client cannot hide an edit by
 *       sending {@code userModified:false}. A blank field keeps the OCR value; sending back the masked
 *       number the upload showed means "unchanged".</li>
 *   <li>A document must be confirmed before it is submitted (409 otherwise); it is submitted once (409
 *       the second time); a case already approved or rejected takes no new document (409).</li>
 *   <li>Submitting screens the person when the case was not screened yet, then asks {@link DecisionRules}
 *       with the newest liveness result of the case.</li>
 * </ul>
 */
public final class DocumentService {

    private static final Logger log = LoggerFactory.getLogger(DocumentService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Document ids travel as JSON numbers: they stay below 2^53 so every client reads them exactly. */
    static final long MAX_DOCUMENT_ID = (1L << 53) - 1;
    private static final long MIN_DOCUMENT_ID = 1L << 32;

    /** Document types of the KYC web API, with the submissions API's spelling of the same type. */
    public enum DocType {
        PASSPORT("passport"), ID_CARD("government_id"), DRIVER_LICENSE("drivers_license"),
        RESIDENCE_PERMIT("residence_permit");

        private final String caseIdType;

        DocType(String caseIdType) {
            this.caseIdType = caseIdType;
        }

        /** The idType the submissions API shows for the same case. */
        public String caseIdType() {
            return caseIdType;
        }
    }

    /** Where a document is in its journey. */
    public enum Status {
        UPLOADED, CONFIRMED, SUBMITTED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String stored) {
            return valueOf(stored.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * Image quality of a document's front image.
     *
     * @param scores        0-100 scores by name: resolution, sharpness, exposure, glare, document
     * @param documentFound a document outline was found, or its machine-readable zone was read
     * @param issues        the quality issues found
     */
    public record Quality(Map<String, Double> scores, boolean documentFound, List<QualityIssue> issues) {
        public Quality {
            scores = Map.copyOf(scores);
            issues = List.copyOf(issues);
        }

        public OptionalDouble score(String name) {
            Double d = scores.get(name);
            return d == null ? OptionalDouble.empty() : OptionalDouble.of(d);
        }
    }

    /** A multipart upload; back may be null or empty. */
    public record Upload(String profileId, DocType type, String country, byte[] front, byte[] back) {}

    /** The /document call: image references and declared fields; optional text is null or blank. */
    public record Metadata(String profileId, DocType type, String docNumber, String frontImageUrl,
            String backImageUrl, String expiryDate, String issueCountry) {}

    /** A stored document: its id, the fields read (masked) and the quality of its front image. */
    public record Uploaded(long documentId, DocumentFields fields, Quality quality) {}

    /** What the user confirms; every text may be null or blank (keeps what OCR read). */
    public record Confirmation(String name, String idNumber, String birthDate, String expiryDate, String issuer,
            String nationality, boolean userModified) {}

    /** The outcome of a confirmation. */
    public record Confirmed(long documentId, boolean manualReview) {}

    /** A document as the status and the admin detail show it; numbers masked. */
    public record DocumentView(long documentId, String profileId, DocType type, Optional<String> country,
            String source, DocumentFields ocr, Optional<DocumentFields> confirmed, boolean userModified,
            MrzStatus mrzStatus, Quality quality, Status status, Optional<Integer> decision, Instant createdAt,
            Instant updatedAt, Optional<Instant> submittedAt) {}

    private final Database db;
    private final BlobStore blobs;
    private final AesGcm aes;
    private final DocumentReader reader;
    private final ImageReferences references;
    private final ScreeningService screenings;
    private final LivenessCallbacks liveness;
    private final DecisionRules rules;
    private final Clock clock;

    public DocumentService(Database db, BlobStore blobs, AesGcm aes, DocumentReader reader,
            ImageReferences references, ScreeningService screenings, LivenessCallbacks liveness,
            DecisionRules rules, Clock clock) {
        this.db = db;
        this.blobs = blobs;
        this.aes = aes;
        this.reader = reader;
        this.references = references;
        this.screenings = screenings;
        this.liveness = liveness;
        this.rules = rules;
        this.clock = clock;
    }

    /** The face-match threshold of the decision rules (0-100): the status shows match / no_match by it. */
    public DecisionRules rules() {
        return rules;
    }

    /**
     * Reads and stores an uploaded document.
     *
     * @throws DomainException INVALID_ARGUMENT for a missing or malformed field, PROFILE_NOT_FOUND,
     *         CONFLICT for a decided case, {@link DocumentRejectedException} for unusable images
     */
    public Uploaded upload(Caller caller, Upload in) {
        String profileId = requireProfileId(in.profileId());
        DocType type = Objects.requireNonNull(in.type(), "type");
        String country = requireCountry(in.country(), "country");
        if (in.front() == null || in.front().length == 0) {
            throw DomainException.invalidField("frontImage", "frontImage is required");
        }
        requireOpenCase(caller, profileId);
        return store(caller, profileId, type, Optional.of(country), "upload", in.front(), in.back(),
                DocumentFields.NONE, "frontImage", "backImage");
    }

    /**
     * Stores a document given by image references; the images go through the same checks as an upload.
     * Fields are validated before any image is fetched.
     */
    public Uploaded registerMetadata(Caller caller, Metadata in) {
        String profileId = requireProfileId(in.profileId());
        DocType type = Objects.requireNonNull(in.type(), "type");
        Optional<String> docNumber = text(in.docNumber(), "docNumber", 64);
        docNumber.ifPresent(n -> {
            if (!n.matches("[A-Za-z0-9 <-]+")) {
                throw DomainException.invalidField("docNumber", "docNumber may hold only letters, digits, spaces and '-'");
            }
        });
        Optional<LocalDate> expiry = date(in.expiryDate(), "expiryDate");
        Optional<String> country = blank(in.issueCountry()) ? Optional.empty()
                : Optional.of(requireCountry(in.issueCountry(), "issueCountry"));
        if (blank(in.frontImageUrl())) {
            throw DomainException.invalidField("frontImageUrl", "frontImageUrl is required");
        }
        requireOpenCase(caller, profileId);
        byte[] front = references.resolve(in.frontImageUrl(), "frontImageUrl");
        byte[] back = blank(in.backImageUrl()) ? null : references.resolve(in.backImageUrl(), "backImageUrl");
        DocumentFields declared = new DocumentFields(Optional.empty(), Optional.empty(), Optional.empty(), expiry,
                country, Optional.empty(), Optional.empty(), docNumber.map(n -> n.toUpperCase(Locale.ROOT)));
        return store(caller, profileId, type, country, "metadata", front, back, declared, "frontImageUrl",
                "backImageUrl");
    }

    private Uploaded store(Caller caller, String profileId, DocType type, Optional<String> country, String source,
            byte[] front, byte[] back, DocumentFields declared, String frontField, String backField) {
        boolean hasBack = back != null && back.length > 0;
        DocumentReading frontReading = read(front, frontField);
        DocumentReading backReading = hasBack ? read(back, backField) : null;
        Quality quality = quality(frontReading);
        List<String> errors = new ArrayList<>();
        // An image whose zone was read with every check digit holding is never refused for its quality:
        // the issues stay on the document as warnings (its quality scores and issues). Each side is
        // judged on its own: a good front does not excuse a back that shows nothing.
        frontReading.blockingIssues().forEach(i -> errors.add(code(i)));
        if (!quality.documentFound()) {
            errors.add(code(QualityIssue.NO_DOCUMENT));
        }
        if (backReading != null) {
            backReading.blockingIssues().forEach(i -> errors.add(backField + ": " + code(i)));
        }
        if (!errors.isEmpty()) {
            boolean onlyNoDocument = errors.size() == 1 && !quality.documentFound();
            log.info("document refused case={} tenant={} reasons={} by={}", profileId, caller.tenantId(), errors,
                    caller.keyId());
            throw new DocumentRejectedException(ErrorCode.DOCUMENT_REJECTED, (onlyNoDocument
                    ? "No document was found in the image" : "The document image cannot be used") + ": "
                    + String.join(", ", errors), onlyNoDocument ? "NO_DOCUMENT" : "IMAGE_QUALITY",
                    Optional.of(quality), errors);
        }
        // The zone that holds: the front's, else the back's (ID cards carry it on the back).
        DocumentReading mrzSide = frontReading.mrzStatus() == MrzStatus.VALID || backReading == null
                || backReading.mrzStatus() != MrzStatus.VALID ? frontReading : backReading;
        MrzStatus mrzStatus = mrzSide.mrzStatus();
        DocumentFields ocr = ocrFields(mrzSide);

        Instant now = clock.instant();
        LocalDateTime at = CaseService.utc(now);
        DocumentRow row = new DocumentRow();
        row.publicId = newDocumentId();
        row.docType = type.name();
        row.country = country.orElse(null);
        row.source = source;
        row.ocrFieldsEnc = aes.encrypt(ocr.toJson(), aad("ocr", row.publicId));
        row.declaredFieldsEnc = declared.equals(DocumentFields.NONE) ? null
                : aes.encrypt(declared.toJson(), aad("declared", row.publicId));
        row.mrzStatus = mrzStatus.name();
        row.mrzUnsure = SubmissionService.unsure(mrzSide.mrz().filter(m -> mrzStatus == MrzStatus.VALID));
        row.expiryDate = ocr.expiryDate().orElse(null);
        row.qualityScores = scores(quality.scores());
        row.qualityIssues = quality.issues().isEmpty() ? null
                : quality.issues().stream().map(Enum::name).collect(Collectors.joining(","));
        row.userModified = false;
        row.status = Status.UPLOADED.wireName();
        row.createdAt = at;
        row.updatedAt = at;

        List<String> keys = new ArrayList<>();
        try {
            keys.add(blobs.put(front));
            if (hasBack) {
                keys.add(blobs.put(back));
            }
            db.inTransaction(s -> {
                CaseMapper cm = s.getMapper(CaseMapper.class);
                CaseRow c = lockOpenCase(cm, caller, profileId);
                CaseMapper.ImageRow f = SubmissionService.image(c.id, CaseService.ImageKind.ID_FRONT, keys.get(0),
                        frontReading.format().mediaType(), front.length, now);
                cm.insertImage(f);
                row.frontImageId = f.id;
                if (hasBack) {
                    CaseMapper.ImageRow b = SubmissionService.image(c.id, CaseService.ImageKind.ID_BACK,
                            keys.get(1), backReading.format().mediaType(), back.length, now);
                    cm.insertImage(b);
                    row.backImageId = b.id;
                }
                row.caseId = c.id;
                DocumentMapper dm = s.getMapper(DocumentMapper.class);
                dm.insert(row);
                updatePerson(dm, c, type, country, ocr, at);
                return null;
            });
        } catch (RuntimeException e) {
            blobs.deleteUnreferenced(keys, "a failed document upload");
            throw e;
        }
        log.info("document stored id={} case={} tenant={} source={} mrz={} by={}", row.publicId, profileId,
                caller.tenantId(), source, mrzStatus, caller.keyId());
        return new Uploaded(row.publicId, ocr.masked(), quality);
    }

    /**
     * Stores the user's confirmation of a document's fields.
     *
     * @throws DomainException DOCUMENT_NOT_FOUND (also for another tenant's document), CONFLICT when the
     *         document was submitted or the case decided, INVALID_ARGUMENT for a malformed field
     */
    public Confirmed confirm(Caller caller, long documentId, Confirmation in) {
        requireDocumentId(documentId);
        Optional<String> name = text(in.name(), "name", 300);
        Optional<String> idNumber = text(in.idNumber(), "idNumber", 64);
        Optional<LocalDate> birth = date(in.birthDate(), "birthDate");
        Optional<LocalDate> expiry = date(in.expiryDate(), "expiryDate");
        Optional<String> issuer = text(in.issuer(), "issuer", 100);
        Optional<String> nationality = blank(in.nationality()) ? Optional.empty()
                : Optional.of(in.nationality().strip().toUpperCase(Locale.ROOT));
        nationality.ifPresent(n -> {
            if (!n.matches("[A-Z]{3}")) {
                throw DomainException.invalidField("nationality", "nationality must be an ISO 3166-1 alpha-3 or ICAO 9303 country code");
            }
        });
        birth.ifPresent(b -> {
            if (b.isAfter(LocalDate.now(clock.withZone(ZoneOffset.UTC)))) {
                throw DomainException.invalidField("birthDate", "birthDate is in the future");
            }
        });
        Instant now = clock.instant();
        LocalDateTime at = CaseService.utc(now);
        Confirmed result = db.inTransaction(s -> {
            DocumentMapper dm = s.getMapper(DocumentMapper.class);
            DocumentRow d = lockDocument(s, caller, documentId);
            if (Status.of(d.status) == Status.SUBMITTED) {
                throw new DomainException(ErrorCode.CONFLICT, "Document " + documentId + " was already submitted");
            }
            DocumentFields ocr = DocumentFields.fromJson(aes.decrypt(d.ocrFieldsEnc, aad("ocr", d.publicId)));
            // The code read from the document is accepted as it is (specimens use UTO); others must be assigned.
            nationality.filter(n -> !ocr.nationality().equals(Optional.of(n))).ifPresent(n -> requireAlpha3(n,
                    "nationality"));
            DocumentFields confirmed = new DocumentFields(
                    name.or(ocr::name),
                    idNumber.filter(v -> !maskOf(ocr.idNumber()).equals(Optional.of(v))).or(ocr::idNumber),
                    birth.or(ocr::birthDate), expiry.or(ocr::expiryDate), issuer.or(ocr::issuer),
                    nationality.or(ocr::nationality), ocr.gender(), ocr.docNumber());
            boolean modified = in.userModified() || differs(ocr, confirmed);
            dm.confirm(d.id, d.caseId, d.publicId, aes.encrypt(confirmed.toJson(), aad("confirmed", d.publicId)),
                    modified, at);
            CaseRow c = s.getMapper(CaseMapper.class).caseByPublicId(caller.tenantId(), d.casePublicId);
            updatePerson(dm, c, DocType.valueOf(d.docType), Optional.ofNullable(d.country), confirmed, at);
            return new Confirmed(documentId, modified);
        });
        log.info("document confirmed id={} tenant={} modified={} by={}", documentId, caller.tenantId(),
                result.manualReview(), caller.keyId());
        return result;
    }

    /**
     * Submits a confirmed document: screens the person when the case was not screened yet, decides by the
     * rules and sets the case's status (approved, or pending with the reasons), audited.
     *
     * @throws DomainException DOCUMENT_NOT_FOUND, CONFLICT when the document is not confirmed yet, was
     *         submitted already, or the case is already approved or rejected
     */
    public DecisionRules.Decision submit(Caller caller, long documentId) {
        requireDocumentId(documentId);
        DocumentRow d = db.read(s -> {
            DocumentRow r = s.getMapper(DocumentMapper.class).byPublicId(caller.tenantId(), documentId);
            if (r == null) {
                throw documentNotFound(documentId);
            }
            requireSubmittable(r, s.getMapper(CaseMapper.class).caseByPublicId(caller.tenantId(), r.casePublicId));
            return r;
        });
        CaseRow before = db.read(s -> s.getMapper(CaseMapper.class).caseByPublicId(caller.tenantId(),
                d.casePublicId));
        Optional<String> screening = Optional.ofNullable(before.amlResult);
        if (screening.isEmpty()) {
            try {
                screening = Optional.of(screenings.screenCase(caller, d.casePublicId).decision().wireName());
            } catch (DomainException e) {
                // No lists configured, or no name to screen: the case goes to a reviewer as unscreened.
                log.warn("case not screened at document submit case={} reason={}", d.casePublicId, e.code());
            }
        }
        Optional<LivenessResult> live = liveness.latest(caller, d.casePublicId);
        DecisionRules.Evidence evidence = new DecisionRules.Evidence(
                MrzStatus.VALID.name().equals(d.mrzStatus), Optional.ofNullable(d.expiryDate),
                live.flatMap(LivenessResult::faceMatchScore).map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                live.map(l -> OptionalDouble.of(l.confidence())).orElse(OptionalDouble.empty()),
                live.map(LivenessResult::passed).orElse(false), screening, Boolean.TRUE.equals(d.userModified),
                SubmissionService.unsure(d.mrzUnsure));
        Instant now = clock.instant();
        DecisionRules.Decision decision = rules.decide(evidence, LocalDate.ofInstant(now, ZoneOffset.UTC));
        LocalDateTime at = CaseService.utc(now);
        db.inTransaction(s -> {
            CaseMapper cm = s.getMapper(CaseMapper.class);
            CaseRow c = cm.lockCase(caller.tenantId(), d.casePublicId);
            DocumentRow locked = lockDocument(s, caller, documentId);
            requireSubmittable(locked, c);
            if (!locked.updatedAt.equals(d.updatedAt)) {
                // Confirmed again while the evidence was gathered: this decision may rest on old fields.
                throw new DomainException(ErrorCode.CONFLICT, "Document " + documentId
                        + " changed while it was being submitted; submit it again");
            }
            if (s.getMapper(DocumentMapper.class).submit(locked.id, decision.outcome().statusCode(), at) != 1) {
                throw new DomainException(ErrorCode.CONFLICT, "Document " + documentId + " was already submitted");
            }
            CaseStatus from = CaseStatus.fromWireName(c.status).orElseThrow();
            CaseStatus to = decision.approved() ? CaseStatus.APPROVED : CaseStatus.PENDING;
            List<DecisionRules.Reason> reasons = decision.reasons();
            cm.updateStatus(c.id, c.status, to.wireName(),
                    join(reasons.stream().map(DecisionRules.Reason::message).toList()),
                    join(reasons.stream().map(DecisionRules.Reason::code).toList()), at,
                    decision.approved() ? at : null);
            cm.insertAudit(CaseService.audit(c.id, caller, from, to, "document " + documentId + " submitted: "
                    + outcomeName(decision.outcome())
                    + (reasons.isEmpty() ? "" : " (" + reasons.stream().map(DecisionRules.Reason::code)
                            .collect(Collectors.joining(", ")) + ")"), now));
            WebhookEvents.caseStatusChanged(s, caller.tenantId(), c.publicId, from.wireName(), to.wireName(), now);
            return null;
        });
        log.info("document submitted id={} case={} tenant={} outcome={} by={}", documentId, d.casePublicId,
                caller.tenantId(), decision.outcome(), caller.keyId());
        return decision;
    }

    /** Every document of a case of the caller's tenant, oldest first; numbers masked. */
    public List<DocumentView> documents(Caller caller, String profileId) {
        if (!Ids.plausible(profileId)) {
            return List.of();
        }
        return db.read(s -> {
            CaseRow c = s.getMapper(CaseMapper.class).caseByPublicId(caller.tenantId(), profileId);
            if (c == null) {
                return List.<DocumentView>of();
            }
            return s.getMapper(DocumentMapper.class).ofCase(c.id).stream().map(this::view).toList();
        });
    }

    /**
     * The document a submission (A3) read in step 1, as a reviewer sees it: the fields read beside those its
     * user confirmed in the latest step-2 attempt (numbers masked); empty for a case without such a reading.
     */
    public Optional<DocumentView> submissionDocument(Caller caller, String profileId) {
        if (!Ids.plausible(profileId)) {
            return Optional.empty();
        }
        return db.read(s -> {
            CaseRow c = s.getMapper(CaseMapper.class).caseByPublicId(caller.tenantId(), profileId);
            DocumentReadingMapper.ReadingRow r = c == null ? null
                    : s.getMapper(DocumentReadingMapper.class).ofCase(c.id);
            if (r == null) {
                return Optional.<DocumentView>empty();
            }
            DocumentFields ocr;
            if (r.ocrFieldsEnc != null) {
                ocr = DocumentFields.fromJson(aes.decrypt(r.ocrFieldsEnc,
                        SubmissionService.readingAad("ocr", c.publicId)));
            } else {
                // Read before the fields were kept: only what the reading row itself holds.
                Optional<String> number = Optional.ofNullable(r.documentNumberEnc).map(b -> new String(aes.decrypt(b,
                        ("document:" + c.publicId).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
                ocr = new DocumentFields(Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.ofNullable(r.expiryDate), Optional.empty(), Optional.empty(), Optional.empty(), number);
            }
            Optional<DocumentFields> confirmed = Optional.ofNullable(r.confirmedFieldsEnc).map(b -> DocumentFields
                    .fromJson(aes.decrypt(b, SubmissionService.readingAad("confirmed", c.publicId))));
            DocType type = java.util.Arrays.stream(DocType.values()).filter(t -> t.caseIdType().equals(c.idType))
                    .findFirst().orElse(DocType.PASSPORT);
            List<QualityIssue> issues = r.qualityIssues == null ? List.of()
                    : java.util.Arrays.stream(r.qualityIssues.split(",")).map(QualityIssue::valueOf).toList();
            MrzStatus mrz = MrzStatus.valueOf(r.mrzStatus);
            Status status = confirmed.isEmpty() ? Status.UPLOADED
                    : CaseStatus.INCOMPLETE.wireName().equals(c.status) ? Status.CONFIRMED : Status.SUBMITTED;
            Instant created = r.createdAt.toInstant(ZoneOffset.UTC);
            return Optional.of(new DocumentView(0, c.publicId, type, Optional.ofNullable(c.issuingCountry),
                    "submission", ocr.masked(), confirmed.map(DocumentFields::masked),
                    confirmed.map(f -> suppliedDiffers(ocr, f)).orElse(false), mrz,
                    new Quality(parseScores(r.qualityScores), DocumentReading.documentFound(issues, mrz), issues),
                    status, Optional.empty(), created,
                    Optional.ofNullable(r.confirmedAt).map(t -> t.toInstant(ZoneOffset.UTC)).orElse(created),
                    Optional.empty()));
        });
    }

    /**
     * True when a value the user supplied in a step-2 attempt is not what step 1 read (a value step 1 did not
     * read counts as changed); a field the user left out keeps the reading and is no change.
     */
    static boolean suppliedDiffers(DocumentFields ocr, DocumentFields confirmed) {
        return confirmed.name().isPresent() && !sameText(ocr.name(), confirmed.name())
                || confirmed.birthDate().isPresent() && !ocr.birthDate().equals(confirmed.birthDate())
                || confirmed.expiryDate().isPresent() && !ocr.expiryDate().equals(confirmed.expiryDate())
                || confirmed.issueDate().isPresent() && !ocr.issueDate().equals(confirmed.issueDate())
                || confirmed.nationality().isPresent() && !ocr.nationality().equals(confirmed.nationality())
                || confirmed.gender().isPresent() && !ocr.gender().equals(confirmed.gender())
                || confirmed.docNumber().isPresent() && !sameNumber(ocr.docNumber(), confirmed.docNumber());
    }

    private static boolean sameNumber(Optional<String> a, Optional<String> b) {
        return a.isPresent() && b.isPresent() && IdentityFields.sameNumber(a.get(), b.get());
    }

    /** The newest document of a case, if any. */
    public Optional<DocumentView> latest(Caller caller, String profileId) {
        List<DocumentView> all = documents(caller, profileId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private DocumentView view(DocumentRow r) {
        DocumentFields ocr = DocumentFields.fromJson(aes.decrypt(r.ocrFieldsEnc, aad("ocr", r.publicId)));
        Optional<DocumentFields> confirmed = Optional.ofNullable(r.confirmedFieldsEnc)
                .map(b -> DocumentFields.fromJson(aes.decrypt(b, aad("confirmed", r.publicId))).masked());
        Map<String, Double> scores = parseScores(r.qualityScores);
        List<QualityIssue> issues = r.qualityIssues == null ? List.of()
                : java.util.Arrays.stream(r.qualityIssues.split(",")).map(QualityIssue::valueOf).toList();
        boolean found = DocumentReading.documentFound(issues, MrzStatus.valueOf(r.mrzStatus));
        return new DocumentView(r.publicId, r.casePublicId, DocType.valueOf(r.docType), Optional.ofNullable(r.country),
                r.source, ocr.masked(), confirmed, Boolean.TRUE.equals(r.userModified), MrzStatus.valueOf(r.mrzStatus),
                new Quality(scores, found, issues), Status.of(r.status), Optional.ofNullable(r.decision),
                r.createdAt.toInstant(ZoneOffset.UTC), r.updatedAt.toInstant(ZoneOffset.UTC),
                Optional.ofNullable(r.submittedAt).map(t -> t.toInstant(ZoneOffset.UTC)));
    }

    private DocumentReading read(byte[] image, String field) {
        try {
            return reader.read(image);
        } catch (ImageRejectedException e) {
            throw new DocumentRejectedException(e.code(), field + ": " + e.getMessage(), e.reason().name(),
                    Optional.empty(), List.of(field + ": " + e.reason().name().toLowerCase(Locale.ROOT)));
        }
    }

    /** A document is found when its outline is, or when its machine-readable zone was read. */
    static Quality quality(DocumentReading r) {
        boolean found = r.documentFound();
        Map<String, Double> rounded = new LinkedHashMap<>();
        r.quality().scores().forEach((k, v) -> rounded.put(k, (double) Math.round(v)));
        return new Quality(rounded, found, r.quality().issues());
    }

    private static String code(QualityIssue i) {
        return i.name().toLowerCase(Locale.ROOT);
    }

    /** The fields read from a zone whose checks all hold, except those it read ambiguously; nothing from any other. */
    static DocumentFields ocrFields(DocumentReading d) {
        SubmissionService.OcrFields f = SubmissionService.fields(d, Optional.empty());
        Optional<MrzResult> m = d.mrz().filter(x -> d.mrzStatus() == MrzStatus.VALID);
        Optional<String> docNumber = m.map(MrzResult::documentNumber).filter(n -> !n.isBlank());
        Optional<String> personal = m.map(MrzResult::optionalData).map(String::strip).filter(n -> !n.isBlank());
        return new DocumentFields(f.name(), personal.or(() -> docNumber), f.birthDate(),
                m.map(MrzResult::expiryDate), m.filter(x -> x.sure(MrzResult.ISSUING_STATE))
                        .map(MrzResult::issuingState).map(SubmissionService::icaoToAlpha3).filter(s -> !s.isEmpty()),
                f.nationality(), f.gender(), docNumber);
    }

    /** True when a confirmed value is not what OCR read (a value OCR did not read counts as changed). */
    static boolean differs(DocumentFields ocr, DocumentFields confirmed) {
        return !sameText(ocr.name(), confirmed.name()) || !ocr.idNumber().equals(confirmed.idNumber())
                || !ocr.birthDate().equals(confirmed.birthDate()) || !ocr.expiryDate().equals(confirmed.expiryDate())
                || !sameText(ocr.issuer(), confirmed.issuer()) || !ocr.nationality().equals(confirmed.nationality());
    }

    private static boolean sameText(Optional<String> a, Optional<String> b) {
        return a.map(DocumentService::normal).equals(b.map(DocumentService::normal));
    }

    private static String normal(String s) {
        return s.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }

    private static Optional<String> maskOf(Optional<String> v) {
        return v.map(Masking::identityNumber);
    }

    private void updatePerson(DocumentMapper dm, CaseRow c, DocType type, Optional<String> country,
            DocumentFields f, LocalDateTime at) {
        byte[] idEnc = f.idNumber().map(n -> aes.encrypt(n.getBytes(StandardCharsets.UTF_8),
                SubmissionService.aad(c.publicId))).orElse(null);
        dm.updatePerson(c.id, f.name().orElse(null), f.gender().orElse(null), f.nationality().orElse(null),
                f.birthDate().orElse(null), type.caseIdType(),
                country.flatMap(CountryCodes::documentCodeOrAlpha2).orElse(null), idEnc,
                f.idNumber().map(Masking::identityNumber).orElse(null), at);
    }

    private void requireOpenCase(Caller caller, String profileId) {
        db.read(s -> {
            CaseRow c = s.getMapper(CaseMapper.class).caseByPublicId(caller.tenantId(), profileId);
            if (c == null) {
                throw DomainException.profileNotFound(profileId);
            }
            requireUndecided(c);
            return null;
        });
    }

    private static CaseRow lockOpenCase(CaseMapper cm, Caller caller, String profileId) {
        CaseRow c = cm.lockCase(caller.tenantId(), profileId);
        if (c == null) {
            throw DomainException.profileNotFound(profileId);
        }
        requireUndecided(c);
        return c;
    }

    private static void requireUndecided(CaseRow c) {
        if (CaseStatus.APPROVED.wireName().equals(c.status) || CaseStatus.REJECTED.wireName().equals(c.status)) {
            throw new DomainException(ErrorCode.CONFLICT, "Profile " + c.publicId + " is already " + c.status);
        }
    }

    private static void requireSubmittable(DocumentRow d, CaseRow c) {
        Status st = Status.of(d.status);
        if (st == Status.SUBMITTED) {
            throw new DomainException(ErrorCode.CONFLICT, "Document " + d.publicId + " was already submitted");
        }
        if (st == Status.UPLOADED) {
            throw new DomainException(ErrorCode.CONFLICT, "Document " + d.publicId
                    + " is not confirmed yet: confirm its fields with /document/confirm first");
        }
        requireUndecided(c);
    }

    private static DocumentRow lockDocument(org.apache.ibatis.session.SqlSession s, Caller caller, long documentId) {
        DocumentRow d = s.getMapper(DocumentMapper.class).lock(caller.tenantId(), documentId);
        if (d == null) {
            throw documentNotFound(documentId);
        }
        return d;
    }

    private static DomainException documentNotFound(long documentId) {
        return new DomainException(ErrorCode.DOCUMENT_NOT_FOUND, "Document " + documentId + " not found");
    }

    private static void requireDocumentId(long documentId) {
        if (documentId == 0) {
            throw DomainException.invalidField("documentId", "documentId is required");
        }
        if (documentId < 0 || documentId > MAX_DOCUMENT_ID) {
            throw documentNotFound(documentId);
        }
    }

    private static String requireProfileId(String profileId) {
        if (blank(profileId)) {
            throw DomainException.invalidField("profileId", "profileId is required");
        }
        String id = profileId.strip();
        if (!Ids.plausible(id)) {
            throw DomainException.profileNotFound(id.replaceAll("[^A-Za-z0-9_-]", "?"));
        }
        return id;
    }

    private static String requireCountry(String value, String field) {
        if (blank(value)) {
            throw DomainException.invalidField(field, field + " is required");
        }
        String v = value.strip().toUpperCase(Locale.ROOT);
        if (!v.matches("[A-Z]{1,3}") || CountryCodes.documentCodeOrAlpha2(v).isEmpty()) {
            throw DomainException.invalidField(field, field
                    + " must be an ISO 3166-1 alpha-2 or alpha-3 or an ICAO 9303 country code");
        }
        return v.length() == 2 ? v : CountryCodes.documentCode(v).orElseThrow();
    }

    static String requireAlpha3(String value, String field) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        if (!v.matches("[A-Z]{3}") || CountryCodes.documentCode(v).isEmpty()) {
            throw DomainException.invalidField(field, field + " must be an ISO 3166-1 alpha-3 or ICAO 9303 country code");
        }
        return v;
    }

    private static Optional<LocalDate> date(String value, String field) {
        if (blank(value)) {
            return Optional.empty();
        }
        try {
            String v = value.strip();
            if (!v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                throw new DateTimeParseException("format", v, 0);
            }
            return Optional.of(LocalDate.parse(v));
        } catch (DateTimeParseException e) {
            throw DomainException.invalidField(field, field + " must be a date YYYY-MM-DD");
        }
    }

    private static Optional<String> text(String value, String field, int max) {
        if (blank(value)) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.length() > max) {
            throw DomainException.invalidField(field, field + " is longer than " + max + " characters");
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw DomainException.invalidField(field, field + " holds control characters");
        }
        return Optional.of(v);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static long newDocumentId() {
        long v;
        do {
            v = RANDOM.nextLong() & MAX_DOCUMENT_ID;
        } while (v < MIN_DOCUMENT_ID);
        return v;
    }

    /** The associated data of a document's sealed fields (also for master key rotation). */
    public static byte[] aad(String set, long documentId) {
        return ("document-fields:" + set + ":" + documentId).getBytes(StandardCharsets.UTF_8);
    }

    private static String scores(Map<String, Double> scores) {
        return new TreeMap<>(scores).entrySet().stream()
                .map(e -> e.getKey() + "=" + Math.round(e.getValue())).collect(Collectors.joining(","));
    }

    private static Map<String, Double> parseScores(String stored) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (stored != null && !stored.isEmpty()) {
            for (String kv : stored.split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    m.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
                }
            }
        }
        return m;
    }

    private static String join(List<String> values) {
        return values.isEmpty() ? null
                : values.stream().map(v -> v.replaceAll("[\\r\\n]+", " ")).collect(Collectors.joining("\n"));
    }

    /** How the web API's message names an outcome. */
    public static String outcomeName(DecisionRules.Outcome o) {
        return switch (o) {
            case AUTO_APPROVED -> "auto-approved";
            case MANUAL_REVIEW -> "manual review";
            case USER_MODIFIED_REVIEW -> "user-modified review";
        };
    }
}
