package org.openkyc.server.storage;

import java.time.LocalDateTime;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Liveness sessions, liveness results and callback signatures. Session queries are tenant-scoped. */
public interface LivenessMapper {

    /** A liveness_sessions row with its case's public id. */
    final class SessionRow {
        public Long id;
        public String publicId;
        public Long tenantId;
        public Long caseId;
        public String casePublicId;
        public String actions;
        public String status;
        public LocalDateTime createdAt;
        public LocalDateTime expiresAt;
        public LocalDateTime consumedAt;
    }

    /** A liveness_results row. */
    final class ResultRow {
        public Long id;
        public Long caseId;
        public String source;
        public String providerSessionId;
        public String result;
        public Double confidence;
        public String errorMessage;
        /** 0-100 similarity of the live face to the document portrait, null when not measured. */
        public Double faceMatchScore;
        public LocalDateTime createdAt;
        /** providerSessionId and errorMessage, sealed with the case key (see CaseSealing). */
        public byte[] piiEnc;
    }

    @Insert("INSERT INTO liveness_sessions (public_id, tenant_id, case_id, actions, status, created_at, expires_at)"
            + " VALUES (#{publicId}, #{tenantId}, #{caseId}, #{actions}, #{status}, #{createdAt}, #{expiresAt})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertSession(SessionRow row);

    @Select("SELECT s.id, s.public_id, s.tenant_id, s.case_id, c.public_id AS case_public_id, s.actions, s.status,"
            + " s.created_at, s.expires_at, s.consumed_at FROM liveness_sessions s JOIN kyc_cases c ON c.id = s.case_id"
            + " WHERE s.tenant_id = #{tenantId} AND s.public_id = #{publicId}")
    SessionRow sessionByPublicId(@Param("tenantId") long tenantId, @Param("publicId") String publicId);

    /** Claims a session once: 1 when this call claimed it, 0 when it was used, expired or not created. */
    @Update("UPDATE liveness_sessions SET consumed_at = #{now} WHERE id = #{id} AND status = 'created'"
            + " AND consumed_at IS NULL AND expires_at > #{now}")
    int claim(@Param("id") long id, @Param("now") LocalDateTime now);

    /**
     * Sets the outcome of a claimed session (passed | failed): only a session that was claimed and is still
     * {@code created}; 1 when it changed.
     */
    @Update("UPDATE liveness_sessions SET status = #{status} WHERE tenant_id = #{tenantId} AND public_id = #{publicId}"
            + " AND consumed_at IS NOT NULL AND status = 'created'")
    int finishSession(@Param("tenantId") long tenantId, @Param("publicId") String publicId,
            @Param("status") String status);

    /** Keeps the per-action verdicts of a verified session (JSON, no personal data). */
    @Update("UPDATE liveness_sessions SET action_results = #{actionResults} WHERE tenant_id = #{tenantId}"
            + " AND public_id = #{publicId}")
    int recordActions(@Param("tenantId") long tenantId, @Param("publicId") String publicId,
            @Param("actionResults") String actionResults);

    /** The per-action verdicts kept with a session of a case, or null. */
    @Select("SELECT action_results FROM liveness_sessions WHERE case_id = #{caseId} AND public_id = #{publicId}")
    String actionResults(@Param("caseId") long caseId, @Param("publicId") String publicId);

    /** The newest result of a case from one source. */
    @Select("SELECT id, case_id, source, provider_session_id, result, confidence, error_message, face_match_score,"
            + " created_at, pii_enc"
            + " FROM liveness_results WHERE case_id = #{caseId} AND source = #{source} ORDER BY id DESC LIMIT 1")
    ResultRow latestResultFrom(@Param("caseId") long caseId, @Param("source") String source);

    /** The provider's session id and the error message go only into pii_enc (see CaseSealing). */
    @Insert("INSERT INTO liveness_results (case_id, source, result, confidence, face_match_score, created_at, pii_enc)"
            + " VALUES (#{caseId}, #{source}, #{result}, #{confidence}, #{faceMatchScore}, #{createdAt}, #{piiEnc})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertResult(ResultRow row);

    @Select("SELECT id, case_id, source, provider_session_id, result, confidence, error_message, face_match_score,"
            + " created_at, pii_enc"
            + " FROM liveness_results WHERE case_id = #{caseId} ORDER BY id DESC LIMIT 1")
    ResultRow latestResult(long caseId);

    @Select("SELECT COUNT(*) FROM liveness_results WHERE case_id = #{caseId}")
    long countResults(long caseId);

    /** 1 when the signature is new, 0 when it was seen before (a replay). */
    @Insert("INSERT IGNORE INTO liveness_callback_signatures (signature, received_at) VALUES (#{signature}, #{at})")
    int rememberSignature(@Param("signature") String signature, @Param("at") LocalDateTime at);

    @Delete("DELETE FROM liveness_callback_signatures WHERE received_at < #{before}")
    int forgetSignaturesBefore(@Param("before") LocalDateTime before);
}
