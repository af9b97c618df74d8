package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openkyc.server.vision.TestVision;

/**
 * A whole journey with a person's data, in both log formats, and not one log line carries that person's name,
 * email, document number or birth date: a profile, the ICAO specimen passport uploaded and read, the fields
 * confirmed with a distinctive name, the document submitted, the status read; and the same person through the
 * submissions API (step 1 with an email, step 2 with the name, a search by email), plus refusals that quote
 * what was sent. In JSON every line is one JSON object, and the server's lines of a call carry its request
 * id and trace id.
 */
class LogPrivacyIT {

    private static final String WEB = "/api/web/kycService";
    private static final String NAME = "Quintessa Vantablack-Oyelaran";
    private static final String EMAIL = "quintessa.oyelaran.7731@example.org";
    /** What the specimen passport holds (ICAO 9303: ERIKSSON ANNA MARIA, L898902C3, born 1974-08-12). */
    private static final List<String> SPECIMEN = List.of("ERIKSSON", "ANNA MARIA", "L898902C3", "L898902",
            "1974-08-12", "740812");

    private final TestProduct p = TestProduct.get();

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void noLogLineCarriesThePersonsData(String format) {
        String log;
        List<JsonObject> json = null;
        try (CapturedLogs logs = CapturedLogs.start(format)) {
            journey();
            log = logs.text();
            if (format.equals("json")) {
                json = logs.jsonLines();
            }
        }
        // The journey was logged (ids and outcomes), so the search below looked at something.
        assertThat(log).contains("case created", "document stored", "document confirmed", "submission created",
                "step 2 attempt");
        for (String secret : List.of(NAME, "Quintessa", "Vantablack", "Oyelaran", EMAIL, "quintessa.oyelaran")) {
            assertThat(log).as("the logs carry " + secret).doesNotContainIgnoringCase(secret);
        }
        for (String secret : SPECIMEN) {
            assertThat(log).as("the logs carry " + secret).doesNotContainIgnoringCase(secret);
        }
        if (json != null) {
            assertThat(json).isNotEmpty();
            List<JsonObject> callLines = json.stream()
                    .filter(l -> l.get("loggerName").getAsString().startsWith("org.openkyc.server.kyc.")).toList();
            assertThat(callLines).isNotEmpty().allSatisfy(l -> {
                JsonObject mdc = l.getAsJsonObject("mdc");
                assertThat(mdc.has("request_id")).as(l.toString()).isTrue();
                assertThat(mdc.get("trace_id").getAsString()).as(l.toString()).matches("[0-9a-f]{32}");
            });
        } else {
            assertThat(log).containsPattern("request_id=[A-Za-z0-9._:-]+ trace_id=[0-9a-f]{32} case created");
        }
    }

    private void journey() {
        byte[] specimen = TestVision.resource("passport-td3-specimen.png");
        // KYC web: profile, document, confirmation with the person's own spelling, submission, status.
        String pid = p.createProfile(p.clientKeyA, "privacy-" + UUID.randomUUID().toString().substring(0, 8));
        HttpResponse<String> upload = p.postMultipart(WEB + "/document/upload", p.clientKeyA, new Multipart()
                .text("profileId", pid).text("docType", "PASSPORT").text("country", "SE")
                .file("frontImage", "front.png", "image/png", specimen));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        long documentId = TestProduct.json(upload).getAsJsonObject("data").get("documentId").getAsLong();
        HttpResponse<String> badConfirm = p.call("POST", WEB + "/document/confirm?documentId=" + documentId,
                p.clientKeyA, "{\"name\":\"" + NAME + "\",\"birthDate\":\"" + NAME + "\",\"userModified\":true}");
        assertThat(badConfirm.statusCode()).isGreaterThanOrEqualTo(400).isLessThan(500);
        HttpResponse<String> confirm = p.call("POST", WEB + "/document/confirm?documentId=" + documentId,
                p.clientKeyA, "{\"name\":\"" + NAME + "\",\"idNumber\":\"L898902C3\",\"birthDate\":\"1974-08-12\","
                        + "\"nationality\":\"SWE\",\"userModified\":true}");
        assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(200);
        HttpResponse<String> submit = p.call("POST", WEB + "/document/submit?documentId=" + documentId,
                p.clientKeyA, null);
        assertThat(submit.statusCode()).as(submit.body()).isEqualTo(200);
        assertThat(p.call("GET", WEB + "/status/" + pid, p.clientKeyA, null).statusCode()).isEqualTo(200);

        // Submissions: step 1 with an email, a search by it, step 2 with the name, a refused step 2.
        HttpResponse<String> step1 = p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "SWE").text("email", EMAIL).text("idType", "passport")
                .file("idImage", "passport.png", "image/png", specimen));
        assertThat(step1.statusCode()).as(step1.body()).isEqualTo(200);
        String submission = TestProduct.json(step1).get("submissionId").getAsString();
        assertThat(p.call("GET", "/v2/submission?email=" + EMAIL, p.clientKeyA, null).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = p.postMultipart("/v2/submission/step2", p.clientKeyA, new Multipart()
                .text("submissionId", submission).text("name", NAME).text("date_of_birth", EMAIL)
                .file("faceImage", "selfie.png", "image/png", TestVision.resource("astronaut.png")));
        assertThat(refused.statusCode()).isGreaterThanOrEqualTo(400).isLessThan(500);
        HttpResponse<String> step2 = p.postMultipart("/v2/submission/step2", p.clientKeyA, new Multipart()
                .text("submissionId", submission).text("name", NAME).text("date_of_birth", "1974-08-12")
                .text("document_number", "L898902C3")
                .file("faceImage", "selfie.png", "image/png", TestVision.resource("astronaut.png")));
        assertThat(step2.statusCode()).as(step2.body()).isEqualTo(200);
    }
}
