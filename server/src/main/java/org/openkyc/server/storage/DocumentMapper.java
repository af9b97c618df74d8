package org.openkyc.server.storage;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * The kyc_documents table (documents of the KYC web API). Every read is scoped to a tenant through the
 * document's case.
 */
public interface DocumentMapper {

    /** A kyc_documents row, with its case's public id when read. */
    final class DocumentRow {
        public Long id;
        public Long publicId;
        public Long caseId;
        public String casePublicId;
        public String docType;
        public String country;
        public String source;
        public Long frontImageId;
        public Long backImageId;
        public byte[] ocrFieldsEnc;
        public byte[] declaredFieldsEnc;
        public byte[] confirmedFieldsEnc;
        public String mrzStatus;
        /** Fields of the zone read but not unambiguously, comma-separated; null when none. */
        public String mrzUnsure;
        public LocalDate expiryDate;
        public String qualityScores;
        public String qualityIssues;
        public Boolean userModified;
        public String status;
        public Integer decision;
        public LocalDateTime createdAt;
        public LocalDateTime updatedAt;
        public LocalDateTime confirmedAt;
        public LocalDateTime submittedAt;
        /** The case's wrapped key (see CaseSealing, which opens the fields sealed with it). */
        public String keyId;
        public byte[] wrappedKey;
    }

    String COLUMNS = "d.id, d.public_id, d.case_id, c.public_id AS case_public_id, d.doc_type, d.country, d.source,"
            + " d.front_image_id, d.back_image_id, d.ocr_fields_enc, d.declared_fields_enc, d.confirmed_fields_enc,"
            + " d.mrz_status, d.mrz_unsure, d.expiry_date, d.quality_scores, d.quality_issues, d.user_modified, d.status,"
            + " d.decision, d.created_at, d.updated_at, d.confirmed_at, d.submitted_at, " + CaseMapper.KEY_COLUMNS
            + " FROM kyc_documents d JOIN kyc_cases c ON c.id = d.case_id" + CaseMapper.KEY_JOIN;

    @Insert("INSERT INTO kyc_documents (public_id, case_id, doc_type, country, source, front_image_id, back_image_id,"
            + " ocr_fields_enc, declared_fields_enc, mrz_status, mrz_unsure, expiry_date, quality_scores, quality_issues,"
            + " user_modified, status, created_at, updated_at) VALUES (#{publicId}, #{caseId}, #{docType}, #{country},"
            + " #{source}, #{frontImageId}, #{backImageId}, #{ocrFieldsEnc}, #{declaredFieldsEnc}, #{mrzStatus},"
            + " #{mrzUnsure},"
            + " #{expiryDate}, #{qualityScores}, #{qualityIssues}, #{userModified}, #{status}, #{createdAt},"
            + " #{updatedAt})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insert(DocumentRow row);

    @Select("SELECT " + COLUMNS + " WHERE d.public_id = #{publicId} AND c.tenant_id = #{tenantId}")
    DocumentRow byPublicId(@Param("tenantId") long tenantId, @Param("publicId") long publicId);

    /** The document, locked for the rest of the transaction. */
    @Select("SELECT " + COLUMNS + " WHERE d.public_id = #{publicId} AND c.tenant_id = #{tenantId} FOR UPDATE")
    DocumentRow lock(@Param("tenantId") long tenantId, @Param("publicId") long publicId);

    /** Every document of a case, oldest first. */
    @Select("SELECT " + COLUMNS + " WHERE d.case_id = #{caseId} ORDER BY d.id")
    List<DocumentRow> ofCase(long caseId);

    @Select("SELECT COUNT(*) FROM kyc_documents WHERE case_id = #{caseId}")
    long countOfCase(long caseId);

    @Update("UPDATE kyc_documents SET confirmed_fields_enc = #{confirmedFieldsEnc}, user_modified = #{userModified},"
            + " status = 'confirmed', confirmed_at = #{at}, updated_at = #{at}"
            + " WHERE id = #{id} AND status IN ('uploaded', 'confirmed')")
    int confirm(@Param("id") long id, @Param("caseId") long caseId, @Param("publicId") long publicId,
            @Param("confirmedFieldsEnc") byte[] confirmedFieldsEnc,
            @Param("userModified") boolean userModified, @Param("at") LocalDateTime at);

    @Update("UPDATE kyc_documents SET status = 'submitted', decision = #{decision}, submitted_at = #{at},"
            + " updated_at = #{at} WHERE id = #{id} AND status = 'confirmed'")
    int submit(@Param("id") long id, @Param("decision") int decision, @Param("at") LocalDateTime at);

    /**
     * The person of a case as the document shows it: only the given (non-null) values replace stored ones.
     * The identity number is stored encrypted with its masked form beside it.
     */
    @Update("UPDATE kyc_cases SET pii_enc = #{piiEnc}, birth_bidx = #{birthBidx}, " + CaseMapper.CLEAR_PII + ","
            + " gender = COALESCE(#{gender}, gender), nationality = COALESCE(#{nationality}, nationality),"
            + " id_type = #{idType},"
            + " issuing_country = COALESCE(#{issuingCountry}, issuing_country),"
            + " identity_number_enc = COALESCE(#{identityNumberSealed}, identity_number_enc),"
            + " identity_number_masked = COALESCE(#{identityNumberMasked}, identity_number_masked),"
            + " updated_at = #{at} WHERE id = #{caseId}")
    int updatePerson(@Param("caseId") long caseId, @Param("fullName") String fullName, @Param("gender") String gender,
            @Param("nationality") String nationality, @Param("birthDate") LocalDate birthDate,
            @Param("idType") String idType, @Param("issuingCountry") String issuingCountry,
            @Param("identityNumberEnc") byte[] identityNumberEnc,
            @Param("identityNumberMasked") String identityNumberMasked, @Param("at") LocalDateTime at);
}
