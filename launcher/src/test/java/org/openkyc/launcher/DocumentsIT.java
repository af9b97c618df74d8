package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.ConfirmDocumentRequest;
import org.openkyc.api.kyc.v1.ConfirmDocumentResponse;
import org.openkyc.api.kyc.v1.ConfirmedFields;
import org.openkyc.api.kyc.v1.DocType;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.KycStatus;
import org.openkyc.api.kyc.v1.SubmitDocumentRequest;
import org.openkyc.api.kyc.v1.SubmitDocumentResponse;
import org.openkyc.api.kyc.v1.UploadDocumentMetadataRequest;
import org.openkyc.api.kyc.v1.UploadDocumentRequest;
import org.openkyc.api.kyc.v1.UploadDocumentResponse;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.document.SyntheticDocuments;
import org.openkyc.server.liveness.CallbackSignature;
import org.openkyc.server.storage.LivenessMapper;

/**
 * Documents of the KYC web API (docs/API.md C1) as clients use them: the multipart upload over HTTPS through
 * the gateway and over gRPC, confirmation, submission with the decision rules, the status object and the
 * admin detail. Real documents: synthetic TD3 passports printed in OCR-B.
 */
class DocumentsIT {

    private static final String BASE = "/api/web/kycService";
    private static final CallbackSignature SIGNER = new CallbackSignature(TestProduct.LIVENESS_CALLBACK_SECRET);

    private final TestProduct p = TestProduct.get();

    // ---------------------------------------------------------------- helpers

    private HttpResponse<String> upload(String key, byte[] body) {
        return p.postMultipart(BASE + "/document/upload", key, body);
    }

    private KycServiceGrpc.KycServiceBlockingStub grpc(String key) {
        return p.withKey(KycServiceGrpc.newBlockingStub(p.channel), key);
    }

