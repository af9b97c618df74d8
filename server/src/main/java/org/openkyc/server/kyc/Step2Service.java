package org.openkyc.server.kyc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.apache.ibatis.session.SqlSession;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.common.CountryCodes;
import org.openkyc.server.common.Ids;
import org.openkyc.server.document.ImageIntake;
import org.openkyc.server.document.IntakeImage;
import org.openkyc.server.document.MrzStatus;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.face.FaceEngine;
import org.openkyc.server.face.FaceMatch;
import org.openkyc.server.face.Portrait;
import org.openkyc.server.face.SelfieAnalysis;
import org.openkyc.server.screening.ScreeningRecord;
import org.openkyc.server.screening.ScreeningService;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.BlobStore;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.CaseMapper.CaseRow;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.DocumentReadingMapper;
import org.openkyc.server.storage.ScreeningMapper;
import org.openkyc.server.storage.Step2Mapper;
import org.openkyc.server.webhook.WebhookEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submission step 2 (docs/API.md A4) and applicants (A2). Each call is one attempt: the selfie and the fields
 * the user confirms are checked against the document read in step 1, the identity registry and the
 * document portrait. A failed attempt is recorded and counted; after the configured number of failed
 * attempts the submission is rejected ({@code too_many_retry}). A successful attempt stores the selfie and
 * its face embedding, finds the applicant, screens the person and lets {@link DecisionRules} approve the
 * case or send it to a reviewer.
 *
 * <p>Everything slow (image decoding, face models, registry, screening) runs before the one transaction
 * that records the attempt; that transaction locks the case row, so concurrent attempts on one case are
 * numbered one after the other and a case decided meanwhile is refused (409). Bad input is refused before
 * anything is written; a selfie blob written for a transaction that then fails is removed.
 */
public final class Step2Service {

