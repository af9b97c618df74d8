-- Travel rule (API.md B): the counterpart VASPs this VASP exchanges
-- verifications with, its customers' wallet addresses, the assets it supports,
-- and every verification it sent or received. Rows belong to a tenant; the
-- VASP exchange acts for the tenant named in OPENKYC_TRAVEL_RULE_TENANT.

CREATE TABLE tr_counterpart_vasps (
  tenant_id       BIGINT        NOT NULL,
  vasp_id         VARCHAR(64)   NOT NULL,
  name            VARCHAR(200)  NOT NULL,
  endpoint        VARCHAR(300)  NOT NULL,
  ca_pem          TEXT          NOT NULL,
  registered_at   DATETIME(3)   NOT NULL,
  PRIMARY KEY (tenant_id, vasp_id),
  CONSTRAINT fk_tr_vasps_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- symbol '' means every asset of the network (a NULL could not take part in the unique key).
CREATE TABLE tr_wallet_addresses (
  id              BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id       BIGINT        NOT NULL,
  address         VARCHAR(128)  NOT NULL,
  address_key     VARCHAR(128)  NOT NULL,
  network         VARCHAR(64)   NOT NULL,
  symbol          VARCHAR(32)   NOT NULL,
  kyc_case_id     VARCHAR(32)   NOT NULL,
  created_at      DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_tr_wallet (tenant_id, address_key, network, symbol),
  KEY ix_tr_wallet_case (tenant_id, kyc_case_id),
  CONSTRAINT fk_tr_wallet_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tr_supported_assets (
  tenant_id       BIGINT        NOT NULL,
  network         VARCHAR(64)   NOT NULL,
  symbol          VARCHAR(32)   NOT NULL,
  PRIMARY KEY (tenant_id, network, symbol),
  KEY ix_tr_assets_symbol (tenant_id, symbol),
  CONSTRAINT fk_tr_assets_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One verification as this VASP recorded it: action_type SEND (we are the
-- originating VASP) or RECEIVE (we are the beneficiary VASP). The IVMS101
-- persons carry identity numbers and are stored encrypted (AES-GCM).
-- opposite_vasp_id repeats the other side's id so B1's filter has an index.
CREATE TABLE tr_verifications (
  id                          BIGINT          NOT NULL AUTO_INCREMENT,
  tenant_id                   BIGINT          NOT NULL,
  uuid                        VARCHAR(64)     NOT NULL,
  action_type                 VARCHAR(8)      NOT NULL,
  result                      VARCHAR(16)     NULL,
  reason                      VARCHAR(40)     NULL,
  message                     VARCHAR(1000)   NULL,
  symbol                      VARCHAR(32)     NOT NULL,
  network                     VARCHAR(64)     NULL,
  amount                      VARCHAR(64)     NOT NULL,
  is_exceeding_threshold      BOOLEAN         NOT NULL,
  trade_price                 VARCHAR(64)     NOT NULL,
  trade_currency              VARCHAR(3)      NOT NULL,
  trade_iso_datetime          DATETIME(3)     NOT NULL,
  tx_hash                     VARCHAR(128)    NULL,
  vout                        VARCHAR(16)     NULL,
  originating_vasp_id         VARCHAR(64)     NOT NULL,
  originator_account_number   VARCHAR(128)    NOT NULL,
  ivms101_originator_enc      MEDIUMBLOB      NOT NULL,
  ivms101_originating_vasp    TEXT            NOT NULL,
  beneficiary_vasp_id         VARCHAR(64)     NOT NULL,
  beneficiary_account_number  VARCHAR(128)    NOT NULL,
  ivms101_beneficiary_enc     MEDIUMBLOB      NOT NULL,
  ivms101_beneficiary_vasp    TEXT            NULL,
  opposite_vasp_id            VARCHAR(64)     NOT NULL,
  verified_at                 DATETIME(3)     NULL,
  ordered_at                  DATETIME(3)     NULL,
  created_at                  DATETIME(3)     NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_tr_verif_uuid (tenant_id, uuid, action_type),
  -- Page order and date-only pages.
  KEY ix_tr_verif_created (tenant_id, created_at, id),
  -- Highly selective filters: a few row reads.
  KEY ix_tr_verif_tx (tenant_id, tx_hash, created_at),
  KEY ix_tr_verif_orig_acct (tenant_id, originator_account_number, created_at),
  KEY ix_tr_verif_benef_acct (tenant_id, beneficiary_account_number, created_at),
  -- Low-cardinality filters in any combination: each index leads with one of
  -- them and carries the others, so count and page are answered from the
  -- index alone without reading the wide rows.
  KEY ix_tr_verif_symbol (tenant_id, symbol, result, action_type, network, opposite_vasp_id, created_at),
  KEY ix_tr_verif_result (tenant_id, result, action_type, opposite_vasp_id, symbol, network, created_at),
  KEY ix_tr_verif_opposite (tenant_id, opposite_vasp_id, action_type, result, symbol, network, created_at),
  KEY ix_tr_verif_action (tenant_id, action_type, created_at, symbol, network, result, opposite_vasp_id),
  CONSTRAINT fk_tr_verif_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