    private String newProfile(String key) {
        return p.createProfile(key, "user_" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A synthetic passport whose zone holds and whose expiry is comfortably in the future. */
    private static SyntheticDocuments.Identity passport(long seed) {
        Random rnd = new Random(seed);
        while (true) {
            SyntheticDocuments.Identity who = SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD3);
            if (who.expiry().isAfter(LocalDate.now(ZoneOffset.UTC).plusMonths(6)) && !"UTO".equals(who.nationality())
                    && !"D".equals(who.nationality())) {
                return who;
            }
        }
    }

    private static byte[] render(SyntheticDocuments.Identity who, long seed) {
        return SyntheticDocuments.render(who, null, new Random(seed));
    }

    private static byte[] blankImage() {
        try {
            java.awt.image.BufferedImage black = new java.awt.image.BufferedImage(1200, 800,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(black, "png", png);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonObject uploadOk(String pid, byte[] front) {
        HttpResponse<String> r = upload(p.clientKeyA, new Multipart().text("profileId", pid).text("docType", "PASSPORT")
                .text("country", "NL").file("frontImage", "front.png", "image/png", front).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsInt()).isZero();
        assertThat(body.get("message").getAsString()).isEqualTo("Document uploaded successfully");
        return body.getAsJsonObject("data");
    }

    private HttpResponse<String> confirm(String key, long documentId, String json) {
        return p.call("POST", BASE + "/document/confirm?documentId=" + documentId, key, json);
    }

    private HttpResponse<String> submit(String key, long documentId) {
        return p.call("POST", BASE + "/document/submit?documentId=" + documentId, key, null);
    }

    private JsonObject status(String pid) {
        HttpResponse<String> r = p.call("GET", BASE + "/status/" + pid, p.clientKeyA, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestProduct.json(r).getAsJsonObject("data").getAsJsonObject("status");
    }

    private long documentRows(String pid) {
        return p.caseRows("kyc_documents", pid);
    }

    private long imageRows(String pid) {
        return p.caseRows("kyc_images", pid);
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static void assertGrpc(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }

    // ---------------------------------------------------------------- tests

    @Test
    void uploadReadsThePassportConfirmUnchangedAndSubmitWithoutLivenessGoesToManualReview() {
        SyntheticDocuments.Identity who = passport(11);
        String pid = newProfile(p.clientKeyA);
        JsonObject data = uploadOk(pid, render(who, 11));

        JsonElement id = data.get("documentId");
        assertThat(id.getAsJsonPrimitive().isNumber()).as("documentId is a JSON number").isTrue();
        long documentId = id.getAsLong();
        assertThat(documentId).isPositive().isLessThan(1L << 53);
        JsonObject fields = data.getAsJsonObject("fields");
        assertThat(fields.get("name").getAsString()).isEqualTo(who.givenNames() + " " + who.surname());
        assertThat(fields.get("birthDate").getAsString()).isEqualTo(who.birth().toString());
        assertThat(fields.get("expiryDate").getAsString()).isEqualTo(who.expiry().toString());
        assertThat(fields.get("nationality").getAsString()).isEqualTo(who.nationality());
        assertThat(fields.get("issuer").getAsString()).isEqualTo("D".equals(who.state()) ? "DEU" : who.state());
        assertThat(fields.get("gender").getAsString()).isEqualTo("M".equals(who.sex()) ? "male" : "female");
        // Numbers are masked in answers.
        assertThat(fields.get("docNumber").getAsString()).startsWith(who.number().substring(0, 3)).contains("*")
                .isNotEqualTo(who.number());
        assertThat(fields.get("idNumber").getAsString()).contains("*");
        JsonObject quality = data.getAsJsonObject("quality");
        assertThat(quality.get("documentFound").getAsBoolean()).isTrue();
        assertThat(quality.get("sharpness").getAsDouble()).isBetween(0.0, 100.0);
        assertThat(quality.has("resolution") && quality.has("brightness") && quality.has("glare")).isTrue();
        // The front image is the case's ID_FRONT image (the liveness check reads the portrait from it).
        assertThat(imageRows(pid)).isEqualTo(1);
        assertThat(status(pid).get("documentStatus").getAsString()).isEqualTo("uploaded");

        // Submitting before confirming is a conflict that says what to do.
        HttpResponse<String> early = submit(p.clientKeyA, documentId);
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(TestProduct.json(early).get("message").getAsString()).contains("confirm");

        // Confirming what was read (the masked number sent back means "unchanged").
        HttpResponse<String> c = confirm(p.clientKeyA, documentId, "{\"name\":\"" + fields.get("name").getAsString()
                + "\",\"idNumber\":\"" + fields.get("idNumber").getAsString() + "\",\"birthDate\":\""
                + who.birth() + "\",\"nationality\":\"" + who.nationality() + "\",\"userModified\":false}");
        assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
        JsonObject cb = TestProduct.json(c);
        assertThat(cb.get("code").getAsInt()).isZero();
        assertThat(cb.get("message").getAsString()).isEqualTo("Document confirmed");
        assertThat(cb.getAsJsonObject("data").get("manualReview").getAsBoolean()).isFalse();
        assertThat(status(pid).get("documentStatus").getAsString()).isEqualTo("confirmed");

        HttpResponse<String> s = submit(p.clientKeyA, documentId);
        assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
        JsonObject sb = TestProduct.json(s);
        assertThat(sb.getAsJsonObject("data").get("status").getAsInt()).isEqualTo(2);
        assertThat(sb.get("message").getAsString()).contains("manual review");
        assertThat(strings(sb.getAsJsonObject("data").getAsJsonArray("reasons")))
                .contains("liveness_not_passed", "face_not_matched").doesNotContain("user_modified");

        JsonObject st = status(pid);
        assertThat(st.get("overallStatus").getAsString()).isEqualTo("pending");
        assertThat(st.get("reviewStatus").getAsInt()).isZero();
        assertThat(st.get("documentStatus").getAsString()).isEqualTo("submitted");
        assertThat(st.get("documentId").getAsLong()).isEqualTo(documentId);
        assertThat(st.has("documentSubmittedAt")).isTrue();
        assertThat(strings(st.getAsJsonArray("reviewReasons"))).contains("liveness_not_passed");
        assertThat(st.has("faceMatchScore")).isFalse();

        // Twice is a conflict; so is confirming a submitted document.
        assertThat(submit(p.clientKeyA, documentId).statusCode()).isEqualTo(409);
        assertThat(confirm(p.clientKeyA, documentId, "{}").statusCode()).isEqualTo(409);

        // The reviewer sees the document with its OCR and confirmed fields and quality scores.
        HttpResponse<String> detail = p.call("GET", "/admin/kyc/detail/" + pid, p.adminKeyA, null);
        assertThat(detail.statusCode()).as(detail.body()).isEqualTo(200);
        JsonObject doc = TestProduct.json(detail).getAsJsonObject("data").getAsJsonArray("documents").get(0)
                .getAsJsonObject();
        assertThat(doc.get("documentId").getAsLong()).isEqualTo(documentId);
        assertThat(doc.get("docType").getAsString()).isEqualTo("PASSPORT");
        assertThat(doc.getAsJsonObject("ocrFields").get("name").getAsString()).isEqualTo(fields.get("name").getAsString());
        assertThat(doc.getAsJsonObject("confirmedFields").get("birthDate").getAsString()).isEqualTo(who.birth().toString());
        assertThat(doc.getAsJsonObject("quality").get("documentFound").getAsBoolean()).isTrue();
        assertThat(doc.get("status").getAsString()).isEqualTo("submitted");
        assertThat(doc.get("mrzStatus").getAsString()).isEqualTo("VALID");
        assertThat(detail.body()).doesNotContain(who.number());
    }

    @Test
    void userModifiedFieldsGoToUserModifiedReview() {
        SyntheticDocuments.Identity who = passport(12);
        String pid = newProfile(p.clientKeyA);
        long documentId = uploadOk(pid, render(who, 12)).get("documentId").getAsLong();
        HttpResponse<String> c = confirm(p.clientKeyA, documentId, "{\"name\":\"Alex Tan\",\"userModified\":true}");
        assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
        assertThat(TestProduct.json(c).get("message").getAsString()).contains("manual review");
        assertThat(TestProduct.json(c).getAsJsonObject("data").get("manualReview").getAsBoolean()).isTrue();

        JsonObject sb = TestProduct.json(submit(p.clientKeyA, documentId));
        assertThat(sb.getAsJsonObject("data").get("status").getAsInt()).isEqualTo(3);
        assertThat(sb.get("message").getAsString()).contains("modified by the user");
        assertThat(strings(sb.getAsJsonObject("data").getAsJsonArray("reasons"))).contains("user_modified");
        assertThat(status(pid).get("overallStatus").getAsString()).isEqualTo("pending");
    }

    @Test
    void anEditIsDetectedEvenWhenTheClientSaysUnmodified() {
        SyntheticDocuments.Identity who = passport(13);
        String pid = newProfile(p.clientKeyA);
        long documentId = uploadOk(pid, render(who, 13)).get("documentId").getAsLong();
        HttpResponse<String> c = confirm(p.clientKeyA, documentId,
                "{\"birthDate\":\"" + who.birth().plusDays(1) + "\",\"userModified\":false}");
        assertThat(TestProduct.json(c).getAsJsonObject("data").get("manualReview").getAsBoolean()).isTrue();
        assertThat(TestProduct.json(c).get("message").getAsString()).contains("manual review");
        assertThat(TestProduct.json(submit(p.clientKeyA, documentId)).getAsJsonObject("data").get("status").getAsInt())
                .isEqualTo(3);
    }

    @Test
    void confirmValidatesDatesAndCountryCodes() {
        String pid = newProfile(p.clientKeyA);
        long documentId = uploadOk(pid, render(passport(14), 14)).get("documentId").getAsLong();
        for (String bad : List.of("{\"birthDate\":\"1990-13-01\"}", "{\"expiryDate\":\"31/12/2030\"}",
                "{\"nationality\":\"SG\"}", "{\"nationality\":\"XQZ\"}", "{\"birthDate\":\"2999-01-01\"}")) {
            HttpResponse<String> r = confirm(p.clientKeyA, documentId, bad);
            assertThat(r.statusCode()).as(bad + " " + r.body()).isEqualTo(400);
            assertThat(TestProduct.json(r).get("code").getAsInt()).isEqualTo(40000);
        }
        assertThat(status(pid).get("documentStatus").getAsString()).isEqualTo("uploaded");
    }

    @Test
    void aSmallSkewedScanIsReadAndAReflectionOffTheZoneIsAWarningNotARefusal() {
        // A close-up scan 600 px wide, 20 degrees askew, no outline to find, as JPEG.
        SyntheticDocuments.Identity who = passport(41);
        byte[] scan = SyntheticDocuments.jpeg(SyntheticDocuments.width(SyntheticDocuments.skew(
                SyntheticDocuments.renderCropped(who, new Random(41)), 20, 240), 600), 85);
        String pid = newProfile(p.clientKeyA);
        HttpResponse<String> r = upload(p.clientKeyA, new Multipart().text("profileId", pid).text("docType", "PASSPORT")
                .text("country", "NL").file("frontImage", "scan.jpg", "image/jpeg", scan).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject data = TestProduct.json(r).getAsJsonObject("data");
        JsonObject fields = data.getAsJsonObject("fields");
        assertThat(fields.get("name").getAsString()).isEqualTo(who.givenNames() + " " + who.surname());
        assertThat(fields.get("birthDate").getAsString()).isEqualTo(who.birth().toString());
        assertThat(fields.get("expiryDate").getAsString()).isEqualTo(who.expiry().toString());
        assertThat(data.getAsJsonObject("quality").get("documentFound").getAsBoolean()).isTrue();
        assertThat(data.getAsJsonObject("quality").get("resolution").getAsDouble()).isGreaterThanOrEqualTo(50);

        // The same scan over gRPC reads the same.
        UploadDocumentResponse g = grpc(p.clientKeyA).uploadDocument(UploadDocumentRequest.newBuilder()
                .setProfileId(newProfile(p.clientKeyA)).setDocType(DocType.Value.PASSPORT).setCountry("NL")
                .setFrontImage(ByteString.copyFrom(scan)).build());
        assertThat(g.getFields().getBirthDate()).isEqualTo(who.birth().toString());

        // A blown-out reflection on the data page, the zone untouched: stored, the glare score says so.
        SyntheticDocuments.Identity shiny = passport(42);
        byte[] glare = SyntheticDocuments.glare(SyntheticDocuments.exposure(render(shiny, 42), 0.8),
                0.55, 0.4, 0.12, 0.07);
        JsonObject gd = uploadOk(newProfile(p.clientKeyA), glare);
        assertThat(gd.get("documentId").getAsLong()).isPositive();
        assertThat(gd.getAsJsonObject("fields").get("birthDate").getAsString()).isEqualTo(shiny.birth().toString());
        assertThat(gd.getAsJsonObject("quality").get("glare").getAsDouble()).isLessThan(70);
    }

    @Test
    void anUnusableImageIs42203WithQualityAndErrorsAndLeavesNothingBehind() {
        String pid = newProfile(p.clientKeyA);
        long blobsBefore = p.blobFiles();
        HttpResponse<String> r = upload(p.clientKeyA, new Multipart().text("profileId", pid).text("docType", "ID_CARD")
                .text("country", "SG").file("frontImage", "blank.png", "image/png", blankImage()).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsInt()).isEqualTo(42203);
        assertThat(body.get("message").getAsString()).contains("cannot be used");
        JsonObject data = body.getAsJsonObject("data");
        assertThat(data.has("documentId")).as("nothing was created").isFalse();
        assertThat(data.get("errorCode").getAsString()).isEqualTo("IMAGE_QUALITY");
        assertThat(strings(data.getAsJsonArray("errors"))).contains("blurry");
        assertThat(data.getAsJsonObject("quality").get("sharpness").getAsDouble()).isLessThan(50);
        assertThat(data.getAsJsonObject("quality").get("documentFound").getAsBoolean()).isFalse();

        // Not an image at all: the intake's status, with the reason as errorCode.
        HttpResponse<String> pdf = upload(p.clientKeyA, new Multipart().text("profileId", pid).text("docType", "PASSPORT")
                .text("country", "SG").file("frontImage", "a.png", "image/png", "%PDF-1.7".getBytes()).build());
        assertThat(pdf.statusCode()).isEqualTo(415);
        assertThat(TestProduct.json(pdf).getAsJsonObject("data").get("errorCode").getAsString()).isEqualTo("NOT_AN_IMAGE");

        // A good front with an unusable back is refused as a whole.
        HttpResponse<String> back = upload(p.clientKeyA, new Multipart().text("profileId", pid).text("docType", "PASSPORT")
                .text("country", "NL").file("frontImage", "f.png", "image/png", render(passport(15), 15))
                .file("backImage", "b.png", "image/png", blankImage()).build());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(422);
        assertThat(strings(TestProduct.json(back).getAsJsonObject("data").getAsJsonArray("errors")))
                .anyMatch(e -> e.startsWith("backImage: "));

        // Bad fields are 400 before any image is read.
        HttpResponse<String> noType = upload(p.clientKeyA, new Multipart().text("profileId", pid).text("country", "SG")
                .file("frontImage", "f.png", "image/png", blankImage()).build());
        assertThat(noType.statusCode()).isEqualTo(400);
        assertThat(TestProduct.json(noType).get("message").getAsString()).contains("docType");
        HttpResponse<String> badType = upload(p.clientKeyA, new Multipart().text("profileId", pid)
                .text("docType", "LIBRARY_CARD").text("country", "SG").build());
        assertThat(badType.statusCode()).isEqualTo(400);
        HttpResponse<String> badCountry = upload(p.clientKeyA, new Multipart().text("profileId", pid)
                .text("docType", "PASSPORT").text("country", "ZZZ").file("frontImage", "f.png", "image/png",
                        blankImage()).build());
        assertThat(badCountry.statusCode()).isEqualTo(400);

        assertThat(documentRows(pid)).isZero();
        assertThat(imageRows(pid)).isZero();
        assertThat(p.blobFiles()).isEqualTo(blobsBefore);
        assertThat(status(pid).get("documentStatus").getAsString()).isEqualTo("none");
    }

    @Test
    void grpcUploadConfirmSubmitAndOtherTenantsSeeNothing() {
        SyntheticDocuments.Identity who = passport(16);
        String pid = newProfile(p.clientKeyA);
        UploadDocumentResponse up = grpc(p.clientKeyA).uploadDocument(UploadDocumentRequest.newBuilder()
                .setProfileId(pid).setDocType(DocType.Value.PASSPORT).setCountry("NLD")
                .setFrontImage(ByteString.copyFrom(render(who, 16))).build());
        assertThat(up.hasDocumentId()).isTrue();
        long documentId = up.getDocumentId();
        assertThat(up.getFields().getName()).isEqualTo(who.givenNames() + " " + who.surname());

        // Another tenant: the profile and the document do not exist.
        assertGrpc(() -> grpc(p.clientKeyB).uploadDocument(UploadDocumentRequest.newBuilder().setProfileId(pid)
                .setDocType(DocType.Value.PASSPORT).setCountry("NLD")
                .setFrontImage(ByteString.copyFrom(render(who, 16))).build()), Status.Code.NOT_FOUND);
        assertGrpc(() -> grpc(p.clientKeyB).confirmDocument(ConfirmDocumentRequest.newBuilder()
                .setDocumentId(documentId).build()), Status.Code.NOT_FOUND);
        assertGrpc(() -> grpc(p.clientKeyB).submitDocument(SubmitDocumentRequest.newBuilder()
                .setDocumentId(documentId).build()), Status.Code.NOT_FOUND);
        HttpResponse<String> other = confirm(p.clientKeyB, documentId, "{}");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(TestProduct.json(other).get("code").getAsInt()).isEqualTo(40402);
        assertThat(submit(p.clientKeyB, documentId).statusCode()).isEqualTo(404);
        assertThat(submit(p.clientKeyA, 4242L).statusCode()).isEqualTo(404);
        assertThat(submit(p.clientKeyA, 0L).statusCode()).isEqualTo(400);
        assertThat(p.call("GET", BASE + "/status/" + pid, p.clientKeyB, null).statusCode()).isEqualTo(404);

        ConfirmDocumentResponse c = grpc(p.clientKeyA).confirmDocument(ConfirmDocumentRequest.newBuilder()
                .setDocumentId(documentId).setFields(ConfirmedFields.newBuilder().setUserModified(false)).build());
        assertThat(c.getManualReview()).isFalse();
        SubmitDocumentResponse s = grpc(p.clientKeyA).submitDocument(SubmitDocumentRequest.newBuilder()
                .setDocumentId(documentId).build());
        assertThat(s.getStatus()).isEqualTo(2);
        KycStatus st = grpc(p.clientKeyA).getStatus(GetStatusRequest.newBuilder().setProfileId(pid).build())
                .getStatus();
        assertThat(st.getDocumentStatus()).isEqualTo("submitted");
        assertThat(st.getOverallStatus()).isEqualTo("pending");
    }

    @Test
    void metadataTakesADataUrlAndRefusesUrlsOffTheAllowList() {
        SyntheticDocuments.Identity who = passport(17);
        String pid = newProfile(p.clientKeyA);
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(render(who, 17));
        HttpResponse<String> r = p.call("POST", BASE + "/document", p.clientKeyA, "{\"profileId\":\"" + pid
                + "\",\"docType\":\"PASSPORT\",\"docNumber\":\"E12345678\",\"frontImageUrl\":\"" + dataUrl
                + "\",\"expiryDate\":\"" + who.expiry() + "\",\"issueCountry\":\"NL\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsInt()).isZero();
        assertThat(body.getAsJsonObject("data").get("documentId").getAsJsonPrimitive().isNumber()).isTrue();
        assertThat(body.getAsJsonObject("data").getAsJsonObject("fields").get("name").getAsString())
                .isEqualTo(who.givenNames() + " " + who.surname());

        // Bare base64 over gRPC.
        long viaGrpc = grpc(p.clientKeyA).uploadDocumentMetadata(UploadDocumentMetadataRequest.newBuilder()
                .setProfileId(pid).setDocType(DocType.Value.PASSPORT)
                .setFrontImageUrl(Base64.getEncoder().encodeToString(render(who, 17))).build()).getDocumentId();
        assertThat(viaGrpc).isPositive();
        long rowsBefore = documentRows(pid);

        // No host is allowed in the test product: every URL is refused, never fetched.
        for (String url : List.of("https://cdn.example/front.jpg", "http://127.0.0.1:1/front.jpg",
                "file:///etc/passwd", "https://169.254.169.254/latest/meta-data/")) {
            HttpResponse<String> refused = p.call("POST", BASE + "/document", p.clientKeyA, "{\"profileId\":\"" + pid
                    + "\",\"docType\":\"PASSPORT\",\"frontImageUrl\":\"" + url + "\"}");
            assertThat(refused.statusCode()).as(url).isEqualTo(400);
            assertThat(TestProduct.json(refused).get("message").getAsString()).contains("frontImageUrl");
        }
        HttpResponse<String> badDate = p.call("POST", BASE + "/document", p.clientKeyA, "{\"profileId\":\"" + pid
                + "\",\"docType\":\"PASSPORT\",\"frontImageUrl\":\"" + dataUrl + "\",\"expiryDate\":\"2030-02-30\"}");
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertGrpc(() -> grpc(p.clientKeyA).uploadDocumentMetadata(UploadDocumentMetadataRequest.newBuilder()
                .setProfileId(pid).setDocType(DocType.Value.PASSPORT).setFrontImageUrl("https://cdn.example/a.jpg")
                .build()), Status.Code.INVALID_ARGUMENT);
        assertThat(documentRows(pid)).isEqualTo(rowsBefore);
    }

    @Test
    void aSignedLivenessCallbackAloneDoesNotAutoApproveForItHasNoFaceMatch() {
        SyntheticDocuments.Identity who = passport(18);
        String pid = newProfile(p.clientKeyA);
        long documentId = uploadOk(pid, render(who, 18)).get("documentId").getAsLong();
        assertThat(confirm(p.clientKeyA, documentId, "{\"userModified\":false}").statusCode()).isEqualTo(200);

        CallbackSignature.Fields f = new CallbackSignature.Fields(pid, "prov-1", 99.0, "success", "");
        String ts = Long.toString(Instant.now().getEpochSecond());
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("x-openkyc-timestamp", Metadata.ASCII_STRING_MARSHALLER), ts);
        md.put(Metadata.Key.of("x-openkyc-signature", Metadata.ASCII_STRING_MARSHALLER), SIGNER.sign(ts, f));
        grpc(p.clientKeyA).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md)).livenessCallback(
                org.openkyc.api.kyc.v1.LivenessCallbackRequest.newBuilder().setProfileId(pid).setSessionId("prov-1")
                        .setConfidence(99.0).setResult("success").build());

        JsonObject sb = TestProduct.json(submit(p.clientKeyA, documentId));
        assertThat(sb.getAsJsonObject("data").get("status").getAsInt()).isEqualTo(2);
        assertThat(strings(sb.getAsJsonObject("data").getAsJsonArray("reasons"))).contains("face_not_matched")
                .doesNotContain("liveness_not_passed");
        JsonObject st = status(pid);
        assertThat(st.get("livenessResult").getAsString()).isEqualTo("success");
        assertThat(st.get("livenessConfidence").getAsDouble()).isEqualTo(99.0);
        assertThat(st.has("faceMatchDecision")).isFalse();
    }

    @Test
    void aPassedLivenessWithAFaceMatchAutoApprovesAndTheCaseThenTakesNoNewDocument() {
        SyntheticDocuments.Identity who = passport(19);
        String pid = newProfile(p.clientKeyA);
        long documentId = uploadOk(pid, render(who, 19)).get("documentId").getAsLong();
        assertThat(confirm(p.clientKeyA, documentId, "{}").statusCode()).isEqualTo(200);
        // What the video liveness check records (source, confidence and the face match to the portrait).
        p.product.server().database().inTransaction(s -> {
            long caseId = caseId(s.getConnection(), pid);
            LivenessMapper.ResultRow row = new LivenessMapper.ResultRow();
            row.caseId = caseId;
            row.source = "video";
            row.result = "success";
            row.confidence = 97.0;
            row.faceMatchScore = 91.0;
            row.createdAt = LocalDateTime.now(ZoneOffset.UTC);
            s.getMapper(LivenessMapper.class).insertResult(row);
            return null;
        });

        HttpResponse<String> s = submit(p.clientKeyA, documentId);
        JsonObject sb = TestProduct.json(s);
        assertThat(sb.getAsJsonObject("data").get("status").getAsInt()).as(s.body()).isEqualTo(1);
        assertThat(sb.get("message").getAsString()).contains("auto-approved");
        JsonObject st = status(pid);
        assertThat(st.get("overallStatus").getAsString()).isEqualTo("approved");
        assertThat(st.get("reviewStatus").getAsInt()).isEqualTo(2);
        assertThat(st.get("faceMatchScore").getAsDouble()).isEqualTo(91.0);
        assertThat(st.get("faceMatchDecision").getAsString()).isEqualTo("match");
        assertThat(st.has("reviewedAt")).isTrue();

        // The decision is in the history, by the key that submitted.
        HttpResponse<String> detail = p.call("GET", "/admin/kyc/detail/" + pid, p.adminKeyA, null);
        assertThat(detail.body()).contains("auto-approved");

        // A decided case takes no new document and no second submission.
        HttpResponse<String> again = upload(p.clientKeyA, new Multipart().text("profileId", pid)
                .text("docType", "PASSPORT").text("country", "NL")
                .file("frontImage", "front.png", "image/png", render(who, 19)).build());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(submit(p.clientKeyA, documentId).statusCode()).isEqualTo(409);
    }

    private static long caseId(Connection c, String pid) {
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM kyc_cases WHERE public_id = ?")) {
            st.setString(1, pid);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
