package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.openkyc.gateway.GatewayConfig;
import org.openkyc.gateway.RawHttps;

/**
 * The upload routes of the running product refuse an oversized body with 413 and the family's JSON error
 * before reading it: a declared Content-Length over the route's limit with only a little of the body sent,
 * and a chunked body that keeps growing and never ends. Default limits: 20 MiB for image uploads (step 1,
 * step 2, document upload), 60 MiB for the three liveness videos.
 */
class UploadLimitsIT {

    private static final String STEP1 = "/v2/submission/step1";
    private static final String VERIFY = "/api/web/kycService/liveness/verify";

    private final TestProduct p = TestProduct.get();

    private RawHttps raw() throws Exception {
        return new RawHttps(p.product.gateway().certificateFile(), p.product.gateway().httpsPort());
    }

    private static JsonObject json(RawHttps.Answer a) {
        assertThat(a.headers()).contains("content-type: application/json");
        return JsonParser.parseString(a.body()).getAsJsonObject();
    }

    @Test
    void step1OverTheImageLimitIs413BeforeTheBodyArrives() throws Exception {
        try (RawHttps c = raw()) {
            RawHttps.Answer a = c.postPartial(STEP1, p.clientKeyA, GatewayConfig.DEFAULT_MAX_UPLOAD_BYTES + 1, 4096);
            assertThat(a.status()).isEqualTo(413);
            JsonObject body = json(a);
            assertThat(body.get("code").getAsString()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(body.get("message").getAsString())
                    .contains(Long.toString(GatewayConfig.DEFAULT_MAX_UPLOAD_BYTES));
        }
        for (boolean filePart : new boolean[] {true, false}) {
            try (RawHttps c = raw()) {
                RawHttps.Answer a = c.postGrowingChunked(STEP1, p.clientKeyA, filePart);
                assertThat(a.status()).isEqualTo(413);
                assertThat(json(a).get("code").getAsString()).isEqualTo("PAYLOAD_TOO_LARGE");
                // The size decided it: the limit was passed, and the answer came soon after.
                assertThat(a.bodyBytesSent()).isBetween(GatewayConfig.DEFAULT_MAX_UPLOAD_BYTES - (128 << 10),
                        GatewayConfig.DEFAULT_MAX_UPLOAD_BYTES + (16L << 20));
            }
        }
    }

    @Test
    void step2AndDocumentUploadHaveTheImageLimitToo() throws Exception {
        for (String path : new String[] {"/v2/submission/step2", "/api/web/kycService/document/upload"}) {
            try (RawHttps c = raw()) {
                RawHttps.Answer a = c.postPartial(path, p.clientKeyA, GatewayConfig.DEFAULT_MAX_UPLOAD_BYTES + 1,
                        4096);
                assertThat(a.status()).as(path).isEqualTo(413);
                assertThat(a.body()).as(path).contains(Long.toString(GatewayConfig.DEFAULT_MAX_UPLOAD_BYTES));
            }
        }
    }

    @Test
    void livenessVerifyOverTheVideoLimitIs413BeforeTheBodyArrives() throws Exception {
        try (RawHttps c = raw()) {
            RawHttps.Answer a = c.postPartial(VERIFY, p.clientKeyA, GatewayConfig.DEFAULT_MAX_VIDEO_UPLOAD_BYTES + 1,
                    4096);
            assertThat(a.status()).isEqualTo(413);
            JsonObject body = json(a);
            assertThat(body.get("code").getAsInt()).isEqualTo(41300);
            assertThat(body.get("message").getAsString())
                    .contains(Long.toString(GatewayConfig.DEFAULT_MAX_VIDEO_UPLOAD_BYTES));
        }
        for (boolean filePart : new boolean[] {true, false}) {
            try (RawHttps c = raw()) {
                RawHttps.Answer a = c.postGrowingChunked(VERIFY, p.clientKeyA, filePart);
                assertThat(a.status()).isEqualTo(413);
                assertThat(json(a).get("code").getAsInt()).isEqualTo(41300);
                assertThat(a.bodyBytesSent()).isBetween(GatewayConfig.DEFAULT_MAX_VIDEO_UPLOAD_BYTES - (128 << 10),
                        GatewayConfig.DEFAULT_MAX_VIDEO_UPLOAD_BYTES + (16L << 20));
            }
        }
    }

    @Test
    void threeVideosOverTheImageLimitAreStillAccepted() throws Exception {
        // 30 MiB declared: over the image limit, under the video limit. The gateway waits for the body
        // (no early 413); the test sends a little of it and closes.
        try (RawHttps c = raw()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> c.postPartialWithTimeout(VERIFY, p.clientKeyA, 30L << 20, 4096, 1500))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }
}
