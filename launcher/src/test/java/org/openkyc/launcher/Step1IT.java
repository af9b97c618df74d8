package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openkyc.api.submissions.v2.GetImageRequest;
import org.openkyc.api.submissions.v2.GetSubmissionsRequest;
import org.openkyc.api.submissions.v2.IdType;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.submissions.v2.SubmitStep1Request;
import org.openkyc.api.submissions.v2.SubmitStep1Response;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.document.SyntheticDocuments;
import org.openkyc.server.vision.TestVision;

/**
 * Submission step 1 (docs/API.md A3) and its images (A8), as a client does it: a multipart upload over HTTPS
 * through the gateway, and the same call over gRPC. Real documents: the ICAO specimen passport and a
 * synthetic TD3 passport printed in OCR-B.
 */
class Step1IT {

    private final TestProduct p = TestProduct.get();

    private HttpResponse<String> postStep1(String key, byte[] body) {
        return p.postMultipart("/v2/submission/step1", key, body);
    }

    private HttpResponse<byte[]> getImage(String key, String id, String type) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(p.url("/v2/image?submission_id=" + id + "&type=" + type)))
                .timeout(Duration.ofSeconds(30)).header("x-api-key", key).GET().build();
        return p.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub grpc(String key) {
        return p.withKey(SubmissionServiceGrpc.newBlockingStub(p.channel), key);
    }

    private static String email() {
        return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private int casesWithEmail(String email) {
        return grpc(p.clientKeyA).getSubmissions(GetSubmissionsRequest.newBuilder().setEmail(email).build())
                .getItemsCount();
    }

    @Test
    void theIcaoSpecimenPassportOverHttpsIsReadStoredAndServedBack() {
        byte[] specimen = TestVision.resource("passport-td3-specimen.png");
        String email = email();
        HttpResponse<String> r = postStep1(p.clientKeyA, new Multipart()
                .text("issuingCountry", "SWE").text("email", email).text("idType", "passport")
                .text("userid", "anna-1").text("cf1", "order-77").text("ip_address", "198.51.100.4")
                .file("idImage", "passport.png", "image/png", specimen).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("file_upload").getAsBoolean()).isTrue();
        String id = body.get("submissionId").getAsString();
        JsonObject ocr = body.getAsJsonObject("reviewOCRData");
        assertThat(ocr.get("ocr_name").getAsString()).isEqualTo("ANNA MARIA ERIKSSON");
        assertThat(ocr.get("ocr_gender").getAsString()).isEqualTo("female");
        assertThat(ocr.get("ocr_nationality").getAsString()).isEqualTo("UTO");
        assertThat(ocr.get("ocr_birthDate").getAsString()).isEqualTo("1974-08-12");

        // A1 shows the fields read, the document number masked.
        HttpResponse<String> list = p.call("GET", "/v2/submission?submission_id=" + id, p.clientKeyA, null);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonObject item = TestProduct.json(list).getAsJsonArray("Items").get(0).getAsJsonObject();
        assertThat(item.get("email").getAsString()).isEqualTo(email);
        assertThat(item.get("userid").getAsString()).isEqualTo("anna-1");
        assertThat(item.get("applicant_id").getAsString()).isNotBlank();
        JsonObject data = item.getAsJsonObject("data");
        assertThat(data.get("name").getAsString()).isEqualTo("ANNA MARIA ERIKSSON");
        assertThat(data.get("gender").getAsString()).isEqualTo("female");
        assertThat(data.get("nationality").getAsString()).isEqualTo("UTO");
        assertThat(data.get("date_of_birth").getAsString()).isEqualTo("1974-08-12");
        assertThat(data.get("idcard_issuingCountry").getAsString()).isEqualTo("SWE");
        assertThat(data.get("idType").getAsString()).isEqualTo("passport");
        assertThat(data.get("identityNumber").getAsString()).isEqualTo("L89******").doesNotContain("898902");
        // The address the gateway saw (not the one the form claimed), masked.
        assertThat(data.get("ip_address").getAsString()).isEqualTo("127.0.*.*");
        assertThat(item.getAsJsonObject("kyc").get("result").getAsString()).isEqualTo("incomplete");

        // A8: the same bytes with their real media type; another tenant does not see them.
        HttpResponse<byte[]> img = getImage(p.clientKeyA, id, "idImage");
        assertThat(img.statusCode()).isEqualTo(200);
        assertThat(img.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/png"));
        assertThat(img.body()).isEqualTo(specimen);
        assertThat(getImage(p.clientKeyB, id, "idImage").statusCode()).isEqualTo(404);
        assertThat(getImage(p.clientKeyA, id, "idBackImage").statusCode()).isEqualTo(404);
        assertThat(getImage(p.clientKeyA, id, "passportImage").statusCode()).isEqualTo(400);
        assertThat(getImage(p.clientKeyA, "nosuchsubmission0", "idImage").statusCode()).isEqualTo(404);
    }

    @Test
    void aSyntheticPassportOverGrpcWithABackImage() {
        Random rnd = new Random(77);
        SyntheticDocuments.Identity who = SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD3);
        byte[] front = SyntheticDocuments.render(who, null, rnd);
        byte[] back = TestVision.resource("grace_hopper.jpg");
        String email = email();
        SubmitStep1Response r = grpc(p.clientKeyA).submitStep1(SubmitStep1Request.newBuilder()
                .setIssuingCountry("NLD").setEmail(email).setIdType(IdType.Value.passport)
                .setIdImage(ByteString.copyFrom(front)).setIdBackImage(ByteString.copyFrom(back)).build());
        assertThat(r.getFileUpload()).isTrue();
        String expectedNationality = "D".equals(who.nationality()) ? "DEU" : who.nationality();
        assertThat(r.getReviewOcrData().getOcrName()).isEqualTo(who.givenNames() + " " + who.surname());
        assertThat(r.getReviewOcrData().getOcrBirthDate()).isEqualTo(who.birth().toString());
        assertThat(r.getReviewOcrData().getOcrNationality()).isEqualTo(expectedNationality);
        assertThat(r.getReviewOcrData().getOcrGender())
                .isEqualTo(switch (who.sex()) { case "M" -> "male"; case "F" -> "female"; default -> ""; });

        var image = grpc(p.clientKeyA).getImage(GetImageRequest.newBuilder()
                .setSubmissionId(r.getSubmissionId()).setType("idBackImage").build());
        assertThat(image.getContentType()).isEqualTo("image/jpeg");
        assertThat(image.getData().toByteArray()).isEqualTo(back);
        var item = grpc(p.clientKeyA).getSubmissions(GetSubmissionsRequest.newBuilder()
                .setSubmissionId(r.getSubmissionId()).build()).getItems(0);
        assertThat(item.getData().getName()).isEqualTo(who.givenNames() + " " + who.surname());
    }

    @Test
    void aFileThatIsNotAnImageIsRefusedAndLeavesNothingBehind() {
        String email = email();
        long blobsBefore = p.blobFiles();
        HttpResponse<String> r = postStep1(p.clientKeyA, new Multipart()
                .text("issuingCountry", "SWE").text("email", email).text("idType", "passport")
                .file("idImage", "passport.png", "image/png", "%PDF-1.7 not an image".getBytes(StandardCharsets.UTF_8))
                .build());
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(TestProduct.json(r).get("message").getAsString()).contains("not a JPEG, PNG or WebP");

        // A valid front with a broken back image is refused as a whole too.
        r = postStep1(p.clientKeyA, new Multipart()
                .text("issuingCountry", "SWE").text("email", email).text("idType", "passport")
                .file("idImage", "passport.png", "image/png", TestVision.resource("passport-td3-specimen.png"))
                .file("idBackImage", "back.jpg", "image/jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2})
                .build());
        assertThat(r.statusCode()).isBetween(400, 499);

        assertThatThrownBy(() -> grpc(p.clientKeyA).submitStep1(SubmitStep1Request.newBuilder()
                .setIssuingCountry("SWE").setEmail(email).setIdType(IdType.Value.passport)
                .setIdImage(ByteString.copyFromUtf8("plain text")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        assertThat(casesWithEmail(email)).isZero();
        assertThat(p.blobFiles()).isEqualTo(blobsBefore);
    }

    @Test
    void aBlankPhotoIs422WithTheQualityReasonsAndLeavesNothingBehind() throws IOException {
        java.awt.image.BufferedImage black = new java.awt.image.BufferedImage(1200, 800,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(black, "png", png);
        String email = email();
        long blobsBefore = p.blobFiles();
        HttpResponse<String> r = postStep1(p.clientKeyA, new Multipart()
                .text("issuingCountry", "SWE").text("email", email).text("idType", "passport")
                .file("idImage", "blank.png", "image/png", png.toByteArray()).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsString()).isEqualTo("UNPROCESSABLE_IMAGE");
        assertThat(body.get("message").getAsString()).contains("idImage cannot be used").contains("blurry").contains("low_contrast");
        assertThat(casesWithEmail(email)).isZero();
        assertThat(p.blobFiles()).isEqualTo(blobsBefore);
    }

    @Test
    void aSharpPictureWithoutADocumentIs422NoDocumentAndLeavesNothingBehind() throws IOException {
        // Sharp, contrasted, well exposed: only the document is missing (no outline, no zone).
        java.awt.image.BufferedImage noise = new java.awt.image.BufferedImage(1200, 800,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(5);
        for (int y = 0; y < noise.getHeight(); y++) {
            for (int x = 0; x < noise.getWidth(); x++) {
                noise.setRGB(x, y, rnd.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(noise, "png", png);
        String email = email();
        long blobsBefore = p.blobFiles();
        HttpResponse<String> r = postStep1(p.clientKeyA, new Multipart()
                .text("issuingCountry", "SWE").text("email", email).text("idType", "passport")
                .file("idImage", "picture.png", "image/png", png.toByteArray()).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(TestProduct.json(r).get("message").getAsString()).contains("idImage cannot be used")
                .contains("no_document");
        assertThat(casesWithEmail(email)).isZero();
        assertThat(p.blobFiles()).isEqualTo(blobsBefore);
    }

    @Test
    void missingOrMalformedFieldsAre400() {
        byte[] specimen = TestVision.resource("passport-td3-specimen.png");
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {null, "a@example.com", "passport", "issuingCountry is required"});
        cases.add(new String[] {"SE", "a@example.com", "passport", "issuingCountry must be an ISO 3166-1 alpha-3"});
        cases.add(new String[] {"SWE", null, "passport", "email is required"});
        cases.add(new String[] {"SWE", "not-an-email", "passport", "email is not a valid"});
        cases.add(new String[] {"SWE", "a@example.com", null, "idType is required"});
        for (String[] c : cases) {
            Multipart m = new Multipart();
            if (c[0] != null) {
                m.text("issuingCountry", c[0]);
            }
            if (c[1] != null) {
                m.text("email", c[1]);
            }
            if (c[2] != null) {
                m.text("idType", c[2]);
            }
            HttpResponse<String> r = postStep1(p.clientKeyA, m.file("idImage", "p.png", "image/png", specimen).build());
            assertThat(r.statusCode()).as(c[3]).isEqualTo(400);
            assertThat(TestProduct.json(r).get("message").getAsString()).contains(c[3]);
        }
        HttpResponse<String> noImage = postStep1(p.clientKeyA, new Multipart().text("issuingCountry", "SWE")
                .text("email", "a@example.com").text("idType", "passport").build());
        assertThat(noImage.statusCode()).isEqualTo(400);
        assertThat(TestProduct.json(noImage).get("message").getAsString()).contains("idImage is required");
        HttpResponse<String> badType = postStep1(p.clientKeyA, new Multipart().text("issuingCountry", "SWE")
                .text("email", "a@example.com").text("idType", "library_card").build());
        assertThat(badType.statusCode()).isEqualTo(400);
    }
}
