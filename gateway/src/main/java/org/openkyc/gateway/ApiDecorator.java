package org.openkyc.gateway;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Wraps the transcoded API routes:
 * <ul>
 *   <li>answers 401 in the family's shape when {@code x-api-key} is missing or empty, without
 *       calling upstream (the upstream server validates every key that is present);</li>
 *   <li>refuses gRPC method paths ({@code /package.Service/Method}): the gateway serves REST only,
 *       gRPC clients talk to the servers;</li>
 *   <li>strips {@code grpc-*} headers from responses and adds {@code Cache-Control: no-store};</li>
 *   <li>turns any error response that is not JSON into the family's JSON error body;</li>
 *   <li>names downloaded files ({@link Downloads}).</li>
 * </ul>
 * Transcoded responses are buffered by Armeria already, so aggregating here costs no streaming.
 */
final class ApiDecorator implements DecoratingHttpServiceFunction {

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        final String path = ctx.path();
        if (isGrpcMethodPath(path)) {
            return Errors.render(ctx, path, Errors.fromHttp(HttpStatus.NOT_FOUND, null)).toHttpResponse();
        }
        final String apiKey = req.headers().get(UpstreamForwarder.API_KEY_HEADER);
        if (apiKey == null || apiKey.isBlank()) {
            return Errors.render(ctx, path, Errors.fromHttp(
                    HttpStatus.UNAUTHORIZED, "Missing API key: send it in the x-api-key header"))
                         .toHttpResponse();
        }
        final HttpResponse response = delegate.serve(ctx, req);
        return HttpResponse.of(response.aggregate().handle((aggregated, cause) -> {
            if (cause != null) {
                return HttpResponse.ofFailure(cause); // rendered by GatewayErrorHandler
            }
            return clean(ctx, aggregated).toHttpResponse();
        }));
    }

    private static AggregatedHttpResponse clean(ServiceRequestContext ctx, AggregatedHttpResponse response) {
        final ResponseHeaders headers = response.headers();
        if (headers.status().isError() && !isJson(headers.contentType())) {
            response.content().close();
            return Errors.render(ctx, ctx.path(), Errors.fromHttp(headers.status(), null));
        }
        return AggregatedHttpResponse.of(Downloads.withDisposition(ctx, ResponseHeadersSupport.forApi(headers)),
                                         response.content());
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
