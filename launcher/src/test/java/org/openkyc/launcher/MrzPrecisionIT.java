package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkyc.launcher.People.ASTRONAUT;
import static org.openkyc.launcher.People.person;

import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openkyc.api.submissions.v2.GetSubmissionsRequest;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.launcher.People.Person;

/**
 * What a client sees of the machine-readable zone's precision rules, through the HTTPS gateway and gRPC:
 * a name the zone read ambiguously is not offered as read and the case waits for a reviewer with the
 * reason mrz_field_unsure, although every check digit holds; ICAO codes that are not ISO are accepted as
 * the issuing country.
 */
class MrzPrecisionIT {

    private final TestProduct p = TestProduct.get();

    @Test
    void anUnsureNameIsNotOfferedAsReadAndTheCaseWaitsForAReviewer() {
        // Fillers misread as letters among the given names: "KETTY<Z<Z<O" passes every check digit.
        Person who = person("MAUS", "KETTY Z Z O", "MK4410297", LocalDate.of(1980, 5, 5));
        HttpResponse<String> r1 = p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "XXA")
                .text("email", "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                .text("idType", "passport").file("idImage", "f", "image/png", who.passport()));
        assertThat(r1.statusCode()).as(r1.body()).isEqualTo(200);
        JsonObject ocr = TestProduct.json(r1).getAsJsonObject("reviewOCRData");
        assertThat(ocr.has("ocr_name")).as(r1.body()).isFalse();
        assertThat(ocr.get("ocr_nationality").getAsString()).isEqualTo("NLD");
        String sid = TestProduct.json(r1).get("submissionId").getAsString();

        HttpResponse<String> r2 = p.postMultipart("/v2/submission/step2", p.clientKeyA, new Multipart()
                .text("submissionId", sid).file("faceImage", "f", "image/png", ASTRONAUT)
                .text("name", "Ketty Maus").text("date_of_birth", "1980-05-05").text("gender", "female")
                .text("nationality", "NLD").text("date_of_expiry", who.id().expiry().toString()));
        assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
        assertThat(TestProduct.json(r2).get("kycStatus").getAsString()).as(r2.body()).isEqualTo("pending");

        var kyc = p.withKey(SubmissionServiceGrpc.newBlockingStub(p.channel), p.clientKeyA)
                .getSubmissions(GetSubmissionsRequest.newBuilder().setSubmissionId(sid).build()).getItems(0).getKyc();
        assertThat(kyc.getCommentCodeList()).contains("mrz_field_unsure").doesNotContain("mrz_not_verified");
        assertThat(String.join("\n", kyc.getCommentList())).contains("givenNames");
    }

    @Test
    void icaoCodesThatAreNotIsoAreAcceptedAsTheIssuingCountry() {
        Person who = person("LINDQVIST", "SIGRID", "NX4827165", LocalDate.of(1988, 4, 12));
        for (String code : new String[] {"UNO", "GBD", "EUE", "D"}) {
            HttpResponse<String> r = p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                    .text("issuingCountry", code)
                    .text("email", "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                    .text("idType", "passport").file("idImage", "f", "image/png", who.passport()));
            assertThat(r.statusCode()).as(code + " " + r.body()).isEqualTo(200);
            assertThat(TestProduct.json(r).getAsJsonObject("reviewOCRData").get("ocr_name").getAsString())
                    .isEqualTo("SIGRID LINDQVIST");
        }
        HttpResponse<String> bad = p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "ZZZ").text("email", "z@example.com").text("idType", "passport")
                .file("idImage", "f", "image/png", who.passport()));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestProduct.json(bad).get("message").getAsString())
                .contains("issuingCountry must be an ISO 3166-1 alpha-3 or ICAO 9303 country code");
    }
}
