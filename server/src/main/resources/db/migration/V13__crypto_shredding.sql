-- Crypto-shredding of personal data. Every case has its own random 256-bit data key; its personal fields
-- (user id, email, name, birth date, custom fields, IP address, comments, reviewer remarks, names of attempts,
-- liveness provider session ids and callback messages, the keys of its image blobs)
-- are stored only AES-GCM encrypted with that key, and the key is stored only wrapped (encrypted) by the master
-- key, in its own row here, with the id of the master key that wrapped it. Deleting a case deletes this row in
-- the same transaction (ON DELETE CASCADE): the ciphertext that the redo log, replicas and backups keep can no
-- longer be read by anyone.
CREATE TABLE kyc_case_keys (
  case_id        BIGINT         NOT NULL,
  master_key_id  CHAR(16)       CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  wrapped_key    VARBINARY(128) NOT NULL,
  created_at     DATETIME(3)    NOT NULL,
  PRIMARY KEY (case_id),
  -- Rotation finds the keys still wrapped by an older master key.
  KEY ix_kyc_case_keys_master (master_key_id, case_id),
  CONSTRAINT fk_kyc_case_keys_case FOREIGN KEY (case_id) REFERENCES kyc_cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The sealed personal fields of a case, and keyed blind indexes (HMAC-SHA256 under a per-tenant index key
-- derived from the master key, truncated to 16 bytes) of the values that lists and applicant matching compare
-- for equality. The clear columns of V1 stay for rows written before this version until the server seals them
-- at start; then they are NULL.
ALTER TABLE kyc_cases
  ADD COLUMN pii_enc BLOB NULL,
  ADD COLUMN user_id_bidx BINARY(16) NULL,
  ADD COLUMN email_bidx BINARY(16) NULL,
  ADD COLUMN birth_bidx BINARY(16) NULL;
ALTER TABLE kyc_attempts ADD COLUMN pii_enc BLOB NULL;
ALTER TABLE kyc_status_audit ADD COLUMN remark_enc BLOB NULL;
-- The liveness provider's session id and its callback's error message.
ALTER TABLE liveness_results ADD COLUMN pii_enc BLOB NULL;
-- Each image blob is encrypted with a random key of its own; that key is kept only here, sealed with the case
-- key, so deleting the case also shreds the copies of its blobs in backups of the object store.
ALTER TABLE kyc_images ADD COLUMN blob_key_enc VARBINARY(128) NULL;

-- The list indexes of V10 and the applicant index of V7, on the blind indexes instead of the clear values.
CREATE INDEX ix_kyc_cases_tenant_userbx_created ON kyc_cases (tenant_id, user_id_bidx, created_at, id);
CREATE INDEX ix_kyc_cases_tenant_emailbx_created ON kyc_cases (tenant_id, email_bidx, created_at, id);
CREATE INDEX ix_kyc_cases_tenant_userbx_status ON kyc_cases (tenant_id, user_id_bidx, status, created_at, id);
CREATE INDEX ix_kyc_cases_tenant_emailbx_status ON kyc_cases (tenant_id, email_bidx, status, created_at, id);
CREATE INDEX ix_kyc_cases_tenant_person_bx ON kyc_cases (tenant_id, birth_bidx, nationality);
DROP INDEX ix_kyc_cases_tenant_user_created ON kyc_cases;
DROP INDEX ix_kyc_cases_tenant_email_created ON kyc_cases;
DROP INDEX ix_kyc_cases_tenant_user_status ON kyc_cases;
DROP INDEX ix_kyc_cases_tenant_email_status ON kyc_cases;
DROP INDEX ix_kyc_cases_tenant_person ON kyc_cases;
