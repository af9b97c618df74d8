package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.auth.Role;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.kyc.CaseService;

/** The submissions API (docs/API.md A1, A6) over HTTPS, and C4: one case, two views. */
class SubmissionsRestIT {

    private final TestProduct p = TestProduct.get();

    @Test
    void aProfileCreatedThroughTheWebApiIsTheSubmissionListed() {
        String user = "u_" + UUID.randomUUID().toString().substring(0, 8);
        String id = p.createProfile(p.clientKeyA, user);
        HttpResponse<String> r = p.call("GET", "/v2/submission?submission_id=" + id, p.clientKeyA, null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject body = TestProduct.json(r);
        JsonArray items = body.getAsJsonArray("Items");
        assertThat(items).hasSize(1);
        JsonObject item = items.get(0).getAsJsonObject();
        assertThat(item.get("submission_id").getAsString()).isEqualTo(id);
        assertThat(item.get("userid").getAsString()).isEqualTo(user);
        assertThat(item.get("applicant_id").getAsString()).isNotBlank();
        assertThat(item.get("created_at").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(item.getAsJsonObject("kyc").get("result").getAsString()).isEqualTo("incomplete");
        assertThat(item.getAsJsonObject("kyc").getAsJsonArray("attempts")).isEmpty();
        assertThat(item.has("aml")).isFalse();
        assertThat(body.get("Count").getAsInt()).isEqualTo(1);
        assertThat(body.has("nextpageKey")).isFalse();
    }

    @Test
    void listingFiltersPagesNewestFirstAndNeverMixesTenants() {
        String user = "pager_" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(p.createProfile(p.clientKeyA, user));
        }
        p.createProfile(p.clientKeyB, user); // same user id in another tenant
        List<String> seen = new ArrayList<>();
        String query = "/v2/submission?userid=" + user + "&count=2";
        String next = query;
        int pages = 0;
        while (next != null) {
            JsonObject body = TestProduct.json(p.call("GET", next, p.clientKeyA, null));
            body.getAsJsonArray("Items").forEach(e -> seen.add(e.getAsJsonObject().get("submission_id").getAsString()));
            pages++;
            if (body.has("nextpageKey")) {
                JsonObject k = body.getAsJsonObject("nextpageKey");
                next = query + "&nextpage_id=" + k.get("id").getAsString() + "&nextpage_date="
                        + k.get("created_at").getAsString();
            } else {
                next = null;
            }
        }
        assertThat(pages).isEqualTo(3);
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonObject dated = TestProduct.json(p.call("GET", "/v2/submission?userid=" + user + "&start_date=" + today
                + "&end_date=" + today.replace("-", "") + "&kyc_result=incomplete", p.clientKeyA, null));
        assertThat(dated.getAsJsonArray("Items")).hasSize(5);
        JsonObject future = TestProduct.json(p.call("GET", "/v2/submission?userid=" + user
                + "&start_date=2999-01-01", p.clientKeyA, null));
        assertThat(future.getAsJsonArray("Items")).isEmpty();
        JsonObject approved = TestProduct.json(p.call("GET", "/v2/submission?userid=" + user
                + "&kyc_result=approved", p.clientKeyA, null));
        assertThat(approved.getAsJsonArray("Items")).isEmpty();

        JsonObject kycOnly = TestProduct.json(p.call("GET", "/v2/submission?userid=" + user + "&request_type=kyc",
                p.clientKeyA, null)).getAsJsonArray("Items").get(0).getAsJsonObject();
        assertThat(kycOnly.keySet()).containsExactlyInAnyOrder("submission_id", "kyc");

        JsonObject byApplicant = TestProduct.json(p.call("GET", "/v2/submission?applicant_id="
                + kycOnlyApplicant(ids.get(0)), p.clientKeyA, null));
        assertThat(byApplicant.getAsJsonArray("Items")).hasSize(1);
    }

    private String kycOnlyApplicant(String id) {
        return TestProduct.json(p.call("GET", "/v2/submission?submission_id=" + id, p.clientKeyA, null))
                .getAsJsonArray("Items").get(0).getAsJsonObject().get("applicant_id").getAsString();
    }

    @Test
    void badQueriesAre400WithTheSubmissionsErrorBody() {
        for (String q : new String[] {"start_date=yesterday", "kyc_result=maybe", "request_type=all", "count=5000",
                "nextpage_id=abc"}) {
            HttpResponse<String> r = p.call("GET", "/v2/submission?" + q, p.clientKeyA, null);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            JsonObject err = TestProduct.json(r);
            assertThat(err.get("code").getAsString()).as(q).isEqualTo("INVALID_ARGUMENT");
            assertThat(err.get("message").getAsString()).as(q).isNotBlank();
        }
    }

    @Test
    void missingKeyIs401AndAnotherTenantsIdIs404() {
        HttpResponse<String> none = p.call("GET", "/v2/submission", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(TestProduct.json(none).get("code").getAsString()).isEqualTo("UNAUTHENTICATED");
        String id = p.createProfile(p.clientKeyA, "isolated");
        HttpResponse<String> other = p.call("GET", "/v2/submission?submission_id=" + id, p.clientKeyB, null);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(TestProduct.json(other).get("code").getAsString()).isEqualTo("SUBMISSION_NOT_FOUND");
        assertThat(other.body()).doesNotContain("isolated");
        HttpResponse<String> list = p.call("GET", "/v2/submission?userid=isolated", p.clientKeyB, null);
        assertThat(TestProduct.json(list).getAsJsonArray("Items")).isEmpty();
        HttpResponse<String> del = p.call("DELETE", "/v2/submission?submission_id=" + id, p.clientKeyB, null);
        assertThat(del.statusCode()).isEqualTo(404);
        assertThat(p.call("GET", "/v2/submission?submission_id=" + id, p.clientKeyA, null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void deleteRemovesTheCaseItsImagesAndHistoryForGood() {
        String id = p.createProfile(p.clientKeyA, "to-delete");
        // Store an image the way the upload routes will, and approve so there is audit history.
        long tenant = p.product.server().tenants().authenticate(p.clientKeyA).orElseThrow().tenantId();
        Caller caller = new Caller(tenant, "test", Role.CLIENT);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};
        p.product.server().cases().attachImage(caller, id, CaseService.ImageKind.SELFIE, "image/png", png,
                DomainException::submissionNotFound);
        assertThat(p.call("POST", "/admin/kyc/update-status", p.adminKeyA,
                "{\"profileId\":\"" + id + "\",\"status\":2}").statusCode()).isEqualTo(200);
        long blobsBefore = p.blobFiles();

        HttpResponse<String> r = p.call("DELETE", "/v2/submission?submission_id=" + id, p.clientKeyA, null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("message").getAsString()).isEqualTo("success");
        assertThat(body.get("content").getAsString()).isEqualTo("Submission #" + id + " deleted successfully.");

        assertThat(p.blobFiles()).isEqualTo(blobsBefore - 1);
        assertThat(p.call("GET", "/v2/submission?submission_id=" + id, p.clientKeyA, null).statusCode()).isEqualTo(404);
        assertThat(p.call("GET", "/api/web/kycService/status/" + id, p.clientKeyA, null).statusCode()).isEqualTo(404);
        assertThat(p.call("GET", "/admin/kyc/detail/" + id, p.adminKeyA, null).statusCode()).isEqualTo(404);
        assertThat(p.call("DELETE", "/v2/submission?submission_id=" + id, p.clientKeyA, null).statusCode())
                .isEqualTo(404);
        assertThatThrownBy(() -> p.product.server().cases().image(caller, id, CaseService.ImageKind.SELFIE,
                DomainException::submissionNotFound)).isInstanceOf(DomainException.class);
    }
}
