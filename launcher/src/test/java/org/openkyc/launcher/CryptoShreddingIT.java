package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.api.screening.v1.GetScreeningRequest;
import org.openkyc.api.screening.v1.ScreenRequest;
import org.openkyc.api.screening.v1.Screening;
import org.openkyc.api.screening.v1.ScreeningServiceGrpc;
import org.openkyc.api.screening.v1.SubjectKind;
import org.openkyc.server.config.ServerConfig;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.DocumentReadingMapper;
import org.openkyc.server.storage.EncryptedFileBlobStore;
import org.openkyc.server.storage.MasterKeys;
import org.openkyc.server.vision.TestVision;

/**
 * Crypto-shredding: a case's personal data is stored only encrypted with the case's own key, which is stored
 * only wrapped by the master key, and DELETE destroys that key row with the case. So after a deletion the
 * person's name, email and birth date are found nowhere in the database's files (tablespaces, redo and undo
 * logs), and any copy of them in a backup or replica is ciphertext nobody can read. Lists still find cases by
 * userid and email (blind indexes), rows written before are sealed in place, and the master key can be rotated.
 */
class CryptoShreddingIT {

    private static final String WEB = "/api/web/kycService";
    private static TestProduct p;
    private static Connection sql;

    @BeforeAll
    static void start() {
        p = TestProduct.withOwnDatabase("shred", Map.of());
        sql = p.openOwnDatabaseConnection();
    }

    @AfterAll
    static void stop() throws SQLException {
        if (sql != null) {
            sql.close();
        }
        if (p != null) {
            p.close();
        }
    }

