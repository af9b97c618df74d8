package org.openkyc.server.storage;

import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** The wrapped per-case data keys (kyc_case_keys) and the statements that seal, migrate and re-wrap them. */
public interface CaseKeyMapper {

    /** A kyc_case_keys row, with what re-wrapping needs of its case. */
    final class KeyRow {
        public Long caseId;
        public Long tenantId;
        public String publicId;
        public String masterKeyId;
        public byte[] wrappedKey;
        public byte[] piiEnc;
        public LocalDateTime createdAt;
    }

    /** How many case keys one master key wraps. */
    final class KeyCount {
        public String masterKeyId;
        public Long cases;
    }

    @Insert("INSERT INTO kyc_case_keys (case_id, master_key_id, wrapped_key, created_at)"
            + " VALUES (#{caseId}, #{masterKeyId}, #{wrappedKey}, #{createdAt})")
    void insertKey(KeyRow row);

    /** A case with its key, by row id, for a write that re-seals its personal fields. */
    @Select("SELECT " + CaseMapper.C_CASE_COLUMNS + ", " + CaseMapper.KEY_COLUMNS + " FROM kyc_cases c"
            + CaseMapper.KEY_JOIN + " WHERE c.id = #{id}")
    CaseMapper.CaseRow caseForSeal(long id);

    /** The key of a case, by row id. */
    @Select("SELECT c.id AS case_id, c.tenant_id, c.public_id, k.master_key_id, k.wrapped_key"
            + " FROM kyc_cases c JOIN kyc_case_keys k ON k.case_id = c.id WHERE c.id = #{id}")
    KeyRow keyOf(long id);

    // Rotation: re-wrap every case key with the current master key, in batches of case ids.

    @Select("SELECT k.case_id, c.tenant_id, c.public_id, k.master_key_id, k.wrapped_key, c.pii_enc"
            + " FROM kyc_case_keys k JOIN kyc_cases c ON c.id = k.case_id"
            + " WHERE k.master_key_id <> #{current} AND k.case_id > #{after} ORDER BY k.case_id LIMIT #{limit}"
            + " FOR UPDATE")
    List<KeyRow> keysToRewrap(@Param("current") String current, @Param("after") long after,
            @Param("limit") int limit);

    @Update("UPDATE kyc_case_keys SET master_key_id = #{masterKeyId}, wrapped_key = #{wrappedKey}"
            + " WHERE case_id = #{caseId}")
    int rewrap(KeyRow row);

    @Update("UPDATE kyc_cases SET user_id_bidx = #{userIdBidx}, email_bidx = #{emailBidx},"
            + " birth_bidx = #{birthBidx} WHERE id = #{id}")
    int setIndexes(CaseMapper.CaseRow row);

    @Select("SELECT master_key_id, COUNT(*) AS cases FROM kyc_case_keys GROUP BY master_key_id"
            + " ORDER BY master_key_id")
    List<KeyCount> keyCounts();

    // Rows written before crypto-shredding: sealed in place at start, in batches of row ids.

    @Select("SELECT " + CaseMapper.C_CASE_COLUMNS + " FROM kyc_cases c"
            + " WHERE c.id > #{after} AND c.pii_enc IS NULL ORDER BY c.id LIMIT #{limit} FOR UPDATE")
    List<CaseMapper.CaseRow> unsealedCases(@Param("after") long after, @Param("limit") int limit);

    @Update("UPDATE kyc_cases SET pii_enc = #{piiEnc}, user_id_bidx = #{userIdBidx}, email_bidx = #{emailBidx},"
            + " birth_bidx = #{birthBidx}, identity_number_enc = #{identityNumberSealed}, " + CaseMapper.CLEAR_PII
            + " WHERE id = #{id}")
    int sealCase(CaseMapper.CaseRow row);

    @Select("SELECT id, case_id, attempt_no, full_name, retry_msg FROM kyc_attempts WHERE case_id = #{caseId}"
            + " AND pii_enc IS NULL AND (full_name IS NOT NULL OR retry_msg IS NOT NULL)")
    List<CaseMapper.AttemptRow> unsealedAttempts(long caseId);

    @Update("UPDATE kyc_attempts SET pii_enc = #{piiEnc}, full_name = NULL, retry_msg = NULL WHERE id = #{id}")
    int sealAttempt(@Param("id") long id, @Param("piiEnc") byte[] piiEnc);

    @Select("SELECT id, case_id, provider_session_id, error_message FROM liveness_results WHERE case_id = #{caseId}"
            + " AND pii_enc IS NULL AND (provider_session_id IS NOT NULL OR error_message IS NOT NULL)")
    List<LivenessMapper.ResultRow> unsealedLiveness(long caseId);

    @Update("UPDATE liveness_results SET pii_enc = #{piiEnc}, provider_session_id = NULL, error_message = NULL"
            + " WHERE id = #{id}")
    int sealLiveness(@Param("id") long id, @Param("piiEnc") byte[] piiEnc);

