package org.openkyc.server.kyc;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.common.Ids;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.liveness.LivenessResult;
import org.openkyc.server.storage.BlobStore;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.CaseMapper.CaseRow;
import org.openkyc.server.storage.Database;
import org.openkyc.server.webhook.WebhookEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KYC case: creation, reading and listing within the caller's tenant,
 * review decisions with their audit trail, images, and deletion. Both the
 * submissions API and the KYC web/admin API work through this one service, so
 * they always show the same case (docs/API.md C4).
 */
public final class CaseService {

    private static final Logger log = LoggerFactory.getLogger(CaseService.class);
    private static final int ID_LENGTH = 16;
    public static final int MAX_REMARK = 1000;

    private final Database db;
    private final BlobStore blobs;
    private final Clock clock;
    private final QueueCounts queueCounts;

    public CaseService(Database db, BlobStore blobs, Clock clock) {
        this(db, blobs, clock, QueueCounts.off());
    }

    /** With the reviewer queue's counts per status kept briefly by {@code queueCounts}. */
    public CaseService(Database db, BlobStore blobs, Clock clock, QueueCounts queueCounts) {
        this.db = db;
        this.blobs = blobs;
        this.clock = clock;
        this.queueCounts = queueCounts;
    }

    /** An image kept with a case. */
    public enum ImageKind {
        ID_FRONT, ID_BACK, SELFIE
    }

    /** A stored image and its media type. */
    public record StoredImage(String mediaType, byte[] bytes) {
    }

    /** One page of the admin list and the number of matching cases. */
    /**
     * Filters of the admin list; empty ones do not filter. {@code createdTo} is inclusive.
     */
    public record AdminFilter(Optional<CaseStatus> status, Optional<String> userId,
            Optional<java.time.LocalDate> createdFrom, Optional<java.time.LocalDate> createdTo, boolean oldestFirst,
            Optional<String> unmetRule, Optional<String> screening) {
        public static final AdminFilter NONE = new AdminFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false);

