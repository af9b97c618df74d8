package org.openkyc.server.storage;

import java.time.LocalDateTime;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Rows of {@code idempotency_keys}: one per tenant and Idempotency-Key. */
public interface IdempotencyMapper {

    /** A stored key: its request hash, state and, once DONE, the answer. */
    final class Row {
        public byte[] requestHash;
        public String state;
        public Integer statusCode;
        public byte[] answer;
        public LocalDateTime createdAt;
        public LocalDateTime expiresAt;
    }

    /** Claims a key: 1 when inserted, 0 when the tenant already holds it (the caller then reads it). */
    @Insert("INSERT IGNORE INTO idempotency_keys (tenant_id, idem_key, request_hash, state, created_at, expires_at)"
            + " VALUES (#{tenantId}, #{key}, #{hash}, 'IN_PROGRESS', #{now}, #{expiresAt})")
    int claim(@Param("tenantId") long tenantId, @Param("key") String key, @Param("hash") byte[] hash,
            @Param("now") LocalDateTime now, @Param("expiresAt") LocalDateTime expiresAt);

    @Select("SELECT request_hash, state, status_code, answer, created_at, expires_at FROM idempotency_keys"
            + " WHERE tenant_id = #{tenantId} AND idem_key = #{key}")
    Row find(@Param("tenantId") long tenantId, @Param("key") String key);

    /**
     * Takes over a key whose row has expired, or whose work was abandoned (IN_PROGRESS since before
     * {@code abandonedBefore}): 1 when this caller now owns it.
     */
    @Update("UPDATE idempotency_keys SET request_hash = #{hash}, state = 'IN_PROGRESS', status_code = NULL,"
            + " answer = NULL, created_at = #{now}, expires_at = #{expiresAt}"
            + " WHERE tenant_id = #{tenantId} AND idem_key = #{key}"
            + " AND (expires_at <= #{now} OR (state = 'IN_PROGRESS' AND created_at < #{abandonedBefore}))")
    int takeOver(@Param("tenantId") long tenantId, @Param("key") String key, @Param("hash") byte[] hash,
            @Param("now") LocalDateTime now, @Param("expiresAt") LocalDateTime expiresAt,
            @Param("abandonedBefore") LocalDateTime abandonedBefore);

    @Update("UPDATE idempotency_keys SET state = 'DONE', status_code = #{statusCode}, answer = #{answer}"
            + " WHERE tenant_id = #{tenantId} AND idem_key = #{key} AND state = 'IN_PROGRESS'")
    int complete(@Param("tenantId") long tenantId, @Param("key") String key, @Param("statusCode") int statusCode,
            @Param("answer") byte[] answer);

    @Delete("DELETE FROM idempotency_keys WHERE tenant_id = #{tenantId} AND idem_key = #{key}"
            + " AND state = 'IN_PROGRESS'")
    int release(@Param("tenantId") long tenantId, @Param("key") String key);

    @Delete("DELETE FROM idempotency_keys WHERE expires_at <= #{now} LIMIT #{limit}")
    int deleteExpired(@Param("now") LocalDateTime now, @Param("limit") int limit);
}
