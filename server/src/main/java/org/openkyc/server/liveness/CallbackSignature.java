package org.openkyc.server.liveness;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

/**
 * The signature of a liveness callback (docs/API.md C1). The provider sends
 * {@code x-openkyc-timestamp} (Unix seconds) and {@code x-openkyc-signature} =
 * lower-case hex of HMAC-SHA256(secret, timestamp + "." + payload):
 * <ul>
 *   <li>over REST the payload is the raw request body, byte for byte (the gateway
 *       forwards it next to the transcoded message);</li>
 *   <li>over gRPC, where there is no HTTP body, it is the canonical string of the
 *       fields joined with '\n' in this order: profileId, sessionId, confidence with
 *       exactly two decimals ("87.50"), result, errorMessage (absent fields empty).</li>
 * </ul>
 * A timestamp more than {@link #MAX_SKEW} away from now is refused.
 */
public final class CallbackSignature {

    /** How far a callback's timestamp may be from the server's clock, either way. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] secret;

    public CallbackSignature(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a callback secret is required");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The fields of a callback as signed. */
    public record Fields(String profileId, String sessionId, double confidence, String result, String errorMessage) {

        /** The documented canonical string. */
        public String canonical() {
            return String.join("\n", nz(profileId), nz(sessionId), String.format(Locale.ROOT, "%.2f", confidence),
                    nz(result), nz(errorMessage));
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }
    }

    /** The hex signature of the fields at the timestamp (what a gRPC caller sends). */
    public String sign(String timestamp, Fields fields) {
        return sign(timestamp, fields.canonical().getBytes(StandardCharsets.UTF_8));
    }

    /** The hex signature of a payload (the raw body over REST) at the timestamp. */
    public String sign(String timestamp, byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] h = mac.doFinal(payload);
            return HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /**
     * Checks the timestamp against now and the signature against the fields;
     * returns the normalised (lower-case) signature, the replay-protection key.
     * Every refusal is UNAUTHENTICATED with a message saying which check failed.
     */
    public String verify(String timestamp, String signature, Fields fields, Instant now) {
        return verify(timestamp, signature, fields.canonical().getBytes(StandardCharsets.UTF_8), now);
    }

    /** As {@link #verify(String, String, Fields, Instant)}, over the exact signed payload. */
    public String verify(String timestamp, String signature, byte[] payload, Instant now) {
        if (timestamp == null || timestamp.isBlank() || signature == null || signature.isBlank()) {
            throw unauthenticated("The callback must carry x-openkyc-timestamp and x-openkyc-signature");
        }
        String ts = timestamp.strip();
        long seconds;
        try {
            if (ts.length() > 12) {
                throw new NumberFormatException();
            }
            seconds = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw unauthenticated("x-openkyc-timestamp must be Unix seconds");
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(seconds), now).abs();
        if (skew.compareTo(MAX_SKEW) > 0) {
            throw unauthenticated("The callback timestamp is more than " + MAX_SKEW.toMinutes()
                    + " minutes from the server's clock");
        }
        String given = signature.strip().toLowerCase(Locale.ROOT);
        String expected = sign(ts, payload);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII))) {
            throw unauthenticated("The callback signature does not match");
        }
        return expected;
    }

    private static DomainException unauthenticated(String message) {
        return new DomainException(ErrorCode.UNAUTHENTICATED, message);
    }
}
