package org.openkyc.launcher;

import static org.openkyc.launcher.ConsoleBrowser.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.GetProfileDetailRequest;
import org.openkyc.api.kyc.v1.GetProfileDetailResponse;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.UpdateStatusRequest;
import org.openkyc.api.kyc.v1.UpdateStatusResponse;
import org.openkyc.launcher.People.Person;
import org.openkyc.server.liveness.ChallengeAction;
import org.openkyc.server.storage.WebhookMapper;

/**
 * What a reviewer sees and decides on the case page beyond approve and reject: a request for resubmission as its
 * own decision (REST, gRPC, the audit trail, the webhook event, and the user's journey that submits again), the
 * fields a submission's document was read with beside those its user confirmed, the portrait the face match
 * compared, and liveness action by action with the timestamps of its deciding frames; then all of it in a real
 * browser (console/e2e/case-e2e.mjs with Debian's Chromium), whose case-page screenshot lands in
 * target/console-screenshots/case-review.png.
 */
class CaseReviewIT {

    private static final Path SHOTS = ConsoleBrowser.SHOTS;
    private static final String WEB = "/api/web/kycService";
    /** A date of issue the synthetic passports do not print: the user supplies it, so it differs from the reading. */
    private static final String ISSUED = "2020-03-02";

    private static TestProduct p;

    @BeforeAll
    static void start() {
        // Every case waits for a reviewer; webhook endpoints may point to a local port nothing listens on, so
        // events are recorded (and can be read back) without leaving the machine.
        p = TestProduct.start("case-review", Map.of("OPENKYC_AUTO_APPROVE", "false",
                "OPENKYC_WEBHOOK_URL_HOSTS", "localhost:9"));
    }

    @AfterAll
    static void stop() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void restARequestForResubmissionSendsTheCaseBackToItsUserWhoSubmitsAgain() {
        String hook = registerWebhook();
        Person who = People.person("HALVORSEN", "INGRID", "NH4455661", LocalDate.of(1990, 2, 17));
        String id = journey(who, "rest-" + UUID.randomUUID().toString().substring(0, 8));
        JsonObject before = detail(id);
        String updatedAt = before.getAsJsonObject("profile").get("updatedAt").getAsString();

        HttpResponse<String> r = p.call("POST", "/admin/kyc/update-status", p.adminKeyA, "{\"profileId\":\"" + id
                + "\",\"status\":1,\"remark\":\"Glare on the photo page: send a new photo\","
                + "\"expectedUpdatedAt\":\"" + updatedAt + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject answer = TestProduct.json(r);
        assertThat(answer.get("code").getAsInt()).isZero();
        JsonObject data = answer.getAsJsonObject("data");
        assertThat(data.get("fromStatus").getAsString()).isEqualTo("pending");
        assertThat(data.get("toStatus").getAsString()).isEqualTo("incomplete");
        assertThat(data.get("decision").getAsString()).isEqualTo("resubmission_requested");

        // The audit entry names the decision; the status says why the case waits.
        JsonObject after = detail(id);
        JsonArray history = after.getAsJsonArray("history");
        JsonObject last = history.get(history.size() - 1).getAsJsonObject();
        assertThat(last.get("toStatus").getAsString()).isEqualTo("incomplete");
        assertThat(last.get("decision").getAsString()).isEqualTo("resubmission_requested");
        assertThat(last.get("remark").getAsString()).isEqualTo("Glare on the photo page: send a new photo");
        assertThat(strings(after.getAsJsonObject("status").getAsJsonArray("reviewReasons")))
                .containsExactly("resubmission_requested");

        // The submissions API shows the same case: incomplete, with the code and the remark.
        JsonObject kyc = submission(id).getAsJsonObject("kyc");
        assertThat(kyc.get("result").getAsString()).isEqualTo("incomplete");
        assertThat(strings(kyc.getAsJsonArray("commentCode"))).containsExactly("resubmission_requested");
        assertThat(strings(kyc.getAsJsonArray("comment"))).containsExactly("Glare on the photo page: send a new photo");

        // The webhook event says so too.
        assertThat(webhookBodies(hook)).anySatisfy(b -> assertThat(b)
                .contains("\"profileId\":\"" + id + "\"").contains("\"oldStatus\":\"pending\"")
                .contains("\"newStatus\":\"incomplete\"").contains("\"decision\":\"resubmission_requested\""));

        // Asking again while the case waits for its user is refused.
        HttpResponse<String> again = p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                "{\"profileId\":\"" + id + "\",\"status\":1,\"remark\":\"again\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(again.body()).contains("already incomplete");

        // The user submits again (step 2), with the attempts counted afresh; the case waits for a reviewer.
        HttpResponse<String> step2 = step2(id, who);
        assertThat(step2.statusCode()).as(step2.body()).isEqualTo(200);
        JsonObject s2 = TestProduct.json(step2);
        assertThat(s2.get("kycStatus").getAsString()).isEqualTo("pending");
        assertThat(s2.get("retryCount").getAsInt()).isZero();
        assertThat(submission(id).getAsJsonObject("kyc").getAsJsonArray("attempts")).hasSize(2);

        // Old callers keep working: reject is still -1, and an unknown code names the valid ones.
        HttpResponse<String> reject = p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                "{\"profileId\":\"" + id + "\",\"status\":-1,\"remark\":\"Document expired\"}");
        assertThat(reject.statusCode()).as(reject.body()).isEqualTo(200);
        assertThat(TestProduct.json(reject).getAsJsonObject("data").get("decision").getAsString()).isEqualTo("rejected");
        HttpResponse<String> unknown = p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                "{\"profileId\":\"" + id + "\",\"status\":3}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("1 (request resubmission)");
    }

