package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.DocType;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.UploadDocumentRequest;
import org.openkyc.server.storage.SeaweedFs;

/**
 * The product with its images in an S3-compatible object store (OPENKYC_BLOB_STORE=s3) on a real SeaweedFS
 * that checks the access key: a document upload journey through the HTTPS gateway keeps only ciphertext in
 * the bucket, the image reads back exactly, and deleting the case leaves no object behind. While the store is
 * down an upload is answered 503 with Retry-After (gRPC UNAVAILABLE with RetryInfo) and leaves no case row.
 */
class ObjectStorageIT {

    private static final String WEB = "/api/web/kycService";
    private static final String BUCKET = "openkyc-it";

    private static SeaweedFs weed;
    private static TestProduct p;

    @BeforeAll
    static void start() throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "e2e").toAbsolutePath()),
                "seaweedfs-");
        weed = SeaweedFs.start(dir, BUCKET);
        p = TestProduct.start("s3", weed.env());
    }

    @AfterAll
    static void stop() {
        if (p != null) {
            p.close();
        }
        if (weed != null) {
            weed.close();
        }
    }

    /** A synthetic TD3 passport as a JPEG, the way phones send them. */
    private static byte[] passportJpeg(long seed) {
        byte[] bytes = TestPassports.jpeg(seed);
        assertThat(Arrays.copyOf(bytes, 3)).containsExactly(0xFF, 0xD8, 0xFF);
        return bytes;
    }

    private HttpResponse<String> upload(String profileId, byte[] jpeg) {
        return p.postMultipart(WEB + "/document/upload", p.clientKeyA, new Multipart().text("profileId", profileId)
                .text("docType", "PASSPORT").text("country", "NL").file("frontImage", "front.jpg", "image/jpeg", jpeg));
    }

    private static HttpResponse<String> readyz() {
        return ManagementIT.get(p.product.server().managementPort().orElseThrow(), "/readyz");
    }

    /** Polls the server's readiness for up to two minutes until it answers as expected; the last answer. */
    private static HttpResponse<String> until(java.util.function.Predicate<HttpResponse<String>> expected) {
        HttpResponse<String> r = readyz();
        for (int i = 0; i < 600 && !expected.test(r); i++) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            r = readyz();
        }
        return r;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void aDocumentJourneyKeepsOnlyCiphertextInTheBucketAndDeletingTheCaseLeavesNothing() throws IOException {
        byte[] jpeg = passportJpeg(31);
        String profile = p.createProfile(p.clientKeyA, "s3-" + UUID.randomUUID());
        Map<String, byte[]> before = weed.objects();

        HttpResponse<String> up = upload(profile, jpeg);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(TestProduct.json(up).get("code").getAsInt()).isZero();
        assertThat(p.caseRows("kyc_images", profile)).isEqualTo(1);

        // One new object: sealed, so neither the JPEG magic bytes nor any stretch of the image are in it.
        Map<String, byte[]> after = weed.objects();
        assertThat(after).hasSize(before.size() + 1);
        byte[] stored = after.entrySet().stream().filter(e -> !before.containsKey(e.getKey())).findFirst()
                .orElseThrow().getValue();
        assertThat(stored.length).isGreaterThan(jpeg.length);
        assertThat(stored[0] == (byte) 0xFF && stored[1] == (byte) 0xD8).as("JPEG magic bytes in the bucket").isFalse();
        // Stretches of 32 bytes: a 3-byte marker such as FF D8 FF turns up now and then by chance in a ciphertext
        // this long (it failed a run so), a 32-byte one does not.
        assertThat(contains(stored, Arrays.copyOfRange(jpeg, 0, 32))).isFalse();
        assertThat(contains(stored, Arrays.copyOfRange(jpeg, jpeg.length / 2, jpeg.length / 2 + 32))).isFalse();

        // The image reads back exactly, through the gateway.
        HttpRequest image = HttpRequest.newBuilder(URI.create(p.url("/v2/image?submission_id=" + profile
                + "&type=idImage"))).timeout(Duration.ofSeconds(30)).header("x-api-key", p.clientKeyA).GET().build();
        HttpResponse<byte[]> got = p.send(image, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/jpeg"));
        assertThat(got.body()).isEqualTo(jpeg);

        // Deleting the case removes its objects from the bucket.
        HttpResponse<String> del = p.call("DELETE", "/v2/submission?submission_id=" + profile, p.clientKeyA, null);
        assertThat(del.statusCode()).as(del.body()).isEqualTo(200);
        assertThat(p.send(image, HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(404);
        assertThat(weed.objects().keySet()).isEqualTo(before.keySet());
    }

    @Test
    void whileTheStoreIsDownAnUploadIsRefusedWithRetryAdviceAndLeavesNothingHalfWritten() throws IOException {
        byte[] jpeg = passportJpeg(32);
        String profile = p.createProfile(p.clientKeyA, "s3-" + UUID.randomUUID());
        Map<String, byte[]> before = weed.objects();
        HttpResponse<String> ready = readyz();
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"blob_store\":\"UP\"");
        weed.stop();
        try {
            // Not ready while the bucket does not answer (checked every few seconds, so polled here).
            HttpResponse<String> down = until(r -> r.statusCode() == 503);
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(down.body()).contains("\"blob_store\":\"DOWN\"", "\"database\":\"UP\"",
                    "\"status\":\"DOWN\"");

            HttpResponse<String> r = upload(profile, jpeg);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("retry-after")).isPresent();
            JsonObject body = TestProduct.json(r);
            assertThat(body.get("code").getAsInt()).isEqualTo(50300);
            assertThat(body.get("message").getAsString()).isEqualTo("The object store is unavailable; retry later");

            // The same over gRPC: UNAVAILABLE with RetryInfo.
            assertThatThrownBy(() -> p.withKey(KycServiceGrpc.newBlockingStub(p.channel), p.clientKeyA)
                    .uploadDocument(UploadDocumentRequest.newBuilder().setProfileId(profile)
                            .setDocType(DocType.Value.PASSPORT).setCountry("NLD")
                            .setFrontImage(ByteString.copyFrom(jpeg)).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(StatusProto.fromThrowable(e).getDetailsList())
                                .anySatisfy(d -> assertThat(d.is(RetryInfo.class)).isTrue());
                    });
            // No document or image row was written.
            assertThat(p.caseRows("kyc_documents", profile)).isZero();
            assertThat(p.caseRows("kyc_images", profile)).isZero();
        } finally {
            weed.restart();
        }
        assertThat(weed.objects().keySet()).isEqualTo(before.keySet());
        HttpResponse<String> back = until(r -> r.statusCode() == 200);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(back.body()).contains("\"blob_store\":\"UP\"");

        // Once the store is back, the same upload goes through.
        HttpResponse<String> again = upload(profile, jpeg);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(p.caseRows("kyc_images", profile)).isEqualTo(1);
        assertThat(weed.objects()).hasSize(before.size() + 1);
    }
}
