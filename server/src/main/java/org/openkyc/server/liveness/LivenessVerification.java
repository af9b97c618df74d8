package org.openkyc.server.liveness;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.common.Ids;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.face.FaceEngine;
import org.openkyc.server.face.Portrait;
import org.openkyc.server.kyc.CaseService;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.LivenessMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The challenge-video liveness verify of a session (docs/API.md C2): three videos, one per action of the
 * session in its order, must show one live person performing each action, and that person must be the
 * holder of the document on file.
 *
 * <p>Order of the checks, so that a refused request leaves no trace and does not burn the session:
 * the input (session id, profile id, three non-empty videos within the size limit; 400 / 413), the case
 * in the caller's tenant (404), a document portrait on file (the newest front image of the case with a
 * face; 409 otherwise). Only then is the session claimed ({@link LivenessSessions#consume}: unknown 404,
 * another profile's, used or expired 409), the videos judged, and the result recorded with the session's
 * new status in one transaction. The videos are held in memory for the call only: nothing of them is
 * stored or logged.
 *
 * <p><b>Confidence</b> (0-100, one decimal) is the weakest link of the evidence: the lowest of the three
 * action scores, the lowest similarity between the videos' faces and the similarity to the document
 * portrait (the ones that were measured). A verify passes only when every action passed and both face
 * scores reach the face-match threshold, so a pass has a confidence of at least the lowest passing
 * action score, and a failed action pulls it down to that action's score (0 when it was not seen).
 */
public final class LivenessVerification {

    /** The {@code source} of results recorded by this verify in liveness_results. */
    public static final String SOURCE_VIDEO = "video";

    private static final Logger log = LoggerFactory.getLogger(LivenessVerification.class);

    /**
     * The per-action verdict shown to the caller and kept with the session.
     *
     * @param decidingFramesMs timestamps (ms into the video) of the frames that decided it: baseline, peak,
     *                         return; empty when the video was not judged that far
     */
    public record ActionOutcome(ChallengeAction action, boolean passed, double score, LivenessReason reason,
            List<Long> decidingFramesMs) {

        public ActionOutcome {
            decidingFramesMs = decidingFramesMs == null ? List.of() : List.copyOf(decidingFramesMs);
        }
    }

    /**
     * The verdict shown to the caller and recorded.
     *
     * @param sessionId      the session that was used
     * @param passed         every action was seen, one person throughout, the document holder
     * @param confidence     0-100, see the class comment
     * @param faceMatchScore 0-100 similarity of the videos' face to the document portrait, when a face was seen
     * @param actions        one per video, in the session's order
     * @param reason         PASSED, FACE_CHANGED or the first failing action's reason
     * @param message        a human sentence saying why it failed (or that it passed); no personal data
     */
    public record Outcome(String sessionId, boolean passed, double confidence, OptionalDouble faceMatchScore,
            List<ActionOutcome> actions, LivenessReason reason, String message) {

        public Outcome {
            actions = List.copyOf(actions);
        }
    }

    private final Database db;
    private final CaseService cases;
    private final LivenessSessions sessions;
    private final FaceEngine faces;
    private final VideoLivenessVerifier verifier;
    private final long maxVideoBytes;
    private final double matchThreshold;
    private final Clock clock;

    /**
     * @param maxVideoBytes  largest accepted video (OPENKYC_MAX_VIDEO_BYTES); a larger one is refused before
     *                       the session is used
     * @param matchThreshold face-match threshold 0-100 (OPENKYC_FACE_MATCH_THRESHOLD), to explain failures
     */
    public LivenessVerification(Database db, CaseService cases, LivenessSessions sessions, FaceEngine faces,
            VideoLivenessVerifier verifier, long maxVideoBytes, double matchThreshold, Clock clock) {
        this.db = db;
        this.cases = cases;
        this.sessions = sessions;
        this.faces = faces;
        this.verifier = verifier;
        this.maxVideoBytes = maxVideoBytes;
        this.matchThreshold = matchThreshold;
        this.clock = clock;
    }

    /**
     * Verifies the three videos of a session of the profile and records the result, passed or not.
     *
     * @param videos the three videos, in the order of the session's actions
     * @return the outcome; a failed liveness is an outcome too (not an exception), recorded like a pass
     * @throws DomainException for refused input, unknown profile, missing document portrait or an unusable session
     */
    public Outcome verify(Caller caller, String sessionId, String profileId, List<byte[]> videos) {
        String sid = sessionId == null ? "" : sessionId.strip();
        String pid = profileId == null ? "" : profileId.strip();
        if (sid.isEmpty()) {
            throw DomainException.invalidField("sessionId", "sessionId is required");
        }
        if (pid.isEmpty()) {
            throw DomainException.invalidField("profileId", "profileId is required");
        }
        if (videos == null || videos.size() != LivenessSessions.ACTIONS) {
            throw DomainException.invalid("Three videos are required: video1, video2 and video3");
        }
        for (int i = 0; i < videos.size(); i++) {
            byte[] v = videos.get(i);
            if (v == null || v.length == 0) {
                throw DomainException.invalidField("video" + (i + 1), "video" + (i + 1) + " is required");
            }
            if (v.length > maxVideoBytes) {
                throw new DomainException(ErrorCode.PAYLOAD_TOO_LARGE,
                        "video" + (i + 1) + " is larger than " + maxVideoBytes + " bytes");
            }
        }

        // The case (404) and its document portrait (409), before the session is used.
        float[] reference = documentPortrait(caller, pid).embedding();

        LivenessSession session = sessions.consume(caller, sid, pid);
        List<VideoLivenessVerifier.Challenge> challenges = new ArrayList<>();
        for (int i = 0; i < session.actions().size(); i++) {
            challenges.add(new VideoLivenessVerifier.Challenge(session.actions().get(i), videos.get(i)));
        }
        LivenessVerdict verdict;
        try {
            verdict = verifier.verifyAll(challenges, Optional.of(reference));
        } catch (RuntimeException e) {
            // The session stays used; say so in its status rather than leave it looking unused.
            finishSessionOnly(caller, session.id());
            throw e;
        }
        Outcome outcome = outcome(session, verdict);
        record(caller, pid, outcome);
        log.info("liveness verified case={} session={} tenant={} by={} passed={} reason={}", pid, session.id(),
                caller.tenantId(), caller.keyId(), outcome.passed(), outcome.reason());
        return outcome;
    }

    private Portrait documentPortrait(Caller caller, String pid) {
        Optional<CaseService.StoredImage> front = cases.image(caller, pid, CaseService.ImageKind.ID_FRONT,
                DomainException::profileNotFound);
        if (front.isEmpty()) {
            throw new DomainException(ErrorCode.CONFLICT, "Profile " + pid + " has no identity document yet:"
                    + " upload the document first (/document/upload), then verify liveness");
        }
        Optional<Portrait> portrait;
        try {
            portrait = faces.portraitFromDocument(front.get().bytes());
        } catch (DomainException e) {
            portrait = Optional.empty();
        }
        return portrait.orElseThrow(() -> new DomainException(ErrorCode.CONFLICT, "No portrait was found on the"
                + " identity document of profile " + pid + ": upload a clear image of the document first"
                + " (/document/upload), then verify liveness"));
    }

    Outcome outcome(LivenessSession session, LivenessVerdict v) {
        List<ActionOutcome> actions = new ArrayList<>();
        double confidence = 100;
        for (int i = 0; i < v.challenges().size(); i++) {
            ChallengeResult c = v.challenges().get(i);
            double score = round(clamp(c.score()));
            actions.add(new ActionOutcome(c.action(), c.passed(), score, c.reason(), c.decidingFramesMs()));
            confidence = Math.min(confidence, score);
        }
        if (v.challenges().isEmpty()) {
            confidence = 0;
        }
        if (!Double.isNaN(v.crossVideoScore())) {
            confidence = Math.min(confidence, clamp(v.crossVideoScore()));
        }
        OptionalDouble faceMatch = Double.isNaN(v.referenceScore()) ? OptionalDouble.empty()
                : OptionalDouble.of(round(clamp(v.referenceScore())));
        if (faceMatch.isPresent()) {
            confidence = Math.min(confidence, faceMatch.getAsDouble());
        }
        return new Outcome(session.id(), v.passed(), round(confidence), faceMatch, actions, v.reason(),
                message(v, actions, faceMatch));
    }

    private String message(LivenessVerdict v, List<ActionOutcome> actions, OptionalDouble faceMatch) {
        if (v.passed()) {
            return "success";
        }
        for (int i = 0; i < actions.size(); i++) {
            ActionOutcome a = actions.get(i);
            if (!a.passed()) {
                return "Liveness failed: video" + (i + 1) + " (" + a.action() + ") " + explain(a.reason());
            }
        }
        if (faceMatch.isPresent() && faceMatch.getAsDouble() < matchThreshold) {
            return "Liveness failed: the face in the videos does not match the document portrait";
        }
        if (v.reason() == LivenessReason.FACE_CHANGED) {
            return "Liveness failed: the videos do not show the same person";
        }
        return "Liveness failed: " + v.reason();
    }

    private static String explain(LivenessReason r) {
        return switch (r) {
            case UNREADABLE_VIDEO -> "could not be read as a video";
            case TOO_LARGE -> "is too large";
            case TOO_LONG -> "is too long";
            case TOO_SHORT -> "is too short";
            case NO_FACE -> "shows no face";
            case MULTIPLE_FACES -> "shows more than one face";
            case FACE_CHANGED -> "does not show the same person throughout";
            case NO_MOTION -> "shows a face that never moves";
            case ACTION_NOT_SEEN -> "does not show the requested action";
            case PASSED -> "passed";
        };
    }

    /** The result and the session's final status, together or not at all. */
    private void record(Caller caller, String pid, Outcome o) {
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        db.inTransaction(s -> {
            CaseMapper.CaseRow c = Ids.plausible(pid)
                    ? s.getMapper(CaseMapper.class).caseByPublicId(caller.tenantId(), pid) : null;
            if (c == null) {
                // Deleted while the videos were judged: nothing to record it with.
                throw DomainException.profileNotFound(pid);
            }
            LivenessMapper m = s.getMapper(LivenessMapper.class);
            LivenessMapper.ResultRow r = new LivenessMapper.ResultRow();
            r.caseId = c.id;
            r.source = SOURCE_VIDEO;
            r.providerSessionId = o.sessionId();
            r.result = o.passed() ? "success" : "fail";
            r.confidence = o.confidence();
            r.errorMessage = o.passed() ? null : o.reason().name();
            r.faceMatchScore = o.faceMatchScore().isPresent() ? o.faceMatchScore().getAsDouble() : null;
            r.createdAt = now;
            m.insertResult(r);
            m.finishSession(caller.tenantId(), o.sessionId(), o.passed()
                    ? LivenessSession.Status.PASSED.wireName() : LivenessSession.Status.FAILED.wireName());
            m.recordActions(caller.tenantId(), o.sessionId(), LivenessCheck.actionsJson(o.actions()));
            return null;
        });
    }

    private void finishSessionOnly(Caller caller, String sessionId) {
        try {
            db.inTransaction(s -> s.getMapper(LivenessMapper.class).finishSession(caller.tenantId(), sessionId,
                    LivenessSession.Status.FAILED.wireName()));
        } catch (RuntimeException e) {
            log.warn("could not mark liveness session {} failed: {}", sessionId, e.getClass().getName());
        }
    }

    private static double clamp(double score) {
        return Double.isNaN(score) ? 0 : Math.max(0, Math.min(100, score));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
