package org.openkyc.gateway;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.LivenessCallbackRequest;
import org.openkyc.api.kyc.v1.LivenessCallbackResponse;

import com.google.protobuf.ByteString;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * {@code POST /api/web/kycService/callback/liveness} (API.md C1): the provider signs the raw request body,
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
                if (Exceptions.peel(readFailure) instanceof ContentTooLargeException) {
                    return CompletableFuture.completedFuture(error(ctx, HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                            "Request body is larger than " + ctx.maxRequestLength() + " bytes"));
                }
                return CompletableFuture.completedFuture(error(ctx, HttpStatus.BAD_REQUEST,
                                                               "The request body cannot be read"));
            }
            final LivenessCallbackRequest request;
            try {
                request = parse(body);
            } catch (BadBody e) {
                return CompletableFuture.completedFuture(error(ctx, e.status, e.getMessage()));
            }
            return upstream.unary(ctx, METHOD, request).handle((answer, failure) -> {
                if (failure != null) {
                    final Throwable cause = failure instanceof CompletionException
                                            && failure.getCause() != null ? failure.getCause() : failure;
                    return Errors.render(ctx, ctx.path(), Errors.fromGrpc(Status.fromThrowable(cause),
                                                                          Status.trailersFromThrowable(cause)))
                                 .toHttpResponse();
                }
                return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE,
                                                          MediaType.JSON_UTF_8),
                                       HttpData.wrap(json(answer)));
            });
        }).thenCompose(f -> f));
    }

    private static LivenessCallbackRequest parse(AggregatedHttpRequest body) throws BadBody {
        final MediaType type = body.contentType();
        if (type == null || !type.isJson()) {
            throw new BadBody(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the callback as application/json");
        }
        final byte[] raw = body.content().array();
        final LivenessCallbackRequest fields;
        try {
            fields = ProtoJsonMarshaller.INSTANCE.deserializeMessage(METHOD.getRequestMarshaller(),
                                                                     new ByteArrayInputStream(raw));
        } catch (IOException | RuntimeException e) {
            final String message = e instanceof StatusRuntimeException sre
                                   && sre.getStatus().getDescription() != null
                                   ? sre.getStatus().getDescription() : "Request body is not valid JSON";
            throw new BadBody(HttpStatus.BAD_REQUEST, message);
        }
        return fields.toBuilder().setRawBody(ByteString.copyFrom(raw)).build();
    }

    private static HttpResponse error(ServiceRequestContext ctx, HttpStatus status, String message) {
        return Errors.render(ctx, ctx.path(), Errors.fromHttp(status, message)).toHttpResponse();
    }

    private static byte[] json(LivenessCallbackResponse answer) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try {
            ProtoJsonMarshaller.INSTANCE.serializeMessage(METHOD.getResponseMarshaller(), answer, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A request body the route cannot read: answered without calling upstream. */
    private static final class BadBody extends Exception {
        private static final long serialVersionUID = 1L;
        final transient HttpStatus status;

        BadBody(HttpStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
