package org.openkyc.gateway;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.netty.util.AsciiString;

/**
 * Runs first for every request: refuses a request target longer than the URL limit (414) or a header
 * block larger than the header limit (431) in the family's error shape, assigns the request id, adds it
 * and the security headers to the response, and writes the access log line (method, path, status,
 * latency, request id; never the query string, the body or the API key, which carry personal data and
 * secrets). Which requests get a line is configured ({@link GatewayConfig.AccessLog}): on a busy node a
 * line per call costs more than the call itself, so by default every error answer is logged and one in
 * {@link GatewayConfig#accessLogSample()} of the others.
 */
final class EdgeDecorator implements DecoratingHttpServiceFunction {

    static final Logger accessLog = LoggerFactory.getLogger("org.openkyc.gateway.access");
    /** The HTTP codec's own limits are this many times the configured ones, and at least 128 KiB. */
    private static final int PROTOCOL_FACTOR = 8;
    private static final int PROTOCOL_MINIMUM = 128 * 1024;

    private final int maxHeaderBytes;
    private final int maxUrlBytes;
    private final GatewayConfig.AccessLog accessLogMode;
    private final int accessLogSample;

    EdgeDecorator(int maxHeaderBytes, int maxUrlBytes, GatewayConfig.AccessLog accessLogMode, int accessLogSample) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxUrlBytes = maxUrlBytes;
        this.accessLogMode = accessLogMode;
        this.accessLogSample = Math.max(1, accessLogSample);
    }

    /** The HTTP codec's limit for a configured one: far enough above it that the decorator decides. */
    static int protocolLimit(int configured) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(PROTOCOL_MINIMUM, (long) configured * PROTOCOL_FACTOR));
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        final String requestId = RequestIds.fromOrNew(req.headers());
        ctx.setAttr(RequestIds.REQUEST_ID, requestId);
        if (accessLogMode != GatewayConfig.AccessLog.OFF && accessLog.isInfoEnabled()) {
            ctx.log().whenComplete().thenAccept(log -> logAccess(ctx, log, requestId));
        }
        final HttpStatus refused = refusal(req.headers());
        if (refused != null) {
            return Errors.render(ctx, ctx.path(), Errors.fromHttp(refused, refused == HttpStatus.REQUEST_URI_TOO_LONG
                    ? "The request URL is longer than " + maxUrlBytes + " bytes"
                    : "The request headers are larger than " + maxHeaderBytes + " bytes")).toHttpResponse();
        }
        return delegate.serve(ctx, req).mapHeaders(headers -> withEdgeHeaders(headers, requestId));
    }

    /** 414 or 431 when the request is over a limit, else null. Header bytes counted as HTTP/2 does. */
    private HttpStatus refusal(RequestHeaders headers) {
        if (headers.path().length() > maxUrlBytes) {
            return HttpStatus.REQUEST_URI_TOO_LONG;
        }
        long bytes = 0;
        for (Map.Entry<AsciiString, String> header : headers) {
            bytes += header.getKey().length() + header.getValue().length() + 32;
        }
        return bytes > maxHeaderBytes ? HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : null;
    }

    private static ResponseHeaders withEdgeHeaders(ResponseHeaders headers, String requestId) {
        final ResponseHeadersBuilder b = headers.toBuilder();
        ResponseHeadersSupport.addSecurityHeaders(b);
        b.set(RequestIds.HEADER, requestId);
        return b.build();
    }

    private void logAccess(ServiceRequestContext ctx, RequestLog log, String requestId) {
        final int status = log.responseHeaders().status().code();
        if (accessLogMode == GatewayConfig.AccessLog.SAMPLED && status < 400 && accessLogSample > 1
            && ThreadLocalRandom.current().nextInt(accessLogSample) != 0) {
            return;
        }
        final long millis = TimeUnit.NANOSECONDS.toMillis(log.totalDurationNanos());
        accessLog.info("{} {} {} {}ms request_id={}", ctx.method(), ctx.path(), status, millis, requestId);
    }
}
