-- What the reviewer's case page shows beside the status.
-- A reviewer's decision by its kind (approved, rejected, reset, resubmission_requested): a request for
-- resubmission moves the case back to incomplete, and the audit says why it did. NULL for changes made
-- by the product itself and for rows written before this column.
ALTER TABLE kyc_status_audit ADD COLUMN decision VARCHAR(32) NULL;

-- The per-action verdicts of a challenge-video liveness verify, with the timestamps (ms into each video)
-- of the frames that decided them, as JSON. No personal data: actions, scores, reasons, times.
ALTER TABLE liveness_sessions ADD COLUMN action_results VARCHAR(4000) NULL;

-- The fields step 1 of the submissions API read from the document, and the fields the user confirmed in
-- the latest step-2 attempt, each an encrypted JSON object (sealed with the case key like the document
-- number), so that a reviewer sees both side by side. NULL for readings written before these columns.
ALTER TABLE kyc_document_readings ADD COLUMN ocr_fields_enc VARBINARY(4096) NULL;
ALTER TABLE kyc_document_readings ADD COLUMN confirmed_fields_enc VARBINARY(4096) NULL;
ALTER TABLE kyc_document_readings ADD COLUMN confirmed_at DATETIME(3) NULL;
