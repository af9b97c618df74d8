package org.openkyc.server.storage;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** The identity_registry table: per tenant, names and numbers as HMACs only. */
public interface IdentityRegistryMapper {

    /** An identity_registry row. */
    final class RegistryRow {
        public Long id;
        public Long tenantId;
        public String nameHmac;
        public LocalDate birthDate;
        public String nationality;
        public String gender;
        public String identityNumberHmac;
        public String documentNumberHmac;
        public LocalDateTime createdAt;
    }

    String COLUMNS = "id, tenant_id, name_hmac, birth_date, nationality, gender, identity_number_hmac,"
            + " document_number_hmac, created_at";

    @Insert("INSERT INTO identity_registry (tenant_id, name_hmac, birth_date, nationality, gender,"
            + " identity_number_hmac, document_number_hmac, created_at) VALUES (#{tenantId}, #{nameHmac},"
            + " #{birthDate}, #{nationality}, #{gender}, #{identityNumberHmac}, #{documentNumberHmac}, #{createdAt})")
    void insert(RegistryRow row);

    @Delete("DELETE FROM identity_registry WHERE tenant_id = #{tenantId}")
    int clear(long tenantId);

    /** 1 when the tenant's registry holds any entry, else 0. */
    @Select("SELECT COUNT(*) FROM (SELECT id FROM identity_registry WHERE tenant_id = #{tenantId} LIMIT 1) r")
    int inUse(long tenantId);

    @Select("SELECT COUNT(*) FROM identity_registry WHERE tenant_id = #{tenantId} AND name_hmac NOT LIKE 'key:%'")
    long count(long tenantId);

    /**
     * A registry's name_hmac of this prefix is no entry: it records the id of the master key its hashes come
     * from, in a row of its own (written by a load since master key rotation covers the registry).
     */
    String KEY_ROW_PREFIX = "key:";

    /** The tenant's row that records the master key of its registry's hashes; null when there is none. */
    @Select("SELECT name_hmac FROM identity_registry WHERE tenant_id = #{tenantId} AND name_hmac LIKE 'key:%'"
            + " LIMIT 1")
    String keyRow(long tenantId);

    /** Per tenant: its entries, and the row that records their master key (null when there is none). */
    @Select("SELECT tenant_id, SUM(name_hmac NOT LIKE 'key:%') AS entries,"
            + " MAX(CASE WHEN name_hmac LIKE 'key:%' THEN name_hmac END) AS key_row"
            + " FROM identity_registry GROUP BY tenant_id ORDER BY tenant_id")
    List<java.util.Map<String, Object>> keysByTenant();

    /** Entries that share the name and birth date, or one of the given numbers (nulls match nothing). */
    @Select("SELECT " + COLUMNS + " FROM identity_registry WHERE tenant_id = #{tenantId} AND ("
            + " (name_hmac = #{nameHmac} AND birth_date = #{birthDate})"
            + " OR identity_number_hmac = #{identityNumberHmac} OR document_number_hmac = #{documentNumberHmac})"
            + " ORDER BY id LIMIT 20")
    List<RegistryRow> candidates(@Param("tenantId") long tenantId, @Param("nameHmac") String nameHmac,
            @Param("birthDate") LocalDate birthDate, @Param("identityNumberHmac") String identityNumberHmac,
            @Param("documentNumberHmac") String documentNumberHmac);
}
