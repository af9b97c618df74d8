package org.openkyc.gateway;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Wraps every API route, transcoded or plain, and decides before the body is read:
 * <ul>
 *   <li>refuses gRPC method paths ({@code /package.Service/Method}) to anything but a gRPC call (those
 *       meet {@link GrpcEdge} first and never reach here);</li>
 *   <li>answers 429 with {@code Retry-After} to a client address over its failed-authentication limit
 *       ({@link AuthThrottle}), unless its key recently succeeded;</li>
 *   <li>answers 401 in the family's shape when {@code x-api-key} is missing, or is not shaped like an
 *       OpenKYC key ({@link ApiKeyFormat}), without calling upstream (the upstream server validates
 *       every well-formed key);</li>
 *   <li>answers 415 to a content-type that cannot be read or names a charset other than UTF-8;</li>
 *   <li>bounds the body of transcoded routes to the JSON limit (the document route, whose JSON carries
 *       images, keeps the general body limit), and passes JSON bodies through {@link JsonLimits}
 *       (400) before transcoding or a plain route parses them.</li>
 * </ul>
 * Then, on the answer: counts 401s against the client address; strips {@code grpc-*} headers and adds
 * {@code Cache-Control: no-store}; turns any error response that is not JSON into the family's JSON
 * error body; names downloaded files ({@link Downloads}); puts the KYC family's answers in their REST
 * envelope ({@link KycEnvelope}). Transcoded responses are buffered by Armeria
 * already, so aggregating here costs no streaming.
 */
final class ApiDecorator implements DecoratingHttpServiceFunction {

    /** The one JSON route whose body carries images (data: URLs): it keeps the general body limit. */
    static final String DOCUMENT_PATH = "/api/web/kycService/document";

    private final AuthThrottle throttle;
    private final JsonLimits jsonLimits;
    private final long jsonBodyLimit;

