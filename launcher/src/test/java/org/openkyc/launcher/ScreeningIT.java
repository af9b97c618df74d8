package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.openkyc.api.screening.v1.Decision;
import org.openkyc.api.screening.v1.GetScreeningRequest;
import org.openkyc.api.screening.v1.ReloadListsRequest;
import org.openkyc.api.screening.v1.ScreenRequest;
import org.openkyc.api.screening.v1.Screening;
import org.openkyc.api.screening.v1.ScreeningServiceGrpc;
import org.openkyc.api.screening.v1.SubjectKind;
import org.openkyc.api.submissions.v2.AmlResult;
import org.openkyc.api.submissions.v2.GetAmlReportRequest;
import org.openkyc.api.submissions.v2.GetSubmissionsRequest;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;

/**
 * Sanctions screening end to end: the gRPC screening service (internal
 * callers), screenings attached to a submission, the A7 PDF report through
 * gRPC and through REST over HTTPS, tenant isolation and deletion with the case.
 */
class ScreeningIT {

    private final TestProduct p = TestProduct.get();

    private ScreeningServiceGrpc.ScreeningServiceBlockingStub screening(String key) {
        return p.withKey(ScreeningServiceGrpc.newBlockingStub(p.channel), key);
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub submissions(String key) {
        return p.withKey(SubmissionServiceGrpc.newBlockingStub(p.channel), key);
    }

    private HttpResponse<byte[]> download(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.url(path))).timeout(Duration.ofSeconds(60)).GET();
        if (key != null) {
            b.header("x-api-key", key);
        }
        return p.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String pdfText(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        return Status.Code.OK;
    }

    @Test
    void aListedPersonInHangulIsAHitAttachedToTheSubmissionWithAReport() throws Exception {
        String caseId = p.createProfile(p.clientKeyA, "screened-user");
        Screening s = screening(p.clientKeyA).screen(ScreenRequest.newBuilder()
                .setKind(SubjectKind.SUBJECT_KIND_PERSON).setName("김정은").addAliases("Kim Jong-un")
                .setNationality("KP").setCaseId(caseId).build()).getScreening();
        assertThat(s.getDecision()).isEqualTo(Decision.DECISION_HIT);
        assertThat(s.getResourceId()).matches("[a-z0-9]{20}");
        assertThat(s.getCaseId()).isEqualTo(caseId);
        assertThat(s.getListsList()).extracting(l -> l.getSource())
                .containsExactly("OFAC SDN", "UN Consolidated", "US CSL");
        assertThat(s.getCandidates(0).getListedName()).isEqualTo("KIM, Jong Un");
        assertThat(s.getCandidates(0).getBreakdownList()).extracting(f -> f.getFeature())
                .containsExactly("name", "nationality");
        assertThat(s.getNormalizedNamesList()).containsExactly("gimjeong eun", "kim jong un");

        // The submission shows aml {result, resourceId}, through gRPC and REST.
        var sub = submissions(p.clientKeyA).getSubmissions(GetSubmissionsRequest.newBuilder()
                .setSubmissionId(caseId).build()).getItems(0);
        assertThat(sub.getAml().getResult()).isEqualTo(AmlResult.Value.hit);
        assertThat(sub.getAml().getResourceId()).isEqualTo(s.getResourceId());
        JsonObject aml = TestProduct.json(p.call("GET", "/v2/submission?submission_id=" + caseId, p.clientKeyA, null))
                .getAsJsonArray("Items").get(0).getAsJsonObject().getAsJsonObject("aml");
        assertThat(aml.get("result").getAsString()).isEqualTo("hit");
        assertThat(aml.get("resourceId").getAsString()).isEqualTo(s.getResourceId());

        // The stored screening reads back the same.
        Screening again = screening(p.clientKeyA).getScreening(GetScreeningRequest.newBuilder()
                .setResourceId(s.getResourceId()).build()).getScreening();
        assertThat(again.getCandidatesList()).isEqualTo(s.getCandidatesList());
        assertThat(again.getListsList()).isEqualTo(s.getListsList());

        // A7 through REST: a PDF download naming the person, lists, candidates, decision.
        HttpResponse<byte[]> r = download("/v2/report/aml?resourceId=" + s.getResourceId(), p.clientKeyA);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/pdf");
        assertThat(r.headers().firstValue("content-disposition"))
                .hasValue("attachment; filename=\"aml-report-" + s.getResourceId() + ".pdf\"");
        String text = pdfText(r.body());
        assertThat(text).contains("Screening (resourceId): " + s.getResourceId()).contains("Case (submission): " + caseId)
                .contains("Name: 김정은").contains("Alias: Kim Jong-un").contains("Decision: HIT")
                .contains("OFAC SDN: 7379 entries, loaded").contains(s.getLists(0).getSha256())
                .contains("KIM, Jong Un").contains("Report id: AML-");

        // A7 through gRPC: the same report as HttpBody.
        var body = submissions(p.clientKeyA).getAmlReport(GetAmlReportRequest.newBuilder()
                .setResourceId(s.getResourceId()).build());
        assertThat(body.getContentType()).isEqualTo("application/pdf");
        assertThat(pdfText(body.getData().toByteArray())).contains("KIM, Jong Un").contains("Name: 김정은");
    }

