package org.openkyc.server.screening;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.common.Ids;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.ScreeningMapper;
import org.openkyc.server.storage.ScreeningMapper.CandidateRow;
import org.openkyc.server.storage.ScreeningMapper.ScreeningRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Screenings as records: runs the {@link SanctionsScreener}, stores the
 * screening (query encrypted, list versions, candidates with their breakdown,
 * decision, time) in the caller's tenant, attaches it to a case when asked
 * (setting the case's AML result and resource id), reads it back and renders
 * its PDF report. Another tenant's screening is not found.
 */
public final class ScreeningService {

    private static final Logger log = LoggerFactory.getLogger(ScreeningService.class);
    static final int ID_LENGTH = 20;
    static final int MAX_NAMES = 20;
    static final int MAX_NAME_LENGTH = 300;

    private final Database db;
    private final SanctionsScreener screener;
    private final AesGcm aes;
    private final AmlReportRenderer reports;
    private final Clock clock;
    private final Gson gson = new Gson();

    public ScreeningService(Database db, SanctionsScreener screener, AesGcm aes, AmlReportRenderer reports,
            Clock clock) {
        this.db = db;
        this.screener = screener;
        this.aes = aes;
        this.reports = reports;
        this.clock = clock;
    }

    /** A PDF report and the id printed on it. */
    public record Report(String reportId, byte[] pdf) {
    }

    /**
     * Validates what a caller sent: at least one name (the first is the
     * primary name), a birth date as YYYY, YYYY-MM or YYYY-MM-DD, a
     * nationality as ISO alpha-2 or alpha-3.
     */
    public static ScreeningQuery query(EntityKind kind, List<String> names, String birthDate, String nationality) {
        List<String> clean = new ArrayList<>();
        for (String n : names) {
            if (n == null || n.isBlank()) {
                continue;
            }
            String v = n.strip();
            if (v.length() > MAX_NAME_LENGTH) {
                throw DomainException.invalid("a name is longer than " + MAX_NAME_LENGTH + " characters");
            }
            if (v.chars().anyMatch(Character::isISOControl)) {
                throw DomainException.invalid("a name holds control characters");
            }
            if (NameNormalizer.tokens(v, kind).isEmpty()) {
                throw DomainException.invalid("a name holds no letters or digits");
            }
            clean.add(v);
        }
        if (clean.isEmpty()) {
            throw DomainException.invalidField("name", "name is required");
        }
        if (clean.size() > MAX_NAMES) {
            throw DomainException.invalid("at most " + MAX_NAMES + " names and aliases");
        }
        Optional<BirthDate> dob = Optional.empty();
        if (birthDate != null && !birthDate.isBlank()) {
            dob = Optional.of(BirthDate.parseIso(birthDate).orElseThrow(() -> DomainException.invalid(
                    "birth_date must be YYYY-MM-DD, YYYY-MM or YYYY")));
        }
        Optional<String> nat = Optional.empty();
        if (nationality != null && !nationality.isBlank()) {
            nat = Optional.of(Countries.fromCode(nationality).orElseThrow(() -> DomainException.invalid(
                    "nationality must be an ISO 3166-1 alpha-2 or alpha-3 country code")));
        }
        return new ScreeningQuery(kind, clean, dob, nat);
    }

    /** Screens the subject and stores the screening, attached to the case when one is given. */
    public ScreeningRecord screen(Caller caller, ScreeningQuery query, Optional<String> caseId) {
        if (caseId.isPresent()) {
            // Refuse an unknown case before screening, so that bad input leaves no trace.
            requireCase(caller, caseId.get());
        }
        ScreeningRecord rec = run(query, caseId);
        db.inTransaction(s -> {
            Long internalCase = null;
            if (caseId.isPresent()) {
                CaseMapper cm = s.getMapper(CaseMapper.class);
                CaseMapper.CaseRow c = cm.lockCase(caller.tenantId(), caseId.get());
                if (c == null) {
                    throw DomainException.submissionNotFound(caseId.get());
                }
                internalCase = c.id;
            }
            store(s, caller, rec, internalCase);
            return null;
        });
        log.info("screening stored id={} tenant={} decision={} candidates={} case={} by={}", rec.resourceId(),
                caller.tenantId(), rec.decision().wireName(), rec.candidates().size(), caseId.orElse("-"),
                caller.keyId());
        return rec;
    }

    /**
     * Runs the screener on the query and returns the screening, not yet stored (for a caller that stores it
     * in its own transaction with {@link #store}).
     *
     * @throws DomainException UNAVAILABLE when no sanctions list is loaded
     */
    public ScreeningRecord run(ScreeningQuery query, Optional<String> caseId) {
        ScreeningOutcome outcome = screener.screen(query);
        return new ScreeningRecord(Ids.random(ID_LENGTH), caseId, query, outcome.normalizedNames(),
                outcome.lists(), outcome.candidates(), outcome.decision(), outcome.threshold(),
                outcome.reviewFloor(), truncate(clock.instant()));
    }

    /**
     * Stores a screening from {@link #run} in the caller's tenant inside the given transaction, attached to
     * the case with that internal id when one is given (setting the case's AML result and resource id).
     */
    public void store(SqlSession s, Caller caller, ScreeningRecord rec, Long internalCase) {
        ScreeningMapper m = s.getMapper(ScreeningMapper.class);
        ScreeningRow row = new ScreeningRow();
        row.publicId = rec.resourceId();
        row.tenantId = caller.tenantId();
        row.caseId = internalCase;
        row.subjectKind = rec.query().kind().name();
        row.queryEnc = aes.encrypt(queryJson(rec).getBytes(StandardCharsets.UTF_8), aad("query", rec.resourceId()));
        row.listVersions = versionsJson(rec.lists());
        row.decision = rec.decision().wireName();
        row.bestScore = decimal(rec.bestScore());
        row.threshold = decimal(rec.threshold());
        row.reviewFloor = decimal(rec.reviewFloor());
        row.screenedBy = caller.actor();
        row.createdAt = LocalDateTime.ofInstant(rec.screenedAt(), ZoneOffset.UTC);
        m.insertScreening(row);
        int rank = 0;
        for (Candidate c : rec.candidates()) {
            rank++;
            CandidateRow cr = new CandidateRow();
            cr.screeningId = row.id;
            cr.rankNo = rank;
            cr.listSource = c.source();
            cr.entryId = c.entryId();
            cr.entryKind = c.kind().name();
            cr.listedName = cut(c.listedName(), 1000);
            cr.matchedName = cut(c.matchedName(), 1000);
            cr.score = decimal(c.score());
            cr.programs = c.programs().isEmpty() ? null : cut(String.join("; ", c.programs()), 1000);
            cr.breakdownEnc = aes.encrypt(breakdownJson(c).getBytes(StandardCharsets.UTF_8),
                    aad("candidate:" + rank, rec.resourceId()));
            m.insertCandidate(cr);
        }
        if (internalCase != null) {
            m.setCaseAml(internalCase, rec.decision().wireName(), rec.resourceId(), row.createdAt);
        }
    }

    /** Screens a case's person with the name, date of birth and nationality it holds, and attaches the result. */
    public ScreeningRecord screenCase(Caller caller, String caseId) {
        CaseMapper.CaseRow c = requireCase(caller, caseId);
        if (c.fullName == null || c.fullName.isBlank()) {
            throw DomainException.invalid("The case holds no name to screen yet");
        }
        ScreeningQuery q = personQuery(c.fullName, Optional.ofNullable(c.dateOfBirth),
                Optional.ofNullable(c.nationality));
        return screen(caller, q, Optional.of(caseId));
    }

    /** The query for a person with a full name, birth date and nationality (an unknown code is left out). */
    public static ScreeningQuery personQuery(String fullName, Optional<java.time.LocalDate> birthDate,
            Optional<String> nationality) {
        return new ScreeningQuery(EntityKind.PERSON, List.of(fullName),
                birthDate.map(d -> new BirthDate(d.getYear(), d.getMonthValue(), d.getDayOfMonth())),
                nationality.flatMap(Countries::fromCode));
    }

    /** A stored screening of the caller's tenant. */
    public ScreeningRecord get(Caller caller, String resourceId) {
        return db.read(s -> {
            ScreeningMapper m = s.getMapper(ScreeningMapper.class);
            ScreeningRow row = find(m, caller, resourceId);
            return toRecord(row, m.candidatesOf(row.id));
        });
    }

    /** The PDF report of a stored screening of the caller's tenant. */
    public Report report(Caller caller, String resourceId) {
        ScreeningRecord rec = get(caller, resourceId);
        String reportId = "AML-" + Ids.random(12).toUpperCase(Locale.ROOT);
        byte[] pdf = reports.render(rec, reportId, clock.instant());
        log.info("screening report rendered id={} report={} by={}", resourceId, reportId, caller.keyId());
        return new Report(reportId, pdf);
    }

    /** Reloads the lists (admin). */
    public List<ListVersion> reload(Caller caller) {
        List<ListVersion> v = screener.reload();
        log.info("sanctions lists reloaded by={}", caller.keyId());
        return v;
    }

    public List<ListVersion> versions() {
        return screener.versions();
    }

    private CaseMapper.CaseRow requireCase(Caller caller, String caseId) {
        if (!Ids.plausible(caseId)) {
            throw DomainException.submissionNotFound(caseId.replaceAll("[^A-Za-z0-9_-]", "?"));
        }
        CaseMapper.CaseRow c = db.read(s -> s.getMapper(CaseMapper.class).caseByPublicId(caller.tenantId(), caseId));
        if (c == null) {
            throw DomainException.submissionNotFound(caseId);
        }
        return c;
    }

    private static ScreeningRow find(ScreeningMapper m, Caller caller, String resourceId) {
        if (resourceId == null || resourceId.isBlank()) {
            throw DomainException.invalidField("resourceId", "resourceId is required");
        }
        String id = resourceId.strip();
        ScreeningRow row = Ids.plausible(id) ? m.screeningByPublicId(caller.tenantId(), id) : null;
        if (row == null) {
            throw new DomainException(ErrorCode.SCREENING_NOT_FOUND, "Screening not found");
        }
        return row;
    }

    private ScreeningRecord toRecord(ScreeningRow row, List<CandidateRow> rows) {
        JsonObject q = JsonParser.parseString(new String(aes.decrypt(row.queryEnc, aad("query", row.publicId)),
                StandardCharsets.UTF_8)).getAsJsonObject();
        List<String> names = strings(q.getAsJsonArray("names"));
        List<String> normalized = strings(q.getAsJsonArray("normalized"));
        Optional<BirthDate> dob = q.has("birthDate") ? BirthDate.parseIso(q.get("birthDate").getAsString())
                : Optional.empty();
        Optional<String> nat = q.has("nationality") ? Optional.of(q.get("nationality").getAsString())
                : Optional.empty();
        ScreeningQuery query = new ScreeningQuery(EntityKind.valueOf(row.subjectKind), names, dob, nat);
        List<ListVersion> lists = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(row.listVersions).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            lists.add(new ListVersion(o.get("source").getAsString(), o.get("sha256").getAsString(),
                    Instant.parse(o.get("loadedAt").getAsString()), o.get("entryCount").getAsInt()));
        }
        List<Candidate> candidates = new ArrayList<>();
        for (CandidateRow c : rows) {
            JsonObject b = JsonParser.parseString(new String(aes.decrypt(c.breakdownEnc,
                    aad("candidate:" + c.rankNo, row.publicId)), StandardCharsets.UTF_8)).getAsJsonObject();
            List<ScoreFeature> features = new ArrayList<>();
            for (JsonElement e : b.getAsJsonArray("features")) {
                JsonObject f = e.getAsJsonObject();
                features.add(new ScoreFeature(f.get("feature").getAsString(), f.get("contribution").getAsDouble(),
                        f.get("explanation").getAsString()));
            }
            candidates.add(new Candidate(c.listSource, c.entryId, EntityKind.valueOf(c.entryKind), c.listedName,
                    c.matchedName, b.get("queryName").getAsString(), c.score.doubleValue(), features,
                    c.programs == null ? List.of() : List.of(c.programs.split("; "))));
        }
        return new ScreeningRecord(row.publicId, Optional.ofNullable(row.casePublicId), query, normalized, lists,
                candidates, Decision.fromWireName(row.decision), row.threshold.doubleValue(),
                row.reviewFloor.doubleValue(), row.createdAt.toInstant(ZoneOffset.UTC));
    }

    private String queryJson(ScreeningRecord r) {
        JsonObject o = new JsonObject();
        o.add("names", gson.toJsonTree(r.query().names()));
        o.add("normalized", gson.toJsonTree(r.normalizedNames()));
        r.query().birthDate().ifPresent(d -> o.addProperty("birthDate", d.toString()));
        r.query().nationality().ifPresent(n -> o.addProperty("nationality", n));
        return o.toString();
    }

    private static String versionsJson(List<ListVersion> versions) {
        JsonArray a = new JsonArray();
        for (ListVersion v : versions) {
            JsonObject o = new JsonObject();
            o.addProperty("source", v.source());
            o.addProperty("sha256", v.sha256());
            o.addProperty("loadedAt", v.loadedAt().toString());
            o.addProperty("entryCount", v.entryCount());
            a.add(o);
        }
        return a.toString();
    }

    private static String breakdownJson(Candidate c) {
        JsonObject o = new JsonObject();
        o.addProperty("queryName", c.queryName());
        JsonArray a = new JsonArray();
        for (ScoreFeature f : c.breakdown()) {
            JsonObject fo = new JsonObject();
            fo.addProperty("feature", f.feature());
            fo.addProperty("contribution", f.contribution());
            fo.addProperty("explanation", f.explanation());
            a.add(fo);
        }
        o.add("features", a);
        return o.toString();
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    /** The associated data of a sealed screening value (also for master key rotation). */
    public static byte[] aad(String what, String publicId) {
        return ("aml_screenings:" + publicId + ":" + what).getBytes(StandardCharsets.UTF_8);
    }

    private static BigDecimal decimal(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static Instant truncate(Instant t) {
        return Instant.ofEpochMilli(t.toEpochMilli());
    }
}
