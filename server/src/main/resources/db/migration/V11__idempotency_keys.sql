-- The first answer to each Idempotency-Key of a tenant, so that a client retrying a POST
-- (after a timeout, a dropped connection) gets that answer again instead of a second effect.
-- A row is inserted IN_PROGRESS before the work starts (the primary key makes a concurrent
-- duplicate wait for it) and becomes DONE with the answer: the serialized response message
-- (status_code 0) or the serialized google.rpc.Status of a lasting error. request_hash is the
-- SHA-256 of the method and the request bytes; the request itself is never stored.
-- Rows past expires_at are deleted lazily.
CREATE TABLE idempotency_keys (
  tenant_id     BIGINT        NOT NULL,
  idem_key      VARCHAR(255)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  request_hash  BINARY(32)    NOT NULL,
  state         VARCHAR(16)   NOT NULL,
  status_code   INT           NULL,
  answer        LONGBLOB      NULL,
  created_at    DATETIME(3)   NOT NULL,
  expires_at    DATETIME(3)   NOT NULL,
  PRIMARY KEY (tenant_id, idem_key),
  KEY ix_idempotency_keys_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
