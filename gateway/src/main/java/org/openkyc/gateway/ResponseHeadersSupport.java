package org.openkyc.gateway;

import java.util.List;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;

import io.netty.util.AsciiString;

/** The response headers the gateway adds to, and removes from, what it sends. */
final class ResponseHeadersSupport {

    static final String HSTS = "max-age=31536000";

    /** gRPC headers that transcoded responses would otherwise leak to HTTP clients. */
    static final List<AsciiString> GRPC_HEADERS = List.of(
            AsciiString.cached("grpc-status"),
            AsciiString.cached("grpc-message"),
            AsciiString.cached("grpc-status-details-bin"),
            AsciiString.cached("grpc-encoding"),
            AsciiString.cached("grpc-accept-encoding"));

    static void addSecurityHeaders(ResponseHeadersBuilder headers) {
        headers.set(HttpHeaderNames.STRICT_TRANSPORT_SECURITY, HSTS);
        headers.set(HttpHeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
    }

    static void addNoStore(ResponseHeadersBuilder headers) {
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    }

    /** Without gRPC headers, with the security headers and {@code Cache-Control: no-store}. */
    static ResponseHeaders forApi(ResponseHeaders headers) {
        final ResponseHeadersBuilder b = headers.toBuilder();
        for (AsciiString name : GRPC_HEADERS) {
            b.remove(name);
        }
        addSecurityHeaders(b);
        addNoStore(b);
        return b.build();
    }

    private ResponseHeadersSupport() {}
}
