package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.DocType;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.UploadDocumentMetadataRequest;
import org.openkyc.api.kyc.v1.UploadDocumentRequest;
import org.openkyc.api.submissions.v2.GetSubmissionsRequest;
import org.openkyc.api.submissions.v2.IdType;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.submissions.v2.SubmitStep1Request;
import org.openkyc.server.document.HostileImages;
import org.openkyc.server.vision.TestVision;

/**
 * What an attacker's uploads get, through the real HTTPS gateway and over gRPC: an image strip that is
 * within the pixel limit (200 x 200,000, a small PNG that would make every analysis stage allocate for
 * its length) is refused from its header with 422 BAD_ASPECT_RATIO on step 1, the document upload and
 * the /document data: URL, leaves no case, row or blob, and the server answers the next call; heavy
 * calls beyond the server's capacity are refused with 503 and Retry-After (gRPC RESOURCE_EXHAUSTED with
 * RetryInfo) and the server serves again once they are done. This class runs its own product with
 * one heavy call at a time and no queue.
 */
class HostileUploadsIT {

    private static final String WEB = "/api/web/kycService";
    private static TestProduct p;
    private static byte[] strip;

    @BeforeAll
    static void start() {
        p = TestProduct.start("hostile", Map.of(
                "OPENKYC_VISION_CONCURRENCY", "1",
                "OPENKYC_VISION_QUEUE", "0"));
        strip = HostileImages.greyPng(200, 200_000);
    }

    @AfterAll
    static void stop() {
        if (p != null) {
            p.close();
        }
    }

