-- Webhooks: endpoints a tenant registers, and the outbox of deliveries to them.
-- A delivery row is written in the same transaction as the status change it reports,
-- so an event is never lost and never sent for a change that was rolled back. Each
-- server replica's worker claims due rows by writing its own lease (lease_owner,
-- lease_until) in one UPDATE, so two replicas never send the same attempt at once;
-- a lease left by a stopped replica expires and the row is sent again (at least once,
-- always with the same event id). Bodies carry ids and statuses only, no personal data.
-- Delivered and failed rows are deleted after the configured retention.
CREATE TABLE webhook_endpoints (
  id            BIGINT         NOT NULL AUTO_INCREMENT,
  public_id     VARCHAR(32)    NOT NULL,
  tenant_id     BIGINT         NOT NULL,
  url           VARCHAR(2048)  NOT NULL,
  -- ",type1,type2,": matched with LIKE '%,type,%'
  event_types   VARCHAR(512)   NOT NULL,
  secret_enc    VARBINARY(128) NOT NULL,
  created_by    VARCHAR(64)    NOT NULL,
  created_at    DATETIME(3)    NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY ux_webhook_endpoints_public (public_id),
  KEY ix_webhook_endpoints_tenant (tenant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE webhook_deliveries (
  id               BIGINT         NOT NULL AUTO_INCREMENT,
  endpoint_id      BIGINT         NOT NULL,
  tenant_id        BIGINT         NOT NULL,
  event_id         VARCHAR(40)    NOT NULL,
  event_type       VARCHAR(64)    NOT NULL,
  body             TEXT           NOT NULL,
  -- PENDING (due at next_attempt_at), DELIVERED, FAILED (attempts used up)
  status           VARCHAR(16)    NOT NULL,
  attempts         INT            NOT NULL DEFAULT 0,
  -- attempts since the delivery was created or last replayed (drives backoff and the limit)
  round_attempts   INT            NOT NULL DEFAULT 0,
  next_attempt_at  DATETIME(3)    NOT NULL,
  lease_owner      VARCHAR(40)    NULL,
  lease_until      DATETIME(3)    NULL,
  last_http_status INT            NULL,
  last_error       VARCHAR(255)   NULL,
  last_answer      VARCHAR(512)   NULL,
  last_attempt_at  DATETIME(3)    NULL,
  delivered_at     DATETIME(3)    NULL,
  created_at       DATETIME(3)    NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY ux_webhook_deliveries_event (endpoint_id, event_id),
  KEY ix_webhook_deliveries_due (status, next_attempt_at),
  KEY ix_webhook_deliveries_lease (lease_owner),
  KEY ix_webhook_deliveries_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
