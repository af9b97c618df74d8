-- Liveness challenge sessions (API.md C2): three actions, an expiry, one use.
-- Kept in the database so that any server replica serves every session.
-- consumed_at is set exactly once, by a conditional UPDATE, when a verify
-- claims the session.
CREATE TABLE liveness_sessions (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  public_id    VARCHAR(32)  NOT NULL,
  tenant_id    BIGINT       NOT NULL,
  case_id      BIGINT       NOT NULL,
  actions      VARCHAR(64)  NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  created_at   DATETIME(3)  NOT NULL,
  expires_at   DATETIME(3)  NOT NULL,
  consumed_at  DATETIME(3)  NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_liveness_sessions_public (public_id),
  KEY ix_liveness_sessions_case (case_id),
  CONSTRAINT fk_liveness_sessions_case FOREIGN KEY (case_id) REFERENCES kyc_cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Liveness results of a case: from the signed provider callback (C1) and,
-- later, from the challenge-video verify (C2). The newest one is the case's.
CREATE TABLE liveness_results (
  id                   BIGINT        NOT NULL AUTO_INCREMENT,
  case_id              BIGINT        NOT NULL,
  source               VARCHAR(16)   NOT NULL,
  provider_session_id  VARCHAR(128)  NULL,
  result               VARCHAR(8)    NOT NULL,
  confidence           DOUBLE        NOT NULL,
  error_message        VARCHAR(500)  NULL,
  created_at           DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  KEY ix_liveness_results_case (case_id, id),
  CONSTRAINT fk_liveness_results_case FOREIGN KEY (case_id) REFERENCES kyc_cases (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Signatures of accepted liveness callbacks, for replay protection. A
-- signature older than the accepted clock skew can no longer be replayed
-- (its timestamp is refused), so rows are purged after ten minutes. No
-- personal data: only the HMAC and when it was seen.
CREATE TABLE liveness_callback_signatures (
  signature    CHAR(64)     NOT NULL,
  received_at  DATETIME(3)  NOT NULL,
  PRIMARY KEY (signature),
  KEY ix_liveness_callback_signatures_received (received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
