-- The reviewer queue (admin list, API.md C3) at millions of cases: every filter combination a reviewer uses
-- leads an index that continues with the page order (created_at, then the row id InnoDB appends), so a page is
-- one range of index entries read from the cursor on, never an OFFSET scan or a sort of every matching row.

-- Unmet rules: the codes of a case's review reasons (kyc_cases.comment_codes, one per line) as rows, so that
-- "every case waiting because of face_similarity_low" is an index range. The storage layer rewrites a case's
-- rows with every status change (the only statement that sets comment_codes); status and created_at are
-- copies of the case's, so that rule + status pages and counts per status read this table's index alone.
CREATE TABLE kyc_case_unmet_rules (
  case_id     BIGINT       NOT NULL,
  rule_code   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  tenant_id   BIGINT       NOT NULL,
  status      VARCHAR(16)  NOT NULL,
  created_at  DATETIME(3)  NOT NULL,
  PRIMARY KEY (case_id, rule_code),
  KEY ix_kyc_unmet_rules_rule_created (tenant_id, rule_code, created_at, case_id),
  KEY ix_kyc_unmet_rules_rule_status (tenant_id, rule_code, status, created_at, case_id),
  CONSTRAINT fk_kyc_unmet_rules_case FOREIGN KEY (case_id) REFERENCES kyc_cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The rules of the cases already stored: the n-th line of comment_codes for n up to 32 (a decision gives at
-- most a dozen reasons). Plain SQL that MySQL 8 and MariaDB both run, without a recursive CTE.
INSERT IGNORE INTO kyc_case_unmet_rules (case_id, rule_code, tenant_id, status, created_at)
SELECT c.id, SUBSTRING_INDEX(SUBSTRING_INDEX(c.comment_codes, CHAR(10), n.n), CHAR(10), -1), c.tenant_id,
       c.status, c.created_at
FROM kyc_cases c
JOIN (SELECT a.d + 8 * b.d + 1 AS n
      FROM (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
            UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7) a
      CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) b) n
  ON n.n <= 1 + LENGTH(c.comment_codes) - LENGTH(REPLACE(c.comment_codes, CHAR(10), ''))
WHERE c.comment_codes IS NOT NULL AND c.comment_codes <> ''
  AND CHAR_LENGTH(SUBSTRING_INDEX(SUBSTRING_INDEX(c.comment_codes, CHAR(10), n.n), CHAR(10), -1)) BETWEEN 1 AND 64;

-- Screening result (aml_result; NULL: never screened) alone, and with a status (the queue's usual view:
-- pending cases with a possible match); the second also counts per status under a screening filter from
-- the index alone.
CREATE INDEX ix_kyc_cases_tenant_aml_created ON kyc_cases (tenant_id, aml_result, created_at, id);
CREATE INDEX ix_kyc_cases_tenant_aml_status ON kyc_cases (tenant_id, aml_result, status, created_at, id);
-- Status alone is (tenant_id, status, created_at) of V1, no filter and dates alone (tenant_id, created_at, id)
-- of V1, a user id (tenant_id, user_id_bidx, [status,] created_at, id) of V13.
