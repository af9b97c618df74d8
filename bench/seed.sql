-- Fills tenant @tenant up to @target cases for the list benchmark (bench/load.sh), in MariaDB (its
-- SEQUENCE engine, seq_1_to_N): about 1 minute per million cases on 2 cores.
--
-- Each row is what POST /api/web/kycService/submit writes (CaseService.createProfile): a case with a
-- 16-character public id and applicant id of [a-z0-9], user id, country, status, retry count 0,
-- created_at = updated_at, and its "profile created" audit row. So that every list filter has something
-- to select, the rows vary as the later steps would leave them: created over the last 365 days, about
-- three cases per user id, half of them with an e-mail address, the four statuses evenly.
-- Usage: mariadb ... -e "SET @tenant = 1, @target = 1000000; SOURCE bench/seed.sql;"
DROP PROCEDURE IF EXISTS openkyc_bench_seed;
DELIMITER //
CREATE PROCEDURE openkyc_bench_seed(IN t BIGINT, IN target BIGINT)
BEGIN
  DECLARE have BIGINT;
  DECLARE base BIGINT;
  DECLARE users BIGINT DEFAULT GREATEST(1, target DIV 3);
  SELECT COUNT(*) INTO have FROM kyc_cases WHERE tenant_id = t;
  WHILE have < target DO
    SELECT COALESCE(MAX(id), 0) INTO base FROM kyc_cases;
    INSERT INTO kyc_cases (public_id, tenant_id, user_id, email, country, status, applicant_id, retry_count,
                           created_at, updated_at)
    SELECT CONCAT(LPAD(LOWER(CONV(base + seq, 10, 36)), 8, '0'),
                  LPAD(LOWER(CONV(FLOOR(RAND() * 2821109907456), 10, 36)), 8, '0')),
           t,
           CONCAT('user_', CRC32(base + seq) MOD users),
           IF(seq MOD 2 = 0, CONCAT('user_', CRC32(base + seq) MOD users, '@example.com'), NULL),
           ELT(1 + FLOOR(RAND() * 5), 'SG', 'KR', 'US', 'DE', 'JP'),
           ELT(1 + FLOOR(RAND() * 4), 'incomplete', 'pending', 'approved', 'rejected'),
           CONCAT(LPAD(LOWER(CONV(FLOOR(RAND() * 2821109907456), 10, 36)), 8, '0'),
                  LPAD(LOWER(CONV(FLOOR(RAND() * 2821109907456), 10, 36)), 8, '0')),
           0,
           UTC_TIMESTAMP(3) - INTERVAL ((CRC32(CONCAT('t', base + seq)) MOD 31536000) * 1000 + seq MOD 1000) * 1000 MICROSECOND,
           UTC_TIMESTAMP(3) - INTERVAL ((CRC32(CONCAT('t', base + seq)) MOD 31536000) * 1000 + seq MOD 1000) * 1000 MICROSECOND
    FROM seq_1_to_100000
    WHERE seq <= target - have;
    INSERT INTO kyc_status_audit (case_id, actor, actor_role, from_status, to_status, remark, changed_at)
    SELECT id, 'bench-seed', 'client', NULL, 'incomplete', 'profile created', created_at
    FROM kyc_cases WHERE id > base;
    SELECT COUNT(*) INTO have FROM kyc_cases WHERE tenant_id = t;
  END WHILE;
END //
DELIMITER ;
CALL openkyc_bench_seed(@tenant, @target);
DROP PROCEDURE openkyc_bench_seed;
