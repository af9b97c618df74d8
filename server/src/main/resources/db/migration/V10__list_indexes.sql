-- Indexes for the documented list filters (API.md A1 GET /v2/submission and B1 GET /v1/verifications):
-- each filter leads an index that continues with the page order (created_at, then id), so a page is
-- read as one range of index entries, newest first, and never sorted from every matching row.

-- A1: userid, email and applicant_id, alone or with a date range and the cursor. They replace the
-- indexes on (tenant_id, user_id), (tenant_id, email) and (tenant_id, applicant_id), which they extend.
CREATE INDEX ix_kyc_cases_tenant_user_created ON kyc_cases (tenant_id, user_id, created_at, id);
CREATE INDEX ix_kyc_cases_tenant_email_created ON kyc_cases (tenant_id, email, created_at, id);
CREATE INDEX ix_kyc_cases_tenant_applicant_created ON kyc_cases (tenant_id, applicant_id, created_at, id);
DROP INDEX ix_kyc_cases_tenant_user ON kyc_cases;
DROP INDEX ix_kyc_cases_tenant_email ON kyc_cases;
DROP INDEX ix_kyc_cases_tenant_applicant ON kyc_cases;
-- A1: kyc_result with userid or email (a user's cases of one status).
CREATE INDEX ix_kyc_cases_tenant_user_status ON kyc_cases (tenant_id, user_id, status, created_at, id);
CREATE INDEX ix_kyc_cases_tenant_email_status ON kyc_cases (tenant_id, email, status, created_at, id);
-- A1: kyc_result alone is (tenant_id, status, created_at) of V1; no filter and dates alone are
-- (tenant_id, created_at, id) of V1.

-- B1: each low-cardinality filter alone, in page order. The wide indexes of V3 stay: they answer the
-- count and filter combinations from the index alone.
CREATE INDEX ix_tr_verif_symbol_created ON tr_verifications (tenant_id, symbol, created_at, id);
CREATE INDEX ix_tr_verif_network_created ON tr_verifications (tenant_id, network, created_at, id);
CREATE INDEX ix_tr_verif_result_created ON tr_verifications (tenant_id, result, created_at, id);
CREATE INDEX ix_tr_verif_action_created ON tr_verifications (tenant_id, action_type, created_at, id);
CREATE INDEX ix_tr_verif_opposite_created ON tr_verifications (tenant_id, opposite_vasp_id, created_at, id);
