package org.openkyc.server.storage;

import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** The kyc_document_readings table: what step 1 read from a case's document. */
public interface DocumentReadingMapper {

    /** A kyc_document_readings row. */
    final class ReadingRow {
        public Long id;
        public Long caseId;
        public String mrzStatus;
        public String mrzFormat;
        public String documentType;
        public String issuingState;
        public byte[] documentNumberEnc;
        public LocalDate expiryDate;
        public String failedChecks;
        /** Fields of the zone read but not unambiguously, comma-separated; null when none. */
        public String mrzUnsure;
        public String qualityScores;
        public String qualityIssues;
        public String ocrModel;
        public LocalDateTime createdAt;
        /** The fields read (JSON, encrypted, then sealed with the case key); null for older readings. */
        public byte[] ocrFieldsEnc;
        /** The fields confirmed in the latest step-2 attempt (as ocrFieldsEnc); null before one. */
        public byte[] confirmedFieldsEnc;
        public LocalDateTime confirmedAt;
        /** The case's public id and wrapped key when read (see CaseSealing). */
        public String casePublicId;
        public String keyId;
        public byte[] wrappedKey;
    }

    @Insert("INSERT INTO kyc_document_readings (case_id, mrz_status, mrz_format, document_type, issuing_state,"
            + " document_number_enc, expiry_date, failed_checks, mrz_unsure, quality_scores, quality_issues, ocr_model,"
            + " created_at, ocr_fields_enc) VALUES (#{caseId}, #{mrzStatus}, #{mrzFormat}, #{documentType},"
            + " #{issuingState}, #{documentNumberEnc}, #{expiryDate}, #{failedChecks}, #{mrzUnsure}, #{qualityScores},"
            + " #{qualityIssues}, #{ocrModel}, #{createdAt}, #{ocrFieldsEnc})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insert(ReadingRow row);

    @Select("SELECT r.id, r.case_id, r.mrz_status, r.mrz_format, r.document_type, r.issuing_state,"
            + " r.document_number_enc, r.expiry_date, r.failed_checks, r.mrz_unsure, r.quality_scores,"
            + " r.quality_issues, r.ocr_model, r.created_at, r.ocr_fields_enc, r.confirmed_fields_enc, r.confirmed_at,"
            + " c.public_id AS case_public_id, " + CaseMapper.KEY_COLUMNS
            + " FROM kyc_document_readings r JOIN kyc_cases c ON c.id = r.case_id" + CaseMapper.KEY_JOIN
            + " WHERE r.case_id = #{caseId}")
    ReadingRow ofCase(long caseId);

    /** Keeps the fields confirmed in a step-2 attempt (sealed by CaseSealing); 0 when the case has no reading. */
    @Update("UPDATE kyc_document_readings SET confirmed_fields_enc = #{confirmedFieldsEnc}, confirmed_at = #{at}"
            + " WHERE case_id = #{caseId}")
    int confirm(@Param("caseId") long caseId, @Param("confirmedFieldsEnc") byte[] confirmedFieldsEnc,
            @Param("at") LocalDateTime at);
}
