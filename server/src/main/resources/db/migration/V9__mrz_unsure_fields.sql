-- Fields of a machine-readable zone that were read but not unambiguously (names and nationality have no
-- check digit; a two-digit year can leave its century open), comma-separated ("surname,birthDate"). A
-- zone whose check digits all hold but names an unsure field goes to a reviewer, never auto-approved.
ALTER TABLE kyc_document_readings ADD COLUMN mrz_unsure VARCHAR(255) NULL;
ALTER TABLE kyc_documents ADD COLUMN mrz_unsure VARCHAR(255) NULL;
