package org.openkyc.server.storage;

import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Rows of {@code webhook_endpoints} and {@code webhook_deliveries} (the outbox). */
public interface WebhookMapper {

    /** A registered endpoint. */
    final class EndpointRow {
        public Long id;
        public String publicId;
        public long tenantId;
        public String url;
        public String eventTypes;
        public byte[] secretEnc;
        public String createdBy;
        public LocalDateTime createdAt;
    }

    /** A delivery of one event to one endpoint, with the endpoint's URL and sealed secret when read to send. */
    final class DeliveryRow {
        public long id;
        public long endpointId;
        public long tenantId;
        public String eventId;
        public String eventType;
        public String body;
        public String status;
        public int attempts;
        public int roundAttempts;
        public LocalDateTime nextAttemptAt;
        public Integer lastHttpStatus;
        public String lastError;
        public String lastAnswer;
        public LocalDateTime lastAttemptAt;
        public LocalDateTime deliveredAt;
        public LocalDateTime createdAt;
        public String endpointPublicId;
        public String url;
        public byte[] secretEnc;
    }

    @Insert("INSERT INTO webhook_endpoints (public_id, tenant_id, url, event_types, secret_enc, created_by, created_at)"
            + " VALUES (#{publicId}, #{tenantId}, #{url}, #{eventTypes}, #{secretEnc}, #{createdBy}, #{createdAt})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertEndpoint(EndpointRow row);

    @Select("SELECT COUNT(*) FROM webhook_endpoints WHERE tenant_id = #{tenantId}")
    int countEndpoints(@Param("tenantId") long tenantId);

    @Select("SELECT id, public_id, tenant_id, url, event_types, created_by, created_at FROM webhook_endpoints"
            + " WHERE tenant_id = #{tenantId} ORDER BY created_at, id")
    List<EndpointRow> endpoints(@Param("tenantId") long tenantId);

    @Select("SELECT id, public_id, tenant_id, url, event_types, created_by, created_at FROM webhook_endpoints"
            + " WHERE tenant_id = #{tenantId} AND public_id = #{publicId}")
    EndpointRow endpoint(@Param("tenantId") long tenantId, @Param("publicId") String publicId);

    @Delete("DELETE FROM webhook_deliveries WHERE endpoint_id = #{endpointId}")
    int deleteDeliveries(@Param("endpointId") long endpointId);

    @Delete("DELETE FROM webhook_endpoints WHERE id = #{endpointId}")
    int deleteEndpoint(@Param("endpointId") long endpointId);

    /**
     * Queues one event for every endpoint of the tenant subscribed to its type, in one statement (none when the
     * tenant has no such endpoint). Runs inside the transaction of the change the event reports.
     */
    @Insert("INSERT INTO webhook_deliveries (endpoint_id, tenant_id, event_id, event_type, body, status, attempts,"
            + " round_attempts, next_attempt_at, created_at)"
            + " SELECT e.id, e.tenant_id, #{eventId}, #{eventType}, #{body}, 'PENDING', 0, 0, #{now}, #{now}"
            + " FROM webhook_endpoints e WHERE e.tenant_id = #{tenantId}"
            + " AND e.event_types LIKE CONCAT('%,', #{eventType}, ',%')")
    int enqueue(@Param("tenantId") long tenantId, @Param("eventId") String eventId,
            @Param("eventType") String eventType, @Param("body") String body, @Param("now") LocalDateTime now);

    String DELIVERY_COLUMNS = "d.id, d.endpoint_id, d.tenant_id, d.event_id, d.event_type, d.body, d.status,"
            + " d.attempts, d.round_attempts, d.next_attempt_at, d.last_http_status, d.last_error, d.last_answer,"
            + " d.last_attempt_at, d.delivered_at, d.created_at";

    /** Deliveries of an endpoint, newest first, one page. */
    @Select("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries d WHERE d.endpoint_id = #{endpointId}"
            + " ORDER BY d.created_at DESC, d.id DESC LIMIT #{limit} OFFSET #{offset}")
    List<DeliveryRow> deliveries(@Param("endpointId") long endpointId, @Param("limit") int limit,
            @Param("offset") int offset);

    @Select("SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = #{endpointId}")
    long countDeliveries(@Param("endpointId") long endpointId);

    /**
     * Sends a delivery again: due now, with a fresh round of attempts, the same event id and body. A lease
     * held by a worker sending it right now is left alone (that attempt's outcome is then overwritten by
     * nothing: {@link #finish} only writes under its own lease, which this does not clear).
     */
    @Update("UPDATE webhook_deliveries SET status = 'PENDING', round_attempts = 0, next_attempt_at = #{now}"
            + " WHERE endpoint_id = #{endpointId} AND event_id = #{eventId}")
    int replay(@Param("endpointId") long endpointId, @Param("eventId") String eventId,
            @Param("now") LocalDateTime now);

    @Select("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries d WHERE d.endpoint_id = #{endpointId}"
            + " AND d.event_id = #{eventId}")
    DeliveryRow delivery(@Param("endpointId") long endpointId, @Param("eventId") String eventId);

    /**
     * Claims up to {@code limit} due deliveries for one worker: writes its lease on rows that are pending, due,
     * and not leased by a live worker. One statement, so two workers never claim the same row.
     */
    @Update("UPDATE webhook_deliveries SET lease_owner = #{owner}, lease_until = #{leaseUntil}"
            + " WHERE status = 'PENDING' AND next_attempt_at <= #{now}"
            + " AND (lease_until IS NULL OR lease_until < #{now})"
            + " ORDER BY next_attempt_at, id LIMIT #{limit}")
    int claim(@Param("owner") String owner, @Param("now") LocalDateTime now,
            @Param("leaseUntil") LocalDateTime leaseUntil, @Param("limit") int limit);

    /** The rows a worker claimed under its lease, with their endpoint's URL and sealed secret. */
    @Select("SELECT " + DELIVERY_COLUMNS + ", e.public_id AS endpoint_public_id, e.url, e.secret_enc"
            + " FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id"
            + " WHERE d.lease_owner = #{owner} ORDER BY d.next_attempt_at, d.id")
    List<DeliveryRow> claimed(@Param("owner") String owner);

    /**
     * Records the outcome of an attempt and releases the lease; only under the worker's own lease (a worker
     * whose lease expired and was taken over writes nothing). 1 when written.
     */
    @Update("UPDATE webhook_deliveries SET status = #{status}, attempts = attempts + 1,"
            + " round_attempts = round_attempts + 1, next_attempt_at = #{nextAttemptAt},"
            + " last_http_status = #{httpStatus}, last_error = #{error}, last_answer = #{answer},"
            + " last_attempt_at = #{at}, delivered_at = #{deliveredAt}, lease_owner = NULL, lease_until = NULL"
            + " WHERE id = #{id} AND lease_owner = #{owner}")
    int finish(@Param("id") long id, @Param("owner") String owner, @Param("status") String status,
            @Param("nextAttemptAt") LocalDateTime nextAttemptAt, @Param("httpStatus") Integer httpStatus,
            @Param("error") String error, @Param("answer") String answer, @Param("at") LocalDateTime at,
            @Param("deliveredAt") LocalDateTime deliveredAt);

    /** Deletes up to {@code limit} delivered or failed deliveries created before {@code before}. */
    @Delete("DELETE FROM webhook_deliveries WHERE created_at < #{before} AND status <> 'PENDING' LIMIT #{limit}")
    int deleteFinished(@Param("before") LocalDateTime before, @Param("limit") int limit);

    /** Gives back a claimed row unsent (the worker is stopping). */
    @Update("UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL"
            + " WHERE id = #{id} AND lease_owner = #{owner}")
    int release(@Param("id") long id, @Param("owner") String owner);
}
