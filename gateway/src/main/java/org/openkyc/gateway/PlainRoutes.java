package org.openkyc.gateway;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * What the plain routes (those JSON transcoding does not cover: multipart uploads, the form-encoded A5
 * route, the signed callback) share: the answer to a body that could not be read, the JSON request
 * parsing of the transcoded routes, and the upstream call with its answer or error in the family's shape.
 */
final class PlainRoutes {

    /** A request body a route cannot use: answered with its status without calling upstream. */
    static final class BadBody extends Exception {
        private static final long serialVersionUID = 1L;
        final transient HttpStatus status;

        BadBody(HttpStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** The family's error answer. */
    static HttpResponse error(ServiceRequestContext ctx, HttpStatus status, String message) {
        return Errors.render(ctx, ctx.path(), Errors.fromHttp(status, message)).toHttpResponse();
    }

    /** The answer to a body whose reading failed: 413 over the route's limit, else 400. */
    static HttpResponse unreadable(ServiceRequestContext ctx, Throwable readFailure, String what) {
        if (Exceptions.peel(readFailure) instanceof ContentTooLargeException) {
            return error(ctx, HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                         "Request body is larger than " + ctx.maxRequestLength() + " bytes");
        }
        return error(ctx, HttpStatus.BAD_REQUEST, "The " + what + " cannot be read");
    }

    /** A JSON body parsed as the transcoded routes parse it; 400 naming the problem when it does not fit. */
    static <T> T parseJson(MethodDescriptor<T, ?> method, byte[] json) throws BadBody {
        try {
            return ProtoJsonMarshaller.INSTANCE.deserializeMessage(method.getRequestMarshaller(),
                                                                   new ByteArrayInputStream(json));
        } catch (IOException | RuntimeException e) {
            final String message = e instanceof StatusRuntimeException sre
                                   && sre.getStatus().getDescription() != null
                                   ? sre.getStatus().getDescription() : "Request body is not valid JSON";
            throw new BadBody(HttpStatus.BAD_REQUEST, message);
        }
    }

    /** Calls the method upstream: its answer as JSON, or its error in the family's shape. */
    static <ReqT, RespT> CompletableFuture<HttpResponse> call(ServiceRequestContext ctx, UpstreamForwarder upstream,
                                                              MethodDescriptor<ReqT, RespT> method, ReqT request) {
        return upstream.unary(ctx, method, request).handle((answer, failure) -> {
            if (failure != null) {
                final Throwable cause = failure instanceof CompletionException
                                        && failure.getCause() != null ? failure.getCause() : failure;
                return Errors.render(ctx, ctx.path(), Errors.fromGrpc(Status.fromThrowable(cause),
                                                                      Status.trailersFromThrowable(cause)))
                             .toHttpResponse();
            }
            return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE,
                                                      MediaType.JSON_UTF_8),
                                   HttpData.wrap(json(method, answer)));
        });
    }

    private static <RespT> byte[] json(MethodDescriptor<?, RespT> method, RespT answer) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            ProtoJsonMarshaller.INSTANCE.serializeMessage(method.getResponseMarshaller(), answer, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private PlainRoutes() {}
}
