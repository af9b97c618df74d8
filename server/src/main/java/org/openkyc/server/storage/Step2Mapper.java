package org.openkyc.server.storage;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** What submission step 2 writes: attempts, the confirmed fields, face embeddings and applicants. */
public interface Step2Mapper {

    /** A kyc_face_embeddings row joined with its case's applicant id and creation time. */
    final class EmbeddingRow {
        public Long caseId;
        public String applicantId;
        public String fullName;
        public byte[] embeddingEnc;
        public String casePublicId;
        public LocalDateTime createdAt;
        /** The case's sealed personal fields and its key (see CaseVault), from which fullName is opened. */
        public byte[] piiEnc;
        public String keyId;
        public byte[] wrappedKey;
    }

    /** The name and retry message go only into pii_enc (see CaseSealing). */
    @Insert("INSERT INTO kyc_attempts (case_id, attempt_no, liveness_score, face_similarity_score, id_type,"
            + " issue_date, identity_number_masked, verification_result, registry_check, created_at, pii_enc)"
            + " VALUES (#{caseId}, #{attemptNo}, #{livenessScore}, #{faceSimilarityScore}, #{idType},"
            + " #{issueDate}, #{identityNumberMasked}, #{verificationResult}, #{registryCheck},"
            + " #{createdAt}, #{piiEnc})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertAttempt(CaseMapper.AttemptRow row);

    @Select("SELECT COUNT(*) FROM kyc_attempts WHERE case_id = #{caseId}")
    int countAttempts(long caseId);

    @Update("UPDATE kyc_cases SET retry_count = #{retryCount}, updated_at = #{at} WHERE id = #{id}")
    int setRetryCount(@Param("id") long id, @Param("retryCount") int retryCount, @Param("at") LocalDateTime at);

    /**
     * Fills the person's fields the document did not give with what the user confirmed (nulls keep the value).
     * Name and birth date are sealed in pii_enc (see CaseSealing, which merges them the same way).
     */
    @Update("UPDATE kyc_cases SET pii_enc = #{piiEnc}, birth_bidx = #{birthBidx}, " + CaseMapper.CLEAR_PII + ","
            + " gender = COALESCE(gender, #{gender}), nationality = COALESCE(nationality, #{nationality}),"
            + " issue_date = COALESCE(issue_date, #{issueDate}),"
            + " identity_number_enc = COALESCE(#{identityNumberSealed}, identity_number_enc),"
            + " identity_number_masked = COALESCE(#{identityNumberMasked}, identity_number_masked),"
            + " applicant_id = #{applicantId}, updated_at = #{updatedAt} WHERE id = #{id}")
    int completeCase(CaseMapper.CaseRow row);

    /** Removes a case's face; a submission sent again after a request for resubmission keeps its new one. */
    @org.apache.ibatis.annotations.Delete("DELETE FROM kyc_face_embeddings WHERE case_id = #{caseId}")
    int deleteEmbedding(@Param("caseId") long caseId);

    @Insert("INSERT INTO kyc_face_embeddings (case_id, tenant_id, embedding_enc, created_at)"
            + " VALUES (#{caseId}, #{tenantId}, #{embeddingEnc}, #{createdAt})")
    void insertEmbedding(@Param("caseId") long caseId, @Param("tenantId") long tenantId,
            @Param("embeddingEnc") byte[] embeddingEnc, @Param("createdAt") LocalDateTime createdAt);

    /**
     * Earlier cases of the tenant with a stored face and the same birth date, nationality and gender
     * (null-safe), oldest first; names are compared by the caller.
     */
    @Select("SELECT e.case_id, c.applicant_id, c.full_name, e.embedding_enc, c.public_id AS case_public_id,"
            + " c.created_at, c.pii_enc, " + CaseMapper.KEY_COLUMNS
            + " FROM kyc_face_embeddings e JOIN kyc_cases c ON c.id = e.case_id" + CaseMapper.KEY_JOIN
            + " WHERE c.tenant_id = #{tenantId} AND e.tenant_id = #{tenantId} AND c.id <> #{caseId}"
            + " AND c.birth_bidx = #{birthBidx} AND c.nationality <=> #{nationality}"
            + " AND c.gender <=> #{gender} ORDER BY c.created_at, c.id LIMIT 500")
    List<EmbeddingRow> sameDetails(@Param("tenantId") long tenantId, @Param("caseId") long caseId,
            @Param("birthDate") LocalDate birthDate, @Param("nationality") String nationality,
            @Param("gender") String gender);

    @Select("SELECT COUNT(*) FROM kyc_cases WHERE tenant_id = #{tenantId} AND applicant_id = #{applicantId}")
    long countApplicantCases(@Param("tenantId") long tenantId, @Param("applicantId") String applicantId);
}
