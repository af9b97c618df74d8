-- Tenants (client companies) and their API keys. Keys are stored as SHA-256
-- hashes of high-entropy random secrets; the secret itself is never stored.
CREATE TABLE tenants (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  name        VARCHAR(200) NOT NULL,
  created_at  DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_tenants_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE api_keys (
  id          VARCHAR(32)  NOT NULL,
  tenant_id   BIGINT       NOT NULL,
  role        VARCHAR(16)  NOT NULL,
  key_hash    CHAR(64)     NOT NULL,
  label       VARCHAR(200) NULL,
  created_at  DATETIME(3)  NOT NULL,
  revoked_at  DATETIME(3)  NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_api_keys_hash (key_hash),
  KEY ix_api_keys_tenant (tenant_id),
  CONSTRAINT fk_api_keys_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One KYC case: the submission of the submissions API and the profile of the
-- KYC web API are two views of this row. Times are UTC.
CREATE TABLE kyc_cases (
  id                      BIGINT        NOT NULL AUTO_INCREMENT,
  public_id               VARCHAR(32)   NOT NULL,
  tenant_id               BIGINT        NOT NULL,
  user_id                 VARCHAR(255)  NULL,
  email                   VARCHAR(320)  NULL,
  country                 VARCHAR(3)    NULL,
  full_name               VARCHAR(300)  NULL,
  gender                  VARCHAR(8)    NULL,
  nationality             CHAR(3)       NULL,
  date_of_birth           DATE          NULL,
  cf1                     VARCHAR(255)  NULL,
  cf2                     VARCHAR(255)  NULL,
  cf3                     VARCHAR(255)  NULL,
  ip_address              VARCHAR(64)   NULL,
  id_type                 VARCHAR(32)   NULL,
  issuing_country         CHAR(3)       NULL,
  issue_date              DATE          NULL,
  identity_number_enc     VARBINARY(512) NULL,
  identity_number_masked  VARCHAR(64)   NULL,
  status                  VARCHAR(16)   NOT NULL,
  comments                TEXT          NULL,
  comment_codes           TEXT          NULL,
  applicant_id            VARCHAR(32)   NULL,
  retry_count             INT           NOT NULL DEFAULT 0,
  aml_result              VARCHAR(16)   NULL,
  aml_resource_id         VARCHAR(32)   NULL,
  created_at              DATETIME(3)   NOT NULL,
  updated_at              DATETIME(3)   NOT NULL,
  reviewed_at             DATETIME(3)   NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_kyc_cases_public_id (public_id),
  KEY ix_kyc_cases_tenant_created (tenant_id, created_at, id),
  KEY ix_kyc_cases_tenant_user (tenant_id, user_id),
  KEY ix_kyc_cases_tenant_email (tenant_id, email),
  KEY ix_kyc_cases_tenant_applicant (tenant_id, applicant_id),
  KEY ix_kyc_cases_tenant_status (tenant_id, status, created_at),
  CONSTRAINT fk_kyc_cases_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Step-2 attempts of a case.
CREATE TABLE kyc_attempts (
  id                      BIGINT        NOT NULL AUTO_INCREMENT,
  case_id                 BIGINT        NOT NULL,
  attempt_no              INT           NOT NULL,
  liveness_score          INT           NULL,
  face_similarity_score   INT           NULL,
  full_name               VARCHAR(300)  NULL,
  id_type                 VARCHAR(32)   NULL,
  issue_date              DATE          NULL,
  identity_number_masked  VARCHAR(64)   NULL,
  verification_result     VARCHAR(16)   NULL,
  retry_msg               TEXT          NULL,
  created_at              DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_kyc_attempts_case_no (case_id, attempt_no),
  CONSTRAINT fk_kyc_attempts_case FOREIGN KEY (case_id) REFERENCES kyc_cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Images of a case; the bytes are in the encrypted blob store under blob_key.
CREATE TABLE kyc_images (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  case_id     BIGINT       NOT NULL,
  kind        VARCHAR(32)  NOT NULL,
  blob_key    VARCHAR(64)  NOT NULL,
  media_type  VARCHAR(64)  NOT NULL,
  size_bytes  BIGINT       NOT NULL,
  created_at  DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_kyc_images_blob (blob_key),
  KEY ix_kyc_images_case (case_id, kind),
  CONSTRAINT fk_kyc_images_case FOREIGN KEY (case_id) REFERENCES kyc_cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every status change of a case: who, when, from, to, remark.
CREATE TABLE kyc_status_audit (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  case_id      BIGINT        NOT NULL,
  actor        VARCHAR(64)   NOT NULL,
  actor_role   VARCHAR(16)   NOT NULL,
  from_status  VARCHAR(16)   NULL,
  to_status    VARCHAR(16)   NOT NULL,
  remark       VARCHAR(1000) NULL,
  changed_at   DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  KEY ix_kyc_status_audit_case (case_id, changed_at),
  CONSTRAINT fk_kyc_status_audit_case FOREIGN KEY (case_id) REFERENCES kyc_cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Deletions, kept without any personal data: which case, whose, by whom, when.
CREATE TABLE kyc_deletions (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  public_id   VARCHAR(32)  NOT NULL,
  tenant_id   BIGINT       NOT NULL,
  actor       VARCHAR(64)  NOT NULL,
  deleted_at  DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  KEY ix_kyc_deletions_public (public_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
