package org.openkyc.gateway;

import java.util.concurrent.CompletableFuture;

import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.LivenessCallbackRequest;
import org.openkyc.api.kyc.v1.LivenessCallbackResponse;

import com.google.protobuf.ByteString;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.MethodDescriptor;

/**
 * {@code POST /api/web/kycService/callback/liveness} (docs/API.md C1): the provider signs the raw request body,
 * so the server must see exactly those bytes. This plain route reads the (small, bounded by the route's
 * limit) JSON body, parses it into the request message with the transcoded routes' marshaller, sets
 * {@code raw_body} to the exact bytes received (overwriting whatever a client put in that field), and
 * calls {@code KycService/LivenessCallback} upstream with the signature headers. The body travels in the
 * message, not in a header, so its size is bounded by the route's limit, not by the transport's metadata
 * limit. Wrapped in {@link ApiDecorator} like every API route (API key first, JSON shape checked).
 */
final class CallbackRoute implements HttpService {

    static final String PATH = "/api/web/kycService/callback/liveness";

    private static final MethodDescriptor<LivenessCallbackRequest, LivenessCallbackResponse> METHOD =
            KycServiceGrpc.getLivenessCallbackMethod();

    private final UpstreamForwarder upstream;

    CallbackRoute(UpstreamForwarder upstream) {
        this.upstream = upstream;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.of(req.aggregate().handle((body, readFailure) -> {
            if (readFailure != null) {
                return CompletableFuture.completedFuture(
                        PlainRoutes.unreadable(ctx, readFailure, "request body"));
            }
            final LivenessCallbackRequest request;
            try {
                request = parse(body);
            } catch (PlainRoutes.BadBody e) {
                return CompletableFuture.completedFuture(PlainRoutes.error(ctx, e.status, e.getMessage()));
            }
            return PlainRoutes.call(ctx, upstream, METHOD, request);
        }).thenCompose(f -> f));
    }

    private static LivenessCallbackRequest parse(AggregatedHttpRequest body) throws PlainRoutes.BadBody {
        final MediaType type = body.contentType();
        if (type == null || !type.isJson()) {
            throw new PlainRoutes.BadBody(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the callback as application/json");
        }
        final byte[] raw = body.content().array();
        return PlainRoutes.parseJson(METHOD, raw).toBuilder().setRawBody(ByteString.copyFrom(raw)).build();
    }
}
