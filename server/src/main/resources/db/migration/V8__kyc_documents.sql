-- Documents of the KYC web API (API.md C1): one row per /document or /document/upload call.
-- public_id is the documentId callers see: an opaque random number below 2^53 (it travels as a JSON
-- number), never a sequence. Personal fields are AES-GCM encrypted JSON objects: what OCR read, what
-- the /document call declared and what the user confirmed. MRZ status, expiry and quality scores are
-- not personal and stay readable for the decision rules and reviewers. Rows go with their case.
CREATE TABLE kyc_documents (
  id                     BIGINT         NOT NULL AUTO_INCREMENT,
  public_id              BIGINT         NOT NULL,
  case_id                BIGINT         NOT NULL,
  doc_type               VARCHAR(32)    NOT NULL,
  country                VARCHAR(3)     NULL,
  source                 VARCHAR(16)    NOT NULL,
  front_image_id         BIGINT         NULL,
  back_image_id          BIGINT         NULL,
  ocr_fields_enc         VARBINARY(4096) NULL,
  declared_fields_enc    VARBINARY(4096) NULL,
  confirmed_fields_enc   VARBINARY(4096) NULL,
  mrz_status             VARCHAR(16)    NOT NULL,
  expiry_date            DATE           NULL,
  quality_scores         VARCHAR(1000)  NOT NULL,
  quality_issues         VARCHAR(255)   NULL,
  user_modified          BOOLEAN        NOT NULL DEFAULT FALSE,
  status                 VARCHAR(16)    NOT NULL,
  decision               INT            NULL,
  created_at             DATETIME(3)    NOT NULL,
  updated_at             DATETIME(3)    NOT NULL,
  confirmed_at           DATETIME(3)    NULL,
  submitted_at           DATETIME(3)    NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_kyc_documents_public_id (public_id),
  KEY ix_kyc_documents_case (case_id, id),
  CONSTRAINT fk_kyc_documents_case FOREIGN KEY (case_id) REFERENCES kyc_cases (id) ON DELETE CASCADE,
  CONSTRAINT fk_kyc_documents_front FOREIGN KEY (front_image_id) REFERENCES kyc_images (id) ON DELETE SET NULL,
  CONSTRAINT fk_kyc_documents_back FOREIGN KEY (back_image_id) REFERENCES kyc_images (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
