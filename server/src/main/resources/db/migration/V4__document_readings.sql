-- What step 1 read from a submission's document, kept for the later steps (step 2 compares the
-- confirmed fields with it, the decision rules need the MRZ checks and the expiry). The document
-- number is encrypted like the case's identity number; the raw MRZ lines are not kept.
CREATE TABLE kyc_document_readings (
  id                   BIGINT        NOT NULL AUTO_INCREMENT,
  case_id              BIGINT        NOT NULL,
  mrz_status           VARCHAR(16)   NOT NULL,
  mrz_format           VARCHAR(8)    NULL,
  document_type        VARCHAR(4)    NULL,
  issuing_state        VARCHAR(3)    NULL,
  document_number_enc  VARBINARY(512) NULL,
  expiry_date          DATE          NULL,
  failed_checks        VARCHAR(255)  NULL,
  quality_scores       VARCHAR(1000) NOT NULL,
  quality_issues       VARCHAR(255)  NULL,
  ocr_model            VARCHAR(32)   NOT NULL,
  created_at           DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_kyc_document_readings_case (case_id),
  CONSTRAINT fk_kyc_document_readings_case FOREIGN KEY (case_id) REFERENCES kyc_cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
