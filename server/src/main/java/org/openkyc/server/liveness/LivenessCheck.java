package org.openkyc.server.liveness;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A challenge-video liveness check of a case as a reviewer sees it: the overall result and, action by action,
 * the verdict with the timestamps of the frames that decided it (kept with the session when it was verified).
 *
 * @param actions empty for a check verified before per-action verdicts were kept
 */
public record LivenessCheck(String sessionId, String result, double confidence, Optional<Double> faceMatchScore,
        Instant at, List<LivenessVerification.ActionOutcome> actions) {

    public LivenessCheck {
        actions = List.copyOf(actions);
    }

    /** The per-action verdicts as kept with the session: a JSON array, no personal data. */
    static String actionsJson(List<LivenessVerification.ActionOutcome> actions) {
        JsonArray a = new JsonArray();
        for (LivenessVerification.ActionOutcome o : actions) {
            JsonObject j = new JsonObject();
            j.addProperty("action", o.action().name());
            j.addProperty("passed", o.passed());
            j.addProperty("score", o.score());
            j.addProperty("reason", o.reason().name());
            JsonArray frames = new JsonArray();
            o.decidingFramesMs().forEach(frames::add);
            j.add("framesMs", frames);
            a.add(j);
        }
        return a.toString();
    }

    /** The verdicts from {@link #actionsJson}; an empty list for null or a value this version cannot read. */
    static List<LivenessVerification.ActionOutcome> actions(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<LivenessVerification.ActionOutcome> out = new ArrayList<>();
            for (JsonElement e : JsonParser.parseString(json).getAsJsonArray()) {
                JsonObject j = e.getAsJsonObject();
                List<Long> frames = new ArrayList<>();
                j.getAsJsonArray("framesMs").forEach(f -> frames.add(f.getAsLong()));
                out.add(new LivenessVerification.ActionOutcome(
                        ChallengeAction.valueOf(j.get("action").getAsString().toUpperCase(Locale.ROOT)),
                        j.get("passed").getAsBoolean(), j.get("score").getAsDouble(),
                        LivenessReason.valueOf(j.get("reason").getAsString()), frames));
            }
            return out;
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
