package org.openkyc.server.storage;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** KYC cases and what hangs off them: attempts, images, status audit. Every query is tenant-scoped. */
public interface CaseMapper {

    /** A kyc_cases row. */
    class CaseRow {
        public Long id;
        public String publicId;
        public Long tenantId;
        public String userId;
        public String email;
        public String country;
        public String fullName;
        public String gender;
        public String nationality;
        public LocalDate dateOfBirth;
        public String cf1;
        public String cf2;
        public String cf3;
        public String ipAddress;
        public String idType;
        public String issuingCountry;
        public LocalDate issueDate;
        public byte[] identityNumberEnc;
        public String identityNumberMasked;
        public String status;
        public String comments;
        public String commentCodes;
        public String applicantId;
        public Integer retryCount;
        public String amlResult;
        public String amlResourceId;
        public LocalDateTime createdAt;
        public LocalDateTime updatedAt;
        public LocalDateTime reviewedAt;
        // Crypto-shredding (see CaseVault): the personal fields above are stored only inside pii_enc, encrypted
        // with the case's own data key, which is stored wrapped by the master key in kyc_case_keys.
        public byte[] piiEnc;
        public byte[] userIdBidx;
        public byte[] emailBidx;
        public byte[] birthBidx;
        /** The master key id and the wrapped data key, joined from kyc_case_keys. */
        public String keyId;
        public byte[] wrappedKey;
        /** identityNumberEnc as stored: sealed once more with the case key (see CaseVault#sealBytes). */
        public byte[] identityNumberSealed;
        /** The case's data key once the row is opened or sealed; never stored in clear. */
        public transient byte[] dataKey;
    }

    /**
     * A case with what its status shows: its newest document (id, status, submission time) and its newest
     * liveness result; the document and liveness fields are null when the case has none.
     */
    final class StatusRow extends CaseRow {
        public Long documentPublicId;
        public String documentStatus;
        public LocalDateTime documentSubmittedAt;
        public String livenessResult;
        public Double livenessConfidence;
        public String livenessSource;
        public LocalDateTime livenessAt;
        public Double livenessFaceMatchScore;
    }

    /** A case with one of its attempts (the attempt fields are null when the case has none). */
    final class CaseAttemptRow extends CaseRow {
        public Integer attemptNo;
        public Integer attemptLivenessScore;
        public Integer attemptFaceSimilarityScore;
        public String attemptFullName;
        public String attemptIdType;
        public LocalDate attemptIssueDate;
        public String attemptIdentityNumberMasked;
        public String attemptVerificationResult;
        public String attemptRetryMsg;
        public String attemptRegistryCheck;
        public LocalDateTime attemptCreatedAt;
        public byte[] attemptPiiEnc;

        /** The attempt of this row, or null. */
        public AttemptRow attempt() {
            if (attemptNo == null) {
                return null;
            }
            AttemptRow a = new AttemptRow();
            a.caseId = id;
            a.attemptNo = attemptNo;
            a.livenessScore = attemptLivenessScore;
            a.faceSimilarityScore = attemptFaceSimilarityScore;
            a.fullName = attemptFullName;
            a.idType = attemptIdType;
            a.issueDate = attemptIssueDate;
            a.identityNumberMasked = attemptIdentityNumberMasked;
            a.verificationResult = attemptVerificationResult;
            a.retryMsg = attemptRetryMsg;
            a.registryCheck = attemptRegistryCheck;
            a.createdAt = attemptCreatedAt;
            return a;
        }
    }

    /** A kyc_attempts row. */
    final class AttemptRow {
        public Long id;
        public Long caseId;
        public Integer attemptNo;
        public Integer livenessScore;
        public Integer faceSimilarityScore;
        public String fullName;
        public String idType;
        public LocalDate issueDate;
        public String identityNumberMasked;
        public String verificationResult;
        public String retryMsg;
        public String registryCheck;
        public LocalDateTime createdAt;
        /** fullName and retryMsg, sealed with the case key (see CaseVault). */
        public byte[] piiEnc;
    }

    /** A kyc_images row. */
    final class ImageRow {
        public Long id;
        public Long caseId;
        public String kind;
        /** The blob's handle (see CaseSealedBlobs): the store's key and the blob's own key. */
        public String blobKey;
        public String mediaType;
        public Long sizeBytes;
        public LocalDateTime createdAt;
        /** What is stored: the store's key in blob_key, the blob's own key sealed with the case key. */
        public String storedBlobKey;
        public byte[] blobKeyEnc;
    }