    @Test
    void grpcARequestForResubmissionIsItsOwnDecisionInTheAnswerAndTheHistory() {
        Person who = People.person("MBEKI", "THANDO", "NM2233114", LocalDate.of(1982, 9, 30));
        String id = journey(who, "grpc-" + UUID.randomUUID().toString().substring(0, 8));
        KycAdminServiceGrpc.KycAdminServiceBlockingStub admin = p.withKey(KycAdminServiceGrpc.newBlockingStub(p.channel),
                p.adminKeyA).withDeadlineAfter(60, TimeUnit.SECONDS);

        UpdateStatusResponse changed = admin.updateStatus(UpdateStatusRequest.newBuilder().setProfileId(id)
                .setStatus(1).setRemark("The selfie is too dark").build());
        assertThat(changed.getFromStatus()).isEqualTo("pending");
        assertThat(changed.getToStatus()).isEqualTo("incomplete");
        assertThat(changed.getDecision()).isEqualTo("resubmission_requested");

        GetProfileDetailResponse d = admin.getProfileDetail(GetProfileDetailRequest.newBuilder().setProfileId(id).build());
        var last = d.getHistory(d.getHistoryCount() - 1);
        assertThat(last.getDecision()).isEqualTo("resubmission_requested");
        assertThat(last.getRemark()).isEqualTo("The selfie is too dark");
        assertThat(d.getStatus().getOverallStatus()).isEqualTo("incomplete");
        assertThat(d.getStatus().getReviewReasonsList()).containsExactly("resubmission_requested");
        // The changes the journey made itself carry no reviewer decision.
        assertThat(d.getHistory(0).hasDecision()).isFalse();
        // The submission's document: read beside confirmed, as the REST detail shows it.
        assertThat(d.getDocumentsList()).anySatisfy(doc -> {
            assertThat(doc.getSource()).isEqualTo("submission");
            assertThat(doc.getOcrFields().getName()).isEqualTo(who.name());
            assertThat(doc.getConfirmedFields().getIssueDate()).isEqualTo(ISSUED);
        });

        assertThatThrownBy(() -> admin.updateStatus(UpdateStatusRequest.newBuilder().setProfileId(id).setStatus(1)
                .setRemark("again").build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    }

    @Test
    void theDetailShowsASubmissionsFieldsReadBesideConfirmedAndServesTheComparedPortraitOnly() throws IOException {
        Person who = People.person("OYELARAN", "FOLAKE", "NO9988776", LocalDate.of(1987, 6, 4));
        String id = journey(who, "fields-" + UUID.randomUUID().toString().substring(0, 8));
        JsonObject d = detail(id);

        JsonObject doc = null;
        for (JsonElement e : d.getAsJsonArray("documents")) {
            if ("submission".equals(e.getAsJsonObject().get("source").getAsString())) {
                doc = e.getAsJsonObject();
            }
        }
        assertThat(doc).as("the submission's document in " + d).isNotNull();
        assertThat(doc.get("docType").getAsString()).isEqualTo("PASSPORT");
        assertThat(doc.get("mrzStatus").getAsString()).isEqualTo("VALID");
        JsonObject read = doc.getAsJsonObject("ocrFields");
        JsonObject confirmed = doc.getAsJsonObject("confirmedFields");
        assertThat(read.get("name").getAsString()).isEqualTo(who.name());
        assertThat(read.get("birthDate").getAsString()).isEqualTo(who.id().birth().toString());
        assertThat(read.has("issueDate")).as("no date of issue is printed on the passport").isFalse();
        assertThat(confirmed.get("name").getAsString()).isEqualTo(who.name());
        assertThat(confirmed.get("issueDate").getAsString()).isEqualTo(ISSUED);
        // A value the user supplied that the document did not give counts as a change.
        assertThat(doc.get("userModified").getAsBoolean()).isTrue();
        assertThat(read.get("docNumber").getAsString()).doesNotContain(who.id().number()).contains("*");

        // The portrait the face match compared: a JPEG crop of the face, much smaller than the document page.
        assertThat(d.get("portraitAvailable").getAsBoolean()).isTrue();
        HttpResponse<byte[]> portrait = image(id, "portraitImage");
        assertThat(portrait.statusCode()).isEqualTo(200);
        assertThat(portrait.headers().firstValue("content-type").orElseThrow()).startsWith("image/jpeg");
        BufferedImage crop = ImageIO.read(new ByteArrayInputStream(portrait.body()));
        BufferedImage page = ImageIO.read(new ByteArrayInputStream(image(id, "idImage").body()));
        assertThat(crop.getWidth()).isLessThan(page.getWidth() / 2);
        assertThat(crop.getHeight()).isLessThan(page.getHeight());

        // A case whose faces were never compared offers no portrait.
        String bare = p.createProfile(p.clientKeyA, "bare-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(detail(bare).get("portraitAvailable").getAsBoolean()).isFalse();
        assertThat(image(bare, "portraitImage").statusCode()).isEqualTo(404);
        assertThat(image(id, "wholeImage").statusCode()).isEqualTo(400);
    }

    @Test
    void aReviewerSeesTheEvidenceAndRequestsResubmissionInTheBrowser() throws Exception {
        Person who = People.person("SOLBERG", "MAREN", "NS5566778", LocalDate.of(1993, 11, 8));
        String userId = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        String id = step1(who, userId);
        List<ChallengeAction> actions = passLiveness(id);
        HttpResponse<String> s2 = step2(id, who);
        assertThat(s2.statusCode()).as(s2.body()).isEqualTo(200);
        assertThat(TestProduct.json(s2).get("kycStatus").getAsString()).isEqualTo("pending");

        // Over the API first: the liveness check action by action, with the frames that decided each.
        JsonObject check = detail(id).getAsJsonObject("liveness");
        assertThat(check.get("result").getAsString()).isEqualTo("success");
        JsonArray list = check.getAsJsonArray("actions");
        assertThat(list).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonObject a = list.get(i).getAsJsonObject();
            assertThat(a.get("action").getAsString()).isEqualTo(actions.get(i).name());
            assertThat(a.get("passed").getAsBoolean()).isTrue();
            assertThat(a.getAsJsonArray("decidingFramesMs")).isNotEmpty()
                    .allSatisfy(ms -> assertThat(ms.getAsInt()).isBetween(0, 10_000));
        }

        JsonObject seen = ConsoleBrowser.run("case-e2e.mjs", Map.of(
                "CONSOLE_URL", p.url("/console/"),
                "CONSOLE_ADMIN_KEY", p.adminKeyA,
                "CONSOLE_CASE_ID", id,
                "CONSOLE_OUT_DIR", SHOTS.toString()));

        // The compared portrait stands beside the selfie, with the score and its threshold.
        List<String> images = new ArrayList<>();
        for (JsonElement i : seen.getAsJsonArray("images")) {
            assertThat(i.getAsJsonObject().get("width").getAsInt()).as(i.toString()).isPositive();
            images.add(i.getAsJsonObject().get("alt").getAsString());
        }
        assertThat(images).contains("Portrait cut from the document", "Selfie", "Document front");
        assertThat(seen.get("faceScore").getAsString()).matches("\\d+\\.\\d");
        assertThat(seen.get("faceThreshold").getAsString()).matches("\\d+\\.\\d");
        // Each liveness action with its result and the timestamps of its deciding frames.
        List<String> rows = strings(seen.getAsJsonArray("livenessRows"));
        assertThat(rows).hasSize(3);
        assertThat(rows).allSatisfy(row -> assertThat(row).contains("passed").containsPattern("\\d+ ms"));
        // The submission's fields: read beside confirmed, the supplied date of issue marked as differing.
        assertThat(seen.get("differingFields").getAsString()).containsIgnoringCase("Issue date");
        assertThat(seen.get("submissionDocument").getAsInt()).isEqualTo(1);

        // Request resubmission: its own decision, in the notice, the status and the audit trail.
        assertThat(seen.get("decisionNotice").getAsString()).contains("resubmission requested")
                .contains("pending").contains("incomplete");
        assertThat(seen.get("caseStatus").getAsString()).isEqualTo("incomplete");
        assertThat(seen.get("waitingBecause").getAsString()).contains("resubmission requested");
        assertThat(String.join("\n", strings(seen.getAsJsonArray("auditRows"))))
                .contains("resubmission requested").contains("Please photograph the passport again");

        assertThat(strings(seen.getAsJsonArray("csp"))).isEmpty();
        JsonObject axe = seen.getAsJsonObject("axe");
        assertThat(axe.keySet()).contains("case", "case-decided");
        for (String page : axe.keySet()) {
            for (JsonElement v : axe.getAsJsonArray(page)) {
                assertThat(v.getAsJsonObject().get("impact").getAsString())
                        .as(page + ": " + v).isNotIn("serious", "critical");
            }
        }
        assertThat(seen.get("tabletOverflow").getAsBoolean()).as("the case page fits a tablet's width").isFalse();
        assertThat(SHOTS.resolve("case-review.png")).isNotEmptyFile();
        // The same through the API: the case waits for its user.
        assertThat(detail(id).getAsJsonObject("profile").get("status").getAsString()).isEqualTo("incomplete");
        if (Boolean.getBoolean("openkyc.console.screenshots.write")) {
            Files.copy(SHOTS.resolve("case-review.png"), Path.of("..", "docs", "console-case.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ------------------------------------------------------------------------------------ helpers

    private static String journey(Person who, String userId) {
        String id = step1(who, userId);
        HttpResponse<String> r2 = step2(id, who);
        assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
        assertThat(TestProduct.json(r2).get("kycStatus").getAsString()).isEqualTo("pending");
        return id;
    }

    private static String step1(Person who, String userId) {
        HttpResponse<String> r1 = p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "NLD").text("idType", "passport").text("userid", userId)
                .text("email", "r" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                .file("idImage", "passport.png", "image/png", who.passport()));
        assertThat(r1.statusCode()).as(r1.body()).isEqualTo(200);
        return TestProduct.json(r1).get("submissionId").getAsString();
    }

    /** Step 2 with the fields of the passport and a date of issue the passport does not print. */
    private static HttpResponse<String> step2(String id, Person who) {
        return p.postMultipart("/v2/submission/step2", p.clientKeyA, new Multipart()
                .text("submissionId", id)
                .file("faceImage", "selfie", "image/png", People.ASTRONAUT)
                .text("name", who.name()).text("date_of_birth", who.id().birth().toString())
                .text("gender", who.gender()).text("nationality", who.id().nationality())
                .text("date_of_issue", ISSUED));
    }

    /** A challenge-video liveness check by the document holder, passed; returns the session's actions. */
    private static List<ChallengeAction> passLiveness(String id) {
        HttpResponse<String> r = p.call("POST", WEB + "/liveness/start?profileId=" + id, p.clientKeyA, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject data = TestProduct.json(r).getAsJsonObject("data");
        List<ChallengeAction> actions = new ArrayList<>();
        for (JsonElement a : data.getAsJsonArray("actions")) {
            actions.add(ChallengeAction.valueOf(a.getAsString()));
        }
        List<byte[]> videos = People.videos("astronaut", actions);
        Multipart form = new Multipart().text("sessionId", data.get("sessionId").getAsString()).text("profileId", id);
        for (int i = 0; i < videos.size(); i++) {
            form.file("video" + (i + 1), "v" + (i + 1) + ".mp4", "video/mp4", videos.get(i));
        }
        HttpResponse<String> v = p.postMultipart(WEB + "/liveness/verify", p.clientKeyA, form);
        assertThat(v.statusCode()).as(v.body()).isEqualTo(200);
        return actions;
    }

    private static JsonObject detail(String id) {
        HttpResponse<String> r = p.call("GET", "/admin/kyc/detail/" + id, p.adminKeyA, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestProduct.json(r).getAsJsonObject("data");
    }

    private static JsonObject submission(String id) {
        HttpResponse<String> r = p.call("GET", "/v2/submission?submission_id=" + id, p.clientKeyA, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestProduct.json(r).getAsJsonArray("Items").get(0).getAsJsonObject();
    }

    private static HttpResponse<byte[]> image(String id, String type) {
        return p.send(HttpRequest.newBuilder(URI.create(p.url("/v2/image?submission_id=" + id + "&type=" + type)))
                .timeout(Duration.ofSeconds(60)).header("x-api-key", p.clientKeyA).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Registers a case-status webhook for the tenant; returns its id. */
    private static String registerWebhook() {
        HttpResponse<String> r = p.call("POST", "/admin/kyc/webhooks", p.adminKeyA,
                "{\"url\":\"https://localhost:9/hooks/" + UUID.randomUUID() + "\","
                + "\"eventTypes\":[\"kyc.case.status_changed\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestProduct.json(r).getAsJsonObject("data").getAsJsonObject("webhook").get("webhookId").getAsString();
    }

    /** The bodies of the events queued for a webhook, as they are sent. */
    private static List<String> webhookBodies(String webhookId) {
        long tenant = p.product.server().tenants().ensureTenant("acme");
        return p.product.server().database().read(s -> {
            WebhookMapper m = s.getMapper(WebhookMapper.class);
            WebhookMapper.EndpointRow e = m.endpoint(tenant, webhookId);
            return m.deliveries(e.id, 100, 0).stream().map(d -> d.body).toList();
        });
    }
}