    @Test
    void anotherTenantsScreeningIsNotFound() throws Exception {
        Screening s = screening(p.clientKeyA).screen(ScreenRequest.newBuilder()
                .setKind(SubjectKind.SUBJECT_KIND_ORGANISATION).setName("National Bank of Cuba").build()).getScreening();
        assertThat(s.getDecision()).isEqualTo(Decision.DECISION_HIT);
        assertThat(code(() -> screening(p.clientKeyB).getScreening(GetScreeningRequest.newBuilder()
                .setResourceId(s.getResourceId()).build()))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> submissions(p.adminKeyB).getAmlReport(GetAmlReportRequest.newBuilder()
                .setResourceId(s.getResourceId()).build()))).isEqualTo(Status.Code.NOT_FOUND);
        HttpResponse<byte[]> r = download("/v2/report/aml?resourceId=" + s.getResourceId(), p.clientKeyB);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-disposition")).isEmpty();
        assertThat(download("/v2/report/aml?resourceId=" + s.getResourceId(), null).statusCode()).isEqualTo(401);
    }

    @Test
    void aCommonNameIsClearAndItsReportSaysSo() throws Exception {
        Screening s = screening(p.clientKeyA).screen(ScreenRequest.newBuilder()
                .setKind(SubjectKind.SUBJECT_KIND_PERSON).setName("สมชาย ใจดี").addAliases("Somchai Jaidee")
                .setBirthDate("1990-05-17").setNationality("THA").build()).getScreening();
        assertThat(s.getDecision()).isEqualTo(Decision.DECISION_CLEAR);
        assertThat(s.getCandidatesList()).isEmpty();
        HttpResponse<byte[]> r = download("/v2/report/aml?resourceId=" + s.getResourceId(), p.clientKeyA);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(pdfText(r.body())).contains("สมชาย ใจดี").contains("Decision: CLEAR")
                .contains("Date of birth: 1990-05-17").contains("Nationality: THA");
    }

    @Test
    void badInputIsRefusedAndLeavesNoTrace() {
        String caseId = p.createProfile(p.clientKeyA, "bad-input-user");
        for (ScreenRequest bad : new ScreenRequest[] {
            ScreenRequest.newBuilder().setName(" ").setCaseId(caseId).build(),
            ScreenRequest.newBuilder().setName("Arkady Rotenberg").setNationality("Atlantis").setCaseId(caseId).build(),
            ScreenRequest.newBuilder().setName("Arkady Rotenberg").setBirthDate("15/12/1951").setCaseId(caseId).build(),
            ScreenRequest.newBuilder().setName("Arkady Rotenberg").setKind(SubjectKind.SUBJECT_KIND_OTHER)
                    .setCaseId(caseId).build(),
            ScreenRequest.newBuilder().setName("!!!").setCaseId(caseId).build(),
        }) {
            assertThatThrownBy(() -> screening(p.clientKeyA).screen(bad)).isInstanceOfSatisfying(
                    StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        // An unknown case, or another tenant's case, is not found and nothing is stored.
        assertThat(code(() -> screening(p.clientKeyB).screen(ScreenRequest.newBuilder().setName("Arkady Rotenberg")
                .setCaseId(caseId).build()))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> screening(p.clientKeyA).screen(ScreenRequest.newBuilder().setName("Arkady Rotenberg")
                .setCaseId("nosuchcase000000").build()))).isEqualTo(Status.Code.NOT_FOUND);
        var sub = submissions(p.clientKeyA).getSubmissions(GetSubmissionsRequest.newBuilder()
                .setSubmissionId(caseId).build()).getItems(0);
        assertThat(sub.hasAml()).isFalse();

        HttpResponse<String> missing = p.call("GET", "/v2/report/aml", p.clientKeyA, null);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(p.call("GET", "/v2/report/aml?resourceId=doesnotexist000", p.clientKeyA, null).statusCode())
                .isEqualTo(404);
        // Not an id at all: refused before any look-up.
        assertThat(p.call("GET", "/v2/report/aml?resourceId=%3Cscript%3E", p.clientKeyA, null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void deletingTheSubmissionDeletesItsScreenings() {
        String caseId = p.createProfile(p.clientKeyA, "to-be-deleted");
        Screening s = screening(p.clientKeyA).screen(ScreenRequest.newBuilder().setName("Qasem Soleimani")
                .setBirthDate("1957-03-11").setCaseId(caseId).build()).getScreening();
        assertThat(s.getDecision()).isEqualTo(Decision.DECISION_HIT);
        assertThat(p.call("DELETE", "/v2/submission?submission_id=" + caseId, p.clientKeyA, null).statusCode())
                .isEqualTo(200);
        assertThat(code(() -> screening(p.clientKeyA).getScreening(GetScreeningRequest.newBuilder()
                .setResourceId(s.getResourceId()).build()))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(p.call("GET", "/v2/report/aml?resourceId=" + s.getResourceId(), p.clientKeyA, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void reloadingListsNeedsAnAdminKey() {
        assertThat(code(() -> screening(p.clientKeyA).reloadLists(ReloadListsRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        var lists = screening(p.adminKeyA).reloadLists(ReloadListsRequest.getDefaultInstance()).getListsList();
        assertThat(lists).extracting(l -> l.getEntryCount()).containsExactly(7379, 1003, 115);
        // The screening service is gRPC only: the gateway serves no route for it.
        assertThat(p.call("POST", "/openkyc.screening.v1.ScreeningService/Screen", p.clientKeyA, "{}").statusCode())
                .isEqualTo(404);
    }
}
