package org.openkyc.server.liveness;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.common.Ids;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.LivenessMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness results reported by an outside provider through the signed
 * callback (docs/API.md C1), and the latest liveness result of a case. Without a
 * configured secret every callback is refused.
 */
public final class LivenessCallbacks {

    public static final String SOURCE_CALLBACK = "callback";
    private static final Logger log = LoggerFactory.getLogger(LivenessCallbacks.class);
    private static final int MAX_ERROR_MESSAGE = 500;
    private static final int MAX_SESSION_ID = 128;

    private final Database db;
    private final Optional<CallbackSignature> signature;
    private final Clock clock;

    public LivenessCallbacks(Database db, Optional<CallbackSignature> signature, Clock clock) {
        this.db = db;
        this.signature = signature;
        this.clock = clock;
    }

    /**
     * Verifies the signature and timestamp, refuses a replay, and records the
     * result with the caller's profile. Nothing is stored unless every check
     * passes.
     *
     * @param rawBody the exact HTTP body the provider signed (REST: the request's raw_body, filled by the
     *                gateway; the adapter has checked that the fields were read from it), or empty over gRPC,
     *                where the canonical fields are signed
     */
    public void record(Caller caller, CallbackSignature.Fields f, String timestamp, String sig,
            Optional<byte[]> rawBody) {
        CallbackSignature verifier = signature.orElseThrow(() -> new DomainException(ErrorCode.UNAVAILABLE,
                "Liveness callbacks are not configured on this server (OPENKYC_LIVENESS_CALLBACK_SECRET)"));
        Instant now = clock.instant();
        String key = rawBody.isPresent() ? verifier.verify(timestamp, sig, rawBody.get(), now)
                : verifier.verify(timestamp, sig, f, now);
        String pid = f.profileId() == null ? "" : f.profileId().strip();
        if (pid.isEmpty()) {
            throw DomainException.invalidField("profileId", "profileId is required");
        }
        if (!"success".equals(f.result()) && !"fail".equals(f.result())) {
            throw DomainException.invalidField("result", "result must be success or fail");
        }
        if (!(f.confidence() >= 0 && f.confidence() <= 100)) {
            throw DomainException.invalidField("confidence", "confidence must be between 0 and 100");
        }
        if (f.sessionId() != null && f.sessionId().length() > MAX_SESSION_ID) {
            throw DomainException.invalidField("sessionId", "sessionId is longer than " + MAX_SESSION_ID + " characters");
        }
        if (f.errorMessage() != null && f.errorMessage().length() > MAX_ERROR_MESSAGE) {
            throw DomainException.invalidField("errorMessage", "errorMessage is longer than " + MAX_ERROR_MESSAGE + " characters");
        }
        LocalDateTime at = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
        db.inTransaction(s -> {
            CaseMapper.CaseRow c = Ids.plausible(pid)
                    ? s.getMapper(CaseMapper.class).caseByPublicId(caller.tenantId(), pid) : null;
            if (c == null) {
                throw DomainException.profileNotFound(Ids.plausible(pid) ? pid : "?");
            }
            LivenessMapper m = s.getMapper(LivenessMapper.class);
            m.forgetSignaturesBefore(at.minus(CallbackSignature.MAX_SKEW.multipliedBy(2)));
            if (m.rememberSignature(key, at) != 1) {
                throw new DomainException(ErrorCode.UNAUTHENTICATED, "This callback was already received (replay)");
            }
            LivenessMapper.ResultRow r = new LivenessMapper.ResultRow();
            r.caseId = c.id;
            r.source = SOURCE_CALLBACK;
            r.providerSessionId = blankToNull(f.sessionId());
            r.result = f.result();
            r.confidence = f.confidence();
            r.errorMessage = blankToNull(f.errorMessage());
            r.createdAt = at;
            m.insertResult(r);
            return null;
        });
        log.info("liveness callback recorded case={} tenant={} by={}", pid, caller.tenantId(), caller.keyId());
    }

    /** The newest liveness result of a case of the caller's tenant, if any. */
    public Optional<LivenessResult> latest(Caller caller, String profileId) {
        return db.read(s -> {
            CaseMapper.CaseRow c = Ids.plausible(profileId)
                    ? s.getMapper(CaseMapper.class).caseByPublicId(caller.tenantId(), profileId) : null;
            if (c == null) {
                return Optional.<LivenessResult>empty();
            }
            LivenessMapper.ResultRow r = s.getMapper(LivenessMapper.class).latestResult(c.id);
            return Optional.ofNullable(r).map(x -> new LivenessResult(x.result, x.confidence, x.source,
                    x.createdAt.toInstant(ZoneOffset.UTC), Optional.ofNullable(x.faceMatchScore)));
        });
    }

    /**
     * The newest challenge-video check of a case of the caller's tenant, with its per-action verdicts kept with
     * the session, if one ran.
     */
    public Optional<LivenessCheck> latestCheck(Caller caller, String profileId) {
        return db.read(s -> {
            CaseMapper.CaseRow c = Ids.plausible(profileId)
                    ? s.getMapper(CaseMapper.class).caseByPublicId(caller.tenantId(), profileId) : null;
            if (c == null) {
                return Optional.<LivenessCheck>empty();
            }
            LivenessMapper m = s.getMapper(LivenessMapper.class);
            LivenessMapper.ResultRow r = m.latestResultFrom(c.id, LivenessVerification.SOURCE_VIDEO);
            if (r == null) {
                return Optional.<LivenessCheck>empty();
            }
            String sid = r.providerSessionId == null ? "" : r.providerSessionId;
            String actions = sid.isEmpty() ? null : m.actionResults(c.id, sid);
            return Optional.of(new LivenessCheck(sid, r.result, r.confidence, Optional.ofNullable(r.faceMatchScore),
                    r.createdAt.toInstant(ZoneOffset.UTC), LivenessCheck.actions(actions)));
        });
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
