package org.openkyc.gateway;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Serves the API documentation (Armeria's DocService, a single-page app of its own scripts, styles,
 * fonts and web workers) under a strict Content-Security-Policy: everything from the gateway itself,
 * nothing from a third-party origin (the page's web font link to a font CDN is blocked: the browser's
 * own fonts are used), inline styles only (the page's components inject them), no framing
 * ({@code frame-ancestors 'none'} and {@code X-Frame-Options: DENY}).
 */
final class DocsDecorator implements DecoratingHttpServiceFunction {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                              + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                              + "worker-src 'self' blob:; manifest-src 'self'; base-uri 'none'; "
                              + "form-action 'none'; frame-ancestors 'none'";

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        return delegate.serve(ctx, req).mapHeaders(headers -> headers.toBuilder()
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP)
                .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
                .set(HttpHeaderNames.REFERRER_POLICY, "no-referrer")
                .build());
    }
}
