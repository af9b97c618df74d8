package org.openkyc.server.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.common.Ids;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.WebhookMapper;
import org.openkyc.server.storage.WebhookMapper.DeliveryRow;
import org.openkyc.server.storage.WebhookMapper.EndpointRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook endpoints of a tenant and the log of their deliveries (docs/API.md C5). An endpoint's signing
 * secret is generated here, shown once, and kept encrypted with the data key, bound to its tenant and endpoint.
 */
public final class WebhookService {

    private static final Logger log = LoggerFactory.getLogger(WebhookService.class);
    private static final int ID_LENGTH = 16;
    private static final int SECRET_LENGTH = 40;
    static final String SECRET_PREFIX = "whsec_";
    public static final int MAX_PAGE_SIZE = 200;

    private final Database db;
    private final AesGcm crypto;
    private final EndpointPolicy policy;
    private final int maxEndpoints;
    private final Clock clock;

    /** A registered endpoint. */
    public record Endpoint(String id, String url, List<String> eventTypes, Instant createdAt) {
    }

    /** A new endpoint and its secret, which is never shown again. */
    public record Created(Endpoint endpoint, String secret) {
    }

    /** One event for one endpoint and how its sending went. */
    public record Delivery(String eventId, String eventType, String status, int attempts,
            Optional<Integer> lastHttpStatus, Optional<String> lastError, Optional<String> answerExcerpt,
            Instant createdAt, Optional<Instant> lastAttemptAt, Optional<Instant> nextAttemptAt,
            Optional<Instant> deliveredAt) {
    }

    /** One page of deliveries and how many there are in all. */
    public record DeliveryPage(List<Delivery> items, long total) {
    }

    public WebhookService(Database db, AesGcm crypto, EndpointPolicy policy, int maxEndpoints, Clock clock) {
        this.db = db;
        this.crypto = crypto;
        this.policy = policy;
        this.maxEndpoints = maxEndpoints;
        this.clock = clock;
    }

    /** Registers an endpoint of the caller's tenant for the given event types. */
    public Created create(Caller caller, String url, List<String> eventTypes) {
        String checkedUrl = policy.check(url).toString();
        Set<String> types = new LinkedHashSet<>();
        for (String t : eventTypes) {
            String type = t == null ? "" : t.strip();
            if (!WebhookEvents.TYPES.contains(type)) {
                throw DomainException.invalid("eventTypes holds an unknown event type; known: "
                        + String.join(", ", WebhookEvents.TYPES));
            }
            types.add(type);
        }
        if (types.isEmpty()) {
            throw DomainException.invalid("eventTypes is required: one or more of "
                    + String.join(", ", WebhookEvents.TYPES));
        }
        Instant now = clock.instant();
        EndpointRow row = new EndpointRow();
        row.publicId = Ids.random(ID_LENGTH);
        row.tenantId = caller.tenantId();
        row.url = checkedUrl;
        row.eventTypes = "," + String.join(",", types) + ",";
        String secret = SECRET_PREFIX + Ids.random(SECRET_LENGTH);
        row.secretEnc = crypto.encrypt(secret.getBytes(StandardCharsets.UTF_8), aad(row.tenantId, row.publicId));
        row.createdBy = caller.actor();
        row.createdAt = utc(now);
        db.inTransaction(s -> {
            WebhookMapper m = s.getMapper(WebhookMapper.class);
            if (m.countEndpoints(caller.tenantId()) >= maxEndpoints) {
                throw new DomainException(ErrorCode.CONFLICT, "The tenant already has " + maxEndpoints
                        + " webhook endpoints, the most allowed (OPENKYC_WEBHOOK_MAX_ENDPOINTS)");
            }
            m.insertEndpoint(row);
            return null;
        });
        log.info("webhook endpoint created id={} tenant={} host={} by={}", row.publicId, caller.tenantId(),
                java.net.URI.create(checkedUrl).getHost(), caller.keyId());
        return new Created(endpoint(row), secret);
    }

    /** The caller's tenant's endpoints, oldest first. */
    public List<Endpoint> list(Caller caller) {
        return db.read(s -> s.getMapper(WebhookMapper.class).endpoints(caller.tenantId())).stream()
                .map(WebhookService::endpoint).toList();
    }

