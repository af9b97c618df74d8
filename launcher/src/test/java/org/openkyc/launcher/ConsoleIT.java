package org.openkyc.launcher;

import static org.openkyc.launcher.ConsoleBrowser.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.launcher.People.Person;
import org.openkyc.server.auth.Role;
import org.openkyc.api.screening.v1.Decision;
import org.openkyc.api.screening.v1.ScreenRequest;
import org.openkyc.api.screening.v1.ScreeningServiceGrpc;
import org.openkyc.api.screening.v1.SubjectKind;

/**
 * The reviewer console in a real browser: Debian's Chromium driven by Playwright (console/e2e/console-e2e.mjs,
 * run with the machine's Node) against the real HTTPS gateway, on a case created by a real journey (passport,
 * selfie, screening) that waits for a reviewer. Screenshots land in target/console-screenshots.
 */
class ConsoleIT {

    private static final Path SHOTS = ConsoleBrowser.SHOTS;

    private static TestProduct p;

    @BeforeAll
    static void start() {
        // Every case waits for a reviewer, as in a team that reviews everything.
        p = TestProduct.start("console", Map.of("OPENKYC_AUTO_APPROVE", "false"));
    }

    @AfterAll
    static void stop() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void aReviewerDecidesACaseInTheBrowser() throws Exception {
        String userId = "console-" + UUID.randomUUID().toString().substring(0, 8);
        String caseId = journey(userId);
        String secondAdmin = p.product.server().tenants().issueKey("acme", Role.ADMIN, "second reviewer").secret();

        JsonObject seen = ConsoleBrowser.run("console-e2e.mjs", Map.of(
                "CONSOLE_URL", p.url("/console/"),
                "CONSOLE_ADMIN_KEY", p.adminKeyA,
                "CONSOLE_SECOND_ADMIN_KEY", secondAdmin,
                "CONSOLE_CLIENT_KEY", p.clientKeyA,
                "CONSOLE_CASE_ID", caseId,
                "CONSOLE_USER_ID", userId,
                "CONSOLE_OUT_DIR", SHOTS.toString()));

        // A client key is refused at sign-in, and says why.
        assertThat(seen.get("clientKeyMessage").getAsString()).contains("needs an admin key");
        // The session cookie: HttpOnly, Secure, SameSite=Strict, only for /console; the key is nowhere in the page.
        JsonObject cookie = seen.getAsJsonArray("cookies").get(0).getAsJsonObject();
        assertThat(cookie.get("name").getAsString()).isEqualTo("okyc_console");
        assertThat(cookie.get("path").getAsString()).isEqualTo("/console");
        assertThat(cookie.get("httpOnly").getAsBoolean()).isTrue();
        assertThat(cookie.get("secure").getAsBoolean()).isTrue();
        assertThat(cookie.get("sameSite").getAsString()).isEqualTo("Strict");
        assertThat(seen.get("keyInStorage").getAsBoolean()).isFalse();
        assertThat(seen.get("keyInUrl").getAsBoolean()).isFalse();

        // The queue filtered by status and user id holds the case.
        assertThat(seen.get("queueRows").getAsInt()).isEqualTo(1);
        assertThat(Integer.parseInt(seen.get("pendingCount").getAsString())).isEqualTo(1);

        // The case page: document and selfie images, scores with their thresholds, screening and its report.
        List<String> images = new ArrayList<>();
        for (JsonElement i : seen.getAsJsonArray("images")) {
            assertThat(i.getAsJsonObject().get("width").getAsInt()).isPositive();
            images.add(i.getAsJsonObject().get("alt").getAsString());
        }
        assertThat(images).contains("Document front", "Selfie");
        assertThat(seen.get("faceThreshold").getAsString()).matches("\\d+\\.\\d");
        assertThat(seen.get("faceScore").getAsString()).matches("\\d+\\.\\d");
        // The attempt of the journey, with its face similarity and liveness scores.
        assertThat(strings(seen.getAsJsonArray("attempts"))).singleElement().asString().contains("success");
        assertThat(seen.get("screeningResult").getAsString()).isEqualTo("clear");
        assertThat(seen.get("reportLink").getAsInt()).isEqualTo(1);

        // Approved with a remark; the audit trail shows who, from, to and the remark.
        assertThat(seen.get("decisionNotice").getAsString()).contains("pending").contains("approved");
        assertThat(seen.get("caseStatus").getAsString()).isEqualTo("approved");
        assertThat(String.join("\n", strings(seen.getAsJsonArray("auditRows"))))
                .contains("Portrait and selfie match; documents in order").contains("approved");

        // The second reviewer decided on the case as it was before the approval: refused, clearly.
        assertThat(seen.get("staleMessage").getAsString()).contains("changed since it was read");

        // Signed out: the session is gone on the gateway.
        assertThat(seen.get("afterSignOut").getAsInt()).isEqualTo(401);

        // No Content-Security-Policy violation, no serious accessibility violation on any page.
        assertThat(strings(seen.getAsJsonArray("csp"))).isEmpty();
        JsonObject axe = seen.getAsJsonObject("axe");
        assertThat(axe.keySet()).contains("signin", "queue", "case");
        for (String page : axe.keySet()) {
            for (JsonElement v : axe.getAsJsonArray(page)) {
                assertThat(v.getAsJsonObject().get("impact").getAsString())
                        .as(page + ": " + v).isNotIn("serious", "critical");
            }
        }
        assertThat(seen.get("tabletOverflow").getAsBoolean()).as("the case page fits a tablet's width").isFalse();
        assertThat(SHOTS.resolve("queue.png")).isNotEmptyFile();
        assertThat(SHOTS.resolve("case.png")).isNotEmptyFile();

        // Nothing changed the decision the second reviewer tried: the case stays approved through the API too.
        JsonObject detail = TestProduct.json(p.call("GET", "/admin/kyc/detail/" + caseId, p.adminKeyA, null));
        assertThat(detail.getAsJsonObject("data").getAsJsonObject("profile").get("status").getAsString())
                .isEqualTo("approved");
    }