    /** A kyc_status_audit row. */
    final class AuditRow {
        public Long id;
        public Long caseId;
        public String actor;
        public String actorRole;
        public String fromStatus;
        public String toStatus;
        public String remark;
        public LocalDateTime changedAt;
        /** The remark, sealed with the case key (see CaseVault). */
        public byte[] remarkEnc;
        /** A reviewer's decision (see ReviewDecision), null for changes the product made itself. */
        public String decision;
    }

    /** Filters of a case listing; null fields do not filter. */
    final class CaseFilter {
        public long tenantId;
        public String userId;
        public String email;
        public LocalDateTime createdFrom;
        public LocalDateTime createdBefore;
        public String status;
        public String applicantId;
        public Collection<String> publicIds;
        public LocalDateTime cursorCreatedAt;
        public Long cursorId;
        public int limit;
        public int offset;
        /** Blind indexes of userId and email, set by the storage layer from them (see CaseVault). */
        public byte[] userIdBidx;
        public byte[] emailBidx;
        public boolean oldestFirst;
        // The reviewer queue (queuePage)
        /** Only cases carrying this unmet rule (a line of comment_codes). */
        public String unmetRule;
        /** Only cases with this screening result (aml_result). */
        public String screening;
        /** Only cases never screened (aml_result NULL). */
        public boolean unscreened;
        /** Whether queuePage also counts the matching cases per status (the status filter left out). */
        public boolean withCounts;
    }

    /** A case of a queue page; statusCounts is set on every row when counted (the only row of an empty page). */
    final class QueueRow extends CaseRow {
        /** "status=count" pairs separated by commas, or null when not counted. */
        public String statusCounts;
    }

    /** A number of cases in one status. */
    final class StatusCountRow {
        public String status;
        public long total;
    }

    String CASE_COLUMNS_HEAD = "id, public_id, tenant_id, user_id, email, country, full_name, gender, nationality,"
            + " date_of_birth, cf1, cf2, cf3, ip_address, id_type, issuing_country, issue_date,";
    String CASE_COLUMNS_TAIL = " identity_number_masked, status, comments, comment_codes, applicant_id,"
            + " retry_count, aml_result, aml_resource_id, created_at, updated_at, reviewed_at, pii_enc";
    String CASE_COLUMNS = CASE_COLUMNS_HEAD + " identity_number_enc," + CASE_COLUMNS_TAIL;

    /** The case key of the case aliased {@code c}, from kyc_case_keys aliased {@code k}. */
    String KEY_COLUMNS = "k.master_key_id AS key_id, k.wrapped_key AS wrapped_key";
    String KEY_JOIN = " LEFT JOIN kyc_case_keys k ON k.case_id = c.id";

    /** Personal columns of rows written before crypto-shredding; emptied when a row is sealed. */
    String CLEAR_PII = "user_id = NULL, email = NULL, full_name = NULL, date_of_birth = NULL, cf1 = NULL,"
            + " cf2 = NULL, cf3 = NULL, ip_address = NULL, comments = NULL";

    String FILTER = "<where>"
            + " tenant_id = #{tenantId}"
            + " <if test='userId != null'> AND user_id_bidx = #{userIdBidx}</if>"
            + " <if test='email != null'> AND email_bidx = #{emailBidx}</if>"
            + " <if test='createdFrom != null'> AND created_at &gt;= #{createdFrom}</if>"
            + " <if test='createdBefore != null'> AND created_at &lt; #{createdBefore}</if>"
            + " <if test='status != null'> AND status = #{status}</if>"
            + " <if test='applicantId != null'> AND applicant_id = #{applicantId}</if>"
            + " <if test='publicIds != null and !publicIds.isEmpty()'> AND public_id IN"
            + "   <foreach item='p' collection='publicIds' open='(' separator=',' close=')'>#{p}</foreach></if>"
            + "</where>";