    private static final Logger log = LoggerFactory.getLogger(Step2Service.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    /** Retry codes, stable for clients. */
    public static final String NO_FACE = "no_face";
    public static final String TOO_MANY_FACES = "too_many_faces";
    public static final String FACE_MISMATCH = "face_mismatch";
    public static final String FIELDS_MISMATCH = "fields_mismatch";
    public static final String REGISTRY_MISMATCH = "registry_mismatch";
    public static final String NOT_IN_REGISTRY = "not_in_registry";
    /** Comment code of a submission rejected after too many failed attempts. */
    public static final String TOO_MANY_RETRY = "too_many_retry";

    private final Database db;
    private final BlobStore blobs;
    private final AesGcm aes;
    private final FaceEngine faces;
    private final ImageIntake intake;
    private final IdentityRegistry registry;
    private final ScreeningService screenings;
    private final DecisionRules decisions;
    private final CaseService cases;
    private final Clock clock;

    public Step2Service(Database db, BlobStore blobs, AesGcm aes, FaceEngine faces, ImageIntake intake,
            IdentityRegistry registry, ScreeningService screenings, DecisionRules decisions, CaseService cases,
            Clock clock) {
        this.db = db;
        this.blobs = blobs;
        this.aes = aes;
        this.faces = faces;
        this.intake = intake;
        this.registry = registry;
        this.screenings = screenings;
        this.decisions = decisions;
        this.cases = cases;
        this.clock = clock;
    }

    /** What step 2 receives; optional text is null or blank when absent. */
    public record Step2(String submissionId, byte[] faceImage, String name, String dateOfBirth, String gender,
            String nationality, String dateOfIssue, String dateOfExpiry, String identityNumber,
            String documentNumber) {}

    /** One reason an attempt failed: a stable code and what the user can do. */
    public record RetryReason(String code, String message) {}

    /**
     * The answer of one attempt.
     *
     * @param success             every check passed
     * @param faceSimilarityScore 0-100, empty when not measured
     * @param livenessScore       0-100, empty when not measured
     * @param kycStatus           the submission's status after the attempt
     * @param retryCount          failed attempts so far
     * @param message             summary of a failed attempt
     * @param retry               each reason of a failed attempt
     * @param registryCheck       what the identity registry said, empty when not asked
     */
    public record Step2Result(boolean success, OptionalInt faceSimilarityScore, OptionalInt livenessScore,
            CaseStatus kycStatus, int retryCount, Optional<String> message, List<RetryReason> retry,
            Optional<String> registryCheck) {}

    /** The confirmed fields, validated. */
    record Confirmed(String name, LocalDate birthDate, Optional<String> gender, Optional<String> nationality,
            Optional<LocalDate> issueDate, Optional<LocalDate> expiryDate, Optional<String> identityNumber,
            Optional<String> documentNumber) {}

    /** What step 1 knows about the document, for comparison. */
    record Known(Optional<String> name, Optional<LocalDate> birthDate, Optional<String> gender,
            Optional<String> nationality, Optional<LocalDate> issueDate, Optional<LocalDate> expiryDate,
            Optional<String> documentNumber) {}

    /**
     * One attempt.
     *
     * @throws DomainException INVALID_ARGUMENT for a missing or malformed field, SUBMISSION_NOT_FOUND for
     *         an unknown or other tenant's submission, CONFLICT for a submission already complete or
     *         decided, UNSUPPORTED_MEDIA_TYPE / PAYLOAD_TOO_LARGE / UNPROCESSABLE_IMAGE for an unusable
     *         selfie; none of them records anything
     */
    public Step2Result step2(Caller caller, Step2 in) {
        String id = in.submissionId() == null ? "" : in.submissionId().strip();
        if (id.isEmpty()) {
            throw DomainException.invalidField("submissionId", "submissionId is required");
        }
        if (in.faceImage() == null || in.faceImage().length == 0) {
            throw DomainException.invalidField("faceImage", "faceImage is required");
        }
        if (!Ids.plausible(id)) {
            throw DomainException.submissionNotFound(id.replaceAll("[^A-Za-z0-9_-]", "?"));
        }
        confirmed(in, Optional.empty(), false); // bad input is refused before the case is looked up

        // Read the case as it is now; it is locked and checked again when the attempt is recorded.
        Snapshot snap = db.read(s -> {
            CaseMapper m = s.getMapper(CaseMapper.class);
            CaseRow row = m.caseByPublicId(caller.tenantId(), id);
            if (row == null) {
                throw DomainException.submissionNotFound(id);
            }
            requireOpen(row);
            DocumentReadingMapper.ReadingRow reading = s.getMapper(DocumentReadingMapper.class).ofCase(row.id);
            Optional<CaseMapper.ImageRow> front = m.imagesOf(row.id).stream()
                    .filter(i -> i.kind.equals(CaseService.ImageKind.ID_FRONT.name())).findFirst();
            return new Snapshot(row, Optional.ofNullable(reading), front);
        });
        // A nationality the document itself carries (ICAO codes such as UTO are not ISO) is accepted too.
        Confirmed confirmed = confirmed(in, Optional.ofNullable(snap.row.nationality), true);
        Known known = known(snap);

        String mediaType;
        try (IntakeImage img = intake.decode(in.faceImage())) {
            mediaType = img.format().mediaType();
        } catch (DomainException e) {
            throw new DomainException(e.code(), "faceImage: " + e.getMessage());
        }
        SelfieAnalysis selfie = faces.analyzeSelfie(in.faceImage());
        Optional<Portrait> portrait = snap.front.flatMap(f -> blobs.get(f.blobKey))
                .flatMap(faces::portraitFromDocument);

        List<RetryReason> reasons = new ArrayList<>();
        List<String> fieldDiff = compare(confirmed, known);
        if (!fieldDiff.isEmpty()) {
            reasons.add(new RetryReason(FIELDS_MISMATCH, "These fields do not match the document: "
                    + String.join(", ", fieldDiff) + ". Check them against the document and send them again."));
        }
        // The portrait is compared only with the one person of a usable selfie.
        Optional<FaceMatch> match = selfie.faceCount() == 1
                ? portrait.map(p -> faces.compare(selfie.embedding(), p.embedding())) : Optional.empty();
        SelfieChecks checks = selfieChecks(selfie, match);
        reasons.addAll(checks.reasons());
        OptionalInt liveness = checks.livenessShown();
        OptionalInt similarity = checks.similarityShown();
        Person person = person(confirmed, snap.row);
        // The registry checks what the user confirmed; fields left out are taken from the document.
        IdentityRegistry.Result reg = registry.check(caller.tenantId(), new IdentityRegistry.Query(confirmed.name(),
                confirmed.birthDate(), confirmed.nationality().or(known::nationality),
                confirmed.gender().or(known::gender), confirmed.identityNumber(),
                confirmed.documentNumber().or(known::documentNumber)));
        switch (reg.verdict()) {
            case NOT_FOUND -> reasons.add(new RetryReason(NOT_IN_REGISTRY, "The person was not found in the"
                    + " identity registry. Check the name, date of birth and numbers and send them again."));
            case MISMATCH -> reasons.add(new RetryReason(REGISTRY_MISMATCH, "These fields do not match the"
                    + " identity registry: " + String.join(", ", reg.mismatchedFields()) + "."));
            default -> { }
        }
        String registryCheck = reg.verdict().wireName();
        boolean success = reasons.isEmpty();

        // The screening runs before the transaction and is stored in it; without lists it stays pending.
        Optional<ScreeningRecord> screening = Optional.empty();
        if (success) {
            try {
                screening = Optional.of(screenings.run(ScreeningService.personQuery(person.name,
                        Optional.of(person.birthDate), person.nationality), Optional.of(id)));
            } catch (DomainException e) {
                if (e.code() != ErrorCode.UNAVAILABLE) {
                    throw e;
                }
                log.warn("screening unavailable for submission id={}: left pending for a reviewer", id);
            }
        }
        String selfieKey = success ? blobs.put(in.faceImage()) : null;
        Confirmed c = confirmed;
        OptionalInt live = liveness;
        OptionalInt sim = similarity;
        Optional<ScreeningRecord> scr = screening;
        try {
            Step2Result result = db.inTransaction(s -> record(s, caller, id, c, person, known, snap, selfie, sim,
                    live, checks.livenessScore(), reasons, registryCheck, scr, selfieKey, mediaType,
                    in.faceImage().length));
            log.info("step 2 attempt id={} tenant={} success={} codes={} status={} by={}", id, caller.tenantId(),
                    success, reasons.stream().map(RetryReason::code).collect(Collectors.joining(",")),
                    result.kycStatus().wireName(), caller.keyId());
            return result;
        } catch (RuntimeException e) {
            if (selfieKey != null) {
                blobs.deleteUnreferenced(List.of(selfieKey), "a failed step 2");
            }
            throw e;
        }
    }

    private Step2Result record(SqlSession s, Caller caller, String id, Confirmed c,
            Person person, Known known, Snapshot snap, SelfieAnalysis selfie, OptionalInt similarity,
            OptionalInt liveness, OptionalDouble livenessScore, List<RetryReason> reasons, String registryCheck,
            Optional<ScreeningRecord> screening, String selfieKey, String mediaType, long selfieSize) {
        CaseMapper m = s.getMapper(CaseMapper.class);
        Step2Mapper m2 = s.getMapper(Step2Mapper.class);
        CaseRow row = m.lockCase(caller.tenantId(), id);
        if (row == null) {
            throw DomainException.submissionNotFound(id);
        }
        requireOpen(row);
        Instant now = clock.instant();
        LocalDateTime at = CaseService.utc(now);
        boolean success = reasons.isEmpty();

        CaseMapper.AttemptRow a = new CaseMapper.AttemptRow();
        a.caseId = row.id;
        a.attemptNo = m2.countAttempts(row.id) + 1;
        a.livenessScore = liveness.isPresent() ? liveness.getAsInt() : null;
        a.faceSimilarityScore = similarity.isPresent() ? similarity.getAsInt() : null;
        a.fullName = c.name();
        a.idType = row.idType;
        a.issueDate = c.issueDate().orElse(row.issueDate);
        a.identityNumberMasked = c.identityNumber().or(c::documentNumber).map(Masking::identityNumber)
                .orElse(row.identityNumberMasked);
        a.verificationResult = success ? "success" : "fail";
        a.retryMsg = success ? null : reasons.stream().map(RetryReason::message).collect(Collectors.joining(" "));
        a.registryCheck = registryCheck;
        a.createdAt = at;
        m2.insertAttempt(a);
        // The fields this attempt confirmed, beside those step 1 read, for the reviewer.
        DocumentFields confirmedFields = new DocumentFields(Optional.of(c.name()), c.identityNumber(),
                Optional.of(c.birthDate()), c.expiryDate(), Optional.empty(), c.nationality(), c.gender(),
                c.documentNumber(), c.issueDate());
        s.getMapper(DocumentReadingMapper.class).confirm(row.id, aes.encrypt(confirmedFields.toJson(),
                SubmissionService.readingAad("confirmed", row.publicId)), at);

        int retries = row.retryCount == null ? 0 : row.retryCount;
        if (!success) {
            retries++;
            m2.setRetryCount(row.id, retries, at);
            int max = decisions.settings().maxAttempts();
            CaseStatus status = CaseStatus.INCOMPLETE;
            String message = reasons.stream().map(RetryReason::message).collect(Collectors.joining(" "));
            if (retries >= max) {
                status = CaseStatus.REJECTED;
                String comment = "Rejected after " + retries + " failed step-2 attempts (at most " + max + ")";
                m.updateStatus(row.id, row.status, status.wireName(), comment, TOO_MANY_RETRY, at, at);
                m.insertAudit(CaseService.audit(row.id, caller, CaseStatus.INCOMPLETE, status,
                        TOO_MANY_RETRY + ": " + comment, now));
                WebhookEvents.caseStatusChanged(s, caller.tenantId(), row.publicId,
                        CaseStatus.INCOMPLETE.wireName(), status.wireName(), now);
                message = message + " Too many failed attempts: the submission is rejected.";
            }
            return new Step2Result(false, similarity, liveness, status, retries, Optional.of(message),
                    List.copyOf(reasons), Optional.of(registryCheck));
        }

        // The attempt passed: keep the selfie and its face, find the applicant, screen, decide.
        CaseMapper.ImageRow img = new CaseMapper.ImageRow();
        img.caseId = row.id;
        img.kind = CaseService.ImageKind.SELFIE.name();
        img.blobKey = selfieKey;
        img.mediaType = mediaType;
        img.sizeBytes = selfieSize;
        img.createdAt = at;
        m.insertImage(img);
        // A case sent back for resubmission had a face from its earlier submission: the new selfie's replaces it.
        m2.deleteEmbedding(row.id);
        m2.insertEmbedding(row.id, caller.tenantId(), aes.encrypt(floats(selfie.embedding()), faceAad(id)), at);

        String applicant = row.applicantId;
        for (Step2Mapper.EmbeddingRow other : m2.sameDetails(caller.tenantId(), row.id, person.birthDate,
                person.nationality.orElse(null), person.gender.orElse(null))) {
            if (other.applicantId == null || !IdentityFields.sameName(other.fullName, person.name)) {
                continue;
            }
            float[] emb = toFloats(aes.decrypt(other.embeddingEnc, faceAad(other.casePublicId)));
            if (faces.compare(selfie.embedding(), emb).match()) {
                applicant = other.applicantId;
                break;
            }
        }
        CaseRow upd = new CaseRow();
        upd.id = row.id;
        upd.fullName = person.name;
        upd.gender = person.gender.orElse(null);
        upd.nationality = person.nationality.orElse(null);
        upd.dateOfBirth = person.birthDate;
        upd.issueDate = c.issueDate().orElse(null);
        c.identityNumber().ifPresent(n -> {
            upd.identityNumberEnc = aes.encrypt(n.getBytes(StandardCharsets.UTF_8), SubmissionService.aad(id));
            upd.identityNumberMasked = Masking.identityNumber(n);
        });
        upd.applicantId = applicant;
        upd.updatedAt = at;
        m2.completeCase(upd);

        String aml;
        if (screening.isPresent()) {
            screenings.store(s, caller, screening.get(), row.id);
            aml = screening.get().decision().wireName();
        } else {
            aml = "pending";
            s.getMapper(ScreeningMapper.class).setCaseAml(row.id, aml, null, at);
        }
        boolean mrzValid = snap.reading.map(r -> MrzStatus.VALID.name().equals(r.mrzStatus)).orElse(false);
        DecisionRules.Decision d = decisions.decide(evidence(mrzValid, known.expiryDate(), similarity,
                livenessScore, aml, SubmissionService.unsure(snap.reading.map(r -> r.mrzUnsure).orElse(null))),
                LocalDate.ofInstant(now, ZoneOffset.UTC));
        List<String> comments = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (DecisionRules.Reason r : d.reasons()) {
            comments.add(r.message());
            codes.add(r.code());
        }
        if (screening.isEmpty()) {
            comments.add("Sanctions screening was unavailable: screen the person before deciding");
            codes.add("screening_unavailable");
        }
        m.updateStatus(row.id, row.status, CaseStatus.PENDING.wireName(),
                comments.isEmpty() ? null : String.join("\n", comments),
                codes.isEmpty() ? null : String.join("\n", codes), at, null);
        m.insertAudit(CaseService.audit(row.id, caller, CaseStatus.INCOMPLETE, CaseStatus.PENDING,
                "step 2 completed", now));
        WebhookEvents.caseStatusChanged(s, caller.tenantId(), row.publicId, CaseStatus.INCOMPLETE.wireName(),
                CaseStatus.PENDING.wireName(), now);
        CaseStatus status = CaseStatus.PENDING;
        if (d.approved()) {
            status = CaseStatus.APPROVED;
            m.updateStatus(row.id, CaseStatus.PENDING.wireName(), status.wireName(), null, null, at, at);
            m.insertAudit(CaseService.audit(row.id, caller, CaseStatus.PENDING, status,
                    "approved automatically by the decision rules", now));
            WebhookEvents.caseStatusChanged(s, caller.tenantId(), row.publicId, CaseStatus.PENDING.wireName(),
                    status.wireName(), now);
        }
        return new Step2Result(true, similarity, liveness, status, retries, Optional.empty(), List.of(),
                Optional.of(registryCheck));
    }

    /**
     * What the selfie decides in an attempt.
     *
     * @param reasons         retry reasons: no face, several persons, a face that is not the portrait's
     * @param livenessScore   the passive liveness score as measured, empty without one face
     * @param livenessShown   that score as answered and recorded (rounded down, so a shown score at the
     *                        threshold always reached it)
     * @param similarityShown the similarity to the portrait as answered, empty when not compared
     */
    record SelfieChecks(List<RetryReason> reasons, OptionalDouble livenessScore, OptionalInt livenessShown,
            OptionalInt similarityShown) {}

    /**
     * The selfie's part of an attempt. A selfie must show one person (a second face is not guessed away)
     * whose face matches the document portrait, or the user is asked to try again.
     *
     * <p>Passive liveness alone never sends the user back: measured on real photos, genuine faces score
     * anywhere from under 5 to 99.9 (a noisy or dim camera drags them down) while a photo shown on a
     * screen scores as high as a live face, so a retry refused genuine users without stopping replays,
     * and let an attacker try again until a picture scored high enough. The score is recorded and
     * {@link DecisionRules} approves automatically only at or over the threshold; under it the case goes
     * to a reviewer ({@code liveness_low}).
     *
     * @param match the comparison with the document portrait, present only for a one-person selfie and a
     *              document with a portrait
     */
    static SelfieChecks selfieChecks(SelfieAnalysis selfie, Optional<FaceMatch> match) {
        List<RetryReason> reasons = new ArrayList<>();
        if (selfie.faceCount() == 0) {
            reasons.add(new RetryReason(NO_FACE, "No face was found in the selfie. Take a new photo of your face,"
                    + " well lit and facing the camera."));
            return new SelfieChecks(List.copyOf(reasons), OptionalDouble.empty(), OptionalInt.empty(),
                    OptionalInt.empty());
        }
        if (selfie.faceCount() > 1) {
            reasons.add(new RetryReason(TOO_MANY_FACES, selfie.faceCount() + " faces were found in the selfie."
                    + " Take a new photo with only your face in it."));
            return new SelfieChecks(List.copyOf(reasons), OptionalDouble.empty(), OptionalInt.empty(),
                    OptionalInt.empty());
        }
        OptionalDouble score = Double.isNaN(selfie.livenessScore()) ? OptionalDouble.empty()
                : OptionalDouble.of(selfie.livenessScore());
        OptionalInt shown = score.isPresent() ? OptionalInt.of((int) Math.floor(score.getAsDouble()))
                : OptionalInt.empty();
        OptionalInt similarity = OptionalInt.empty();
        if (match.isPresent()) {
            similarity = OptionalInt.of((int) Math.floor(match.get().faceSimilarityScore()));
            if (!match.get().match()) {
                reasons.add(new RetryReason(FACE_MISMATCH, "The face in the selfie does not match the"
                        + " portrait on the document. Take a new photo of the document holder's face."));
            }
        }
        return new SelfieChecks(List.copyOf(reasons), score, shown, similarity);
    }

    /**
     * The evidence step 2 gives the decision rules. The passive liveness score is the whole check (it has
     * no verdict of its own), so a measured score counts as a check that ran and the rules compare it with
     * the threshold: under it the case waits for a reviewer with {@code liveness_low}; never measured,
     * {@code liveness_not_passed}.
     */
    static DecisionRules.Evidence evidence(boolean mrzValid, Optional<LocalDate> expiry, OptionalInt similarity,
            OptionalDouble livenessScore, String aml, java.util.Set<String> unsureFields) {
        return new DecisionRules.Evidence(mrzValid, expiry,
                similarity.isPresent() ? OptionalDouble.of(similarity.getAsInt()) : OptionalDouble.empty(),
                livenessScore, livenessScore.isPresent(), Optional.of(aml), false, unsureFields);
    }

    /**
     * A2: the approved submissions of an applicant of the caller's tenant, newest first.
     *
     * @throws DomainException INVALID_ARGUMENT without an id, NOT_FOUND when no submission of the tenant
     *         carries it
     */
    public List<KycCase> applicantSubmissions(Caller caller, String applicantId) {
        String id = applicantId == null ? "" : applicantId.strip();
        if (id.isEmpty()) {
            throw DomainException.invalidField("applicant_id", "applicant_id is required");
        }
        long known = Ids.plausible(id)
                ? db.read(s -> s.getMapper(Step2Mapper.class).countApplicantCases(caller.tenantId(), id)) : 0;
        if (known == 0) {
            throw new DomainException(ErrorCode.NOT_FOUND,
                    "Applicant #" + id.replaceAll("[^A-Za-z0-9_-]", "?") + " not found");
        }
        return cases.list(caller, new CaseQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(CaseStatus.APPROVED), Optional.of(id), CaseQuery.MAX_LIMIT,
                Optional.empty())).items();
    }

