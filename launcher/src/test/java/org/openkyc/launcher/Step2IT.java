package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openkyc.launcher.People.ASTRONAUT;
import static org.openkyc.launcher.People.HOPPER;
import static org.openkyc.launcher.People.person;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openkyc.api.submissions.v2.GetApplicantSubmissionsRequest;
import org.openkyc.api.submissions.v2.GetSubmissionsRequest;
import org.openkyc.api.submissions.v2.KycResult;
import org.openkyc.api.submissions.v2.Submission;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.submissions.v2.SubmitStep2Request;
import org.openkyc.api.submissions.v2.SubmitStep2Response;
import org.openkyc.api.submissions.v2.VerificationResult;
import org.openkyc.launcher.People.Person;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.auth.Role;
import org.openkyc.server.document.ImageIntake;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.face.FaceEngine;
import org.openkyc.server.face.FaceMatch;
import org.openkyc.server.face.Portrait;
import org.openkyc.server.face.SelfieAnalysis;
import org.openkyc.server.kyc.DecisionRules;
import org.openkyc.server.kyc.StatusChange;
import org.openkyc.server.kyc.Step2Service;
import org.openkyc.server.screening.AmlReportRenderer;
import org.openkyc.server.screening.IndexedSanctionsScreener;
import org.openkyc.server.screening.ScreeningService;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.EncryptedFileBlobStore;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.document.SyntheticDocuments;
import org.openkyc.server.vision.TestVision;

/**
 * Submission step 2 (docs/API.md A4), applicants (A2), the identity registry and the screening that follows a
 * completed step 2, as a client does it: multipart uploads over HTTPS through the gateway and the same calls
 * over gRPC. Documents are synthetic TD3 passports printed in OCR-B with a real portrait (the astronaut);
 * selfies are the astronaut (the holder) and Grace Hopper (someone else).
 */
class Step2IT {

    private final TestProduct p = TestProduct.get();

    /** The confirmed fields of the person's passport, with the selfie. */
    private static Multipart confirmed(Person who, String submissionId, byte[] selfie) {
        return new Multipart().text("submissionId", submissionId).file("faceImage", "f", "image/png", selfie)
                .text("name", who.name()).text("date_of_birth", who.id().birth().toString())
                .text("gender", who.gender()).text("nationality", who.id().nationality());
    }

    private HttpResponse<String> step2(String key, Multipart form) {
        return p.postMultipart("/v2/submission/step2", key, form);
    }

