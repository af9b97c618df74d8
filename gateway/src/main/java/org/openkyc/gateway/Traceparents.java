package org.openkyc.gateway;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import com.linecorp.armeria.common.RequestHeaders;

/**
 * W3C Trace Context: the caller's {@code traceparent} when valid, else a new trace started here. The gateway
 * continues the trace as a span of its own, so the server's log lines and spans carry the caller's trace id.
 */
final class Traceparents {

    static final String HEADER = "traceparent";

    private static final Pattern VALID =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The {@code traceparent} for the upstream call: same trace id as the caller's, a new span id. */
    static String forUpstream(RequestHeaders headers) {
        final String given = headers.get(HEADER);
        String traceId = null;
        String flags = "01";
        if (given != null) {
            final var m = VALID.matcher(given.trim());
            if (m.matches() && !"ff".equals(m.group(1)) && !m.group(2).matches("0+") && !m.group(3).matches("0+")) {
                traceId = m.group(2);
                flags = m.group(4);
            }
        }
        if (traceId == null) {
            traceId = random(16);
        }
        return "00-" + traceId + '-' + random(8) + '-' + flags;
    }

    private static String random(int bytes) {
        final byte[] b = new byte[bytes];
        do {
            RANDOM.nextBytes(b);
        } while (allZero(b));
        return HexFormat.of().formatHex(b);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private Traceparents() {}
}
