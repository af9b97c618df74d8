-- Sanctions screenings (API.md A7). One row per screening: the query as given
-- and as normalised (personal data: AES-GCM encrypted, bound to the row's
-- public id), the list versions it ran against (source, sha256, load time,
-- entry count; JSON), the decision and the threshold and review floor applied.
-- A screening of a case is deleted with the case (ON DELETE CASCADE).
CREATE TABLE aml_screenings (
  id              BIGINT         NOT NULL AUTO_INCREMENT,
  public_id       VARCHAR(32)    NOT NULL,
  tenant_id       BIGINT         NOT NULL,
  case_id         BIGINT         NULL,
  subject_kind    VARCHAR(16)    NOT NULL,
  query_enc       VARBINARY(16384) NOT NULL,
  list_versions   TEXT           NOT NULL,
  decision        VARCHAR(16)    NOT NULL,
  best_score      DECIMAL(5,4)   NOT NULL,
  threshold       DECIMAL(5,4)   NOT NULL,
  review_floor    DECIMAL(5,4)   NOT NULL,
  screened_by     VARCHAR(64)    NOT NULL,
  created_at      DATETIME(3)    NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_aml_screenings_public_id (public_id),
  KEY ix_aml_screenings_tenant (tenant_id, created_at),
  KEY ix_aml_screenings_case (case_id),
  CONSTRAINT fk_aml_screenings_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT fk_aml_screenings_case FOREIGN KEY (case_id) REFERENCES kyc_cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every candidate at or above the review floor, best first. The listed names
-- are public list data; the score breakdown quotes the screened name, so it is
-- encrypted like the query.
CREATE TABLE aml_candidates (
  id              BIGINT         NOT NULL AUTO_INCREMENT,
  screening_id    BIGINT         NOT NULL,
  rank_no         INT            NOT NULL,
  list_source     VARCHAR(64)    NOT NULL,
  entry_id        VARCHAR(64)    NOT NULL,
  entry_kind      VARCHAR(16)    NOT NULL,
  listed_name     VARCHAR(1000)  NOT NULL,
  matched_name    VARCHAR(1000)  NOT NULL,
  score           DECIMAL(5,4)   NOT NULL,
  programs        VARCHAR(1000)  NULL,
  breakdown_enc   VARBINARY(8192) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_aml_candidates_rank (screening_id, rank_no),
  CONSTRAINT fk_aml_candidates_screening FOREIGN KEY (screening_id) REFERENCES aml_screenings (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