    private record Snapshot(CaseRow row, Optional<DocumentReadingMapper.ReadingRow> reading,
            Optional<CaseMapper.ImageRow> front) {}

    /** The person as the case will hold it: the document's values, else what the user confirmed. */
    private record Person(String name, LocalDate birthDate, Optional<String> nationality, Optional<String> gender) {}

    private static Person person(Confirmed c, CaseRow row) {
        return new Person(row.fullName != null ? row.fullName : c.name(),
                row.dateOfBirth != null ? row.dateOfBirth : c.birthDate(),
                Optional.ofNullable(row.nationality).or(c::nationality),
                Optional.ofNullable(row.gender).or(c::gender));
    }

    private Known known(Snapshot snap) {
        CaseRow r = snap.row;
        Optional<String> docNumber = snap.reading.filter(x -> x.documentNumberEnc != null)
                .map(x -> new String(aes.decrypt(x.documentNumberEnc,
                        SubmissionService.readingAad(r.publicId)), StandardCharsets.UTF_8));
        return new Known(Optional.ofNullable(r.fullName), Optional.ofNullable(r.dateOfBirth),
                Optional.ofNullable(r.gender), Optional.ofNullable(r.nationality), Optional.ofNullable(r.issueDate),
                snap.reading.map(x -> x.expiryDate), docNumber);
    }

