package org.openkyc.server.liveness;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.common.Ids;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.LivenessLimitMapper;
import org.openkyc.server.storage.LivenessMapper;
import org.openkyc.server.storage.LivenessMapper.SessionRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness challenge sessions (docs/API.md C2), stored in the database so that any
 * replica serves them: three distinct random actions, a five-minute expiry,
 * bound to one profile of the caller's tenant, usable once.
 */
public final class LivenessSessions {

    /** How long a session can be used. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    /** How many actions a session asks for. */
    public static final int ACTIONS = 3;

    private static final Logger log = LoggerFactory.getLogger(LivenessSessions.class);
    private static final int ID_LENGTH = 24;

    /** The window the per-profile cap counts sessions in. */
    public static final Duration CAP_WINDOW = Duration.ofHours(24);
    /** The cap when none is configured (OPENKYC_LIVENESS_MAX_PER_DAY). */
    public static final int DEFAULT_MAX_PER_DAY = 10;

    private final Database db;
    private final Clock clock;
    private final Random random;
    private final int maxPerDay;

    public LivenessSessions(Database db, Clock clock) {
        this(db, clock, DEFAULT_MAX_PER_DAY);
    }

    /** Sessions with at most {@code maxPerDay} started per profile in any 24 hours. */
    public LivenessSessions(Database db, Clock clock, int maxPerDay) {
        this(db, clock, new SecureRandom(), maxPerDay);
    }

    LivenessSessions(Database db, Clock clock, Random random, int maxPerDay) {
        if (maxPerDay < 1) {
            throw new IllegalArgumentException("maxPerDay must be at least 1");
        }
        this.db = db;
        this.clock = clock;
        this.random = random;
        this.maxPerDay = maxPerDay;
    }

    /**
     * Starts a session for a profile of the caller's tenant; another tenant's profile is not found. A profile
     * that already started the configured number of sessions in the last 24 hours is refused as
     * {@link ErrorCode#RATE_LIMITED}, with the time until its oldest session in the window ages out; as a
     * verify uses up a session, this caps verifications too.
     */
    public LivenessSession start(Caller caller, String profileId) {
        String pid = profileId == null ? "" : profileId.strip();
        if (pid.isEmpty()) {
            throw DomainException.invalidField("profileId", "profileId is required");
        }
        List<ChallengeAction> actions = drawActions(random);
        Instant now = clock.instant();
        SessionRow row = new SessionRow();
        row.publicId = Ids.random(ID_LENGTH);
        row.tenantId = caller.tenantId();
        row.actions = actions.stream().map(Enum::name).collect(Collectors.joining(","));
        row.status = LivenessSession.Status.CREATED.wireName();
        row.createdAt = utc(now);
        row.expiresAt = utc(now.plus(LIFETIME));
        db.inTransaction(s -> {
            CaseMapper.CaseRow c = Ids.plausible(pid) ? s.getMapper(CaseMapper.class)
                    .caseByPublicId(caller.tenantId(), pid) : null;
            if (c == null) {
                throw DomainException.profileNotFound(Ids.plausible(pid) ? pid : "?");
            }
            row.caseId = c.id;
            row.casePublicId = c.publicId;
            LivenessLimitMapper limits = s.getMapper(LivenessLimitMapper.class);
            limits.lockCase(c.id);
            LivenessLimitMapper.Window w = limits.startedSince(c.id, utc(now.minus(CAP_WINDOW)));
            if (w != null && w.started >= maxPerDay) {
                Duration wait = w.oldest == null ? CAP_WINDOW
                        : Duration.between(now, instant(w.oldest).plus(CAP_WINDOW));
                throw new DomainException(ErrorCode.RATE_LIMITED, "This profile started " + maxPerDay
                        + " liveness sessions in the last 24 hours; try again later",
                        wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
            }
            s.getMapper(LivenessMapper.class).insertSession(row);
            return null;
        });
        log.info("liveness session started case={} tenant={} by={}", pid, caller.tenantId(), caller.keyId());
        return toSession(row, now);
    }

    /**
     * A session of the caller's tenant with its status. A missing session, one
     * of another tenant, or an unused session past its expiry is an error.
     */
    public LivenessSession get(Caller caller, String sessionId) {
        SessionRow row = db.read(s -> find(s.getMapper(LivenessMapper.class), caller, sessionId));
        LivenessSession session = toSession(row, clock.instant());
        if (session.status() == LivenessSession.Status.EXPIRED) {
            throw new DomainException(ErrorCode.CONFLICT, "Liveness session " + row.publicId + " expired at "
                    + session.expiresAt() + "; start a new one");
        }
        return session;
    }

    /**
     * Claims a session for one verification, exactly once: a conditional
     * UPDATE, so of two concurrent claims one wins. Refuses a missing session,
     * one of another profile, one already used and one past its expiry, each
     * with its own message.
     */
    public LivenessSession consume(Caller caller, String sessionId, String profileId) {
        Instant now = clock.instant();
        return db.inTransaction(s -> {
            LivenessMapper m = s.getMapper(LivenessMapper.class);
            SessionRow row = find(m, caller, sessionId);
            String pid = profileId == null ? "" : profileId.strip();
            if (!row.casePublicId.equals(pid)) {
                throw new DomainException(ErrorCode.CONFLICT,
                        "Liveness session " + row.publicId + " belongs to another profile");
            }
            if (m.claim(row.id, utc(now)) == 1) {
                return toSession(row, now);
            }
            SessionRow current = m.sessionByPublicId(caller.tenantId(), row.publicId);
            if (current.consumedAt != null || !LivenessSession.Status.CREATED.wireName().equals(current.status)) {
                throw new DomainException(ErrorCode.CONFLICT,
                        "Liveness session " + row.publicId + " was already used; start a new one");
            }
            throw new DomainException(ErrorCode.CONFLICT,
                    "Liveness session " + row.publicId + " expired at " + instant(current.expiresAt)
                            + "; start a new one");
        });
    }

    /** Three distinct actions in random order. */
    static List<ChallengeAction> drawActions(Random random) {
        List<ChallengeAction> all = new ArrayList<>(Arrays.asList(ChallengeAction.values()));
        Collections.shuffle(all, random);
        return List.copyOf(all.subList(0, ACTIONS));
    }

    private static SessionRow find(LivenessMapper m, Caller caller, String sessionId) {
        String id = sessionId == null ? "" : sessionId.strip();
        if (id.isEmpty()) {
            throw DomainException.invalidField("sessionId", "sessionId is required");
        }
        SessionRow row = Ids.plausible(id) ? m.sessionByPublicId(caller.tenantId(), id) : null;
        if (row == null) {
            throw new DomainException(ErrorCode.NOT_FOUND,
                    "Liveness session " + (Ids.plausible(id) ? id : "?") + " not found");
        }
        return row;
    }

    private static LivenessSession toSession(SessionRow r, Instant now) {
        Instant expires = instant(r.expiresAt);
        LivenessSession.Status status = LivenessSession.Status.valueOf(
                r.status.toUpperCase(java.util.Locale.ROOT));
        if (status == LivenessSession.Status.CREATED && !now.isBefore(expires)) {
            status = LivenessSession.Status.EXPIRED;
        }
        List<ChallengeAction> actions = Arrays.stream(r.actions.split(",")).map(ChallengeAction::valueOf).toList();
        return new LivenessSession(r.publicId, r.casePublicId, actions, status, instant(r.createdAt), expires);
    }

    private static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(LocalDateTime t) {
        return t.toInstant(ZoneOffset.UTC);
    }
}
