package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openkyc.launcher.People.Person;
import org.openkyc.server.liveness.ChallengeAction;

/**
 * The KYC journeys as a client runs them, over HTTPS through the gateway, one test per journey. Read
 * top to bottom, each test is the sequence of calls an integration makes: the submissions API
 * (step 1, step 2, applicants) and the KYC web API (profile, document upload, confirmation, liveness,
 * submission), with the admin API deciding what the rules leave to a reviewer, and deletion.
 *
 * <p>The people are synthetic passports carrying a real face (the astronaut, a public-domain photo),
 * selfies of that face or of another person (Grace Hopper), and challenge videos rendered from the face
 * (see {@link People}).
 */
class JourneysIT {

    private static final String WEB = "/api/web/kycService";

    private final TestProduct p = TestProduct.get();

    // ----------------------------------------------------------------------------- submissions API

    @Test
    void aPassportAndAMatchingSelfieAreApprovedInTwoSteps() {
        Person sigrid = People.person("AALTONEN", "SIGRID", "JX1122334", LocalDate.of(1990, 3, 14));

        // Step 1: the passport. The answer shows what was read, for the user to confirm.
        String id = step1(sigrid);

        // Step 2: the selfie and the confirmed fields; one attempt, every check passed.
        JsonObject done = json(p.postMultipart("/v2/submission/step2", p.clientKeyA, step2Form(id, sigrid,
                People.ASTRONAUT)), 200);
        assertThat(done.get("verificationResult").getAsString()).isEqualTo("success");
        assertThat(done.get("faceSimilarityScore").getAsInt()).isGreaterThanOrEqualTo(60);
        assertThat(done.get("livenessScore").getAsInt()).isGreaterThanOrEqualTo(50);
        assertThat(done.get("retryCount").getAsInt()).isZero();
        // MRZ checks hold, the passport is valid, the face matches, the person is not on a list: approved.
        assertThat(done.get("kycStatus").getAsString()).isEqualTo("approved");

        JsonObject item = submission(id);
        assertThat(item.getAsJsonObject("kyc").get("result").getAsString()).isEqualTo("approved");
        assertThat(item.getAsJsonObject("kyc").getAsJsonArray("attempts")).hasSize(1);
        assertThat(item.getAsJsonObject("aml").get("result").getAsString()).isEqualTo("clear");
        String report = item.getAsJsonObject("aml").get("resourceId").getAsString();
        assertThat(p.call("GET", "/v2/report/aml?resourceId=" + report, p.clientKeyA, null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void threeFailedAttemptsRejectTheSubmission() {
        Person ines = People.person("BERGSTROM", "INES", "JX2233445", LocalDate.of(1985, 7, 2));
        String id = step1(ines);

        // Someone else's face: each attempt fails, says why, and counts.
        for (int attempt = 1; attempt <= 2; attempt++) {
            JsonObject failed = json(p.postMultipart("/v2/submission/step2", p.clientKeyA,
                    step2Form(id, ines, People.HOPPER)), 200);
            assertThat(failed.get("kycStatus").getAsString()).isEqualTo("incomplete");
            assertThat(failed.get("retryCount").getAsInt()).isEqualTo(attempt);
            assertThat(retryCodes(failed)).contains("face_mismatch");
        }
        JsonObject third = json(p.postMultipart("/v2/submission/step2", p.clientKeyA,
                step2Form(id, ines, People.HOPPER)), 200);
        assertThat(third.get("retryCount").getAsInt()).isEqualTo(3);
        assertThat(third.get("kycStatus").getAsString()).isEqualTo("rejected");

        JsonObject kyc = submission(id).getAsJsonObject("kyc");
        assertThat(kyc.get("result").getAsString()).isEqualTo("rejected");
        assertThat(strings(kyc.getAsJsonArray("commentCode"))).contains("too_many_retry");
        assertThat(kyc.getAsJsonArray("attempts")).hasSize(3);
        for (JsonElement a : kyc.getAsJsonArray("attempts")) {
            assertThat(a.getAsJsonObject().get("verificationResult").getAsString()).isEqualTo("fail");
            assertThat(a.getAsJsonObject().get("retryMsg").getAsString()).isNotBlank();
        }
        // The decision is final: a fourth attempt is refused.
        assertThat(p.postMultipart("/v2/submission/step2", p.clientKeyA, step2Form(id, ines, People.ASTRONAUT))
                .statusCode()).isEqualTo(409);
    }

    @Test
    void thePersonSubmittingTwiceIsFoundAsOneApplicant() {
        Person tomas = People.person("CARVALHO", "TOMAS", "JX3344556", LocalDate.of(1979, 11, 23));
        String first = step1(tomas);
        json(p.postMultipart("/v2/submission/step2", p.clientKeyA, step2Form(first, tomas, People.ASTRONAUT)),
                200);
        // The same person again, with the same passport and face, later.
        String second = step1(tomas);
        json(p.postMultipart("/v2/submission/step2", p.clientKeyA, step2Form(second, tomas, People.ASTRONAUT)),
                200);

        String applicant = submission(first).get("applicant_id").getAsString();
        assertThat(submission(second).get("applicant_id").getAsString()).isEqualTo(applicant);
        JsonObject both = json(p.call("GET", "/v2/submission/applicant?applicant_id=" + applicant, p.clientKeyA,
                null), 200);
        List<String> ids = new ArrayList<>();
        both.getAsJsonArray("Items").forEach(i -> ids.add(i.getAsJsonObject().get("submission_id").getAsString()));
        assertThat(ids).containsExactlyInAnyOrder(first, second);
        // Another tenant does not see this applicant at all.
        assertThat(p.call("GET", "/v2/submission/applicant?applicant_id=" + applicant, p.clientKeyB, null)
                .statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------------------- KYC web API

    @Test
    void aWebProfileWithDocumentLivenessAndSubmitIsApprovedAutomatically() {
        Person lena = People.person("DIJKSTRA", "LENA", "JX4455667", LocalDate.of(1995, 1, 9));
        String profile = p.createProfile(p.clientKeyA, "web-" + UUID.randomUUID());

        // The document: uploaded, read, then confirmed as read.
        long documentId = upload(profile, lena);
        JsonObject confirmed = json(p.call("POST", WEB + "/document/confirm?documentId=" + documentId, p.clientKeyA,
                "{\"userModified\":false}"), 200);
        assertThat(confirmed.get("code").getAsInt()).isZero();

        // Liveness: three actions asked at random, filmed, judged and matched to the passport portrait.
        passLiveness(profile);

        // Submission: every rule holds, so the case is approved at once (status 1).
        JsonObject submitted = json(p.call("POST", WEB + "/document/submit?documentId=" + documentId, p.clientKeyA,
                null), 200);
        assertThat(submitted.getAsJsonObject("data").get("status").getAsInt()).isEqualTo(1);

        JsonObject status = webStatus(profile);
        assertThat(status.get("overallStatus").getAsString()).isEqualTo("approved");
        assertThat(status.get("livenessResult").getAsString()).isEqualTo("success");
        assertThat(status.get("faceMatchDecision").getAsString()).isEqualTo("match");
        // One case, two views: the submissions API shows the same decision.
        assertThat(submission(profile).getAsJsonObject("kyc").get("result").getAsString()).isEqualTo("approved");
    }

    @Test
    void editedFieldsGoToAReviewerWhoApproves() {
        Person marek = People.person("EKSTROM", "MAREK", "JX5566778", LocalDate.of(1982, 5, 30));
        String profile = p.createProfile(p.clientKeyA, "web-" + UUID.randomUUID());
        long documentId = upload(profile, marek);

        // The user corrects the name read from the document: a person must look at it.
        JsonObject confirmed = json(p.call("POST", WEB + "/document/confirm?documentId=" + documentId, p.clientKeyA,
                "{\"name\":\"Marek Ekström\",\"userModified\":true}"), 200);
        assertThat(confirmed.get("message").getAsString()).containsIgnoringCase("manual review");
        passLiveness(profile);
        JsonObject submitted = json(p.call("POST", WEB + "/document/submit?documentId=" + documentId, p.clientKeyA,
                null), 200);
        assertThat(submitted.getAsJsonObject("data").get("status").getAsInt()).isEqualTo(3);
        assertThat(webStatus(profile).get("overallStatus").getAsString()).isEqualTo("pending");

        // The reviewer reads the case and approves it, with a remark; the change is on record.
        JsonObject detail = json(p.call("GET", "/admin/kyc/detail/" + profile, p.adminKeyA, null), 200)
                .getAsJsonObject("data");
        assertThat(detail.getAsJsonArray("documents")).hasSize(1);
        json(p.call("POST", "/admin/kyc/update-status", p.adminKeyA, "{\"profileId\":\"" + profile
                + "\",\"status\":2,\"remark\":\"Name checked against the passport\"}"), 200);
        assertThat(webStatus(profile).get("overallStatus").getAsString()).isEqualTo("approved");
        JsonArray history = json(p.call("GET", "/admin/kyc/detail/" + profile, p.adminKeyA, null), 200)
                .getAsJsonObject("data").getAsJsonArray("history");
        JsonObject last = history.get(history.size() - 1).getAsJsonObject();
        assertThat(last.get("fromStatus").getAsString()).isEqualTo("pending");
        assertThat(last.get("toStatus").getAsString()).isEqualTo("approved");
        assertThat(last.get("remark").getAsString()).isEqualTo("Name checked against the passport");
        assertThat(submission(profile).getAsJsonObject("kyc").get("result").getAsString()).isEqualTo("approved");
    }

    // ---------------------------------------------------------------------------------- deletion

    @Test
    void deletingACompletedCaseLeavesNothingReadable() {
        Person olga = People.person("FORSBERG", "OLGA", "JX6677889", LocalDate.of(1975, 9, 17));
        String id = step1(olga);
        json(p.postMultipart("/v2/submission/step2", p.clientKeyA, step2Form(id, olga, People.ASTRONAUT)), 200);
        passLiveness(id);
        String report = submission(id).getAsJsonObject("aml").get("resourceId").getAsString();
        long caseId = internalId(id);
        assertThat(rowsOf(caseId)).isNotEmpty();
        long blobsBefore = p.blobFiles();

        JsonObject deleted = json(p.call("DELETE", "/v2/submission?submission_id=" + id, p.clientKeyA, null), 200);
        assertThat(deleted.get("message").getAsString()).isEqualTo("success");
        assertThat(deleted.get("content").getAsString()).isEqualTo("Submission #" + id + " deleted successfully.");

        // No API answers anything about it any more.
        assertThat(p.call("GET", "/v2/submission?submission_id=" + id, p.clientKeyA, null).statusCode())
                .isEqualTo(404);
        assertThat(p.call("GET", WEB + "/status/" + id, p.clientKeyA, null).statusCode()).isEqualTo(404);
        assertThat(p.call("GET", "/admin/kyc/detail/" + id, p.adminKeyA, null).statusCode()).isEqualTo(404);
        assertThat(p.call("GET", "/v2/report/aml?resourceId=" + report, p.clientKeyA, null).statusCode())
                .isEqualTo(404);
        for (String type : new String[] {"idImage", "selfieImage"}) {
            HttpRequest image = HttpRequest.newBuilder(URI.create(p.url("/v2/image?submission_id=" + id + "&type="
                    + type))).timeout(Duration.ofSeconds(30)).header("x-api-key", p.clientKeyA).GET().build();
            assertThat(p.send(image, HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(404);
        }
        // Its image files are gone from the blob store (document and selfie) ...
        assertThat(p.blobFiles()).isEqualTo(blobsBefore - 2);
        // ... and no table keeps a row of the case: every table with a case_id column is checked.
        assertThat(rowsOf(caseId)).isEmpty();
    }

    // ---------------------------------------------------------------------------------- the calls

    private String step1(Person who) {
        JsonObject r = json(p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "NLD").text("idType", "passport")
                .text("email", "j" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                .file("idImage", "passport.png", "image/png", who.passport())), 200);
        assertThat(r.getAsJsonObject("reviewOCRData").get("ocr_name").getAsString()).isEqualTo(who.name());
        return r.get("submissionId").getAsString();
    }

    private static Multipart step2Form(String submissionId, Person who, byte[] selfie) {
        return new Multipart().text("submissionId", submissionId)
                .file("faceImage", "selfie", selfie == People.HOPPER ? "image/jpeg" : "image/png", selfie)
                .text("name", who.name()).text("date_of_birth", who.id().birth().toString())
                .text("gender", who.gender()).text("nationality", who.id().nationality());
    }

    private long upload(String profile, Person who) {
        JsonObject data = json(p.postMultipart(WEB + "/document/upload", p.clientKeyA, new Multipart()
                .text("profileId", profile).text("docType", "PASSPORT").text("country", "NL")
                .file("frontImage", "passport.png", "image/png", who.passport())), 200).getAsJsonObject("data");
        assertThat(data.getAsJsonObject("fields").get("name").getAsString()).isEqualTo(who.name());
        return data.get("documentId").getAsLong();
    }

    private void passLiveness(String profile) {
        JsonObject session = json(p.call("POST", WEB + "/liveness/start?profileId=" + profile, p.clientKeyA, null),
                200).getAsJsonObject("data");
        List<ChallengeAction> actions = new ArrayList<>();
        session.getAsJsonArray("actions").forEach(a -> actions.add(ChallengeAction.valueOf(a.getAsString())));
        Multipart form = new Multipart().text("sessionId", session.get("sessionId").getAsString())
                .text("profileId", profile);
        List<byte[]> videos = People.videos("astronaut", actions);
        for (int i = 0; i < videos.size(); i++) {
            form.file("video" + (i + 1), actions.get(i) + ".mp4", "video/mp4", videos.get(i));
        }
        JsonObject verified = json(p.postMultipart(WEB + "/liveness/verify", p.clientKeyA, form), 200);
        assertThat(verified.getAsJsonObject("data").get("passed").getAsBoolean()).isTrue();
    }

    private JsonObject webStatus(String profile) {
        return json(p.call("GET", WEB + "/status/" + profile, p.clientKeyA, null), 200).getAsJsonObject("data")
                .getAsJsonObject("status");
    }

    private JsonObject submission(String id) {
        return json(p.call("GET", "/v2/submission?submission_id=" + id, p.clientKeyA, null), 200)
                .getAsJsonArray("Items").get(0).getAsJsonObject();
    }

    private static JsonObject json(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return TestProduct.json(r);
    }

    private static List<String> retryCodes(JsonObject answer) {
        List<String> codes = new ArrayList<>();
        answer.getAsJsonArray("retry").forEach(r -> codes.add(r.getAsJsonObject().get("retryCode").getAsString()));
        return codes;
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    /** The internal id of a case: the key every derived table refers to. */
    private long internalId(String publicId) {
        return p.product.server().database().read(s -> {
            try (PreparedStatement st = s.getConnection().prepareStatement(
                    "SELECT id FROM kyc_cases WHERE public_id = ?")) {
                st.setString(1, publicId);
                try (ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    return rs.getLong(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** "table: n" for the case row and each table with a case_id column that holds rows of the case. */
    private List<String> rowsOf(long caseId) {
        return p.product.server().database().read(s -> {
            List<String> left = new ArrayList<>();
            try {
                Connection c = s.getConnection();
                List<String> tables = new ArrayList<>();
                try (PreparedStatement st = c.prepareStatement("SELECT table_name FROM information_schema.columns"
                        + " WHERE table_schema = DATABASE() AND column_name = 'case_id'");
                        ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                assertThat(tables).contains("kyc_images", "kyc_attempts", "kyc_face_embeddings", "liveness_results");
                for (String t : tables) {
                    count(c, "SELECT COUNT(*) FROM " + t + " WHERE case_id = ?", caseId).ifPresent(n -> left.add(t
                            + ": " + n));
                }
                count(c, "SELECT COUNT(*) FROM kyc_cases WHERE id = ?", caseId).ifPresent(n -> left.add(
                        "kyc_cases: " + n));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return left;
        });
    }

    private static java.util.Optional<Long> count(Connection c, String sql, long caseId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, caseId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0 ? java.util.Optional.of(rs.getLong(1)) : java.util.Optional.empty();
            }
        }
    }
}