    /** The confirmed fields that contradict what the document gave, by their form names. */
    static List<String> compare(Confirmed c, Known k) {
        List<String> diff = new ArrayList<>();
        if (k.name().isPresent() && !IdentityFields.sameName(c.name(), k.name().get())) {
            diff.add("name");
        }
        if (!IdentityFields.agrees(Optional.of(c.birthDate()), k.birthDate())) {
            diff.add("date_of_birth");
        }
        if (!IdentityFields.agrees(c.gender(), k.gender())) {
            diff.add("gender");
        }
        if (!IdentityFields.agrees(c.nationality(), k.nationality())) {
            diff.add("nationality");
        }
        if (!IdentityFields.agrees(c.issueDate(), k.issueDate())) {
            diff.add("date_of_issue");
        }
        if (!IdentityFields.agrees(c.expiryDate(), k.expiryDate())) {
            diff.add("date_of_expiry");
        }
        if (c.documentNumber().isPresent() && k.documentNumber().isPresent()
                && !IdentityFields.sameNumber(c.documentNumber().get(), k.documentNumber().get())) {
            diff.add("document_number");
        }
        return diff;
    }

    /**
     * Validates the confirmed fields.
     *
     * @param documentNationality the nationality code the document carries, accepted even when it is not ISO
     * @param caseKnown           false for the first pass before the case is read: the code's form only
     */
    static Confirmed confirmed(Step2 in, Optional<String> documentNationality, boolean caseKnown) {
        String name = CaseService.requireText(in.name(), "name", 300);
        LocalDate birth = date(in.dateOfBirth(), "date_of_birth")
                .orElseThrow(() -> DomainException.invalidField("date_of_birth", "date_of_birth is required"));
        Optional<String> gender = text(in.gender()).map(g -> g.toLowerCase(Locale.ROOT));
        if (gender.isPresent() && !gender.get().equals("male") && !gender.get().equals("female")) {
            throw DomainException.invalidField("gender", "gender must be male or female");
        }
        Optional<String> nationality = text(in.nationality()).map(n -> n.toUpperCase(Locale.ROOT));
        if (nationality.isPresent() && !(nationality.get().matches("[A-Z]{3}") && (!caseKnown
                || CountryCodes.documentCode(nationality.get()).isPresent()
                        || documentNationality.filter(nationality.get()::equals).isPresent()))) {
            throw DomainException.invalidField("nationality", "nationality must be an ISO 3166-1 alpha-3 or ICAO 9303 code");
        }
        return new Confirmed(name, birth, gender, nationality, date(in.dateOfIssue(), "date_of_issue"),
                date(in.dateOfExpiry(), "date_of_expiry"), number(in.identityNumber(), "identity_number"),
                number(in.documentNumber(), "document_number"));
    }