    /** Removes an endpoint and its deliveries. */
    public void delete(Caller caller, String id) {
        db.inTransaction(s -> {
            WebhookMapper m = s.getMapper(WebhookMapper.class);
            EndpointRow row = find(m, caller, id);
            m.deleteDeliveries(row.id);
            m.deleteEndpoint(row.id);
            return null;
        });
        log.info("webhook endpoint deleted id={} tenant={} by={}", id, caller.tenantId(), caller.keyId());
    }

    /** The deliveries of an endpoint, newest first (page numbers from 1). */
    public DeliveryPage deliveries(Caller caller, String id, int page, int limit) {
        if (page < 1) {
            throw DomainException.invalid("page must be 1 or more");
        }
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw DomainException.invalid("limit must be between 1 and " + MAX_PAGE_SIZE);
        }
        int offset = (int) Math.min(Integer.MAX_VALUE, (long) (page - 1) * limit);
        return db.read(s -> {
            WebhookMapper m = s.getMapper(WebhookMapper.class);
            EndpointRow row = find(m, caller, id);
            List<Delivery> items = new ArrayList<>();
            for (DeliveryRow d : m.deliveries(row.id, limit, offset)) {
                items.add(delivery(d));
            }
            return new DeliveryPage(items, m.countDeliveries(row.id));
        });
    }

    /** Makes a delivery due again now, with the same event id and body and a fresh round of attempts. */
    public Delivery replay(Caller caller, String id, String eventId) {
        if (!plausibleEventId(eventId)) {
            throw new DomainException(ErrorCode.NOT_FOUND, "No delivery of this webhook has this event id");
        }
        Instant now = clock.instant();
        return db.inTransaction(s -> {
            WebhookMapper m = s.getMapper(WebhookMapper.class);
            EndpointRow row = find(m, caller, id);
            DeliveryRow before = m.delivery(row.id, eventId);
            if (before == null) {
                throw new DomainException(ErrorCode.NOT_FOUND, "No delivery of this webhook has this event id");
            }
            if (m.replay(row.id, eventId, utc(now)) != 1) {
                throw new DomainException(ErrorCode.CONFLICT, "The delivery is being sent right now; try again"
                        + " once it is done");
            }
            log.info("webhook delivery replayed endpoint={} event={} by={}", id, eventId, caller.keyId());
            return delivery(m.delivery(row.id, eventId));
        });
    }

    /** The plain secret of an endpoint row (read by the worker to sign). */
    String secret(long tenantId, String publicId, byte[] sealed) {
        return new String(crypto.decrypt(sealed, aad(tenantId, publicId)), StandardCharsets.UTF_8);
    }

    /** The associated data of an endpoint's sealed secret (also for master key rotation). */
    public static byte[] aad(long tenantId, String publicId) {
        return ("webhook_endpoints.secret_enc:" + tenantId + ":" + publicId).getBytes(StandardCharsets.UTF_8);
    }

    private static EndpointRow find(WebhookMapper m, Caller caller, String id) {
        if (!Ids.plausible(id)) {
            if (id == null || id.isBlank()) {
                throw DomainException.invalid("webhookId is required");
            }
            throw notFound();
        }
        EndpointRow row = m.endpoint(caller.tenantId(), id);
        if (row == null) {
            throw notFound();
        }
        return row;
    }

    private static DomainException notFound() {
        return new DomainException(ErrorCode.NOT_FOUND, "No webhook of this tenant has this id");
    }

    static boolean plausibleEventId(String eventId) {
        return eventId != null && eventId.startsWith("evt_") && Ids.plausible(eventId.substring(4));
    }

    private static Endpoint endpoint(EndpointRow r) {
        return new Endpoint(r.publicId, r.url, Arrays.stream(r.eventTypes.split(",")).filter(t -> !t.isEmpty())
                .toList(), r.createdAt.toInstant(ZoneOffset.UTC));
    }

    static Delivery delivery(DeliveryRow d) {
        boolean pending = "PENDING".equals(d.status);
        return new Delivery(d.eventId, d.eventType, d.status, d.attempts, Optional.ofNullable(d.lastHttpStatus),
                Optional.ofNullable(d.lastError), Optional.ofNullable(d.lastAnswer), instant(d.createdAt),
                Optional.ofNullable(d.lastAttemptAt).map(WebhookService::instant),
                pending ? Optional.of(instant(d.nextAttemptAt)) : Optional.empty(),
                Optional.ofNullable(d.deliveredAt).map(WebhookService::instant));
    }

    private static Instant instant(LocalDateTime t) {
        return t.toInstant(ZoneOffset.UTC);
    }

    static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
