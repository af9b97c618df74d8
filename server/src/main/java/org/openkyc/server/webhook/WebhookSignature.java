package org.openkyc.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.openkyc.server.liveness.CallbackSignature;

/**
 * The signature of a webhook delivery, computed like the inbound liveness callback's: lower-case hex of
 * HMAC-SHA256(secret, timestamp + "." + body), over the exact bytes of the body. A delivery carries
 * {@code x-openkyc-timestamp: <Unix seconds>} and {@code x-openkyc-signature: t=<Unix seconds>,v1=<hex>}.
 */
public final class WebhookSignature {

    /** The header with the signature. */
    public static final String SIGNATURE_HEADER = "x-openkyc-signature";
    /** The header with the Unix time the delivery was signed at. */
    public static final String TIMESTAMP_HEADER = "x-openkyc-timestamp";
    /** The header with the event's id (the same in every attempt and replay). */
    public static final String EVENT_ID_HEADER = "x-openkyc-event-id";
    /** The header with the event's type. */
    public static final String EVENT_TYPE_HEADER = "x-openkyc-event-type";

    private WebhookSignature() {
    }

    /** The lower-case hex HMAC-SHA256 of {@code timestamp + "." + body}. */
    public static String hex(String secret, long timestamp, byte[] body) {
        return new CallbackSignature(secret).sign(Long.toString(timestamp), body);
    }

    /** The value of {@link #SIGNATURE_HEADER}: {@code t=<timestamp>,v1=<hex>}. */
    public static String header(String secret, long timestamp, byte[] body) {
        return "t=" + timestamp + ",v1=" + hex(secret, timestamp, body);
    }

    /**
     * True when {@code header} is a signature of {@code body} with {@code secret}, made no further than
     * {@code tolerance} from {@code now}: what a receiver checks before trusting a delivery.
     */
    public static boolean verify(String secret, String header, byte[] body, Instant now, Duration tolerance) {
        if (header == null) {
            return false;
        }
        Long t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            String p = part.strip();
            if (p.startsWith("t=") && p.length() <= 14) {
                try {
                    t = Long.parseLong(p.substring(2));
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (p.startsWith("v1=")) {
                v1 = p.substring(3).toLowerCase(Locale.ROOT);
            }
        }
        if (t == null || v1 == null) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(t), now).abs().compareTo(tolerance) > 0) {
            return false;
        }
        return MessageDigest.isEqual(hex(secret, t, body).getBytes(StandardCharsets.US_ASCII),
                v1.getBytes(StandardCharsets.US_ASCII));
    }
}