    /**
     * @param jsonBodyLimit the body limit this decorator sets on every path but {@link #DOCUMENT_PATH}, or 0 to
     *                      keep the route's own limit (plain routes)
     */
    ApiDecorator(AuthThrottle throttle, JsonLimits jsonLimits, long jsonBodyLimit) {
        this.throttle = throttle;
        this.jsonLimits = jsonLimits;
        this.jsonBodyLimit = jsonBodyLimit;
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        final String path = ctx.path();
        if (isGrpcMethodPath(path)) {
            return error(ctx, HttpStatus.NOT_FOUND, null);
        }
        final InetAddress client = ctx.clientAddress();
        final String header = req.headers().get(UpstreamForwarder.API_KEY_HEADER);
        final String apiKey = header == null ? null : header.trim();
        final boolean wellFormed = ApiKeyFormat.wellFormed(apiKey);
        final long retryAfter = throttle.retryAfterSeconds(client, wellFormed ? apiKey : null);
        if (retryAfter > 0) {
            return Errors.render(ctx, path, Errors.fromHttp(HttpStatus.TOO_MANY_REQUESTS,
                    "Too many failed authentications from this address; retry later")
                                                 .withRetryAfter(retryAfter)).toHttpResponse();
        }
        if (apiKey == null || apiKey.isEmpty()) {
            throttle.failed(client);
            return error(ctx, HttpStatus.UNAUTHORIZED, "Missing API key: send it in the x-api-key header");
        }
        if (!wellFormed) {
            throttle.failed(client);
            return error(ctx, HttpStatus.UNAUTHORIZED, "Invalid API key");
        }
        final MediaType type;
        try {
            type = contentType(req);
        } catch (IllegalArgumentException e) {
            return error(ctx, HttpStatus.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
        }
        if (jsonBodyLimit > 0 && !DOCUMENT_PATH.equals(path)
            && (ctx.maxRequestLength() == 0 || ctx.maxRequestLength() > jsonBodyLimit)) {
            ctx.setMaxRequestLength(jsonBodyLimit);
        }
        final long declared = req.headers().contentLength();
        if (ctx.maxRequestLength() > 0 && declared > ctx.maxRequestLength()) {
            return tooLarge(ctx);
        }
        if (type != null && !type.isJson()) {
            return answer(delegate, ctx, req, client, apiKey);
        }
        // A JSON body (or one without a content-type, which the route refuses or reads as JSON): read it
        // under the route's limit and check its shape before anything parses it into a tree.
        return HttpResponse.of(req.aggregate().handle((body, cause) -> {
            if (cause != null) {
                if (Exceptions.peel(cause) instanceof ContentTooLargeException) {
                    return tooLarge(ctx);
                }
                return HttpResponse.ofFailure(cause);
            }
            if (!body.content().isEmpty()) {
                final String refusal = jsonLimits.refusal(body.content().array());
                if (refusal != null) {
                    return error(ctx, HttpStatus.BAD_REQUEST, refusal);
                }
            }
            final HttpRequest copy = body.toHttpRequest();
            ctx.updateRequest(copy);
            try {
                return answer(delegate, ctx, copy, client, apiKey);
            } catch (Exception e) {
                return HttpResponse.ofFailure(e);
            }
        }));
    }

    private HttpResponse answer(HttpService delegate, ServiceRequestContext ctx, HttpRequest req,
                                InetAddress client, String apiKey) throws Exception {
        final HttpResponse response = delegate.serve(ctx, req);
        return HttpResponse.of(response.aggregate().handle((aggregated, cause) -> {
            if (cause != null) {
                return HttpResponse.ofFailure(cause); // rendered by GatewayErrorHandler
            }
            final HttpStatus status = aggregated.headers().status();
            if (status == HttpStatus.UNAUTHORIZED) {
                throttle.failed(client);
            } else if (status.isSuccess()) {
                throttle.succeeded(apiKey);
            }
            return clean(ctx, aggregated).toHttpResponse();
        }));
    }

    /**
     * The request's content-type, or null when it has none.
     *
     * @throws IllegalArgumentException with the message for the client, when it cannot be read or names a
     *                                  charset other than UTF-8 (every route reads its body as UTF-8)
     */
    static MediaType contentType(HttpRequest req) {
        final String raw = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (raw == null) {
            return null;
        }
        final MediaType type;
        try {
            type = MediaType.parse(raw);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The content-type header cannot be read");
        }
        final List<String> charsets = type.parameters().get("charset");
        if (charsets != null) {
            for (String charset : charsets) {
                final String name = charset.trim().toLowerCase(Locale.ROOT);
                if (!"utf-8".equals(name) && !"utf8".equals(name) && !"us-ascii".equals(name)) {
                    throw new IllegalArgumentException("Send the request body in UTF-8 (charset=utf-8)");
                }
            }
        }
        return type;
    }

    private static HttpResponse error(ServiceRequestContext ctx, HttpStatus status, String message) {
        return Errors.render(ctx, ctx.path(), Errors.fromHttp(status, message)).toHttpResponse();
    }

    private static HttpResponse tooLarge(ServiceRequestContext ctx) {
        return error(ctx, HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                     "Request body is larger than " + ctx.maxRequestLength() + " bytes");
    }

    private static AggregatedHttpResponse clean(ServiceRequestContext ctx, AggregatedHttpResponse response) {
        final ResponseHeaders headers = response.headers();
        if (headers.status().isError() && !isJson(headers.contentType())) {
            response.content().close();
            return Errors.render(ctx, ctx.path(), Errors.fromHttp(headers.status(), null));
        }
        return KycEnvelope.wrap(ctx, AggregatedHttpResponse.of(
                Downloads.withDisposition(ctx, ResponseHeadersSupport.forApi(headers)), response.content()));
    }

    private static boolean isJson(MediaType type) {
        return type != null && type.isJson();
    }

    /** {@code /openkyc.kyc.v1.KycService/Submit}: a dot in the first path segment. */
    static boolean isGrpcMethodPath(String path) {
        final int slash = path.indexOf('/', 1);
        return slash > 0 && path.lastIndexOf('.', slash) > 0;
    }
}