    @Test
    void afterDeleteThePersonIsFoundNowhereInTheDatabaseFiles() throws Exception {
        // Control: a row in the format before crypto-shredding (clear columns) is found in the files by the same
        // search, so "found nowhere" below means something.
        String control = "CONTROL PERSON " + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        execute("INSERT INTO kyc_cases (public_id, tenant_id, user_id, email, full_name, status, applicant_id,"
                + " created_at, updated_at) SELECT 'ctl" + System.nanoTime() % 1_000_000_000L + "', id, 'ctl-user', "
                + "'ctl@example.com', '" + control + "', 'incomplete', 'ctl', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)"
                + " FROM tenants WHERE name = 'globex'");
        flushTables();
        assertThat(filesContaining(control)).as("the search finds clear data").isNotEmpty();

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String email = "shred-" + suffix + "@example.com";
        String userId = "shred-user-" + suffix;
        HttpResponse<String> r = p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "SWE").text("email", email).text("idType", "passport")
                .text("userid", userId).text("cf1", "order-" + suffix)
                .file("idImage", "passport.png", "image/png", TestVision.resource("passport-td3-specimen.png")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = TestProduct.json(r).get("submissionId").getAsString();
        String name = "ANNA MARIA ERIKSSON";
        String birth = "1974-08-12";

        // What callers see is unchanged: the fields in clear, found by userid and by email.
        for (String query : List.of("userid=" + userId, "email=" + URLEncoder.encode(email, StandardCharsets.UTF_8),
                "submission_id=" + id)) {
            HttpResponse<String> list = p.call("GET", "/v2/submission?" + query, p.clientKeyA, null);
            assertThat(list.statusCode()).as(query).isEqualTo(200);
            JsonObject item = TestProduct.json(list).getAsJsonArray("Items").get(0).getAsJsonObject();
            assertThat(TestProduct.json(list).getAsJsonArray("Items")).as(query).hasSize(1);
            assertThat(item.get("submission_id").getAsString()).isEqualTo(id);
            assertThat(item.get("email").getAsString()).isEqualTo(email);
            assertThat(item.get("userid").getAsString()).isEqualTo(userId);
            assertThat(item.getAsJsonObject("data").get("name").getAsString()).isEqualTo(name);
            assertThat(item.getAsJsonObject("data").get("date_of_birth").getAsString()).isEqualTo(birth);
        }
        // Another tenant's list does not find it by the same values (its index key differs).
        HttpResponse<String> other = p.call("GET", "/v2/submission?userid=" + userId, p.clientKeyB, null);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(TestProduct.json(other).getAsJsonArray("Items")).isEmpty();

        // Stored: only ciphertext and blind indexes; the key row is wrapped by the master key.
        Map<String, Object> row = queryRow("SELECT user_id, email, full_name, date_of_birth, cf1, pii_enc,"
                + " identity_number_enc, user_id_bidx, k.master_key_id, k.wrapped_key FROM kyc_cases c"
                + " JOIN kyc_case_keys k"
                + " ON k.case_id = c.id WHERE c.public_id = ?", id);
        assertThat(row.get("user_id")).isNull();
        assertThat(row.get("email")).isNull();
        assertThat(row.get("full_name")).isNull();
        assertThat(row.get("date_of_birth")).isNull();
        assertThat(row.get("cf1")).isNull();
        assertThat((byte[]) row.get("pii_enc")).isNotEmpty();
        assertThat((byte[]) row.get("user_id_bidx")).hasSize(16);
        // The document number read from the passport: sealed with the case key over its master-key encryption.
        assertThat(((byte[]) row.get("identity_number_enc"))[0]).isEqualTo((byte) 2);
        // So is what step 1 read from the document (its number).
        assertThat(((byte[]) queryRow("SELECT r.document_number_enc FROM kyc_document_readings r JOIN kyc_cases c"
                + " ON c.id = r.case_id WHERE c.public_id = ?", id).get("document_number_enc"))[0]).isEqualTo((byte) 2);
        assertThat(row.get("master_key_id")).isEqualTo(MasterKeys.idOf(dataKey()));
        // The document image is encrypted with a key of its own, which only the case key unseals: the blob store's
        // file, even decrypted with the master key, is not the image.
        Map<String, Object> image = queryRow("SELECT i.blob_key, i.blob_key_enc FROM kyc_images i JOIN kyc_cases c"
                + " ON c.id = i.case_id WHERE c.public_id = ? ORDER BY i.id LIMIT 1", id);
        assertThat((byte[]) image.get("blob_key_enc")).isNotEmpty();
        byte[] underMasterKeyOnly = new EncryptedFileBlobStore(p.home.resolve("blobs"), new AesGcm(dataKey()))
                .get((String) image.get("blob_key")).orElseThrow();
        assertThat(java.util.Arrays.copyOf(underMasterKeyOnly, 4))
                .isNotEqualTo(new byte[] {(byte) 0x89, (byte) 0x50, (byte) 0x4E, (byte) 0x47});
        assertThat(java.util.Arrays.copyOf(underMasterKeyOnly, 2)).isNotEqualTo(new byte[] {(byte) 0xFF, (byte) 0xD8});
        flushTables();
        assertThat(filesContaining(name)).as("name stored in clear").isEmpty();
        assertThat(filesContaining(email)).as("email stored in clear").isEmpty();

        HttpResponse<String> del = p.call("DELETE", "/v2/submission?submission_id=" + id, p.clientKeyA, null);
        assertThat(del.statusCode()).as(del.body()).isEqualTo(200);

        // The raw tables hold nothing of the case, its key included.
        assertThat(count("SELECT COUNT(*) FROM kyc_cases WHERE public_id = ?", id)).isZero();
        assertThat(count("SELECT COUNT(*) FROM kyc_images WHERE blob_key = ?", (String) image.get("blob_key")))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM kyc_case_keys k LEFT JOIN kyc_cases c ON c.id = k.case_id"
                + " WHERE c.id IS NULL", null)).isZero();
        flushTables();
        for (String value : List.of(name, email, userId, birth, "L898902C3")) {
            assertThat(filesContaining(value)).as("%s in the database files after DELETE", value).isEmpty();
        }
    }

    @Test
    void aDocumentItsConfirmedFieldsAndItsScreeningAreShreddedWithTheCase() throws Exception {
        // A surname of its own, so that the search below finds this person only.
        String letters = UUID.randomUUID().toString().replaceAll("[^a-f]", "").toUpperCase();
        String confirmedName = "ANNA MARIA ERIKSSON" + letters.substring(0, Math.min(6, letters.length())) + "X";
        String documentNumber = "L898902C3";
        String pid = p.createProfile(p.clientKeyA, "shred-doc-" + UUID.randomUUID().toString().substring(0, 8));
        HttpResponse<String> upload = p.postMultipart(WEB + "/document/upload", p.clientKeyA, new Multipart()
                .text("profileId", pid).text("docType", "PASSPORT").text("country", "SE")
                .file("frontImage", "front.png", "image/png", TestVision.resource("passport-td3-specimen.png")));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        long documentId = TestProduct.json(upload).getAsJsonObject("data").get("documentId").getAsLong();
        HttpResponse<String> confirm = p.call("POST", WEB + "/document/confirm?documentId=" + documentId,
                p.clientKeyA, "{\"name\":\"" + confirmedName + "\",\"idNumber\":\"" + documentNumber + "\","
                        + "\"birthDate\":\"1974-08-12\",\"nationality\":\"SWE\",\"userModified\":true}");
        assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(200);
        // Confirming again reads the stored fields back (sealed with the case key) and answers the same.
        HttpResponse<String> again = p.call("POST", WEB + "/document/confirm?documentId=" + documentId,
                p.clientKeyA, "{\"name\":\"" + confirmedName + "\",\"userModified\":true}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        // Submitting screens the person (with the confirmed name) and decides; a screening with candidates too.
        HttpResponse<String> submit = p.call("POST", WEB + "/document/submit?documentId=" + documentId,
                p.clientKeyA, null);
        assertThat(submit.statusCode()).as(submit.body()).isEqualTo(200);
        Screening screened = p.withKey(ScreeningServiceGrpc.newBlockingStub(p.channel), p.clientKeyA)
                .screen(ScreenRequest.newBuilder().setKind(SubjectKind.SUBJECT_KIND_PERSON).setName(confirmedName)
                        .addAliases("Kim Jong-un").setNationality("KP").setCaseId(pid).build()).getScreening();
        assertThat(screened.getCandidatesCount()).isPositive();
        // Read back through the API: the stored screening opens with the case key.
        Screening read = p.withKey(ScreeningServiceGrpc.newBlockingStub(p.channel), p.clientKeyA)
                .getScreening(GetScreeningRequest.newBuilder().setResourceId(screened.getResourceId()).build())
                .getScreening();
        assertThat(read.getCandidatesCount()).isEqualTo(screened.getCandidatesCount());
        assertThat(read.getNormalizedNamesList()).isNotEmpty()
                .containsExactlyElementsOf(screened.getNormalizedNamesList());
        assertThat(read.getCandidates(0).toString()).isEqualTo(screened.getCandidates(0).toString());
        HttpResponse<String> status = p.call("GET", WEB + "/status/" + pid, p.clientKeyA, null);
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);

        // Stored: every value sealed with the case key over its master-key encryption (first byte 2), so a copy
        // of it in a log or backup does not open with the master key alone.
        Map<String, Object> doc = queryRow("SELECT d.ocr_fields_enc, d.confirmed_fields_enc FROM kyc_documents d"
                + " JOIN kyc_cases c ON c.id = d.case_id WHERE c.public_id = ?", pid);
        byte[] masterKey = dataKey();
        for (String column : List.of("ocr_fields_enc", "confirmed_fields_enc")) {
            byte[] stored = (byte[]) doc.get(column);
            assertThat(stored[0]).as(column).isEqualTo((byte) 2);
            assertThatThrownBy(() -> new AesGcm(masterKey).decrypt(
                    java.util.Arrays.copyOfRange(stored, 1, stored.length), "anything".getBytes()))
                    .as(column).isInstanceOf(IllegalStateException.class);
        }
        assertThat(count("SELECT COUNT(*) FROM aml_screenings s JOIN kyc_cases c ON c.id = s.case_id"
                + " WHERE c.public_id = ? AND ASCII(s.query_enc) <> 2", pid)).isZero();
        assertThat(count("SELECT COUNT(*) FROM aml_screenings s JOIN kyc_cases c ON c.id = s.case_id"
                + " WHERE c.public_id = ?", pid)).isGreaterThanOrEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM aml_candidates a JOIN aml_screenings s ON s.id = a.screening_id"
                + " JOIN kyc_cases c ON c.id = s.case_id WHERE c.public_id = ? AND ASCII(a.breakdown_enc) <> 2",
                pid)).isZero();
        flushTables();
        assertThat(filesContaining(confirmedName)).as("confirmed name stored in clear").isEmpty();

        HttpResponse<String> del = p.call("DELETE", "/v2/submission?submission_id=" + pid, p.clientKeyA, null);
        assertThat(del.statusCode()).as(del.body()).isEqualTo(200);
        assertThat(count("SELECT COUNT(*) FROM kyc_documents WHERE public_id = ?", Long.toString(documentId)))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM aml_screenings WHERE public_id = ?", screened.getResourceId()))
                .isZero();
        flushTables();
        for (String value : List.of(confirmedName, documentNumber)) {
            assertThat(filesContaining(value)).as("%s in the database files after DELETE", value).isEmpty();
        }
    }

    @Test
    void rowsWrittenBeforeAreSealedInPlaceOnceAndStayReadableAndFindable() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String publicId = "old" + suffix;
        execute("INSERT INTO kyc_cases (public_id, tenant_id, user_id, email, full_name, date_of_birth, comments,"
                + " status, applicant_id, created_at, updated_at) SELECT '" + publicId + "', id, 'old-" + suffix
                + "', 'old-" + suffix + "@example.com', 'OLD FORMAT PERSON', '1960-01-02', 'a reviewer wrote this',"
                + " 'rejected', 'app-" + suffix + "', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) FROM tenants"
                + " WHERE name = 'acme'");
        execute("INSERT INTO kyc_status_audit (case_id, actor, actor_role, from_status, to_status, remark, changed_at)"
                + " SELECT id, 'ops', 'admin', 'pending', 'rejected', 'remark of old " + suffix + "',"
                + " UTC_TIMESTAMP(3) FROM kyc_cases WHERE public_id = '" + publicId + "'");
        execute("INSERT INTO liveness_results (case_id, source, provider_session_id, result, confidence, error_message,"
                + " created_at) SELECT id, 'callback', 'provider-session-" + suffix + "', 'FAIL', 0.1, 'face covered',"
                + " UTC_TIMESTAMP(3) FROM kyc_cases WHERE public_id = '" + publicId + "'");
        execute("INSERT INTO kyc_attempts (case_id, attempt_no, full_name, retry_msg, created_at) SELECT id, 1,"
                + " 'OLD FORMAT PERSON', 'name differs', UTC_TIMESTAMP(3) FROM kyc_cases WHERE public_id = '"
                + publicId + "'");

        Database db = p.product.server().database();
        // A document number read by step 1 and stored, as before, under the master key only.
        HttpResponse<String> step1 = p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "SWE").text("email", "old-reading-" + suffix + "@example.com")
                .text("idType", "passport")
                .file("idImage", "passport.png", "image/png", TestVision.resource("passport-td3-specimen.png")));
        assertThat(step1.statusCode()).as(step1.body()).isEqualTo(200);
        long readingCase = count("SELECT id FROM kyc_cases WHERE public_id = ?",
                TestProduct.json(step1).get("submissionId").getAsString());
        byte[] underMasterKey = db.read(s -> s.getMapper(DocumentReadingMapper.class).ofCase(readingCase))
                .documentNumberEnc;
        assertThat(underMasterKey[0]).isEqualTo((byte) 1);
        try (PreparedStatement st = sql.prepareStatement(
                "UPDATE kyc_document_readings SET document_number_enc = ? WHERE case_id = ?")) {
            st.setBytes(1, underMasterKey);
            st.setLong(2, readingCase);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }

        // What the server does at start; a second run finds nothing left to seal.
        assertThat(db.keyJobs().sealLegacyRows()).isGreaterThanOrEqualTo(2);
        assertThat(db.keyJobs().sealLegacyRows()).isZero();
        assertThat(count("SELECT COUNT(*) FROM kyc_document_readings WHERE case_id = ?"
                + " AND ASCII(document_number_enc) = 2", Long.toString(readingCase))).isEqualTo(1);
        assertThat(db.read(s -> s.getMapper(DocumentReadingMapper.class).ofCase(readingCase)).documentNumberEnc)
                .isEqualTo(underMasterKey);

        Map<String, Object> row = queryRow("SELECT user_id, email, full_name, date_of_birth, comments, pii_enc"
                + " FROM kyc_cases WHERE public_id = ?", publicId);
        assertThat(row.get("user_id")).isNull();
        assertThat(row.get("email")).isNull();
        assertThat(row.get("full_name")).isNull();
        assertThat(row.get("date_of_birth")).isNull();
        assertThat(row.get("comments")).isNull();
        assertThat((byte[]) row.get("pii_enc")).isNotEmpty();
        assertThat(count("SELECT COUNT(*) FROM kyc_status_audit a JOIN kyc_cases c ON c.id = a.case_id"
                + " WHERE c.public_id = ? AND a.remark IS NULL AND a.remark_enc IS NOT NULL", publicId)).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM kyc_attempts a JOIN kyc_cases c ON c.id = a.case_id"
                + " WHERE c.public_id = ? AND a.full_name IS NULL AND a.pii_enc IS NOT NULL", publicId)).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM liveness_results l JOIN kyc_cases c ON c.id = l.case_id"
                + " WHERE c.public_id = ? AND l.provider_session_id IS NULL AND l.error_message IS NULL"
                + " AND l.pii_enc IS NOT NULL", publicId)).isEqualTo(1);

        HttpResponse<String> list = p.call("GET", "/v2/submission?userid=old-" + suffix, p.clientKeyA, null);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        JsonObject item = TestProduct.json(list).getAsJsonArray("Items").get(0).getAsJsonObject();
        assertThat(item.get("submission_id").getAsString()).isEqualTo(publicId);
        assertThat(item.get("email").getAsString()).isEqualTo("old-" + suffix + "@example.com");
        assertThat(item.getAsJsonObject("data").get("name").getAsString()).isEqualTo("OLD FORMAT PERSON");
        assertThat(item.getAsJsonObject("data").get("date_of_birth").getAsString()).isEqualTo("1960-01-02");
        assertThat(item.toString()).contains("a reviewer wrote this").contains("name differs");
        HttpResponse<String> byEmail = p.call("GET", "/v2/submission?email=old-" + suffix + "%40example.com",
                p.clientKeyA, null);
        assertThat(TestProduct.json(byEmail).getAsJsonArray("Items")).hasSize(1);
    }

    @Test
    void theMasterKeyIsRotatedResumablyAndTheOldKeyIsThenNoLongerNeeded() throws Exception {
        String a = p.createProfile(p.clientKeyA, "rot-a");
        byte[] oldKey = dataKey();
        byte[] newKey = new byte[32];
        new java.security.SecureRandom().nextBytes(newKey);
        String oldId = MasterKeys.idOf(oldKey);
        String newId = MasterKeys.idOf(newKey);

        // A server on the new key with the old one still accepted for reading (the state during a rotation).
        try (Database rotating = database(newKey, List.of(oldKey), 1)) {
            assertThat(name(rotating, a)).isEqualTo("rot-a");
            long acme = tenantId("acme");
            String b = rotating.inTransaction(s -> {
                CaseMapper.CaseRow row = new CaseMapper.CaseRow();
                row.publicId = "rotb" + UUID.randomUUID().toString().substring(0, 8);
                row.tenantId = acme;
                row.userId = "rot-b";
                row.status = "incomplete";
                row.applicantId = "rotb";
                row.retryCount = 0;
                row.createdAt = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0);
                row.updatedAt = row.createdAt;
                s.getMapper(CaseMapper.class).insertCase(row);
                return row.publicId;
            });
            assertThat(keyIdOf(a)).isEqualTo(oldId);
            assertThat(keyIdOf(b)).isEqualTo(newId);
            assertThat(name(rotating, b)).isEqualTo("rot-b");

            // Batches of one, each committed: every key is re-wrapped; a second run has nothing left to do.
            long before = count("SELECT COUNT(*) FROM kyc_case_keys WHERE master_key_id <> ?", newId);
            assertThat(before).isGreaterThanOrEqualTo(1);
            assertThat(rotating.keyJobs().rotate()).isEqualTo(before);
            assertThat(rotating.keyJobs().rotate()).isZero();
            assertThat(count("SELECT COUNT(*) FROM kyc_case_keys WHERE master_key_id <> ?", newId)).isZero();
        }
        // The new key alone now opens every case, and lists still find them (indexes recomputed).
        try (Database rotated = database(newKey, List.of(), 500)) {
            assertThat(name(rotated, a)).isEqualTo("rot-a");
            CaseMapper.CaseFilter f = new CaseMapper.CaseFilter();
            f.tenantId = tenantId("acme");
            f.userId = "rot-a";
            f.limit = 10;
            List<CaseMapper.CaseAttemptRow> found = rotated.read(
                    s -> s.getMapper(CaseMapper.class).listCasesWithAttempts(f));
            assertThat(found.stream().map(c -> c.publicId).toList()).containsExactly(a);
        }
        // The old key alone opens nothing any more.
        try (Database old = database(oldKey, List.of(), 500)) {
            assertThatThrownBy(() -> name(old, a)).hasMessageContaining(newId);
        }
        // Rotating back to the product's key (the new one given as previous) leaves the product as it was.
        try (Database back = database(oldKey, List.of(newKey), 500)) {
            assertThat(back.keyJobs().rotate()).isGreaterThanOrEqualTo(2);
        }
        assertThat(count("SELECT COUNT(*) FROM kyc_case_keys WHERE master_key_id <> ?", oldId)).isZero();
        assertThat(p.call("GET", "/v2/submission?userid=rot-a", p.clientKeyA, null).body()).contains(a);
    }

    // --- helpers

    private static String name(Database db, String publicId) throws SQLException {
        long tenant = tenantId("acme");
        return db.read(s -> s.getMapper(CaseMapper.class).caseByPublicId(tenant, publicId)).userId;
    }

    private static Database database(byte[] key, List<byte[]> previous, int batch) {
        Map<String, String> env = new HashMap<>(TestProduct.testEnv());
        try {
            env.put("MYSQL_URL", sql.getMetaData().getURL());
            env.put("MYSQL_USER", sql.getMetaData().getUserName().replaceAll("@.*", ""));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        env.put("MYSQL_PASSWORD", "");
        env.put("OPENKYC_BLOB_DIR", p.home.resolve("blobs").toString());
        env.put("OPENKYC_DATA_KEY", Base64.getEncoder().encodeToString(key));
        List<String> prev = previous.stream().map(k -> Base64.getEncoder().encodeToString(k)).toList();
        if (!prev.isEmpty()) {
            env.put("OPENKYC_DATA_KEY_PREVIOUS", String.join(",", prev));
        }
        env.put("OPENKYC_KEY_BATCH_SIZE", Integer.toString(batch));
        return new Database(ServerConfig.fromEnvironment(env));
    }

    private static byte[] dataKey() throws IOException {
        return Base64.getDecoder().decode(Files.readString(p.home.resolve("keys/data.key")).trim());
    }

    private static String keyIdOf(String publicId) throws SQLException {
        return (String) queryRow("SELECT k.master_key_id FROM kyc_case_keys k JOIN kyc_cases c ON c.id = k.case_id"
                + " WHERE c.public_id = ?", publicId).get("master_key_id");
    }

    private static long tenantId(String name) throws SQLException {
        return count("SELECT id FROM tenants WHERE name = ?", name);
    }

    /** Makes InnoDB write the tables' dirty pages to their files, as a backup or a crash would find them. */
    private static void flushTables() throws SQLException {
        for (String t : List.of("kyc_cases", "kyc_case_keys", "kyc_attempts", "kyc_status_audit", "kyc_documents",
                "kyc_document_readings", "kyc_face_embeddings", "aml_screenings", "aml_candidates")) {
            execute("FLUSH TABLES " + t + " FOR EXPORT");
            execute("UNLOCK TABLES");
        }
    }

    /** The files of the embedded MariaDB's data folder (tablespaces, redo and undo logs) holding the text. */
    private static List<Path> filesContaining(String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(p.home.resolve("mariadb"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (contains(f, needle)) {
                    found.add(f);
                }
            }
        }
        return found;
    }

    /** Reads the file in chunks (the redo log is hundreds of megabytes), overlapping by the needle's length. */
    private static boolean contains(Path file, byte[] needle) throws IOException {
        byte[] buf = new byte[1 << 20];
        int keep = needle.length - 1;
        int filled = 0;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf, filled, buf.length - filled)) > 0) {
                filled += n;
                if (filled < buf.length) {
                    continue;
                }
                if (indexOf(buf, filled, needle)) {
                    return true;
                }
                System.arraycopy(buf, filled - keep, buf, 0, keep);
                filled = keep;
            }
        } catch (java.nio.file.AccessDeniedException e) {
            return false;
        }
        return indexOf(buf, filled, needle);
    }

    private static boolean indexOf(byte[] hay, int length, byte[] needle) {
        outer:
        for (int i = 0; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void execute(String statement) throws SQLException {
        try (Statement st = sql.createStatement()) {
            st.execute(statement);
        }
    }

    private static long count(String query, String param) throws SQLException {
        try (PreparedStatement st = sql.prepareStatement(query)) {
            if (param != null) {
                st.setString(1, param);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<String, Object> queryRow(String query, String param) throws SQLException {
        try (PreparedStatement st = sql.prepareStatement(query)) {
            st.setString(1, param);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("a row for %s", param).isTrue();
                Map<String, Object> m = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    m.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                return m;
            }
        }
    }
}