    @Select("SELECT id, case_id, remark FROM kyc_status_audit WHERE case_id = #{caseId} AND remark IS NOT NULL")
    List<CaseMapper.AuditRow> unsealedAudit(long caseId);

    @Update("UPDATE kyc_status_audit SET remark_enc = #{remarkEnc}, remark = NULL WHERE id = #{id}")
    int sealAudit(@Param("id") long id, @Param("remarkEnc") byte[] remarkEnc);

    // Document fields, readings, faces and screenings stored under the master key only (before they were sealed
    // with the case key): sealed in place at start, in batches of row ids. A value's first byte tells (see
    // CaseVault#sealBytes); the rows read are opened by CaseSealing, and sealed again whole.

    @Select("SELECT d.id, d.public_id, d.case_id, c.public_id AS case_public_id, d.ocr_fields_enc,"
            + " d.declared_fields_enc, d.confirmed_fields_enc, " + CaseMapper.KEY_COLUMNS
            + " FROM kyc_documents d JOIN kyc_cases c ON c.id = d.case_id JOIN kyc_case_keys k ON k.case_id = c.id"
            + " WHERE d.id > #{after} AND ((d.ocr_fields_enc IS NOT NULL AND ASCII(d.ocr_fields_enc) <> 2)"
            + " OR (d.declared_fields_enc IS NOT NULL AND ASCII(d.declared_fields_enc) <> 2)"
            + " OR (d.confirmed_fields_enc IS NOT NULL AND ASCII(d.confirmed_fields_enc) <> 2))"
            + " ORDER BY d.id LIMIT #{limit} FOR UPDATE")
    List<DocumentMapper.DocumentRow> unsealedDocuments(@Param("after") long after, @Param("limit") int limit);

    @Update("UPDATE kyc_documents SET ocr_fields_enc = #{ocrFieldsEnc}, declared_fields_enc = #{declaredFieldsEnc},"
            + " confirmed_fields_enc = #{confirmedFieldsEnc} WHERE id = #{id}")
    int sealDocument(DocumentMapper.DocumentRow row);

    @Select("SELECT r.id, r.case_id, c.public_id AS case_public_id, r.document_number_enc, " + CaseMapper.KEY_COLUMNS
            + " FROM kyc_document_readings r JOIN kyc_cases c ON c.id = r.case_id"
            + " JOIN kyc_case_keys k ON k.case_id = c.id WHERE r.id > #{after} AND r.document_number_enc IS NOT NULL"
            + " AND ASCII(r.document_number_enc) <> 2 ORDER BY r.id LIMIT #{limit} FOR UPDATE")
    List<DocumentReadingMapper.ReadingRow> unsealedReadings(@Param("after") long after, @Param("limit") int limit);

    @Update("UPDATE kyc_document_readings SET document_number_enc = #{documentNumberEnc} WHERE id = #{id}")
    int sealReading(DocumentReadingMapper.ReadingRow row);

    @Select("SELECT e.case_id, c.public_id AS case_public_id, e.embedding_enc, " + CaseMapper.KEY_COLUMNS
            + " FROM kyc_face_embeddings e JOIN kyc_cases c ON c.id = e.case_id"
            + " JOIN kyc_case_keys k ON k.case_id = c.id WHERE e.case_id > #{after} AND e.embedding_enc IS NOT NULL"
            + " AND ASCII(e.embedding_enc) <> 2 ORDER BY e.case_id LIMIT #{limit} FOR UPDATE")
    List<Step2Mapper.EmbeddingRow> unsealedEmbeddings(@Param("after") long after, @Param("limit") int limit);

    @Update("UPDATE kyc_face_embeddings SET embedding_enc = #{embeddingEnc} WHERE case_id = #{caseId}")
    int sealEmbedding(Step2Mapper.EmbeddingRow row);

    /** Screenings of a case whose query or any candidate's breakdown is not sealed with the case key yet. */
    @Select("SELECT s.id, s.public_id, s.case_id, c.public_id AS case_public_id, s.query_enc, " + CaseMapper.KEY_COLUMNS
            + " FROM aml_screenings s JOIN kyc_cases c ON c.id = s.case_id JOIN kyc_case_keys k ON k.case_id = c.id"
            + " WHERE s.id > #{after} AND ((s.query_enc IS NOT NULL AND ASCII(s.query_enc) <> 2)"
            + " OR EXISTS (SELECT 1 FROM aml_candidates a WHERE a.screening_id = s.id"
            + " AND a.breakdown_enc IS NOT NULL AND ASCII(a.breakdown_enc) <> 2))"
            + " ORDER BY s.id LIMIT #{limit} FOR UPDATE")
    List<ScreeningMapper.ScreeningRow> unsealedScreenings(@Param("after") long after, @Param("limit") int limit);

    @Update("UPDATE aml_screenings SET query_enc = #{queryEnc} WHERE id = #{id}")
    int sealScreening(ScreeningMapper.ScreeningRow row);

    @Update("UPDATE aml_candidates SET breakdown_enc = #{breakdownEnc} WHERE id = #{id}")
    int sealCandidate(ScreeningMapper.CandidateRow row);
}
