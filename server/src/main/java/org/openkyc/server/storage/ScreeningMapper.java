package org.openkyc.server.storage;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Sanctions screenings and their candidates. Every read is tenant-scoped. */
public interface ScreeningMapper {

    /** An aml_screenings row; caseId is the case's internal id, casePublicId read by join. */
    final class ScreeningRow {
        public Long id;
        public String publicId;
        public Long tenantId;
        public Long caseId;
        public String casePublicId;
        public String subjectKind;
        public byte[] queryEnc;
        public String listVersions;
        public String decision;
        public BigDecimal bestScore;
        public BigDecimal threshold;
        public BigDecimal reviewFloor;
        public String screenedBy;
        public LocalDateTime createdAt;
        /** The case's wrapped key when read (see CaseSealing). */
        public String keyId;
        public byte[] wrappedKey;
    }

    /** An aml_candidates row. */
    final class CandidateRow {
        public Long id;
        public Long screeningId;
        public Integer rankNo;
        public String listSource;
        public String entryId;
        public String entryKind;
        public String listedName;
        public String matchedName;
        public BigDecimal score;
        public String programs;
        public byte[] breakdownEnc;
        /** The screening's case, its public id and wrapped key when read (see CaseSealing). */
        public Long caseId;
        public String casePublicId;
        public String keyId;
        public byte[] wrappedKey;
    }

    @Insert("INSERT INTO aml_screenings (public_id, tenant_id, case_id, subject_kind, query_enc, list_versions,"
            + " decision, best_score, threshold, review_floor, screened_by, created_at) VALUES (#{publicId},"
            + " #{tenantId}, #{caseId}, #{subjectKind}, #{queryEnc}, #{listVersions}, #{decision}, #{bestScore},"
            + " #{threshold}, #{reviewFloor}, #{screenedBy}, #{createdAt})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertScreening(ScreeningRow row);

    @Insert("INSERT INTO aml_candidates (screening_id, rank_no, list_source, entry_id, entry_kind, listed_name,"
            + " matched_name, score, programs, breakdown_enc) VALUES (#{screeningId}, #{rankNo}, #{listSource},"
            + " #{entryId}, #{entryKind}, #{listedName}, #{matchedName}, #{score}, #{programs}, #{breakdownEnc})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertCandidate(CandidateRow row);

    @Select("SELECT s.id, s.public_id, s.tenant_id, s.case_id, c.public_id AS case_public_id, s.subject_kind,"
            + " s.query_enc, s.list_versions, s.decision, s.best_score, s.threshold, s.review_floor, s.screened_by,"
            + " s.created_at, " + CaseMapper.KEY_COLUMNS + " FROM aml_screenings s LEFT JOIN kyc_cases c ON c.id = s.case_id"
            + CaseMapper.KEY_JOIN
            + " WHERE s.tenant_id = #{tenantId} AND s.public_id = #{publicId}")
    ScreeningRow screeningByPublicId(@Param("tenantId") long tenantId, @Param("publicId") String publicId);

    @Select("SELECT a.id, a.screening_id, a.rank_no, a.list_source, a.entry_id, a.entry_kind, a.listed_name,"
            + " a.matched_name, a.score, a.programs, a.breakdown_enc, s.case_id, c.public_id AS case_public_id, "
            + CaseMapper.KEY_COLUMNS + " FROM aml_candidates a JOIN aml_screenings s ON s.id = a.screening_id"
            + " LEFT JOIN kyc_cases c ON c.id = s.case_id" + CaseMapper.KEY_JOIN
            + " WHERE a.screening_id = #{screeningId} ORDER BY a.rank_no")
    List<CandidateRow> candidatesOf(long screeningId);

    @Select("SELECT COUNT(*) FROM aml_screenings WHERE case_id = #{caseId}")
    long countForCase(long caseId);

    @Update("UPDATE kyc_cases SET aml_result = #{result}, aml_resource_id = #{resourceId}, updated_at = #{at}"
            + " WHERE id = #{caseId}")
    int setCaseAml(@Param("caseId") long caseId, @Param("result") String result,
            @Param("resourceId") String resourceId, @Param("at") LocalDateTime at);
}