    @Test
    void theConsoleIsServedWithItsSecurityAndCacheHeaders() {
        HttpResponse<String> index = get("/console/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-security-policy").orElseThrow())
                .contains("default-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(index.headers().firstValue("cache-control").orElseThrow()).isEqualTo("no-cache");
        String asset = index.body().replaceAll("(?s).*src=\"(/console/assets/[^\"]+\\.js)\".*", "$1");
        HttpResponse<String> script = get(asset);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("cache-control").orElseThrow()).contains("immutable");

        // Without a session, the console API answers 401; a state-changing call without the CSRF token, 403.
        assertThat(p.call("POST", "/console/api/cases", null, "{}").statusCode()).isEqualTo(401);
        HttpResponse<String> signIn = p.call("POST", "/console/api/session", null,
                "{\"apiKey\":\"" + p.adminKeyA + "\"}");
        assertThat(signIn.statusCode()).isEqualTo(200);
        String cookie = signIn.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> noCsrf = p.send(HttpRequest.newBuilder(URI.create(p.url("/console/api/cases")))
                .header("cookie", cookie).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(noCsrf.body()).contains("CSRF");
    }

    @Test
    void theAdminListFiltersAndCountsAndAStaleUpdateIsRefused() {
        String userId = "filter-" + UUID.randomUUID().toString().substring(0, 8);
        String id = p.createProfile(p.clientKeyA, userId);
        JsonObject page = TestProduct.json(p.call("POST", "/admin/kyc/list", p.adminKeyA,
                "{\"status\":\"incomplete\",\"userId\":\"" + userId + "\",\"oldestFirst\":true}"))
                .getAsJsonObject("data");
        assertThat(page.get("total").getAsInt()).isEqualTo(1);
        assertThat(page.getAsJsonArray("list").get(0).getAsJsonObject().get("profileId").getAsString()).isEqualTo(id);
        assertThat(page.getAsJsonObject("statusCounts").get("incomplete").getAsString()).isEqualTo("1");
        assertThat(page.getAsJsonObject("statusCounts").get("approved").getAsString()).isEqualTo("0");
        String updatedAt = page.getAsJsonArray("list").get(0).getAsJsonObject().get("updatedAt").getAsString();

        // A decision based on an older version of the profile is refused; one based on the current one passes.
        HttpResponse<String> stale = p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                "{\"profileId\":\"" + id + "\",\"status\":-1,\"remark\":\"x\","
                + "\"expectedUpdatedAt\":\"2020-01-01T00:00:00.000Z\"}");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("changed since it was read");
        HttpResponse<String> current = p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                "{\"profileId\":\"" + id + "\",\"status\":-1,\"remark\":\"no documents\","
                + "\"expectedUpdatedAt\":\"" + updatedAt + "\"}");
        assertThat(current.statusCode()).as(current.body()).isEqualTo(200);
        assertThat(TestProduct.json(p.call("POST", "/admin/kyc/list", p.adminKeyA, "{\"status\":\"nonsense\"}"))
                .toString()).contains("status must be");
    }

    private static HttpResponse<String> get(String path) {
        return p.send(HttpRequest.newBuilder(URI.create(p.url(path))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Passport and selfie through the submissions API; the case then waits for a reviewer. */
    private static String journey(String userId) {
        Person who = People.person("LINDQVIST", "ASTRID", "JX7788990", LocalDate.of(1984, 5, 12));
        HttpResponse<String> r1 = p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "NLD").text("idType", "passport").text("userid", userId)
                .text("email", "c" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                .file("idImage", "passport.png", "image/png", who.passport()));
        assertThat(r1.statusCode()).as(r1.body()).isEqualTo(200);
        String id = TestProduct.json(r1).get("submissionId").getAsString();
        HttpResponse<String> r2 = p.postMultipart("/v2/submission/step2", p.clientKeyA, new Multipart()
                .text("submissionId", id)
                .file("faceImage", "selfie", "image/png", People.ASTRONAUT)
                .text("name", who.name()).text("date_of_birth", who.id().birth().toString())
                .text("gender", who.gender()).text("nationality", who.id().nationality()));
        assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
        assertThat(TestProduct.json(r2).get("kycStatus").getAsString()).isEqualTo("pending");
        return id;
    }

    @Test
    void theQueueFiltersByUnmetRuleAndScreeningResultAndPagesByCursor() {
        String user = "queue-" + UUID.randomUUID().toString().substring(0, 8);
        String never = p.createProfile(p.clientKeyA, user);
        String rejected = p.createProfile(p.clientKeyA, user);
        String clear = p.createProfile(p.clientKeyA, user);
        String hit = p.createProfile(p.clientKeyA, user);
        assertThat(p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                "{\"profileId\":\"" + rejected + "\",\"status\":-1,\"remark\":\"no documents\"}").statusCode())
                .isEqualTo(200);
        var screening = p.withKey(ScreeningServiceGrpc.newBlockingStub(p.channel), p.clientKeyA);
        assertThat(screening.screen(ScreenRequest.newBuilder().setKind(SubjectKind.SUBJECT_KIND_PERSON)
                .setName("Astrid Lindqvist").setNationality("NL").setCaseId(clear).build()).getScreening()
                .getDecision()).isEqualTo(Decision.DECISION_CLEAR);
        assertThat(screening.screen(ScreenRequest.newBuilder().setKind(SubjectKind.SUBJECT_KIND_PERSON)
                .setName("김정은").addAliases("Kim Jong-un").setNationality("KP").setCaseId(hit).build())
                .getScreening().getDecision()).isEqualTo(Decision.DECISION_HIT);

        // By unmet rule: the reviewer's rejection is the one reason that case carries.
        JsonObject byRule = queue(user, "\"unmetRule\":\"rejected_by_reviewer\"");
        assertThat(ids(byRule)).containsExactly(rejected);
        assertThat(byRule.getAsJsonObject("statusCounts").get("rejected").getAsLong()).isEqualTo(1);
        assertThat(byRule.getAsJsonObject("statusCounts").get("incomplete").getAsLong()).isZero();
        assertThat(ids(queue(user, "\"unmetRule\":\"face_similarity_low\""))).isEmpty();
        // By screening result, and both together.
        assertThat(ids(queue(user, "\"screening\":\"none\""))).containsExactly(rejected, never);
        assertThat(ids(queue(user, "\"screening\":\"clear\""))).containsExactly(clear);
        assertThat(ids(queue(user, "\"screening\":\"hit\""))).containsExactly(hit);
        assertThat(ids(queue(user, "\"screening\":\"pending\""))).isEmpty();
        assertThat(ids(queue(user, "\"screening\":\"none\",\"unmetRule\":\"rejected_by_reviewer\","
                + "\"status\":\"rejected\""))).containsExactly(rejected);
        // Approved, the case no longer waits for anything.
        assertThat(p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                "{\"profileId\":\"" + rejected + "\",\"status\":2,\"remark\":\"documents came\"}").statusCode())
                .isEqualTo(200);
        assertThat(ids(queue(user, "\"unmetRule\":\"rejected_by_reviewer\""))).isEmpty();

        // Keyset paging, newest first then oldest first: every case once, in order, the last page without cursor.
        for (boolean oldest : new boolean[] {false, true}) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            for (int pageNo = 0; pageNo < 10; pageNo++) {
                JsonObject page = queue(user, "\"limit\":1,\"oldestFirst\":" + oldest
                        + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\""));
                assertThat(page.get("total").getAsInt()).isEqualTo(4);
                seen.addAll(ids(page));
                // Empty on the last page (answers carry every field, empty ones too).
                cursor = page.has("nextCursor") ? page.get("nextCursor").getAsString() : "";
                if (cursor.isEmpty()) {
                    break;
                }
            }
            assertThat(seen).as("oldest first: " + oldest)
                    .containsExactlyElementsOf(oldest ? List.of(never, rejected, clear, hit)
                            : List.of(hit, clear, rejected, never));
        }
        // The same over gRPC: the cursor of one answer is the next page of the other.
        var admin = p.withKey(org.openkyc.api.kyc.v1.KycAdminServiceGrpc.newBlockingStub(p.channel), p.adminKeyA);
        var first = admin.listProfiles(org.openkyc.api.kyc.v1.ListProfilesRequest.newBuilder().setUserId(user)
                .setLimit(2).setScreening("none").build());
        assertThat(first.getListList()).extracting(s -> s.getProfileId()).containsExactly(rejected, never);
        assertThat(first.getNextCursor()).isEmpty();
        assertThat(first.getCountedAt()).endsWith("Z");
        var two = admin.listProfiles(org.openkyc.api.kyc.v1.ListProfilesRequest.newBuilder().setUserId(user)
                .setLimit(2).build());
        var rest = queue(user, "\"limit\":2,\"cursor\":\"" + two.getNextCursor() + "\"");
        assertThat(ids(rest)).containsExactly(rejected, never);

        // What a caller gets wrong is refused, naming the field.
        for (String bad : List.of("\"screening\":\"maybe\"", "\"unmetRule\":\"no such rule!\"",
                "\"cursor\":\"not-a-cursor\"", "\"oldestFirst\":true,\"cursor\":\"" + two.getNextCursor() + "\"")) {
            HttpResponse<String> r = p.call("POST", "/admin/kyc/list", p.adminKeyA,
                    "{\"userId\":\"" + user + "\"," + bad + "}");
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).containsAnyOf("screening must be", "unmetRule must be", "cursor");
        }
    }

    @Test
    void aReviewerFiltersTheQueueByReasonAndScreeningAndPagesThroughItInTheBrowser() throws Exception {
        String user = "pages-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            created.add(p.createProfile(p.clientKeyA, user));
        }
        for (String id : created.subList(3, 5)) {
            assertThat(p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                    "{\"profileId\":\"" + id + "\",\"status\":-1,\"remark\":\"blurred\"}").statusCode())
                    .isEqualTo(200);
        }
        JsonObject seen = ConsoleBrowser.run("queue-e2e.mjs", Map.of(
                "CONSOLE_URL", p.url("/console/"),
                "CONSOLE_ADMIN_KEY", p.adminKeyA,
                "CONSOLE_USER_ID", user,
                "CONSOLE_OUT_DIR", SHOTS.toString()));

        // Labelled filters by reason and screening result.
        assertThat(strings(seen.getAsJsonArray("ruleOptions"))).contains("Any reason", "Face similarity under threshold",
                "Rejected by a reviewer");
        assertThat(strings(seen.getAsJsonArray("screeningOptions")))
                .containsExactly("Any result", "Not screened", "Clear", "Possible match", "Match");
        assertThat(seen.get("filteredRows").getAsInt()).isEqualTo(2);
        assertThat(strings(seen.getAsJsonArray("filteredStatuses"))).containsOnly("rejected");
        assertThat(seen.get("rejectedCount").getAsString()).isEqualTo("2");

        // Oldest first (the console's order): 20 cases, then the last one; back again to the same 20.
        List<String> page1 = strings(seen.getAsJsonArray("page1"));
        assertThat(page1).containsExactlyElementsOf(created.subList(0, 20));
        assertThat(strings(seen.getAsJsonArray("page2"))).containsExactly(created.get(20));
        assertThat(strings(seen.getAsJsonArray("page1Again"))).isEqualTo(page1);
        assertThat(seen.get("nextDisabledOnLast").getAsBoolean()).isTrue();
        assertThat(seen.get("previousDisabledOnFirst").getAsBoolean()).isTrue();
        assertThat(seen.get("countedAt").getAsString()).startsWith("Counted at ");
        for (String page : seen.getAsJsonObject("axe").keySet()) {
            for (JsonElement v : seen.getAsJsonObject("axe").getAsJsonArray(page)) {
                assertThat(v.getAsJsonObject().get("impact").getAsString())
                        .as(page + ": " + v).isNotIn("serious", "critical");
            }
        }
    }

    /** The admin list of one user's cases with more fields of the body, as {@code data}. */
    private static JsonObject queue(String user, String more) {
        HttpResponse<String> r = p.call("POST", "/admin/kyc/list", p.adminKeyA,
                "{\"userId\":\"" + user + "\"" + (more.isEmpty() ? "" : "," + more) + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestProduct.json(r).getAsJsonObject("data");
    }

    private static List<String> ids(JsonObject page) {
        List<String> out = new ArrayList<>();
        page.getAsJsonArray("list").forEach(e -> out.add(e.getAsJsonObject().get("profileId").getAsString()));
        return out;
    }
}
