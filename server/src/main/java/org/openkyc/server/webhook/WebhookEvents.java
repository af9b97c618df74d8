package org.openkyc.server.webhook;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.session.SqlSession;
import org.openkyc.server.common.Ids;
import org.openkyc.server.storage.WebhookMapper;

/**
 * The events webhooks report, queued in the transaction of the change they report (the outbox): committed with
 * it, rolled back with it. One statement per event, which writes nothing when the tenant has no endpoint for the
 * type. The body is JSON with ids and statuses only, never personal data:
 * <pre>{"id":"evt_...","type":"kyc.case.status_changed","createdAt":"2026-01-02T03:04:05.678Z",
 *  "data":{"profileId":"...","oldStatus":"pending","newStatus":"approved"}}</pre>
 */
public final class WebhookEvents {

    /** A KYC case changed status (data: profileId, oldStatus, newStatus). */
    public static final String CASE_STATUS_CHANGED = "kyc.case.status_changed";
    /**
     * A travel-rule verification was recorded with its result, or its transaction was reported (data:
     * verificationId, verificationUuid, actionType, oldStatus, newStatus).
     */
    public static final String VERIFICATION_STATUS_CHANGED = "travelrule.verification.status_changed";
    /** Every type an endpoint may subscribe to. */
    public static final List<String> TYPES = List.of(CASE_STATUS_CHANGED, VERIFICATION_STATUS_CHANGED);

    private static final int EVENT_ID_LENGTH = 24;

    private WebhookEvents() {
    }

    /**
     * Queues {@link #CASE_STATUS_CHANGED} in the session's transaction; a change to the same status is no
     * change and queues nothing.
     */
    public static void caseStatusChanged(SqlSession session, long tenantId, String profileId, String oldStatus,
            String newStatus, Instant at) {
        caseStatusChanged(session, tenantId, profileId, oldStatus, newStatus, java.util.Optional.empty(), at);
    }

    /**
     * As {@link #caseStatusChanged(SqlSession, long, String, String, String, Instant)}, with the reviewer's
     * decision in {@code data.decision} when it says more than the new status ({@code resubmission_requested}).
     */
    public static void caseStatusChanged(SqlSession session, long tenantId, String profileId, String oldStatus,
            String newStatus, java.util.Optional<String> decision, Instant at) {
        if (newStatus.equals(oldStatus)) {
            return;
        }
        Map<String, String> data = new java.util.HashMap<>(Map.of("profileId", profileId,
                "oldStatus", oldStatus == null ? NULL : oldStatus, "newStatus", newStatus));
        decision.ifPresent(d -> data.put("decision", d));
        enqueue(session, tenantId, CASE_STATUS_CHANGED, at, data, "profileId");
    }

    /** Queues {@link #VERIFICATION_STATUS_CHANGED} in the session's transaction. */
    public static void verificationStatusChanged(SqlSession session, long tenantId, String verificationId,
            String verificationUuid, String actionType, String oldStatus, String newStatus, Instant at) {
        if (newStatus.equals(oldStatus)) {
            return;
        }
        enqueue(session, tenantId, VERIFICATION_STATUS_CHANGED, at, Map.of("verificationId", verificationId,
                "verificationUuid", verificationUuid, "actionType", actionType,
                "oldStatus", oldStatus == null ? NULL : oldStatus, "newStatus", newStatus),
                "verificationId", "verificationUuid", "actionType");
    }

    /** Marks a JSON null in the data map (Map.of takes no nulls). */
    private static final String NULL = "\u0000null";

    private static void enqueue(SqlSession session, long tenantId, String type, Instant at, Map<String, String> data,
            String... idKeys) {
        Instant ms = at.truncatedTo(ChronoUnit.MILLIS);
        String eventId = "evt_" + Ids.random(EVENT_ID_LENGTH);
        StringBuilder b = new StringBuilder(256);
        b.append("{\"id\":");
        string(b, eventId);
        b.append(",\"type\":");
        string(b, type);
        b.append(",\"createdAt\":");
        string(b, DateTimeFormatter.ISO_INSTANT.format(ms));
        b.append(",\"data\":{");
        boolean first = true;
        for (String key : ordered(data, idKeys)) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, key);
            b.append(':');
            String v = data.get(key);
            if (NULL.equals(v)) {
                b.append("null");
            } else {
                string(b, v);
            }
        }
        b.append("}}");
        session.getMapper(WebhookMapper.class).enqueue(tenantId, eventId, type, b.toString(),
                LocalDateTime.ofInstant(ms, ZoneOffset.UTC));
    }

    private static List<String> ordered(Map<String, String> data, String... idKeys) {
        List<String> keys = new java.util.ArrayList<>(List.of(idKeys));
        keys.add("oldStatus");
        keys.add("newStatus");
        if (data.containsKey("decision")) {
            keys.add("decision");
        }
        return keys;
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