    private static Optional<LocalDate> date(String value, String field) {
        Optional<String> t = text(value);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(t.get(), DATE));
        } catch (DateTimeParseException e) {
            throw DomainException.invalidField(field, field + " must be a date YYYY-MM-DD");
        }
    }

    private static Optional<String> number(String value, String field) {
        Optional<String> t = text(value);
        if (t.isPresent() && (t.get().length() > 64 || !t.get().matches("[A-Za-z0-9 <-]+")
                || IdentityFields.number(t.get()).isEmpty())) {
            throw DomainException.invalidField(field, field + " must be 1-64 letters, digits, spaces or dashes");
        }
        return t;
    }

    private static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /**
     * The portrait the face engine cuts from the case's newest document front for the face match (JPEG), as
     * step 2 and the liveness verify compare it: the same engine on the same image gives the same portrait, so
     * it is cut again when asked rather than kept as another copy of the face. Empty without a document front
     * or a face on it.
     */
    public Optional<byte[]> documentPortrait(Caller caller, String id) {
        return cases.image(caller, id, CaseService.ImageKind.ID_FRONT, DomainException::submissionNotFound)
                .flatMap(front -> faces.portraitFromDocument(front.bytes())).map(Portrait::jpeg);
    }

    private static void requireOpen(CaseRow row) {
        if (!CaseStatus.INCOMPLETE.wireName().equals(row.status)) {
            throw new DomainException(ErrorCode.CONFLICT, "Submission #" + row.publicId + " is already "
                    + row.status + ": no more step-2 attempts are taken");
        }
    }

    /** The associated data of a case's sealed face embedding (also for master key rotation). */
    public static byte[] faceAad(String publicId) {
        return ("face:" + publicId).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static float[] toFloats(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }
}