    private static String email() {
        return "h" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub submissions() {
        return p.withKey(SubmissionServiceGrpc.newBlockingStub(p.channel), p.clientKeyA);
    }

    private KycServiceGrpc.KycServiceBlockingStub kyc() {
        return p.withKey(KycServiceGrpc.newBlockingStub(p.channel), p.clientKeyA);
    }

    private int casesWithEmail(String email) {
        return submissions().getSubmissions(GetSubmissionsRequest.newBuilder().setEmail(email).build()).getItemsCount();
    }

    private HttpResponse<String> step1(String email, byte[] image) {
        return p.postMultipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "SWE").text("email", email).text("idType", "passport")
                .file("idImage", "passport.png", "image/png", image).build());
    }

    private static void assertRefusedOverGrpc(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("BAD_ASPECT_RATIO");
            assertThat(TestProduct.errorInfo(e).getMetadataMap()).containsEntry("http_status", "422");
        });
    }


    @Test
    void aStripOnStep1Is422BadAspectRatioLeavesNothingAndTheServerAnswersTheNextCall() {
        assertThat(strip.length).isLessThan(200_000);
        String email = email();
        long blobs = p.blobFiles();

        HttpResponse<String> r = step1(email, strip);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(TestProduct.json(r).get("code").getAsString()).isEqualTo("UNPROCESSABLE_IMAGE");
        assertThat(TestProduct.json(r).get("message").getAsString()).contains("BAD_ASPECT_RATIO")
                .contains("too long or too narrow");
        assertRefusedOverGrpc(() -> submissions().submitStep1(SubmitStep1Request.newBuilder()
                .setIssuingCountry("SWE").setEmail(email).setIdType(IdType.Value.passport)
                .setIdImage(ByteString.copyFrom(strip)).build()));
        // The same strip lying on its side, and a 250 x 60,000 one.
        assertThat(step1(email, HostileImages.greyPng(200_000, 200)).statusCode()).isEqualTo(422);
        assertThat(step1(email, HostileImages.greyPng(250, 60_000)).statusCode()).isEqualTo(422);

        assertThat(casesWithEmail(email)).isZero();
        assertThat(p.blobFiles()).isEqualTo(blobs);

        // Healthy: a real passport right after is read.
        HttpResponse<String> ok = step1(email(), TestVision.resource("passport-td3-specimen.png"));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(TestProduct.json(ok).getAsJsonObject("reviewOCRData").get("ocr_name").getAsString())
                .isEqualTo("ANNA MARIA ERIKSSON");
    }

    @Test
    void aStripAsADocumentUploadOrDataUrlIs422WithTheReasonAndLeavesNothing() {
        String pid = p.createProfile(p.clientKeyA, "user_" + UUID.randomUUID().toString().substring(0, 8));
        long blobs = p.blobFiles();

        HttpResponse<String> upload = p.postMultipart(WEB + "/document/upload", p.clientKeyA, new Multipart()
                .text("profileId", pid).text("docType", "PASSPORT").text("country", "SG")
                .file("frontImage", "front.png", "image/png", strip).build());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(422);
        var data = TestProduct.json(upload).getAsJsonObject("data");
        assertThat(data.get("errorCode").getAsString()).isEqualTo("BAD_ASPECT_RATIO");
        assertThat(data.has("documentId")).isFalse();
        assertThat(data.getAsJsonArray("errors").toString()).contains("frontImage: bad_aspect_ratio");

        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(strip);
        HttpResponse<String> byUrl = p.call("POST", WEB + "/document", p.clientKeyA, "{\"profileId\":\"" + pid
                + "\",\"docType\":\"PASSPORT\",\"frontImageUrl\":\"" + dataUrl + "\"}");
        assertThat(byUrl.statusCode()).as(byUrl.body()).isEqualTo(422);
        assertThat(TestProduct.json(byUrl).getAsJsonObject("data").get("errorCode").getAsString())
                .isEqualTo("BAD_ASPECT_RATIO");

        assertRefusedOverGrpc(() -> kyc().uploadDocument(UploadDocumentRequest.newBuilder().setProfileId(pid)
                .setDocType(DocType.Value.PASSPORT).setCountry("SG").setFrontImage(ByteString.copyFrom(strip))
                .build()));
        assertRefusedOverGrpc(() -> kyc().uploadDocumentMetadata(UploadDocumentMetadataRequest.newBuilder()
                .setProfileId(pid).setDocType(DocType.Value.PASSPORT)
                .setFrontImageUrl(Base64.getEncoder().encodeToString(strip)).build()));

        assertThat(p.caseRows("kyc_documents", pid)).isZero();
        assertThat(p.caseRows("kyc_images", pid)).isZero();
        assertThat(p.blobFiles()).isEqualTo(blobs);
        HttpResponse<String> status = p.call("GET", WEB + "/status/" + pid, p.clientKeyA, null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(TestProduct.json(status).getAsJsonObject("data").getAsJsonObject("status")
                .get("documentStatus").getAsString()).isEqualTo("none");
    }

    @Test
    void heavyCallsBeyondCapacityAre503WithRetryAfterAndTheServerServesAgainAfterwards() throws Exception {
        byte[] specimen = TestVision.resource("passport-td3-specimen.png");
        int calls = 8;
        List<CompletableFuture<HttpResponse<String>>> rest = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(p.url("/v2/submission/step1")))
                    .timeout(Duration.ofSeconds(120)).header("x-api-key", p.clientKeyA)
                    .header("content-type", Multipart.CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new Multipart().text("issuingCountry", "SWE")
                            .text("email", email()).text("idType", "passport")
                            .file("idImage", "passport.png", "image/png", specimen).build()))
                    .build();
            rest.add(p.http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int busy = 0;
        for (CompletableFuture<HttpResponse<String>> f : rest) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as(r.body()).isIn(200, 503);
            if (r.statusCode() == 503) {
                busy++;
                assertThat(r.headers().firstValue("retry-after")).hasValueSatisfying(
                        v -> assertThat(Long.parseLong(v)).isPositive());
                assertThat(TestProduct.json(r).get("code").getAsString()).isEqualTo("SERVER_BUSY");
                assertThat(TestProduct.json(r).get("message").getAsString()).contains("busy");
            } else {
                ok++;
            }
        }
        assertThat(busy).as("one heavy call at a time, none waiting: concurrent ones are refused").isPositive();
        assertThat(ok).isPositive();

        // The same over gRPC: RESOURCE_EXHAUSTED with RetryInfo.
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            List<Future<Status.Code>> grpc = new ArrayList<>();
            List<StatusRuntimeException> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < calls; i++) {
                grpc.add(pool.submit(() -> {
                    try {
                        submissions().submitStep1(SubmitStep1Request.newBuilder().setIssuingCountry("SWE")
                                .setEmail(email()).setIdType(IdType.Value.passport)
                                .setIdImage(ByteString.copyFrom(specimen)).build());
                        return Status.Code.OK;
                    } catch (StatusRuntimeException e) {
                        refusals.add(e);
                        return e.getStatus().getCode();
                    }
                }));
            }
            for (Future<Status.Code> f : grpc) {
                assertThat(f.get()).isIn(Status.Code.OK, Status.Code.RESOURCE_EXHAUSTED);
            }
            assertThat(refusals).isNotEmpty().allSatisfy(e -> {
                assertThat(TestProduct.errorInfo(e).getReason()).isEqualTo("SERVER_BUSY");
                assertThat(StatusProto.fromThrowable(e).getDetailsList()).anyMatch(d -> d.is(RetryInfo.class));
            });
        } finally {
            pool.shutdownNow();
        }

        // Every turn was given back: calls one after another all succeed.
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> after = step1(email(), specimen);
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        }
        // Light calls were never limited.
        assertThat(p.call("GET", "/v2/submission?submission_id=nosuchsubmission0", p.clientKeyA, null).statusCode())
                .isIn(200, 404);
    }
}