    private String step1(String key, Person who) {
        HttpResponse<String> r = p.postMultipart("/v2/submission/step1", key, new Multipart()
                .text("issuingCountry", "NLD")
                .text("email", "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                .text("idType", "passport").file("idImage", "f", "image/png", who.passport()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = TestProduct.json(r);
        assertThat(body.getAsJsonObject("reviewOCRData").get("ocr_name").getAsString()).isEqualTo(who.name());
        return body.get("submissionId").getAsString();
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub grpc(String key) {
        return p.withKey(SubmissionServiceGrpc.newBlockingStub(p.channel), key);
    }

    private Submission submission(String key, String id) {
        return grpc(key).getSubmissions(GetSubmissionsRequest.newBuilder().setSubmissionId(id).build()).getItems(0);
    }

    private JsonObject submissionJson(String key, String id) {
        HttpResponse<String> r = p.call("GET", "/v2/submission?submission_id=" + id, key, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestProduct.json(r).getAsJsonArray("Items").get(0).getAsJsonObject();
    }

    private byte[] dataKey() {
        try {
            return java.util.Base64.getDecoder().decode(Files.readString(p.home.resolve("keys/data.key")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Three faces side by side, as a group photo would show them. */
    private static byte[] threeFaces() throws IOException {
        BufferedImage a = ImageIO.read(new ByteArrayInputStream(ASTRONAUT));
        BufferedImage h = ImageIO.read(new ByteArrayInputStream(HOPPER));
        BufferedImage out = new BufferedImage(1500, 560, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(120, 130, 140));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(a, 0, 20, 500, 500, null);
        g.drawImage(h, 500, 20, 420, 500, null);
        g.drawImage(a, 960, 20, 500, 500, null);
        g.dispose();
        return png(out);
    }

    /** A photo without a face: a wall with shapes. */
    private static byte[] noFace() {
        BufferedImage out = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        for (int y = 0; y < 600; y++) {
            g.setColor(new Color(90 + y / 8, 100 + y / 10, 80 + y / 12));
            g.drawLine(0, y, 799, y);
        }
        g.setColor(new Color(40, 60, 160));
        g.fillRect(100, 100, 250, 180);
        g.setColor(new Color(200, 60, 40));
        g.fillOval(450, 250, 200, 120);
        g.dispose();
        return png(out);
    }

    @Test
    void aPassportAndTheHoldersSelfieAreApprovedScreenedAndServed() {
        Person anna = person("LINDQVIST", "SIGRID", "NX4827165", LocalDate.of(1988, 4, 12));
        String id = step1(p.clientKeyA, anna);

        HttpResponse<String> r = step2(p.clientKeyA, confirmed(anna, id, ASTRONAUT)
                .text("date_of_expiry", anna.id().expiry().toString()).text("document_number", "nx 4827165"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("verificationResult").getAsString()).isEqualTo("success");
        assertThat(body.get("faceSimilarityScore").getAsInt()).isGreaterThanOrEqualTo(90);
        assertThat(body.get("livenessScore").getAsInt()).isGreaterThanOrEqualTo(50);
        assertThat(body.get("kycStatus").getAsString()).isEqualTo("approved");
        assertThat(body.get("retryCount").getAsInt()).isZero();
        assertThat(body.has("retry") ? body.getAsJsonArray("retry").size() : 0).isZero();
        assertThat(body.get("registryCheck").getAsString()).isEqualTo("skipped");

        // A1: the attempt, the decision and the screening.
        JsonObject item = submissionJson(p.clientKeyA, id);
        JsonObject kyc = item.getAsJsonObject("kyc");
        assertThat(kyc.get("result").getAsString()).isEqualTo("approved");
        JsonArray attempts = kyc.getAsJsonArray("attempts");
        assertThat(attempts).hasSize(1);
        JsonObject a = attempts.get(0).getAsJsonObject();
        assertThat(a.get("attemptCnt").getAsInt()).isEqualTo(1);
        assertThat(a.get("verificationResult").getAsString()).isEqualTo("success");
        assertThat(a.get("faceSimilarityScore").getAsInt()).isEqualTo(body.get("faceSimilarityScore").getAsInt());
        assertThat(a.has("retryMsg")).isFalse();
        JsonObject params = a.getAsJsonObject("verificationParams");
        assertThat(params.get("fullName").getAsString()).isEqualTo("SIGRID LINDQVIST");
        assertThat(params.get("idType").getAsString()).isEqualTo("passport");
        assertThat(params.get("identityNumber").getAsString()).startsWith("nx ").doesNotContain("4827165");
        // Audited: step 2 completed, then approved by the rules, both by the caller's key.
        long acme = p.product.server().tenants().ensureTenant("acme");
        List<StatusChange> history = p.product.server().cases().history(new Caller(acme, "reader", Role.CLIENT), id,
                DomainException::submissionNotFound);
        assertThat(history).extracting(StatusChange::to).containsExactly(org.openkyc.server.kyc.CaseStatus.INCOMPLETE,
                org.openkyc.server.kyc.CaseStatus.PENDING, org.openkyc.server.kyc.CaseStatus.APPROVED);
        assertThat(history.get(2).actor()).startsWith("key:").isEqualTo(history.get(0).actor());
        // The face kept for applicant matching is stored sealed with the case key (first byte 2), which DELETE
        // destroys.
        byte[] face = p.product.server().database().read(s -> {
            try (java.sql.PreparedStatement st = s.getConnection().prepareStatement("SELECT e.embedding_enc"
                    + " FROM kyc_face_embeddings e JOIN kyc_cases c ON c.id = e.case_id WHERE c.public_id = ?")) {
                st.setString(1, id);
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(face).isNotNull();
        assertThat(face[0]).isEqualTo((byte) 2);
        JsonObject aml = item.getAsJsonObject("aml");
        assertThat(aml.get("result").getAsString()).isEqualTo("clear");
        String resourceId = aml.get("resourceId").getAsString();

        // A7 serves the screening's report; A8 the selfie kept with the successful attempt.
        HttpResponse<String> report = p.call("GET", "/v2/report/aml?resourceId=" + resourceId, p.clientKeyA, null);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/pdf"));
        var selfie = grpc(p.clientKeyA).getImage(org.openkyc.api.submissions.v2.GetImageRequest.newBuilder()
                .setSubmissionId(id).setType("selfieImage").build());
        assertThat(selfie.getContentType()).isEqualTo("image/png");
        assertThat(selfie.getData().toByteArray()).isEqualTo(ASTRONAUT);

        // A decided submission takes no more attempts and records nothing.
        long blobs = p.blobFiles();
        HttpResponse<String> again = step2(p.clientKeyA, confirmed(anna, id, ASTRONAUT));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(TestProduct.json(again).get("code").getAsString()).isEqualTo("CONFLICT");
        assertThat(submission(p.clientKeyA, id).getKyc().getAttemptsCount()).isEqualTo(1);
        assertThat(p.blobFiles()).isEqualTo(blobs);

        // Another tenant does not see it: 404, and nothing recorded.
        HttpResponse<String> other = step2(p.clientKeyB, confirmed(anna, id, ASTRONAUT));
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(TestProduct.json(other).get("code").getAsString()).isEqualTo("SUBMISSION_NOT_FOUND");
    }

    @Test
    void threeFailedAttemptsRejectTheSubmissionAndAFourthIsRefused() throws Exception {
        Person who = person("OKONKWO", "CHIOMA ADA", "KP7731902", LocalDate.of(1979, 11, 3));
        String id = step1(p.clientKeyA, who);
        long blobs = p.blobFiles();

        // Two attempts with someone else's face at the same time: numbered one after the other.
        SubmitStep2Request hopper = SubmitStep2Request.newBuilder().setSubmissionId(id)
                .setFaceImage(ByteString.copyFrom(HOPPER)).setName(who.name())
                .setDateOfBirth(who.id().birth().toString()).build();
        CompletableFuture<SubmitStep2Response> first = CompletableFuture.supplyAsync(() ->
                grpc(p.clientKeyA).submitStep2(hopper));
        CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() ->
                step2(p.clientKeyA, confirmed(who, id, HOPPER)));
        SubmitStep2Response g = first.get();
        HttpResponse<String> h = second.get();
        assertThat(g.getKycStatus()).isEqualTo(KycResult.Value.incomplete);
        assertThat(g.hasVerificationResult()).isFalse();
        assertThat(g.getRetry7List()).extracting(x -> x.getRetryCode()).containsExactly("face_mismatch");
        assertThat(g.getFaceSimilarityScore()).isLessThan(60);
        assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
        JsonObject hb = TestProduct.json(h);
        assertThat(hb.get("kycStatus").getAsString()).isEqualTo("incomplete");
        assertThat(hb.get("message").getAsString()).contains("does not match the portrait");
        assertThat(List.of(g.getRetryCount5(), hb.get("retryCount").getAsInt())).containsExactlyInAnyOrder(1, 2);

        HttpResponse<String> third = step2(p.clientKeyA, confirmed(who, id, HOPPER));
        assertThat(third.statusCode()).as(third.body()).isEqualTo(200);
        JsonObject tb = TestProduct.json(third);
        assertThat(tb.get("kycStatus").getAsString()).isEqualTo("rejected");
        assertThat(tb.get("retryCount").getAsInt()).isEqualTo(3);
        assertThat(tb.getAsJsonArray("retry").get(0).getAsJsonObject().get("retryCode").getAsString())
                .isEqualTo("face_mismatch");
        assertThat(tb.get("message").getAsString()).contains("rejected");

        Submission s = submission(p.clientKeyA, id);
        assertThat(s.getKyc().getResult()).isEqualTo(KycResult.Value.rejected);
        assertThat(s.getKyc().getCommentCodeList()).containsExactly("too_many_retry");
        assertThat(s.getKyc().getCommentList()).hasSize(1);
        assertThat(s.getKyc().getAttemptsList()).extracting(x -> x.getAttemptCnt()).containsExactly(1, 2, 3);
        assertThat(s.getKyc().getAttemptsList()).allSatisfy(x -> {
            assertThat(x.getVerificationResult()).isEqualTo(VerificationResult.Value.fail);
            assertThat(x.getRetryMsg()).contains("does not match");
            assertThat(x.hasFaceSimilarityScore()).isTrue();
        });
        assertThat(s.hasAml()).isFalse();

        // The 4th call is refused; failed attempts keep no selfie.
        assertThatThrownBy(() -> grpc(p.clientKeyA).submitStep2(hopper))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThat(submission(p.clientKeyA, id).getKyc().getAttemptsCount()).isEqualTo(3);
        assertThat(p.blobFiles()).isEqualTo(blobs);
        HttpResponse<String> image = p.call("GET", "/v2/image?submission_id=" + id + "&type=selfieImage",
                p.clientKeyA, null);
        assertThat(image.statusCode()).isEqualTo(404);
    }

    @Test
    void facesFieldsAndLivenessAreEachNamedInTheRetryList() throws Exception {
        Person who = person("ROSSI", "GIULIA", "YB2094418", LocalDate.of(1992, 2, 29));
        String id = step1(p.clientKeyA, who);

        HttpResponse<String> three = step2(p.clientKeyA, confirmed(who, id, threeFaces()));
        assertThat(three.statusCode()).as(three.body()).isEqualTo(200);
        JsonObject b = TestProduct.json(three);
        assertThat(b.get("kycStatus").getAsString()).isEqualTo("incomplete");
        assertThat(b.get("retryCount").getAsInt()).isEqualTo(1);
        assertThat(codes(b)).containsExactly("too_many_faces");
        assertThat(b.has("faceSimilarityScore")).isFalse();
        assertThat(b.has("livenessScore")).isFalse();

        HttpResponse<String> none = step2(p.clientKeyA, confirmed(who, id, noFace()));
        b = TestProduct.json(none);
        assertThat(codes(b)).containsExactly("no_face");
        assertThat(b.get("retryCount").getAsInt()).isEqualTo(2);

        // The holder's face, but a birth date and name the document does not show.
        HttpResponse<String> fields = step2(p.clientKeyA, new Multipart().text("submissionId", id)
                .file("faceImage", "f", "image/png", ASTRONAUT).text("name", "Giulia Bianchi")
                .text("date_of_birth", "1992-03-01"));
        b = TestProduct.json(fields);
        assertThat(codes(b)).containsExactly("fields_mismatch");
        assertThat(b.getAsJsonArray("retry").get(0).getAsJsonObject().get("retryMsg").getAsString())
                .contains("name, date_of_birth");
        assertThat(b.get("faceSimilarityScore").getAsInt()).isGreaterThanOrEqualTo(60);
        assertThat(b.get("kycStatus").getAsString()).isEqualTo("rejected");

        JsonObject kyc = submissionJson(p.clientKeyA, id).getAsJsonObject("kyc");
        JsonArray attempts = kyc.getAsJsonArray("attempts");
        assertThat(attempts).hasSize(3);
        // Scores that were not measured are absent, not 0.
        assertThat(attempts.get(0).getAsJsonObject().has("livenessScore")).isFalse();
        assertThat(attempts.get(1).getAsJsonObject().has("faceSimilarityScore")).isFalse();
        assertThat(attempts.get(2).getAsJsonObject().get("livenessScore").getAsInt()).isPositive();
        assertThat(kyc.getAsJsonArray("commentCode").get(0).getAsString()).isEqualTo("too_many_retry");
    }

    private static List<String> codes(JsonObject body) {
        return body.getAsJsonArray("retry").asList().stream()
                .map(e -> e.getAsJsonObject().get("retryCode").getAsString()).toList();
    }

    @Test
    void badInputIsAClear4xxAndRecordsNothing() {
        Person who = person("KOWALSKI", "AGNIESZKA", "EA5518230", LocalDate.of(1985, 7, 21));
        String id = step1(p.clientKeyA, who);
        long blobs = p.blobFiles();
        record Bad(Multipart form, int status, String message) {}
        List<Bad> bad = List.of(
                new Bad(new Multipart().text("submissionId", id).file("faceImage", "f", "image/png", ASTRONAUT)
                        .text("date_of_birth", "1985-07-21"), 400, "name is required"),
                new Bad(new Multipart().text("submissionId", id).file("faceImage", "f", "image/png", ASTRONAUT)
                        .text("name", who.name()), 400, "date_of_birth is required"),
                new Bad(confirmed(who, id, ASTRONAUT).text("date_of_issue", "2020-02-30"), 400,
                        "date_of_issue must be a date"),
                new Bad(new Multipart().text("submissionId", id).file("faceImage", "f", "image/png", ASTRONAUT)
                        .text("name", who.name()).text("date_of_birth", "21/07/1985"), 400, "date_of_birth must be"),
                new Bad(new Multipart().text("submissionId", id).file("faceImage", "f", "image/png", ASTRONAUT)
                        .text("name", who.name()).text("date_of_birth", "1985-07-21").text("nationality", "NL"),
                        400, "nationality must be"),
                new Bad(new Multipart().text("submissionId", id).file("faceImage", "f", "image/png", ASTRONAUT)
                        .text("name", who.name()).text("date_of_birth", "1985-07-21").text("nationality", "XYZ"),
                        400, "nationality must be"),
                new Bad(new Multipart().text("submissionId", id).file("faceImage", "f", "image/png", ASTRONAUT)
                        .text("name", who.name()).text("date_of_birth", "1985-07-21").text("gender", "x"),
                        400, "gender must be"),
                new Bad(new Multipart().text("submissionId", id).text("name", who.name())
                        .text("date_of_birth", "1985-07-21"), 400, "faceImage is required"),
                new Bad(new Multipart().file("faceImage", "f", "image/png", ASTRONAUT).text("name", who.name())
                        .text("date_of_birth", "1985-07-21"), 400, "submissionId is required"),
                new Bad(confirmed(who, "nosuchsubmission1", ASTRONAUT), 404, "not found"),
                new Bad(confirmed(who, id, "%PDF-1.7 not an image".getBytes(StandardCharsets.UTF_8)), 415,
                        "faceImage"),
                new Bad(confirmed(who, id, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0}), 422,
                        "faceImage"));
        for (Bad b : bad) {
            HttpResponse<String> r = step2(p.clientKeyA, b.form());
            assertThat(r.statusCode()).as(b.message() + ": " + r.body()).isEqualTo(b.status());
            assertThat(TestProduct.json(r).get("message").getAsString()).contains(b.message());
        }
        assertThat(step2(p.clientKeyB, confirmed(who, id, ASTRONAUT)).statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> grpc(p.clientKeyA).submitStep2(SubmitStep2Request.newBuilder().setSubmissionId(id)
                .setFaceImage(ByteString.copyFrom(ASTRONAUT)).setName(" ").setDateOfBirth("1985-07-21").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        Submission s = submission(p.clientKeyA, id);
        assertThat(s.getKyc().getAttemptsCount()).isZero();
        assertThat(s.getKyc().getResult()).isEqualTo(KycResult.Value.incomplete);
        assertThat(p.blobFiles()).isEqualTo(blobs);
    }

    @Test
    void withoutSanctionsListsTheScreeningStaysPendingAndAReviewerDecides() {
        Person who = person("BJORK", "SIGRID", "SE7720931", LocalDate.of(1981, 6, 6));
        String id = step1(p.clientKeyA, who);
        var server = p.product.server();
        long acme = server.tenants().ensureTenant("acme");
        Caller caller = new Caller(acme, "step2-test", Role.CLIENT);
        // The same journey over the product's database, with no sanctions list and a face engine that
        // always sees the holder (this test is about the screening, not the face).
        float[] face = new float[512];
        face[0] = 1;
        FaceEngine holder = new FaceEngine() {
            @Override
            public SelfieAnalysis analyzeSelfie(byte[] image) {
                return new SelfieAnalysis(1, null, face, 92, 50, true);
            }

            @Override
            public Optional<Portrait> portraitFromDocument(byte[] documentImage) {
                return Optional.of(new Portrait(null, face, new byte[0]));
            }

            @Override
            public FaceMatch compare(float[] a, float[] b) {
                return new FaceMatch(1, 99.5, 60, true);
            }

            @Override
            public FaceMatch matchSelfieToDocument(byte[] selfie, byte[] documentImage) {
                return compare(face, face);
            }

            @Override
            public void close() {
            }
        };
        Clock clock = Clock.systemUTC();
        IndexedSanctionsScreener noLists = new IndexedSanctionsScreener(Optional.empty(), 0.92, 0.8, clock);
        Path blobDir = p.home.resolve("blobs");
        AesGcm aes = new AesGcm(dataKey());
        // The product's blob store: each blob under a key of its own, sealed with its case's key.
        Step2Service service = new Step2Service(server.database(),
                new org.openkyc.server.storage.CaseSealedBlobs(new EncryptedFileBlobStore(blobDir, aes)), aes,
                holder, new ImageIntake(TestVision.config()), server.identityRegistry(),
                new ScreeningService(server.database(), noLists, aes, new AmlReportRenderer(List.of()), clock),
                new DecisionRules(new DecisionRules.Settings(true, 60, 50, 3)), server.cases(), clock);

        Step2Service.Step2Result r = service.step2(caller, new Step2Service.Step2(id, ASTRONAUT, who.name(),
                who.id().birth().toString(), null, null, null, null, null, null));
        assertThat(r.success()).isTrue();
        assertThat(r.kycStatus()).isEqualTo(org.openkyc.server.kyc.CaseStatus.PENDING);

        JsonObject item = submissionJson(p.clientKeyA, id);
        assertThat(item.getAsJsonObject("aml").get("result").getAsString()).isEqualTo("pending");
        assertThat(item.getAsJsonObject("aml").has("resourceId")
                && !item.getAsJsonObject("aml").get("resourceId").getAsString().isEmpty()).isFalse();
        JsonObject kyc = item.getAsJsonObject("kyc");
        assertThat(kyc.get("result").getAsString()).isEqualTo("pending");
        assertThat(kyc.getAsJsonArray("commentCode").asList().stream().map(e -> e.getAsString()))
                .contains("screening_not_clear", "screening_unavailable");
        List<StatusChange> history = server.cases().history(caller, id, DomainException::submissionNotFound);
        assertThat(history).extracting(StatusChange::to).containsExactly(
                org.openkyc.server.kyc.CaseStatus.INCOMPLETE, org.openkyc.server.kyc.CaseStatus.PENDING);
        assertThat(history.get(1).actor()).isEqualTo("key:step2-test");

        // A pending submission takes no more attempts.
        HttpResponse<String> again = step2(p.clientKeyA, confirmed(who, id, ASTRONAUT));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(TestProduct.json(again).get("message").getAsString()).contains("already pending");
        assertThat(submission(p.clientKeyA, id).getKyc().getAttemptsCount()).isEqualTo(1);
    }

    @Test
    void aDocumentWhoseZoneFailsItsChecksTakesTheConfirmedFieldsAndWaitsForAReviewer() throws IOException {
        Person who = person("DUBOIS", "MARIE CLAIRE", "FR6610284", LocalDate.of(1969, 12, 1));
        String line2 = who.id().lines().get(1);
        char wrong = line2.charAt(19) == '0' ? '1' : '0';  // the birth date's check digit
        List<String> broken = List.of(who.id().lines().get(0), line2.substring(0, 19) + wrong + line2.substring(20));
        SyntheticDocuments.Identity id = new SyntheticDocuments.Identity(MrzFormat.TD3, "P", "NLD", "DUBOIS",
                "MARIE CLAIRE", "FR6610284", "NLD", who.id().birth(), "F", who.id().expiry(), "", broken);
        byte[] passport = SyntheticDocuments.render(id, ImageIO.read(new ByteArrayInputStream(ASTRONAUT)),
                new Random(5));
        HttpResponse<String> r1 = p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "NLD").text("email", "marie@example.com").text("idType", "passport")
                .file("idImage", "f", "image/png", passport));
        assertThat(r1.statusCode()).as(r1.body()).isEqualTo(200);
        String sid = TestProduct.json(r1).get("submissionId").getAsString();
        assertThat(TestProduct.json(r1).getAsJsonObject("reviewOCRData").has("ocr_name")).isFalse();

        HttpResponse<String> r = step2(p.clientKeyA, new Multipart().text("submissionId", sid)
                .file("faceImage", "f", "image/png", ASTRONAUT).text("name", "Marie-Claire Dubois")
                .text("date_of_birth", "1969-12-01").text("gender", "female").text("nationality", "FRA"));
        JsonObject b = TestProduct.json(r);
        assertThat(b.get("verificationResult").getAsString()).as(r.body()).isEqualTo("success");
        assertThat(b.get("kycStatus").getAsString()).isEqualTo("pending");

        JsonObject item = submissionJson(p.clientKeyA, sid);
        JsonObject data = item.getAsJsonObject("data");
        assertThat(data.get("name").getAsString()).isEqualTo("Marie-Claire Dubois");
        assertThat(data.get("date_of_birth").getAsString()).isEqualTo("1969-12-01");
        assertThat(data.get("nationality").getAsString()).isEqualTo("FRA");
        assertThat(data.get("gender").getAsString()).isEqualTo("female");
        assertThat(item.getAsJsonObject("kyc").getAsJsonArray("commentCode").asList().stream()
                .map(e -> e.getAsString())).contains("mrz_not_verified", "expiry_unknown")
                .doesNotContain("screening_unavailable");
        assertThat(item.getAsJsonObject("aml").get("result").getAsString()).isEqualTo("clear");
    }

    @Test
    void theIdentityRegistryIsCheckedWhenTheTenantLoadedOne() {
        // A tenant of its own, so that its registry does not touch the other tests.
        var tenants = p.product.server().tenants();
        String tenant = "registry-" + UUID.randomUUID().toString().substring(0, 8);
        long tenantId = tenants.createTenant(tenant);
        String key = tenants.issueKey(tenant, Role.CLIENT, "test").secret();
        Person listed = person("SILVA", "JOAO PEDRO", "BR8820417", LocalDate.of(1990, 9, 9));
        Person absent = person("TANAKA", "YUKI", "TK1180095", LocalDate.of(1983, 1, 30));
        int loaded = p.product.server().identityRegistry().load(tenantId, String.join("\n",
                "name,date_of_birth,nationality,gender,identity_number,document_number",
                "\"Silva, Joao Pedro\",1990-09-09,NLD,female,900909-2345678,BR8820417",
                "Someone Else,1970-01-01,KOR,male,700101-1234567,"));
        assertThat(loaded).isEqualTo(2);

        String id = step1(key, listed);
        HttpResponse<String> wrong = step2(key, confirmed(listed, id, ASTRONAUT)
                .text("identity_number", "900909-2345679"));
        JsonObject b = TestProduct.json(wrong);
        assertThat(codes(b)).containsExactly("registry_mismatch");
        assertThat(b.get("registryCheck").getAsString()).isEqualTo("mismatch");
        assertThat(b.getAsJsonArray("retry").get(0).getAsJsonObject().get("retryMsg").getAsString())
                .contains("identity_number").doesNotContain("900909");
        HttpResponse<String> right = step2(key, confirmed(listed, id, ASTRONAUT)
                .text("identity_number", "900909-2345678"));
        b = TestProduct.json(right);
        assertThat(b.get("verificationResult").getAsString()).as(right.body()).isEqualTo("success");
        assertThat(b.get("registryCheck").getAsString()).isEqualTo("match");
        assertThat(b.get("retryCount").getAsInt()).isEqualTo(1);
        JsonObject item = submissionJson(key, id);
        // The confirmed identity number becomes the submission's, masked.
        assertThat(item.getAsJsonObject("data").get("identityNumber").getAsString()).isEqualTo("900909-2******");
        JsonArray attempts = item.getAsJsonObject("kyc").getAsJsonArray("attempts");
        assertThat(attempts.get(0).getAsJsonObject().get("registryCheck").getAsString()).isEqualTo("mismatch");
        assertThat(attempts.get(1).getAsJsonObject().get("registryCheck").getAsString()).isEqualTo("match");

        String other = step1(key, absent);
        b = TestProduct.json(step2(key, confirmed(absent, other, ASTRONAUT)));
        assertThat(codes(b)).containsExactly("not_in_registry");
        assertThat(b.get("registryCheck").getAsString()).isEqualTo("not_found");
    }

    @Test
    void theSamePersonWithTheSameFaceIsOneApplicant() {
        Person who = person("MARTINEZ", "ELENA", "ES3349071", LocalDate.of(1975, 5, 5));
        String first = step1(p.clientKeyA, who);
        String second = step1(p.clientKeyA, who);
        for (String id : List.of(first, second)) {
            HttpResponse<String> r = step2(p.clientKeyA, confirmed(who, id, ASTRONAUT));
            assertThat(TestProduct.json(r).get("kycStatus").getAsString()).as(r.body()).isEqualTo("approved");
        }
        String applicant = submission(p.clientKeyA, first).getApplicantId();
        assertThat(submission(p.clientKeyA, second).getApplicantId()).isEqualTo(applicant);

        HttpResponse<String> r = p.call("GET", "/v2/submission/applicant?applicant_id=" + applicant, p.clientKeyA,
                null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("Count").getAsInt()).isEqualTo(2);
        assertThat(body.getAsJsonArray("Items").asList().stream()
                .map(e -> e.getAsJsonObject().get("submission_id").getAsString()))
                .containsExactly(second, first);
        assertThat(body.getAsJsonArray("Items").get(0).getAsJsonObject().getAsJsonObject("kyc")
                .get("result").getAsString()).isEqualTo("approved");
        var grpcAnswer = grpc(p.clientKeyA).getApplicantSubmissions(GetApplicantSubmissionsRequest.newBuilder()
                .setApplicantId(applicant).build());
        assertThat(grpcAnswer.getCount()).isEqualTo(2);

        // Another tenant, an unknown applicant: 404 with the family's error body; no id: 400.
        HttpResponse<String> other = p.call("GET", "/v2/submission/applicant?applicant_id=" + applicant,
                p.clientKeyB, null);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(TestProduct.json(other).get("code").getAsString()).isEqualTo("NOT_FOUND");
        assertThat(p.call("GET", "/v2/submission/applicant?applicant_id=nosuchapplicant", p.clientKeyA, null)
                .statusCode()).isEqualTo(404);
        assertThat(p.call("GET", "/v2/submission/applicant", p.clientKeyA, null).statusCode()).isEqualTo(400);

        // A deleted submission leaves the applicant, with its face data gone (ON DELETE CASCADE).
        assertThat(p.call("DELETE", "/v2/submission?submission_id=" + second, p.clientKeyA, null).statusCode())
                .isEqualTo(200);
        JsonObject after = TestProduct.json(p.call("GET", "/v2/submission/applicant?applicant_id=" + applicant,
                p.clientKeyA, null));
        assertThat(after.get("Count").getAsInt()).isEqualTo(1);
        assertThat(p.call("GET", "/v2/image?submission_id=" + second + "&type=selfieImage", p.clientKeyA, null)
                .statusCode()).isEqualTo(404);
    }
}
