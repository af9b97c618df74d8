package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openkyc.api.kyc.v1.VerifyLivenessRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;

/**
 * Per-route body limits of the upload routes (image uploads and the three-video liveness verify), and the
 * 413 answered before an oversized body is read: a declared length over the limit with only part of the
 * body sent, a chunked body that never ends, and the same over HTTP/2. Small limits keep it fast.
 */
class UploadLimitsTest {

    private static final long BODY = 64 * 1024;
    private static final long UPLOAD = 128 * 1024;
    private static final long VIDEO = 512 * 1024;

    @RegisterExtension
    static final GatewayUnderTest g = new GatewayUnderTest("upload-limits", b -> b.maxBodyBytes(BODY).maxUploadBytes(UPLOAD).maxVideoUploadBytes(VIDEO));

    @BeforeEach
    void reset() {
        g.upstream.reset();
    }

    private static RawHttps raw() throws Exception {
        return new RawHttps(g.gateway.certificateFile(), g.gateway.httpsPort());
    }

    private static byte[] videoBody(byte[] v) {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        final String b = "--openkyc-test-boundary-7f3a\r\n";
        out.writeBytes((b + "Content-Disposition: form-data; name=\"sessionId\"\r\n\r\ns-1\r\n"
                        + b + "Content-Disposition: form-data; name=\"profileId\"\r\n\r\np-1\r\n").getBytes());
        for (int i = 1; i <= 3; i++) {
            out.writeBytes((b + "Content-Disposition: form-data; name=\"video" + i + "\"; filename=\"v" + i
                            + ".mp4\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes());
            out.writeBytes(v);
            out.writeBytes("\r\n".getBytes());
        }
        out.writeBytes("--openkyc-test-boundary-7f3a--\r\n".getBytes());
        return out.toByteArray();
    }

    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return g.http.send(g.http.request(path).header("x-api-key", UpstreamDouble.KEY)
                             .header("content-type", "multipart/form-data; boundary=openkyc-test-boundary-7f3a")
                             .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    @Test
    void theConfigurationHasDocumentedDefaultsAndNamesItsVariables() {
        final GatewayConfig defaults = GatewayConfig.fromEnvironment(java.util.Map.of("OPENKYC_UPSTREAMS", "h:1"));
        assertThat(defaults.maxUploadBytes()).isEqualTo(20L << 20);
        assertThat(defaults.maxVideoUploadBytes()).isEqualTo(60L << 20);
        final GatewayConfig set = GatewayConfig.fromEnvironment(java.util.Map.of("OPENKYC_UPSTREAMS", "h:1",
                "OPENKYC_GATEWAY_MAX_UPLOAD_BYTES", "2048", "OPENKYC_GATEWAY_MAX_VIDEO_UPLOAD_BYTES", "4096"));
        assertThat(set.maxUploadBytes()).isEqualTo(2048);
        assertThat(set.maxVideoUploadBytes()).isEqualTo(4096);
        assertThat(set.toBuilder().build().maxVideoUploadBytes()).isEqualTo(4096);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GatewayConfig.fromEnvironment(java.util.Map.of(
                "OPENKYC_UPSTREAMS", "h:1", "OPENKYC_GATEWAY_MAX_VIDEO_UPLOAD_BYTES", "12")))
                .hasMessageContaining("OPENKYC_GATEWAY_MAX_VIDEO_UPLOAD_BYTES");
    }

    @Test
    void eachUploadRouteHasItsOwnLimitAboveTheGeneralOne() throws Exception {
        // Step 1 takes a body over the general limit but under the image upload limit.
        final HttpResponse<String> step1 = post(Gateway.STEP1_PATH, MultipartRouteTest.body(
                new String[][] {{"email", "a@example.com"}}, "idImage", new byte[(int) BODY + 10_000]));
        assertThat(step1.statusCode()).as(step1.body()).isEqualTo(200);
        // The verify takes three videos over the image limit in total.
        final HttpResponse<String> verify = post(Gateway.VERIFY_LIVENESS_PATH, videoBody(new byte[100 * 1024]));
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        final JsonNode json = TestHttp.json(verify);
        assertThat(json.get("code").asInt()).isZero();
        assertThat(json.get("data").get("list")).hasSize(3);
        final VerifyLivenessRequest sent = (VerifyLivenessRequest) g.upstream.lastCall().request();
        assertThat(sent.getSessionId()).isEqualTo("s-1");
        assertThat(sent.getProfileId()).isEqualTo("p-1");
        assertThat(sent.getVideo3().size()).isEqualTo(100 * 1024);
        // ... but not one byte over the image limit on step 1.
        final HttpResponse<String> over = post(Gateway.STEP1_PATH, MultipartRouteTest.body(
                new String[][] {{"email", "a@example.com"}}, "idImage", new byte[(int) UPLOAD]));
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(TestHttp.json(over).get("message").asText()).contains(Long.toString(UPLOAD));
    }

    @Test
    void aFailedVerifyIs20001WithTheResultInDataList() throws Exception {
        final byte[] body = videoBody(new byte[2048]);
        final HttpResponse<String> r = post(Gateway.VERIFY_LIVENESS_PATH,
                new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\r\n\r\ns-1\r\n",
                        "\r\n\r\nfail\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(r.statusCode()).isEqualTo(422);
        final JsonNode json = TestHttp.json(r);
        assertThat(json.get("code").asInt()).isEqualTo(20001);
        assertThat(json.get("data").get("passed").asBoolean()).isFalse();
        assertThat(json.get("data").get("faceMatchScore").asDouble()).isEqualTo(12.5);
        assertThat(json.get("data").get("list").get(0).get("reason").asText()).isEqualTo("ACTION_NOT_SEEN");
        assertThat(json.get("data").get("list").get(0).get("action").asText()).isEqualTo("BLINK");
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
        try (RawHttps c = raw()) {
            final RawHttps.Answer a = c.postPartial(Gateway.STEP1_PATH, UpstreamDouble.KEY, UPLOAD + 1, 1024);
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.headers()).contains("content-type: application/json");
            final JsonNode json = TestHttp.JSON.readTree(a.body());
            assertThat(json.get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(json.get("message").asText()).contains(Long.toString(UPLOAD));
        }
        try (RawHttps c = raw()) {
            final RawHttps.Answer a = c.postPartial(Gateway.VERIFY_LIVENESS_PATH, UpstreamDouble.KEY, 50L << 30, 1024);
            assertThat(a.status()).isEqualTo(413);
            final JsonNode json = TestHttp.JSON.readTree(a.body());
            assertThat(json.get("code").asInt()).isEqualTo(41300);
            assertThat(json.get("message").asText()).contains(Long.toString(VIDEO));
        }
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void aChunkedBodyThatKeepsGrowingIs413OnceItPassesTheLimit() throws Exception {
        for (boolean filePart : new boolean[] {true, false}) {
            try (RawHttps c = raw()) {
                final RawHttps.Answer a = c.postGrowingChunked(Gateway.VERIFY_LIVENESS_PATH, UpstreamDouble.KEY, filePart);
                assertThat(a.status()).isEqualTo(413);
                assertThat(TestHttp.JSON.readTree(a.body()).get("code").asInt()).isEqualTo(41300);
                // Answered soon after the limit, not after some larger buffer was filled.
                assertThat(a.bodyBytesSent()).isLessThan(VIDEO + (8L << 20));
            }
            try (RawHttps c = raw()) {
                final RawHttps.Answer a = c.postGrowingChunked(Gateway.STEP1_PATH, UpstreamDouble.KEY, filePart);
                assertThat(a.status()).isEqualTo(413);
                assertThat(TestHttp.JSON.readTree(a.body()).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
            }
        }
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void aDeclaredLengthUnderTheRouteLimitIsWaitedFor() throws Exception {
        // Over the general limit, under the video limit: no early 413, the gateway waits for the body.
        try (RawHttps c = raw()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> c.postPartialWithTimeout(Gateway.VERIFY_LIVENESS_PATH, UpstreamDouble.KEY, VIDEO - 1, 1024, 1000))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void overHttp2AnEndlessUploadIs413Too() throws Exception {
        try (ClientFactory factory = ClientFactory.builder()
                                                  .tlsCustomizer(b -> b.trustManager(g.gateway.certificateFile().toFile()))
                                                  .build()) {
            final WebClient h2 = WebClient.builder("h2://127.0.0.1:" + g.gateway.httpsPort()).factory(factory)
                                          .maxResponseLength(0).build();
            for (boolean declared : new boolean[] {true, false}) {
                final RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST,
                                                                             Gateway.VERIFY_LIVENESS_PATH)
                        .set("x-api-key", UpstreamDouble.KEY)
                        .set(HttpHeaderNames.CONTENT_TYPE, "multipart/form-data; boundary=openkyc-test-boundary-7f3a");
                if (declared) {
                    headers.setLong(HttpHeaderNames.CONTENT_LENGTH, 1L << 40);
                }
                final HttpRequestWriter body = HttpRequest.streaming(headers.build());
                final AtomicBoolean stop = new AtomicBoolean();
                final AtomicLong sent = new AtomicLong();
                final Thread writer = new Thread(() -> {
                    try {
                        while (!stop.get() && body.tryWrite(HttpData.wrap(new byte[16 * 1024]))) {
                            sent.addAndGet(16 * 1024);
                            body.whenConsumed().get(5, TimeUnit.SECONDS);
                        }
                    } catch (Exception e) {
                        // The stream was reset after the answer: expected.
                    }
                }, "h2-endless-body");
                writer.setDaemon(true);
                writer.start();
                final AggregatedHttpResponse r = h2.execute(body).aggregate().get(15, TimeUnit.SECONDS);
                stop.set(true);
                assertThat(r.status().code()).isEqualTo(413);
                assertThat(TestHttp.JSON.readTree(r.contentUtf8()).get("code").asInt()).isEqualTo(41300);
                // Never finished: the answer came while the body was still being written.
                assertThat(sent.get()).isLessThan(VIDEO + (8L << 20));
                body.abort();
            }
        }
        assertThat(g.upstream.callCount()).isZero();
    }
}
