package org.openkyc.gateway;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Runs first for every request: assigns the request id, adds it and the security headers to the
 * response, and writes the access log line (method, path, status, latency, request id; never the
 * query string, the body or the API key, which carry personal data and secrets).
 */
final class EdgeDecorator implements DecoratingHttpServiceFunction {

    static final Logger accessLog = LoggerFactory.getLogger("org.openkyc.gateway.access");

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        final String requestId = RequestIds.fromOrNew(req.headers());
        ctx.setAttr(RequestIds.REQUEST_ID, requestId);
        ctx.log().whenComplete().thenAccept(log -> logAccess(ctx, log, requestId));
        return delegate.serve(ctx, req).mapHeaders(headers -> withEdgeHeaders(headers, requestId));
    }

    private static ResponseHeaders withEdgeHeaders(ResponseHeaders headers, String requestId) {
        final ResponseHeadersBuilder b = headers.toBuilder();
        ResponseHeadersSupport.addSecurityHeaders(b);
        b.set(RequestIds.HEADER, requestId);
        return b.build();
    }

    private static void logAccess(ServiceRequestContext ctx, RequestLog log, String requestId) {
        if (!accessLog.isInfoEnabled()) {
            return;
        }
        final int status = log.responseHeaders().status().code();
        final long millis = TimeUnit.NANOSECONDS.toMillis(log.totalDurationNanos());
        accessLog.info("{} {} {} {}ms request_id={}", ctx.method(), ctx.path(), status, millis, requestId);
    }
}
