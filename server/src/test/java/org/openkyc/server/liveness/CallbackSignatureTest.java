package org.openkyc.server.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

class CallbackSignatureTest {

    private static final String SECRET = "a-shared-secret-of-at-least-32-characters";
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final String TS = Long.toString(NOW.getEpochSecond());
    private static final CallbackSignature.Fields FIELDS =
            new CallbackSignature.Fields("abc123", "prov-9", 87.5, "success", null);

    private final CallbackSignature sig = new CallbackSignature(SECRET);

    @Test
    void theCanonicalStringIsTheDocumentedOne() {
        assertThat(FIELDS.canonical()).isEqualTo("abc123\nprov-9\n87.50\nsuccess\n");
    }

    @Test
    void signsWithPlainHmacSha256OverTimestampDotCanonical() throws Exception {
        // What a provider computes with any HMAC library.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(
                mac.doFinal((TS + ".abc123\nprov-9\n87.50\nsuccess\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(sig.sign(TS, FIELDS)).isEqualTo(expected);
        assertThat(sig.verify(TS, expected.toUpperCase(), FIELDS, NOW)).isEqualTo(expected);
    }

    @Test
    void signsTheRawBodyByteForByte() throws Exception {
        byte[] body = "{\"profileId\":\"abc123\", \"confidence\":87.5,\"result\":\"success\"}"
                .getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((TS + ".").getBytes(StandardCharsets.UTF_8));
        String expected = HexFormat.of().formatHex(mac.doFinal(body));
        assertThat(sig.sign(TS, body)).isEqualTo(expected);
        assertThat(sig.verify(TS, expected, body, NOW)).isEqualTo(expected);
        // One changed byte (even white space) breaks it.
        byte[] spaced = new String(body, StandardCharsets.UTF_8).replace(", ", ",").getBytes(StandardCharsets.UTF_8);
        assertRefused(() -> sig.verify(TS, expected, spaced, NOW), "does not match");
    }

    @Test
    void acceptsTimestampsWithinFiveMinutesEitherWay() {
        for (long offset : new long[] {-300, 300}) {
            String ts = Long.toString(NOW.getEpochSecond() + offset);
            assertThat(sig.verify(ts, sig.sign(ts, FIELDS), FIELDS, NOW)).hasSize(64);
        }
    }

    @Test
    void refusesStaleOrFutureTimestamps() {
        for (long offset : new long[] {-301, 301}) {
            String ts = Long.toString(NOW.getEpochSecond() + offset);
            assertRefused(() -> sig.verify(ts, sig.sign(ts, FIELDS), FIELDS, NOW), "minutes");
        }
        assertRefused(() -> sig.verify("yesterday", sig.sign("yesterday", FIELDS), FIELDS, NOW), "Unix seconds");
    }

    @Test
    void refusesAnyChangedFieldAnotherSecretAndMissingHeaders() {
        String good = sig.sign(TS, FIELDS);
        for (CallbackSignature.Fields changed : List.of(
                new CallbackSignature.Fields("abc124", "prov-9", 87.5, "success", null),
                new CallbackSignature.Fields("abc123", "prov-8", 87.5, "success", null),
                new CallbackSignature.Fields("abc123", "prov-9", 97.5, "success", null),
                new CallbackSignature.Fields("abc123", "prov-9", 87.5, "fail", null),
                new CallbackSignature.Fields("abc123", "prov-9", 87.5, "success", "x"))) {
            assertRefused(() -> sig.verify(TS, good, changed, NOW), "does not match");
        }
        String other = new CallbackSignature("another-secret-of-at-least-32-characters!").sign(TS, FIELDS);
        assertRefused(() -> sig.verify(TS, other, FIELDS, NOW), "does not match");
        assertRefused(() -> sig.verify(null, good, FIELDS, NOW), "x-openkyc-timestamp");
        assertRefused(() -> sig.verify(TS, " ", FIELDS, NOW), "x-openkyc-signature");
        assertRefused(() -> sig.verify(TS, "zz", FIELDS, NOW), "does not match");
    }

    @Test
    void sessionsDrawThreeDistinctActions() {
        Random r = new Random(7);
        Set<List<ChallengeAction>> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            List<ChallengeAction> a = LivenessSessions.drawActions(r);
            assertThat(a).hasSize(3).doesNotHaveDuplicates();
            seen.add(a);
        }
        // 6*5*4 = 120 ordered draws exist; 200 draws see many of them, so the order is random too.
        assertThat(seen.size()).isGreaterThan(60);
        assertThat(seen.stream().flatMap(List::stream).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(ChallengeAction.class));
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String text) {
        assertThatThrownBy(call).isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(((DomainException) e).code()).isEqualTo(ErrorCode.UNAUTHENTICATED))
                .hasMessageContaining(text);
    }
}
