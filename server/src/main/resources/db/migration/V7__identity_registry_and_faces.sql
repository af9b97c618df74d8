-- The identity registry operators load (bin/openkyc admin registry load TENANT FILE.csv): it stands
-- for a government identity check. Per tenant. Names and numbers are kept only as HMAC-SHA256 keyed
-- with a key derived from the data key, so the table holds no readable name or number and can only
-- answer "does this value match"; the birth date, nationality and gender are kept as given.
CREATE TABLE identity_registry (
  id                     BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id              BIGINT        NOT NULL,
  name_hmac              CHAR(64)      NOT NULL,
  birth_date             DATE          NOT NULL,
  nationality            CHAR(3)       NULL,
  gender                 VARCHAR(8)    NULL,
  identity_number_hmac   CHAR(64)      NULL,
  document_number_hmac   CHAR(64)      NULL,
  created_at             DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  KEY ix_identity_registry_name (tenant_id, name_hmac, birth_date),
  KEY ix_identity_registry_identity (tenant_id, identity_number_hmac),
  KEY ix_identity_registry_document (tenant_id, document_number_hmac),
  CONSTRAINT fk_identity_registry_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The face embedding of a case's accepted selfie (step 2), AES-GCM encrypted with the data key and
-- bound to the case; used to find earlier submissions of the same applicant (API.md A2). Deleted
-- with the case.
CREATE TABLE kyc_face_embeddings (
  case_id        BIGINT          NOT NULL,
  tenant_id      BIGINT          NOT NULL,
  embedding_enc  VARBINARY(4096) NOT NULL,
  created_at     DATETIME(3)     NOT NULL,
  PRIMARY KEY (case_id),
  KEY ix_kyc_face_embeddings_tenant (tenant_id),
  CONSTRAINT fk_kyc_face_embeddings_case FOREIGN KEY (case_id) REFERENCES kyc_cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- What the identity registry said in a step-2 attempt: match, mismatch, not_found, or skipped when the
-- tenant's registry is empty (not in use). NULL on attempts that stopped before the check.
ALTER TABLE kyc_attempts ADD COLUMN registry_check VARCHAR(16) NULL;

-- Applicant look-up (A2): cases of a tenant with the same birth date, nationality and gender.
CREATE INDEX ix_kyc_cases_tenant_person ON kyc_cases (tenant_id, date_of_birth, nationality);
