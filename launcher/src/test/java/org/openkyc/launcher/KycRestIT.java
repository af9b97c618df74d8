package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The KYC web and admin API (docs/API.md C1, C3) over HTTPS through the gateway. */
class KycRestIT {

    private final TestProduct p = TestProduct.get();

    private static String uniqueUser() {
        return "user_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void submitCreatesAProfileAndStatusShowsIt() {
        HttpResponse<String> r = p.call("POST", "/api/web/kycService/submit", p.clientKeyA,
                "{\"userId\":\"user_10001\",\"country\":\"SG\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsInt()).isZero();
        assertThat(body.get("message").getAsString()).isEqualTo("success");
        String id = body.getAsJsonObject("data").get("profileId").getAsString();
        assertThat(id).matches("[a-z0-9]{16}");

        HttpResponse<String> s = p.call("GET", "/api/web/kycService/status/" + id, p.clientKeyA, null);
        assertThat(s.statusCode()).isEqualTo(200);
        JsonObject status = TestProduct.json(s).getAsJsonObject("data").getAsJsonObject("status");
        assertThat(status.get("profileId").getAsString()).isEqualTo(id);
        assertThat(status.get("userId").getAsString()).isEqualTo("user_10001");
        assertThat(status.get("overallStatus").getAsString()).isEqualTo("incomplete");
        assertThat(status.get("reviewStatus").getAsInt()).isEqualTo(1);
        assertThat(status.get("createdAt").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(status.has("reviewedAt")).isFalse();
        assertThat(s.headers().map().keySet()).noneMatch(h -> h.startsWith("grpc-"));
    }

    @Test
    void unknownProfileIs404WithWebErrorBody() {
        HttpResponse<String> r = p.call("GET", "/api/web/kycService/status/zzzzzzzzzzzzzzzz", p.clientKeyA, null);
        assertThat(r.statusCode()).isEqualTo(404);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsInt()).isNotZero();
        assertThat(body.get("message").getAsString()).contains("not found");
    }

    @Test
    void missingOrUnknownKeyIs401() {
        HttpResponse<String> none = p.call("POST", "/api/web/kycService/submit", null,
                "{\"userId\":\"u\",\"country\":\"SG\"}");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(TestProduct.json(none).get("code").getAsInt()).isNotZero();
        HttpResponse<String> wrong = p.call("POST", "/api/web/kycService/submit",
                "okyc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "{\"userId\":\"u\",\"country\":\"SG\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(TestProduct.json(wrong).get("code").getAsInt()).isNotZero();
        HttpResponse<String> adminNone = p.call("POST", "/admin/kyc/list", null, "{}");
        assertThat(adminNone.statusCode()).isEqualTo(401);
    }

    @Test
    void clientKeyIsRefusedOnEveryAdminRouteAndMirror() {
        String id = p.createProfile(p.clientKeyA, uniqueUser());
        String update = "{\"profileId\":\"" + id + "\",\"status\":\"2\",\"remark\":\"x\"}";
        for (String[] route : new String[][] {
                {"POST", "/admin/kyc/list", "{}"},
                {"POST", "/api/web/kycService/list", "{}"},
                {"GET", "/admin/kyc/detail/" + id, null},
                {"GET", "/api/web/kycService/detail/" + id, null},
                {"POST", "/admin/kyc/update-status", update},
                {"POST", "/api/web/kycService/status/update", update}}) {
            HttpResponse<String> r = p.call(route[0], route[1], p.clientKeyA, route[2]);
            assertThat(r.statusCode()).as(route[1]).isEqualTo(403);
            assertThat(TestProduct.json(r).get("code").getAsInt()).as(route[1]).isEqualTo(40300);
        }
        // The refused update changed nothing.
        HttpResponse<String> s = p.call("GET", "/api/web/kycService/status/" + id, p.clientKeyA, null);
        assertThat(TestProduct.json(s).getAsJsonObject("data").getAsJsonObject("status")
                .get("overallStatus").getAsString()).isEqualTo("incomplete");
    }

    @Test
    void adminApprovesAndEveryChangeIsAudited() {
        String id = p.createProfile(p.clientKeyA, uniqueUser());
        HttpResponse<String> up = p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                "{\"profileId\":\"" + id + "\",\"status\":\"2\",\"remark\":\"Manual review passed\"}");
        assertThat(up.statusCode()).isEqualTo(200);
        JsonObject upBody = TestProduct.json(up);
        assertThat(upBody.get("code").getAsInt()).isZero();
        assertThat(upBody.getAsJsonObject("data").get("fromStatus").getAsString()).isEqualTo("incomplete");
        assertThat(upBody.getAsJsonObject("data").get("toStatus").getAsString()).isEqualTo("approved");

        // The mirror rejects, with a number status.
        HttpResponse<String> mirror = p.call("POST", "/api/web/kycService/status/update", p.adminKeyA,
                "{\"profileId\":\"" + id + "\",\"status\":-1,\"remark\":\"Document expired\"}");
        assertThat(mirror.statusCode()).isEqualTo(200);

        for (String path : new String[] {"/admin/kyc/detail/", "/api/web/kycService/detail/"}) {
            HttpResponse<String> d = p.call("GET", path + id, p.adminKeyA, null);
            assertThat(d.statusCode()).isEqualTo(200);
            JsonObject data = TestProduct.json(d).getAsJsonObject("data");
            assertThat(data.getAsJsonObject("profile").get("profileId").getAsString()).isEqualTo(id);
            assertThat(data.getAsJsonObject("status").get("overallStatus").getAsString()).isEqualTo("rejected");
            JsonArray history = data.getAsJsonArray("history");
            assertThat(history).hasSize(3);
            JsonObject approve = history.get(1).getAsJsonObject();
            assertThat(approve.get("fromStatus").getAsString()).isEqualTo("incomplete");
            assertThat(approve.get("toStatus").getAsString()).isEqualTo("approved");
            assertThat(approve.get("remark").getAsString()).isEqualTo("Manual review passed");
            assertThat(approve.get("actor").getAsString()).startsWith("key:");
            assertThat(approve.get("changedAt").getAsString()).endsWith("Z");
            JsonObject reject = history.get(2).getAsJsonObject();
            assertThat(reject.get("toStatus").getAsString()).isEqualTo("rejected");
        }

        // The submissions API shows the same case with the reviewer's decision.
        JsonObject item = TestProduct.json(p.call("GET", "/v2/submission?submission_id=" + id, p.clientKeyA, null))
                .getAsJsonArray("Items").get(0).getAsJsonObject();
        assertThat(item.getAsJsonObject("kyc").get("result").getAsString()).isEqualTo("rejected");
        assertThat(item.getAsJsonObject("kyc").getAsJsonArray("comment").get(0).getAsString())
                .isEqualTo("Document expired");
    }

    @Test
    void updateStatusRefusesValuesOutsideTheDocumentedSet() {
        String id = p.createProfile(p.clientKeyA, uniqueUser());
        HttpResponse<String> r = p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                "{\"profileId\":\"" + id + "\",\"status\":\"5\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestProduct.json(r).get("message").getAsString()).contains("status");
        HttpResponse<String> d = p.call("GET", "/admin/kyc/detail/" + id, p.adminKeyA, null);
        assertThat(TestProduct.json(d).getAsJsonObject("data").getAsJsonArray("history")).hasSize(1);
    }

    @Test
    void adminListPagesAndFiltersByProfileIds() {
        String a = p.createProfile(p.clientKeyA, uniqueUser());
        String b = p.createProfile(p.clientKeyA, uniqueUser());
        HttpResponse<String> r = p.call("POST", "/admin/kyc/list", p.adminKeyA,
                "{\"profileIds\":[\"" + a + "\",\"" + b + "\"],\"page\":1,\"limit\":1}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject data = TestProduct.json(r).getAsJsonObject("data");
        assertThat(data.get("total").getAsLong()).isEqualTo(2);
        assertThat(data.getAsJsonArray("list")).hasSize(1);
        assertThat(data.getAsJsonArray("list").get(0).getAsJsonObject().get("profileId").getAsString()).isEqualTo(b);
        JsonObject page2 = TestProduct.json(p.call("POST", "/api/web/kycService/list", p.adminKeyA,
                "{\"profileIds\":[\"" + a + "\",\"" + b + "\"],\"page\":2,\"limit\":1}")).getAsJsonObject("data");
        assertThat(page2.getAsJsonArray("list").get(0).getAsJsonObject().get("profileId").getAsString()).isEqualTo(a);
    }

    @Test
    void badBodiesAre400AndStoreNothing() {
        long before = totalProfiles();
        String[] bodies = {
            "{not json",
            "{\"userId\":{\"a\":1},\"country\":\"SG\"}",
            "{\"userId\":\"u1\"}",
            "{\"userId\":\"u1\",\"country\":\"Singapore\"}",
            "[1,2]"
        };
        for (String body : bodies) {
            HttpResponse<String> r = p.call("POST", "/api/web/kycService/submit", p.clientKeyA, body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            JsonObject err = TestProduct.json(r);
            assertThat(err.get("code").getAsInt()).as(body).isNotZero();
            assertThat(err.get("message").getAsString()).as(body).isNotBlank();
        }
        HttpResponse<String> missing = p.call("POST", "/api/web/kycService/submit", p.clientKeyA, "{\"userId\":\"u1\"}");
        assertThat(TestProduct.json(missing).get("message").getAsString()).contains("country");
        assertThat(totalProfiles()).isEqualTo(before);
    }

    @Test
    void otherTenantCannotSeeOrChangeAProfile() {
        String id = p.createProfile(p.clientKeyA, uniqueUser());
        assertThat(p.call("GET", "/api/web/kycService/status/" + id, p.clientKeyB, null).statusCode()).isEqualTo(404);
        assertThat(p.call("GET", "/admin/kyc/detail/" + id, p.adminKeyB, null).statusCode()).isEqualTo(404);
        HttpResponse<String> up = p.call("POST", "/admin/kyc/update-status", p.adminKeyB,
                "{\"profileId\":\"" + id + "\",\"status\":2}");
        assertThat(up.statusCode()).isEqualTo(404);
        JsonObject list = TestProduct.json(p.call("POST", "/admin/kyc/list", p.adminKeyB,
                "{\"profileIds\":[\"" + id + "\"]}")).getAsJsonObject("data");
        assertThat(list.get("total").getAsLong()).isZero();
        JsonObject status = TestProduct.json(p.call("GET", "/api/web/kycService/status/" + id, p.clientKeyA, null))
                .getAsJsonObject("data").getAsJsonObject("status");
        assertThat(status.get("overallStatus").getAsString()).isEqualTo("incomplete");
    }

    private long totalProfiles() {
        return TestProduct.json(p.call("POST", "/admin/kyc/list", p.adminKeyA, "{\"limit\":1}"))
                .getAsJsonObject("data").get("total").getAsLong();
    }
}
