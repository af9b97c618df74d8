package org.openkyc.gateway;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import com.linecorp.armeria.common.RequestHeaders;

import io.netty.util.AttributeKey;

/** The request id: taken from the client's {@code x-request-id} when sane, else generated. */
final class RequestIds {

    static final String HEADER = "x-request-id";
    static final AttributeKey<String> REQUEST_ID = AttributeKey.valueOf(RequestIds.class, "REQUEST_ID");

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The client's request id if it is a short token, otherwise a new random one. */
    static String fromOrNew(RequestHeaders headers) {
        final String given = headers.get(HEADER);
        if (given != null && SANE.matcher(given).matches()) {
            return given;
        }
        final byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private RequestIds() {}
}
