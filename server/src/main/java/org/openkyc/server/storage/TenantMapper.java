package org.openkyc.server.storage;

import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Tenants and their API keys. */
public interface TenantMapper {

    /** A tenant row. */
    final class TenantRow {
        public Long id;
        public String name;
        public LocalDateTime createdAt;
    }

    /** An API key row (never the secret). */
    final class ApiKeyRow {
        public String id;
        public Long tenantId;
        public String tenantName;
        public String role;
        public String label;
        public LocalDateTime createdAt;
        public LocalDateTime revokedAt;
    }

    @Insert("INSERT INTO tenants (name, created_at) VALUES (#{name}, #{createdAt})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertTenant(TenantRow row);

    @Select("SELECT id, name, created_at FROM tenants WHERE name = #{name}")
    TenantRow tenantByName(String name);

    @Select("SELECT id, name, created_at FROM tenants ORDER BY name")
    List<TenantRow> tenants();

    @Insert("INSERT INTO api_keys (id, tenant_id, role, key_hash, label, created_at)"
            + " VALUES (#{id}, #{tenantId}, #{role}, #{hash}, #{label}, #{createdAt})")
    void insertKey(@Param("id") String id, @Param("tenantId") long tenantId, @Param("role") String role,
            @Param("hash") String hash, @Param("label") String label, @Param("createdAt") LocalDateTime createdAt);

    @Select("SELECT k.id, k.tenant_id, t.name AS tenant_name, k.role, k.label, k.created_at, k.revoked_at"
            + " FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
            + " WHERE k.key_hash = #{hash} AND k.revoked_at IS NULL")
    ApiKeyRow activeKeyByHash(String hash);

    @Select("SELECT k.id, k.tenant_id, t.name AS tenant_name, k.role, k.label, k.created_at, k.revoked_at"
            + " FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
            + " WHERE t.name = #{tenant} ORDER BY k.created_at, k.id")
    List<ApiKeyRow> keysOfTenant(String tenant);

    @Update("UPDATE api_keys SET revoked_at = #{at} WHERE id = #{id} AND revoked_at IS NULL")
    int revokeKey(@Param("id") String id, @Param("at") LocalDateTime at);

    @Update("UPDATE api_keys SET revoked_at = #{at} WHERE tenant_id = #{tenantId} AND label = #{label}"
            + " AND revoked_at IS NULL")
    int revokeKeysByLabel(@Param("tenantId") long tenantId, @Param("label") String label,
            @Param("at") LocalDateTime at);
}
