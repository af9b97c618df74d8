-- The challenge-video verify (C2) also compares the live face with the document portrait; the
-- decision rules need that score next to the liveness result. NULL when not measured (a callback
-- from an outside provider, or no portrait on file).
ALTER TABLE liveness_results ADD COLUMN face_match_score DOUBLE NULL;
