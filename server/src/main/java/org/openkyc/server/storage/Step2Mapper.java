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
    }

    @Insert("INSERT INTO kyc_attempts (case_id, attempt_no, liveness_score, face_similarity_score, full_name, id_type,"
            + " issue_date, identity_number_masked, verification_result, retry_msg, registry_check, created_at)"
            + " VALUES (#{caseId}, #{attemptNo}, #{livenessScore}, #{faceSimilarityScore}, #{fullName}, #{idType},"
            + " #{issueDate}, #{identityNumberMasked}, #{verificationResult}, #{retryMsg}, #{registryCheck},"
            + " #{createdAt})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertAttempt(CaseMapper.AttemptRow row);

    @Select("SELECT COUNT(*) FROM kyc_attempts WHERE case_id = #{caseId}")
    int countAttempts(long caseId);

    @Update("UPDATE kyc_cases SET retry_count = #{retryCount}, updated_at = #{at} WHERE id = #{id}")
    int setRetryCount(@Param("id") long id, @Param("retryCount") int retryCount, @Param("at") LocalDateTime at);

    /** Fills the person's fields the document did not give with what the user confirmed (nulls keep the value). */
    @Update("UPDATE kyc_cases SET full_name = COALESCE(full_name, #{fullName}), gender = COALESCE(gender, #{gender}),"
            + " nationality = COALESCE(nationality, #{nationality}),"
            + " date_of_birth = COALESCE(date_of_birth, #{dateOfBirth}),"
            + " issue_date = COALESCE(issue_date, #{issueDate}),"
            + " identity_number_enc = COALESCE(#{identityNumberEnc}, identity_number_enc),"
            + " identity_number_masked = COALESCE(#{identityNumberMasked}, identity_number_masked),"
            + " applicant_id = #{applicantId}, updated_at = #{updatedAt} WHERE id = #{id}")
    int completeCase(CaseMapper.CaseRow row);

    @Insert("INSERT INTO kyc_face_embeddings (case_id, tenant_id, embedding_enc, created_at)"
            + " VALUES (#{caseId}, #{tenantId}, #{embeddingEnc}, #{createdAt})")
    void insertEmbedding(@Param("caseId") long caseId, @Param("tenantId") long tenantId,
            @Param("embeddingEnc") byte[] embeddingEnc, @Param("createdAt") LocalDateTime createdAt);

    /**
     * Earlier cases of the tenant with a stored face and the same birth date, nationality and gender
     * (null-safe), oldest first; names are compared by the caller.
     */
    @Select("SELECT e.case_id, c.applicant_id, c.full_name, e.embedding_enc, c.public_id AS case_public_id,"
            + " c.created_at FROM kyc_face_embeddings e JOIN kyc_cases c ON c.id = e.case_id"
            + " WHERE c.tenant_id = #{tenantId} AND e.tenant_id = #{tenantId} AND c.id <> #{caseId}"
            + " AND c.date_of_birth = #{birthDate} AND c.nationality <=> #{nationality}"
            + " AND c.gender <=> #{gender} ORDER BY c.created_at, c.id LIMIT 500")
    List<EmbeddingRow> sameDetails(@Param("tenantId") long tenantId, @Param("caseId") long caseId,
            @Param("birthDate") LocalDate birthDate, @Param("nationality") String nationality,
            @Param("gender") String gender);

    @Select("SELECT COUNT(*) FROM kyc_cases WHERE tenant_id = #{tenantId} AND applicant_id = #{applicantId}")
    long countApplicantCases(@Param("tenantId") long tenantId, @Param("applicantId") String applicantId);
}