        public AdminFilter(Optional<CaseStatus> status, Optional<String> userId,
                Optional<java.time.LocalDate> createdFrom, Optional<java.time.LocalDate> createdTo,
                boolean oldestFirst) {
            this(status, userId, createdFrom, createdTo, oldestFirst, Optional.empty(), Optional.empty());
        }
    }

    /** The screening results the queue filters by: never screened, and the three results of a screening. */
    public static final List<String> SCREENING_FILTERS = List.of("none", "clear", "pending", "hit");

    /**
     * A page of the admin list: its cases, the number matching in all and per status (counted at
     * {@code countedAt}, which is earlier than now when large counts were kept), and the cursor of the next
     * page when one follows.
     */
    public record AdminPage(List<KycCase> items, long total, Map<String, Long> statusCounts,
            Optional<String> nextCursor, Instant countedAt) {
        public AdminPage(List<KycCase> items, long total) {
            this(items, total, Map.of(), Optional.empty(), Instant.EPOCH);
        }

        public AdminPage(List<KycCase> items, long total, Map<String, Long> statusCounts) {
            this(items, total, statusCounts, Optional.empty(), Instant.EPOCH);
        }
    }

    /** Creates a profile (KYC web API /submit): a new, incomplete case. */
    public KycCase createProfile(Caller caller, String userId, String country) {
        String user = requireText(userId, "userId", 255);
        String ctry = requireCountry(country, "country");
        Instant now = clock.instant();
        CaseRow row = new CaseRow();
        row.publicId = Ids.random(ID_LENGTH);
        row.tenantId = caller.tenantId();
        row.userId = user;
        row.country = ctry;
        row.status = CaseStatus.INCOMPLETE.wireName();
        row.applicantId = Ids.random(ID_LENGTH);
        row.retryCount = 0;
        row.createdAt = utc(now);
        row.updatedAt = row.createdAt;
        db.inTransaction(s -> {
            CaseMapper m = s.getMapper(CaseMapper.class);
            m.insertCase(row);
            m.insertAudit(audit(row.id, caller, null, CaseStatus.INCOMPLETE, "profile created", now));
            return null;
        });
        log.info("case created id={} tenant={} by={}", row.publicId, caller.tenantId(), caller.keyId());
        return toCase(row, List.of());
    }

    /** One case of the caller's tenant; another tenant's id is not found. */
    public KycCase get(Caller caller, String id, Function<String, DomainException> notFound) {
        requirePlausible(id, notFound);
        // One statement: the case joined with its attempts (a handful at most).
        List<CaseMapper.CaseAttemptRow> rows = db.read(s -> s.getMapper(CaseMapper.class)
                .caseWithAttempts(caller.tenantId(), id));
        if (rows.isEmpty()) {
            throw notFound.apply(id);
        }
        return grouped(rows).get(0);
    }

    /**
     * What the status of a profile shows: the case, its newest document and its newest liveness result, read
     * in one statement. Another tenant's id is not found.
     */
    public ProfileStatus status(Caller caller, String id, Function<String, DomainException> notFound) {
        requirePlausible(id, notFound);
        CaseMapper.StatusRow row = db.read(s -> s.getMapper(CaseMapper.class).statusByPublicId(caller.tenantId(), id));
        if (row == null) {
            throw notFound.apply(id);
        }
        Optional<ProfileStatus.LatestDocument> document = Optional.ofNullable(row.documentPublicId)
                .map(d -> new ProfileStatus.LatestDocument(d, DocumentService.Status.of(row.documentStatus),
                        Optional.ofNullable(row.documentSubmittedAt).map(t -> t.toInstant(ZoneOffset.UTC))));
        Optional<LivenessResult> liveness = Optional.ofNullable(row.livenessResult)
                .map(r -> new LivenessResult(r, row.livenessConfidence, row.livenessSource,
                        row.livenessAt.toInstant(ZoneOffset.UTC), Optional.ofNullable(row.livenessFaceMatchScore)));
        return new ProfileStatus(toCase(row, List.of()), document, liveness);
    }

    /** Lists cases of the caller's tenant, newest first, one page. */
    public CasePage list(Caller caller, CaseQuery q) {
        if (q.limit() < 1 || q.limit() > CaseQuery.MAX_LIMIT) {
            throw DomainException.invalidField("count", "count must be between 1 and " + CaseQuery.MAX_LIMIT);
        }
        CaseMapper.CaseFilter f = filter(caller);
        f.userId = q.userId().orElse(null);
        f.email = q.email().orElse(null);
        f.createdFrom = q.startDate().map(d -> d.atStartOfDay()).orElse(null);
        f.createdBefore = q.endDate().map(d -> d.plusDays(1).atStartOfDay()).orElse(null);
        f.status = q.status().map(CaseStatus::wireName).orElse(null);
        f.applicantId = q.applicantId().orElse(null);
        f.limit = q.limit() + 1;
        return db.read(s -> {
            CaseMapper m = s.getMapper(CaseMapper.class);
            if (q.after().isPresent()) {
                CaseQuery.Cursor c = q.after().get();
                // Only the cursor case's place in the page order: its fields are not read, nor opened.
                CaseMapper.Anchor anchor = Ids.plausible(c.id())
                        ? m.anchorByPublicId(caller.tenantId(), c.id()) : null;
                f.cursorCreatedAt = utc(c.createdAt());
                // A deleted anchor still pages correctly by time; its id breaks ties otherwise.
                f.cursorId = anchor != null && anchor.createdAt.equals(f.cursorCreatedAt) ? anchor.id : Long.MAX_VALUE;
            }
            // One statement: the page of cases joined with their attempts, put in page order here.
            List<CaseMapper.CaseAttemptRow> rows = new ArrayList<>(m.listCasesWithAttempts(f));
            rows.sort(PAGE_ORDER);
            List<KycCase> cases = grouped(rows);
            boolean more = cases.size() > q.limit();
            List<KycCase> items = more ? cases.subList(0, q.limit()) : cases;
            Optional<CaseQuery.Cursor> next = more
                    ? Optional.of(new CaseQuery.Cursor(items.get(items.size() - 1).id(),
                            items.get(items.size() - 1).createdAt()))
                    : Optional.empty();
            return new CasePage(items, next);
        });
    }

    /** A page of the admin list (page numbers from 1), optionally only the given cases. */
    public AdminPage adminPage(Caller caller, Collection<String> ids, int page, int limit) {
        return adminPage(caller, ids, AdminFilter.NONE, page, limit);
    }

    /**
     * A page of the admin list (page numbers from 1) matching the filter, with the number of matching cases
     * per status (counted without the status filter, so a reviewer sees what each status holds).
     */
    public AdminPage adminPage(Caller caller, Collection<String> ids, AdminFilter filter, int page, int limit) {
        return adminPage(caller, ids, filter, page, limit, Optional.empty());
    }

    /**
     * A page of the reviewer queue in one statement: from the cursor of the previous page when given (each page
     * then costs the same however deep), else by page number. The counts per status come with the page, or,
     * when they are large, from a count kept for a few seconds (see {@link QueueCounts}).
     */
    public AdminPage adminPage(Caller caller, Collection<String> ids, AdminFilter filter, int page, int limit,
            Optional<String> cursor) {
        if (page < 1) {
            throw DomainException.invalidField("page", "page must be 1 or more");
        }
        if (limit < 1 || limit > 200) {
            throw DomainException.invalidField("limit", "limit must be between 1 and 200");
        }
        for (String id : ids) {
            if (!Ids.plausible(id)) {
                throw DomainException.invalidField("profileIds", "profileIds holds a value that is not a profile id");
            }
        }
        CaseMapper.CaseFilter f = filter(caller);
        f.publicIds = ids.isEmpty() ? null : ids;
        f.userId = filter.userId().orElse(null);
        f.createdFrom = filter.createdFrom().map(d -> d.atStartOfDay()).orElse(null);
        f.createdBefore = filter.createdTo().map(d -> d.plusDays(1).atStartOfDay()).orElse(null);
        f.oldestFirst = filter.oldestFirst();
        if (filter.unmetRule().isPresent()) {
            String rule = filter.unmetRule().get().strip();
            if (!rule.matches("[A-Za-z0-9_.:-]{1,64}")) {
                throw DomainException.invalidField("unmetRule",
                        "unmetRule must be a rule code such as face_similarity_low (letters, digits, '_')");
            }
            f.unmetRule = rule;
        }
        if (filter.screening().isPresent()) {
            String sc = filter.screening().get().strip().toLowerCase(java.util.Locale.ROOT);
            if (!SCREENING_FILTERS.contains(sc)) {
                throw DomainException.invalidField("screening", "screening must be none, clear, pending or hit");
            }
            f.unscreened = sc.equals("none");
            f.screening = f.unscreened ? null : sc;
        }
        if (cursor.isPresent()) {
            QueueCursor c = QueueCursor.decode(cursor.get());
            if (c.oldestFirst() != filter.oldestFirst()) {
                throw DomainException.invalidField("cursor", "cursor belongs to the other order: keep oldestFirst"
                        + " as it was for the first page");
            }
            f.cursorCreatedAt = utc(c.createdAt());
            f.cursorId = c.id();
            f.offset = 0;
        } else {
            f.offset = (int) Math.min(Integer.MAX_VALUE, (long) (page - 1) * limit);
        }
        // One more than the page: whether a next page follows.
        f.limit = limit + 1;
        String countKey = caller.tenantId() + "|" + f.userId + "|" + f.createdFrom + "|" + f.createdBefore + "|"
                + f.unmetRule + "|" + f.screening + "|" + f.unscreened + "|" + f.publicIds;
        Instant now = clock.instant();
        Optional<QueueCounts.Counted> kept = queueCounts.get(countKey, now);
        f.withCounts = kept.isEmpty();
        f.status = filter.status().map(CaseStatus::wireName).orElse(null);
        List<CaseMapper.QueueRow> rows = db.read(s -> s.getMapper(CaseMapper.class).queuePage(f));
        QueueCounts.Counted counted = kept.orElse(null);
        List<CaseMapper.QueueRow> cases = new ArrayList<>(rows.size());
        if (counted == null) {
            Map<String, Long> counts = new java.util.LinkedHashMap<>();
            for (CaseStatus st : CaseStatus.values()) {
                counts.put(st.wireName(), 0L);
            }
            String pairs = rows.stream().filter(r -> r != null && r.statusCounts != null).map(r -> r.statusCounts)
                    .findFirst().orElse("");
            for (String pair : pairs.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    counts.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                }
            }
            counted = new QueueCounts.Counted(Map.copyOf(counts), now);
            queueCounts.put(countKey, counted);
        }
        for (CaseMapper.QueueRow r : rows) {
            if (r != null && r.id != null) {
                cases.add(r);
            }
        }
        boolean more = cases.size() > limit;
        List<CaseMapper.QueueRow> pageRows = more ? cases.subList(0, limit) : cases;
        Optional<String> next = Optional.empty();
        if (more) {
            CaseMapper.QueueRow last = pageRows.get(pageRows.size() - 1);
            next = Optional.of(new QueueCursor(last.createdAt.toInstant(ZoneOffset.UTC), last.id,
                    filter.oldestFirst()).encode());
        }
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (CaseStatus st : CaseStatus.values()) {
            counts.put(st.wireName(), counted.counts().getOrDefault(st.wireName(), 0L));
        }
        long total = f.status == null ? counted.total() : counts.getOrDefault(f.status, 0L);
        List<KycCase> items = pageRows.stream().map(r -> toCase(r, List.of())).toList();
        return new AdminPage(items, total, counts, next, counted.at());
    }

    /** Changes a case's review status and records who, when, from, to and why. */
    public StatusChange updateStatus(Caller caller, String id, CaseStatus target, String remark,
            Function<String, DomainException> notFound) {
        return updateStatus(caller, id, target, remark, Optional.empty(), notFound);
    }

    /**
     * Changes a case's review status as {@link #updateStatus(Caller, String, CaseStatus, String, Function)},
     * refused with a conflict when {@code basedOn} is given and the case changed since that time (another
     * reviewer decided first).
     */
    public StatusChange updateStatus(Caller caller, String id, CaseStatus target, String remark,
            Optional<Instant> basedOn, Function<String, DomainException> notFound) {
        return decide(caller, id, ReviewDecision.of(target), remark, basedOn, notFound);
    }

    /**
     * Records a reviewer's decision: the case's new status, its comments, the audit entry (with the decision) and
     * the webhook event, in one transaction. A request for resubmission sends a decided or pending case back to
     * incomplete with the comment code {@code resubmission_requested} and the remark as its comment, and counts
     * its step-2 attempts afresh, so that its user can submit again; a case already waiting for its user is
     * refused (409). With {@code basedOn}, a case that changed since that time is refused (409).
     */
    public StatusChange decide(Caller caller, String id, ReviewDecision decision, String remark,
            Optional<Instant> basedOn, Function<String, DomainException> notFound) {
        String cleanRemark = remark == null || remark.isBlank() ? null : remark.strip();
        if (cleanRemark != null && cleanRemark.length() > MAX_REMARK) {
            throw DomainException.invalidField("remark", "remark is longer than " + MAX_REMARK + " characters");
        }
        CaseStatus target = decision.target();
        Instant now = clock.instant();
        return db.inTransaction(s -> {
            CaseMapper m = s.getMapper(CaseMapper.class);
            CaseRow row = find(m, caller, id, notFound);
            row = m.lockCase(caller.tenantId(), row.publicId);
            if (basedOn.isPresent() && !row.updatedAt.equals(utc(basedOn.get()))) {
                throw new DomainException(ErrorCode.CONFLICT, "The profile changed since it was read (now "
                        + row.status + "): reload it and decide again");
            }
            CaseStatus from = CaseStatus.fromWireName(row.status).orElseThrow();
            List<String> comments = List.of();
            List<String> codes = List.of();
            if (target == CaseStatus.REJECTED) {
                comments = List.of(cleanRemark != null ? cleanRemark : "Rejected by a reviewer");
                codes = List.of("rejected_by_reviewer");
            } else if (decision == ReviewDecision.RESUBMISSION_REQUESTED) {
                if (from == CaseStatus.INCOMPLETE) {
                    throw new DomainException(ErrorCode.CONFLICT, "Profile " + row.publicId
                            + " is already incomplete: it waits for its user to submit");
                }
                comments = List.of(cleanRemark != null ? cleanRemark : "A reviewer asked for a new submission");
                codes = List.of(ReviewDecision.RESUBMISSION_CODE);
            }
            LocalDateTime at = utc(now);
            LocalDateTime reviewedAt = target == CaseStatus.PENDING ? null : at;
            m.updateStatus(row.id, row.status, target.wireName(), join(comments), join(codes), at, reviewedAt);
            if (decision == ReviewDecision.RESUBMISSION_REQUESTED) {
                s.getMapper(org.openkyc.server.storage.Step2Mapper.class).setRetryCount(row.id, 0, at);
            }
            CaseMapper.AuditRow a = audit(row.id, caller, from, target, cleanRemark, now);
            a.decision = decision.wireName();
            m.insertAudit(a);
            WebhookEvents.caseStatusChanged(s, caller.tenantId(), row.publicId, from.wireName(), target.wireName(),
                    decision == ReviewDecision.RESUBMISSION_REQUESTED ? Optional.of(decision.wireName())
                            : Optional.empty(), now);
            log.info("case status changed id={} from={} to={} decision={} by={}", row.publicId, from.wireName(),
                    target.wireName(), decision.wireName(), caller.keyId());
            return new StatusChange(caller.actor(), now, Optional.of(from), target, Optional.ofNullable(cleanRemark),
                    Optional.of(decision));
        });
    }

    /** Every status change of a case, oldest first. */
    public List<StatusChange> history(Caller caller, String id, Function<String, DomainException> notFound) {
        return db.read(s -> {
            CaseMapper m = s.getMapper(CaseMapper.class);
            CaseRow row = find(m, caller, id, notFound);
            return m.auditOf(row.id).stream()
                    .map(a -> new StatusChange(a.actor, a.changedAt.toInstant(ZoneOffset.UTC),
                            Optional.ofNullable(a.fromStatus).flatMap(CaseStatus::fromWireName),
                            CaseStatus.fromWireName(a.toStatus).orElseThrow(),
                            Optional.ofNullable(a.remark),
                            Optional.ofNullable(a.decision).flatMap(ReviewDecision::fromWireName)))
                    .toList();
        });
    }

    /** Stores an image with a case (encrypted in the blob store). */
    public void attachImage(Caller caller, String id, ImageKind kind, String mediaType, byte[] bytes,
            Function<String, DomainException> notFound) {
        String key = blobs.put(bytes);
        try {
            db.inTransaction(s -> {
                CaseMapper m = s.getMapper(CaseMapper.class);
                CaseRow row = find(m, caller, id, notFound);
                CaseMapper.ImageRow img = new CaseMapper.ImageRow();
                img.caseId = row.id;
                img.kind = kind.name();
                img.blobKey = key;
                img.mediaType = mediaType;
                img.sizeBytes = (long) bytes.length;
                img.createdAt = utc(clock.instant());
                m.insertImage(img);
                return null;
            });
        } catch (RuntimeException e) {
            blobs.deleteUnreferenced(List.of(key), "a failed image attach");
            throw e;
        }
    }

    /** Whether the case keeps an image of the kind (without reading it). */
    public boolean hasImage(Caller caller, String id, ImageKind kind, Function<String, DomainException> notFound) {
        return db.read(s -> {
            CaseMapper m = s.getMapper(CaseMapper.class);
            CaseRow c = find(m, caller, id, notFound);
            return m.imagesOf(c.id).stream().anyMatch(i -> i.kind.equals(kind.name()));
        });
    }

    /**
     * Whether a reviewer can be shown the document portrait: a face match compared it (a step-2 attempt, or the
     * liveness check when {@code livenessCompared}) and the case has the document front it is cut from again.
     */
    public boolean portraitAvailable(Caller caller, KycCase c, boolean livenessCompared) {
        boolean compared = livenessCompared || c.attempts().stream().anyMatch(a -> a.faceSimilarityScore().isPresent());
        return compared && hasImage(caller, c.id(), ImageKind.ID_FRONT, DomainException::profileNotFound);
    }

    /** The newest image of the kind, if the case has one. */
    public Optional<StoredImage> image(Caller caller, String id, ImageKind kind,
            Function<String, DomainException> notFound) {
        Optional<CaseMapper.ImageRow> row = db.read(s -> {
            CaseMapper m = s.getMapper(CaseMapper.class);
            CaseRow c = find(m, caller, id, notFound);
            return m.imagesOf(c.id).stream().filter(i -> i.kind.equals(kind.name()))
                    .reduce((a, b) -> b);
        });
        return row.flatMap(r -> blobs.get(r.blobKey).map(b -> new StoredImage(r.mediaType, b)));
    }

    /**
     * Deletes a case for good: its row and every derived row in one
     * transaction, then its image blobs. A deletion record without personal
     * data is kept.
     */
    public void delete(Caller caller, String id, Function<String, DomainException> notFound) {
        List<String> blobKeys = db.inTransaction(s -> {
            CaseMapper m = s.getMapper(CaseMapper.class);
            CaseRow row = find(m, caller, id, notFound);
            row = m.lockCase(caller.tenantId(), row.publicId);
            List<String> keys = m.imagesOf(row.id).stream().map(i -> i.blobKey).toList();
            m.deleteCase(row.id);
            m.insertDeletion(row.publicId, caller.tenantId(), caller.actor(), utc(clock.instant()));
            return keys;
        });
        // The rows are gone, so nothing refers to the blobs any more.
        blobs.deleteUnreferenced(blobKeys, "a deleted case");
        log.info("case deleted id={} tenant={} by={}", id, caller.tenantId(), caller.keyId());
    }

    private static CaseRow find(CaseMapper m, Caller caller, String id, Function<String, DomainException> notFound) {
        requirePlausible(id, notFound);
        CaseRow row = m.caseByPublicId(caller.tenantId(), id);
        if (row == null) {
            throw notFound.apply(id);
        }
        return row;
    }

    /** An id that cannot be one is refused without a look-up. */
    private static void requirePlausible(String id, Function<String, DomainException> notFound) {
        if (!Ids.plausible(id)) {
            if (id == null || id.isBlank()) {
                throw DomainException.invalid("An id is required");
            }
            throw notFound.apply(sanitize(id));
        }
    }

    private static String sanitize(String id) {
        String s = id.replaceAll("[^A-Za-z0-9_-]", "?");
        return s.length() > 32 ? s.substring(0, 32) + "..." : s;
    }

    private static CaseMapper.CaseFilter filter(Caller caller) {
        CaseMapper.CaseFilter f = new CaseMapper.CaseFilter();
        f.tenantId = caller.tenantId();
        return f;
    }

    /** The order of a list page's rows: newest case first (ties by id), each case's attempts in order. */
    private static final Comparator<CaseMapper.CaseAttemptRow> PAGE_ORDER = Comparator
            .comparing((CaseMapper.CaseAttemptRow r) -> r.createdAt, Comparator.reverseOrder())
            .thenComparing(r -> r.id, Comparator.reverseOrder())
            .thenComparing(r -> r.attemptNo, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** Cases from rows of a case joined with its attempts, each case's rows together, in their order. */
    private static List<KycCase> grouped(List<CaseMapper.CaseAttemptRow> rows) {
        Map<Long, List<CaseMapper.CaseAttemptRow>> byCase = new java.util.LinkedHashMap<>();
        for (CaseMapper.CaseAttemptRow r : rows) {
            byCase.computeIfAbsent(r.id, k -> new ArrayList<>()).add(r);
        }
        List<KycCase> out = new ArrayList<>(byCase.size());
        for (List<CaseMapper.CaseAttemptRow> caseRows : byCase.values()) {
            out.add(toCase(caseRows.get(0), caseRows.stream().map(CaseMapper.CaseAttemptRow::attempt)
                    .filter(a -> a != null).toList()));
        }
        return out;
    }

    private static KycCase toCase(CaseRow r, List<CaseMapper.AttemptRow> attempts) {
        return new KycCase(r.publicId, opt(r.userId), opt(r.email), opt(r.country), opt(r.fullName),
                opt(r.gender), opt(r.nationality), Optional.ofNullable(r.dateOfBirth), opt(r.cf1),
                opt(r.ipAddress), opt(r.idType), opt(r.issuingCountry), Optional.ofNullable(r.issueDate),
                opt(r.identityNumberMasked), CaseStatus.fromWireName(r.status).orElseThrow(),
                split(r.comments), split(r.commentCodes), opt(r.applicantId),
                r.retryCount == null ? 0 : r.retryCount, opt(r.amlResult), opt(r.amlResourceId),
                r.createdAt.toInstant(ZoneOffset.UTC), r.updatedAt.toInstant(ZoneOffset.UTC),
                Optional.ofNullable(r.reviewedAt).map(t -> t.toInstant(ZoneOffset.UTC)),
                attempts.stream().map(a -> new KycCase.Attempt(a.attemptNo, Optional.ofNullable(a.livenessScore),
                        Optional.ofNullable(a.faceSimilarityScore), opt(a.fullName), opt(a.idType),
                        Optional.ofNullable(a.issueDate), opt(a.identityNumberMasked), opt(a.verificationResult),
                        opt(a.retryMsg), opt(a.registryCheck))).toList());
    }

    static CaseMapper.AuditRow audit(long caseId, Caller caller, CaseStatus from, CaseStatus to,
            String remark, Instant at) {
        CaseMapper.AuditRow a = new CaseMapper.AuditRow();
        a.caseId = caseId;
        a.actor = caller.actor();
        a.actorRole = caller.role().wireName();
        a.fromStatus = from == null ? null : from.wireName();
        a.toStatus = to.wireName();
        a.remark = remark;
        a.changedAt = utc(at);
        return a;
    }

    private static Optional<String> opt(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** Comments are stored one per line; a comment never holds a line break. */
    private static String join(List<String> values) {
        return values.isEmpty() ? null
                : values.stream().map(v -> v.replaceAll("[\\r\\n]+", " ")).collect(Collectors.joining("\n"));
    }

    private static List<String> split(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : Arrays.asList(stored.split("\n"));
    }

    static LocalDateTime utc(Instant t) {
        // DATETIME(3) keeps milliseconds; truncate so what is returned equals what is stored.
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).withNano((t.getNano() / 1_000_000) * 1_000_000);
    }

    static String requireText(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalidField(field, field + " is required");
        }
        String v = value.strip();
        if (v.length() > max) {
            throw DomainException.invalidField(field, field + " is longer than " + max + " characters");
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw DomainException.invalidField(field, field + " holds control characters");
        }
        return v;
    }

    static String requireCountry(String value, String field) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalidField(field, field + " is required");
        }
        String v = value.strip().toUpperCase(java.util.Locale.ROOT);
        if (!v.matches("[A-Z]{2,3}")) {
            throw DomainException.invalidField(field,
                    field + " must be an ISO 3166-1 alpha-2 or alpha-3 country code");
        }
        return v;
    }
}
