package org.openkyc.gateway;

import java.util.Base64;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * The liveness callback (API.md C1) is signed by the provider over the raw request body. JSON
 * transcoding turns that body into a message, so this decorator keeps the exact bytes: it reads the
 * (small) body, passes it upstream in the binary header {@value #HEADER} next to the transcoded
 * message, and lets the server verify the HMAC over exactly what the provider sent. A header of that
 * name sent by the client is replaced, never trusted.
 */
final class SignedBodyDecorator implements DecoratingHttpServiceFunction {

    /** The route whose body is signed. */
    static final String PATH = "/api/web/kycService/callback/liveness";
    /** gRPC binary metadata carrying the raw body (base64 on the HTTP/2 wire, as gRPC does). */
    static final String HEADER = "x-openkyc-raw-body-bin";
    /** A callback is a few hundred bytes; anything much larger is not one. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.of(req.aggregate().thenApply(agg -> {
            if (agg.content().length() > MAX_BODY_BYTES) {
                return Errors.render(ctx, ctx.path(), Errors.fromHttp(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                        "A liveness callback body is at most " + MAX_BODY_BYTES + " bytes")).toHttpResponse();
            }
            final RequestHeaders headers = agg.headers().toBuilder()
                    .set(HEADER, Base64.getEncoder().withoutPadding().encodeToString(agg.content().array()))
                    .build();
            final HttpRequest copy = HttpRequest.of(headers, agg.content());
            ctx.updateRequest(copy);
            try {
                return delegate.serve(ctx, copy);
            } catch (Exception e) {
                return HttpResponse.ofFailure(e);
            }
        }));
    }
}