    /** Personal fields go only into pii_enc (see CaseVault, which seals the row first). */
    @Insert("INSERT INTO kyc_cases (public_id, tenant_id, country, gender, nationality, id_type, issuing_country,"
            + " issue_date, identity_number_enc, identity_number_masked, status, comment_codes, applicant_id,"
            + " retry_count, aml_result, aml_resource_id, created_at, updated_at, reviewed_at, pii_enc, user_id_bidx,"
            + " email_bidx, birth_bidx) VALUES (#{publicId}, #{tenantId}, #{country}, #{gender}, #{nationality},"
            + " #{idType}, #{issuingCountry}, #{issueDate}, #{identityNumberSealed}, #{identityNumberMasked},"
            + " #{status},"
            + " #{commentCodes}, #{applicantId}, #{retryCount}, #{amlResult}, #{amlResourceId}, #{createdAt},"
            + " #{updatedAt}, #{reviewedAt}, #{piiEnc}, #{userIdBidx}, #{emailBidx}, #{birthBidx})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertCase(CaseRow row);

    @Select("SELECT " + C_CASE_COLUMNS + ", " + KEY_COLUMNS + " FROM kyc_cases c" + KEY_JOIN
            + " WHERE c.tenant_id = #{tenantId} AND c.public_id = #{publicId}")
    CaseRow caseByPublicId(@Param("tenantId") long tenantId, @Param("publicId") String publicId);

    /** {@link #CASE_COLUMNS} of the case aliased {@code c}. */
    String C_CASE_COLUMNS_HEAD = "c.id, c.public_id, c.tenant_id, c.user_id, c.email, c.country, c.full_name,"
            + " c.gender, c.nationality, c.date_of_birth, c.cf1, c.cf2, c.cf3, c.ip_address, c.id_type,"
            + " c.issuing_country, c.issue_date,";
    String C_CASE_COLUMNS_TAIL = " c.identity_number_masked, c.status, c.comments, c.comment_codes,"
            + " c.applicant_id, c.retry_count, c.aml_result, c.aml_resource_id, c.created_at, c.updated_at,"
            + " c.reviewed_at, c.pii_enc";
    String C_CASE_COLUMNS = C_CASE_COLUMNS_HEAD + " c.identity_number_enc," + C_CASE_COLUMNS_TAIL;
    /**
     * The columns of the case aliased {@code c} for the reads whose answers show cases (a status, a submission,
     * a list page). The identity number is shown only masked, so its sealed form is not read, nor decrypted
     * for every row. The clear personal columns ({@link #CLEAR_PII}) are not read either: only rows written
     * before crypto-shredding have them, and the server seals those before it serves (CaseKeyJobs); each
     * column read costs the database and the driver its description on every execution.
     */
    String C_SHOWN_CASE_COLUMNS = "c.id, c.public_id, c.tenant_id, c.country, c.gender, c.nationality, c.id_type,"
            + " c.issuing_country, c.issue_date, c.identity_number_masked, c.status, c.comment_codes,"
            + " c.applicant_id, c.retry_count, c.aml_result, c.aml_resource_id, c.created_at, c.updated_at,"
            + " c.reviewed_at, c.pii_enc";

    /** Where a next-page cursor's case sits in the page order. */
    final class Anchor {
        public Long id;
        public LocalDateTime createdAt;
    }

    /** The place of a case in the page order, read from the public id's index alone (nothing to open). */
    @Select("SELECT id, created_at FROM kyc_cases WHERE tenant_id = #{tenantId} AND public_id = #{publicId}")
    Anchor anchorByPublicId(@Param("tenantId") long tenantId, @Param("publicId") String publicId);

    /**
     * The case with its newest document and newest liveness result, in one statement (the status of C1). Each
     * newest row is found through its (case_id, id) index.
     */
    @Select("SELECT " + C_SHOWN_CASE_COLUMNS + ", d.public_id AS document_public_id, d.status AS document_status,"
            + " d.submitted_at AS document_submitted_at, l.result AS liveness_result,"
            + " l.confidence AS liveness_confidence, l.source AS liveness_source, l.created_at AS liveness_at,"
            + " l.face_match_score AS liveness_face_match_score, " + KEY_COLUMNS
            + " FROM kyc_cases c" + KEY_JOIN
            + " LEFT JOIN kyc_documents d ON d.id = (SELECT MAX(d2.id) FROM kyc_documents d2 WHERE d2.case_id = c.id)"
            + " LEFT JOIN liveness_results l"
            + "   ON l.id = (SELECT MAX(l2.id) FROM liveness_results l2 WHERE l2.case_id = c.id)"
            + " WHERE c.tenant_id = #{tenantId} AND c.public_id = #{publicId}")
    StatusRow statusByPublicId(@Param("tenantId") long tenantId, @Param("publicId") String publicId);

    /** The case, once per attempt in attempt order (once with null attempt fields when it has none). */
    @Select("SELECT " + C_SHOWN_CASE_COLUMNS + ", " + ATTEMPT_COLUMNS + ", " + KEY_COLUMNS
            + " FROM kyc_cases c" + KEY_JOIN + " LEFT JOIN kyc_attempts a ON a.case_id = c.id"
            + " WHERE c.tenant_id = #{tenantId} AND c.public_id = #{publicId} ORDER BY a.attempt_no")
    List<CaseAttemptRow> caseWithAttempts(@Param("tenantId") long tenantId, @Param("publicId") String publicId);

    @Select("SELECT " + C_CASE_COLUMNS + ", " + KEY_COLUMNS + " FROM kyc_cases c" + KEY_JOIN
            + " WHERE c.tenant_id = #{tenantId} AND c.public_id = #{publicId} FOR UPDATE")
    CaseRow lockCase(@Param("tenantId") long tenantId, @Param("publicId") String publicId);

    /**
     * The attempt columns of {@link CaseAttemptRow}, from kyc_attempts aliased {@code a}; the name and retry
     * message come from the sealed {@code pii_enc} (their clear columns are empty once sealed, as above).
     */
    String ATTEMPT_COLUMNS = "a.attempt_no AS attempt_no, a.liveness_score AS attempt_liveness_score,"
            + " a.face_similarity_score AS attempt_face_similarity_score,"
            + " a.id_type AS attempt_id_type, a.issue_date AS attempt_issue_date,"
            + " a.identity_number_masked AS attempt_identity_number_masked,"
            + " a.verification_result AS attempt_verification_result,"
            + " a.registry_check AS attempt_registry_check, a.created_at AS attempt_created_at,"
            + " a.pii_enc AS attempt_pii_enc";

    /**
     * One page of cases, keyset-paged by (created_at, id) below the cursor, joined with the attempts of its
     * cases in one statement: each case once per attempt (once with null attempt fields when it has none). The
     * page's ids come from the filter's index alone (a derived table of ids, held in memory), then each case is
     * read by its primary key. The rows come in no particular order: the caller puts them in page order
     * (newest first, then attempt order), which costs less than MariaDB writing the rows, sealed fields and
     * all, to a temporary table and sorting them there.
     */
    @Select("<script>SELECT " + C_SHOWN_CASE_COLUMNS + ", " + ATTEMPT_COLUMNS + ", " + KEY_COLUMNS
            + " FROM (SELECT id FROM kyc_cases " + FILTER
            + " <if test='cursorCreatedAt != null'> AND (created_at &lt; #{cursorCreatedAt}"
            + "   OR (created_at = #{cursorCreatedAt} AND id &lt; #{cursorId}))</if>"
            + " ORDER BY created_at DESC, id DESC LIMIT #{limit}) p JOIN kyc_cases c ON c.id = p.id" + KEY_JOIN
            + " LEFT JOIN kyc_attempts a ON a.case_id = c.id</script>")
    List<CaseAttemptRow> listCasesWithAttempts(CaseFilter filter);

    /** Newest first (or oldest first), offset-paged (the admin list pages by number). */
    @Select("<script>SELECT c.*, " + KEY_COLUMNS + " FROM (SELECT " + CASE_COLUMNS + " FROM kyc_cases " + FILTER
            + " <choose><when test='oldestFirst'>ORDER BY created_at, id</when>"
            + " <otherwise>ORDER BY created_at DESC, id DESC</otherwise></choose>"
            + " LIMIT #{limit} OFFSET #{offset}) c" + KEY_JOIN
            + " <choose><when test='oldestFirst'>ORDER BY c.created_at, c.id</when>"
            + " <otherwise>ORDER BY c.created_at DESC, c.id DESC</otherwise></choose></script>")
    List<CaseRow> pageCases(CaseFilter filter);

    /** The sort key of a queue page: the unmet-rule rows' copies when filtering by rule, else the case's. */
    String QUEUE_BIND = "<bind name='kAt' value=\"unmetRule != null ? 'r.created_at' : 'c.created_at'\"/>"
            + "<bind name='kId' value=\"unmetRule != null ? 'r.case_id' : 'c.id'\"/>"
            + "<bind name='kStatus' value=\"unmetRule != null ? 'r.status' : 'c.status'\"/>";

    /** Conditions on the case row itself (the user id, the screening result, the given ids). */
    String QUEUE_CASE_CONDITIONS = " <if test='userId != null'> AND c.user_id_bidx = #{userIdBidx}</if>"
            + " <if test='unscreened'> AND c.aml_result IS NULL</if>"
            + " <if test='screening != null'> AND c.aml_result = #{screening}</if>"
            + " <if test='publicIds != null and !publicIds.isEmpty()'> AND c.public_id IN"
            + "   <foreach item='p' collection='publicIds' open='(' separator=',' close=')'>#{p}</foreach></if>";

    /** The queue's tables: the unmet rules' index leads when filtering by rule. */
    String QUEUE_FROM = "<choose><when test='unmetRule != null'> FROM kyc_case_unmet_rules r"
            + " STRAIGHT_JOIN kyc_cases c ON c.id = r.case_id"
            + " WHERE r.tenant_id = #{tenantId} AND r.rule_code = #{unmetRule}</when>"
            + "<otherwise> FROM kyc_cases c WHERE c.tenant_id = #{tenantId}</otherwise></choose>"
            + " <if test='createdFrom != null'> AND ${kAt} &gt;= #{createdFrom}</if>"
            + " <if test='createdBefore != null'> AND ${kAt} &lt; #{createdBefore}</if>"
            + QUEUE_CASE_CONDITIONS;

    /** One page of the queue in the filter's order, from the cursor on (or from the offset). */
    String QUEUE_PAGE = "SELECT " + C_CASE_COLUMNS + QUEUE_FROM
            + " <if test='status != null'> AND ${kStatus} = #{status}</if>"
            + " <if test='cursorCreatedAt != null'><choose>"
            + "  <when test='oldestFirst'> AND (${kAt} &gt; #{cursorCreatedAt}"
            + "   OR (${kAt} = #{cursorCreatedAt} AND ${kId} &gt; #{cursorId}))</when>"
            + "  <otherwise> AND (${kAt} &lt; #{cursorCreatedAt}"
            + "   OR (${kAt} = #{cursorCreatedAt} AND ${kId} &lt; #{cursorId}))</otherwise></choose></if>"
            + " <choose><when test='oldestFirst'>ORDER BY ${kAt}, ${kId}</when>"
            + " <otherwise>ORDER BY ${kAt} DESC, ${kId} DESC</otherwise></choose>"
            + " LIMIT #{limit} OFFSET #{offset}";

    /** The matching cases per status, the status filter left out, as "status=count,...". */
    String QUEUE_COUNTS = "SELECT GROUP_CONCAT(CONCAT(s.status, '=', s.n) SEPARATOR ',') AS status_counts"
            + " FROM (SELECT ${kStatus} AS status, COUNT(*) AS n"
            + "<choose><when test='unmetRule != null and (userId != null or unscreened or screening != null"
            + " or (publicIds != null and !publicIds.isEmpty()))'>" + QUEUE_FROM + "</when>"
            // By rule alone, the rule rows' own index answers (status is copied there).
            + "<when test='unmetRule != null'> FROM kyc_case_unmet_rules r WHERE r.tenant_id = #{tenantId}"
            + " AND r.rule_code = #{unmetRule}"
            + " <if test='createdFrom != null'> AND r.created_at &gt;= #{createdFrom}</if>"
            + " <if test='createdBefore != null'> AND r.created_at &lt; #{createdBefore}</if></when>"
            + "<otherwise>" + QUEUE_FROM + "</otherwise></choose>"
            + " GROUP BY ${kStatus}) s";

    /**
     * A page of the reviewer queue (the admin list) in ONE statement: the page of cases with their keys, and,
     * when {@code withCounts}, the number of matching cases per status on every row (a page without cases is
     * then one row of counts with null case columns). Keyset-paged by (created_at, id) from the cursor, or by
     * offset when the caller pages by number.
     */
    @Select("<script>" + QUEUE_BIND + "SELECT p.*, " + "k.master_key_id AS key_id, k.wrapped_key AS wrapped_key"
            + "<if test='withCounts'>, n.status_counts FROM (" + QUEUE_COUNTS + ") n LEFT JOIN (" + QUEUE_PAGE
            + ") p ON 1 = 1</if>"
            + "<if test='!withCounts'> FROM (" + QUEUE_PAGE + ") p</if>"
            + " LEFT JOIN kyc_case_keys k ON k.case_id = p.id"
            + " <choose><when test='oldestFirst'>ORDER BY p.created_at, p.id</when>"
            + " <otherwise>ORDER BY p.created_at DESC, p.id DESC</otherwise></choose></script>")
    List<QueueRow> queuePage(CaseFilter filter);

    /** Removes the unmet-rule rows of a case (before they are written again with its new status). */
    @Delete("DELETE FROM kyc_case_unmet_rules WHERE case_id = #{caseId}")
    int deleteUnmetRules(@Param("caseId") long caseId);

    /** The unmet-rule rows of a case, copying its tenant, status and creation time. */
    @Insert("<script>INSERT INTO kyc_case_unmet_rules (case_id, rule_code, tenant_id, status, created_at)"
            + " SELECT c.id, x.code, c.tenant_id, c.status, c.created_at FROM kyc_cases c JOIN ("
            + "<foreach item='code' collection='codes' separator=' UNION ALL '>SELECT #{code} AS code</foreach>"
            + ") x WHERE c.id = #{caseId}</script>")
    int insertUnmetRules(@Param("caseId") long caseId, @Param("codes") Collection<String> codes);

    /** Cases matching the filter per status (set the filter's status to null to count every status). */
    @Select("<script>SELECT status, COUNT(*) AS total FROM kyc_cases " + FILTER + " GROUP BY status</script>")
    List<StatusCountRow> countByStatus(CaseFilter filter);

    @Select("<script>SELECT COUNT(*) FROM kyc_cases " + FILTER + "</script>")
    long countCases(CaseFilter filter);

    @Select("<script>SELECT id, case_id, attempt_no, liveness_score, face_similarity_score, full_name, id_type,"
            + " issue_date, identity_number_masked, verification_result, retry_msg, registry_check, created_at, pii_enc"
            + " FROM kyc_attempts"
            + " WHERE case_id IN <foreach item='c' collection='caseIds' open='(' separator=',' close=')'>#{c}</foreach>"
            + " ORDER BY case_id, attempt_no</script>")
    List<AttemptRow> attemptsOf(@Param("caseIds") Collection<Long> caseIds);

    /** blob_key and blob_key_enc come from the handle in blobKey (see CaseSealing). */
    @Insert("INSERT INTO kyc_images (case_id, kind, blob_key, media_type, size_bytes, created_at, blob_key_enc)"
            + " VALUES (#{caseId}, #{kind}, #{storedBlobKey}, #{mediaType}, #{sizeBytes}, #{createdAt}, #{blobKeyEnc})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertImage(ImageRow row);

    @Select("SELECT id, case_id, kind, blob_key, media_type, size_bytes, created_at, blob_key_enc FROM kyc_images"
            + " WHERE case_id = #{caseId} ORDER BY id")
    List<ImageRow> imagesOf(long caseId);

    /** The comments go into pii_enc, which the storage layer seals from them (see CaseSealing). */
    @Update("UPDATE kyc_cases SET status = #{to}, pii_enc = #{piiEnc}, " + CLEAR_PII
            + ", comment_codes = #{commentCodes},"
            + " updated_at = #{at}, reviewed_at = #{reviewedAt} WHERE id = #{id} AND status = #{from}")
    int updateStatus(@Param("id") long id, @Param("from") String from, @Param("to") String to,
            @Param("comments") String comments, @Param("commentCodes") String commentCodes,
            @Param("at") LocalDateTime at, @Param("reviewedAt") LocalDateTime reviewedAt);

    /** The remark goes only into remark_enc (see CaseSealing). */
    @Insert("INSERT INTO kyc_status_audit (case_id, actor, actor_role, from_status, to_status, remark_enc, changed_at,"
            + " decision) VALUES (#{caseId}, #{actor}, #{actorRole}, #{fromStatus}, #{toStatus}, #{remarkEnc},"
            + " #{changedAt}, #{decision})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    void insertAudit(AuditRow row);

    @Select("SELECT id, case_id, actor, actor_role, from_status, to_status, remark, changed_at, remark_enc, decision"
            + " FROM kyc_status_audit WHERE case_id = #{caseId} ORDER BY changed_at, id")
    List<AuditRow> auditOf(long caseId);

    /**
     * Removes the case; its key row (kyc_case_keys), attempts, images rows and audit rows go with it (ON DELETE
     * CASCADE), so every copy of its ciphertext left in logs and backups can no longer be read.
     */
    @Delete("DELETE FROM kyc_cases WHERE id = #{id}")
    int deleteCase(long id);

    @Insert("INSERT INTO kyc_deletions (public_id, tenant_id, actor, deleted_at)"
            + " VALUES (#{publicId}, #{tenantId}, #{actor}, #{at})")
    void insertDeletion(@Param("publicId") String publicId, @Param("tenantId") long tenantId,
            @Param("actor") String actor, @Param("at") LocalDateTime at);
}
