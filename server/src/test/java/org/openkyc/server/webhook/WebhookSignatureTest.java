package org.openkyc.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** What a receiver checks: the documented HMAC over timestamp + "." + body, in the t=...,v1=... header. */
class WebhookSignatureTest {

    private static final String SECRET = "whsec_0123456789abcdefghij0123456789abcdefghij";
    private static final byte[] BODY = "{\"id\":\"evt_1\",\"type\":\"kyc.case.status_changed\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final long T = 1_796_000_000L;
    private static final Instant NOW = Instant.ofEpochSecond(T + 10);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void headerIsTimestampAndHexHmacOfTimestampDotBody() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((T + ".").getBytes(StandardCharsets.UTF_8));
        String expected = java.util.HexFormat.of().formatHex(mac.doFinal(BODY));

        assertThat(WebhookSignature.header(SECRET, T, BODY)).isEqualTo("t=" + T + ",v1=" + expected);
    }

    @Test
    void aReceiverAcceptsTheHeaderItWasSentWith() {
        String header = WebhookSignature.header(SECRET, T, BODY);

        assertThat(WebhookSignature.verify(SECRET, header, BODY, NOW, FIVE_MINUTES)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, header.toUpperCase().replace("T=", "t=").replace("V1=", "v1="),
                BODY, NOW, FIVE_MINUTES)).as("hex in upper case").isTrue();
    }

    @Test
    void anotherSecretAChangedBodyOrAnOldTimestampIsRefused() {
        String header = WebhookSignature.header(SECRET, T, BODY);
        byte[] changed = "{\"id\":\"evt_2\",\"type\":\"kyc.case.status_changed\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSignature.verify(SECRET + "x", header, BODY, NOW, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, header, changed, NOW, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, header, BODY, NOW.plus(Duration.ofMinutes(6)), FIVE_MINUTES))
                .isFalse();
        // The timestamp is signed: moving it forward breaks the signature.
        String moved = header.replace("t=" + T, "t=" + (T + 5));
        assertThat(WebhookSignature.verify(SECRET, moved, BODY, NOW, FIVE_MINUTES)).isFalse();
    }

    @Test
    void malformedHeadersAreRefusedWithoutException() {
        for (String h : new String[] {null, "", "v1=abc", "t=abc,v1=00", "t=" + T, "t=99999999999999999999,v1=00"}) {
            assertThat(WebhookSignature.verify(SECRET, h, BODY, NOW, FIVE_MINUTES)).as(String.valueOf(h)).isFalse();
        }
    }
}
