package org.openkyc.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.openkyc.api.submissions.v2.GetAddressCodeRequest;
import org.openkyc.api.submissions.v2.GetAddressCodeResponse;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * {@code POST /v2/address_code} (API.md A5), documented as
 * {@code application/x-www-form-urlencoded}, which JSON transcoding refuses. This plain route
 * parses the form (fields {@code address}, {@code language}; a JSON body is accepted too), calls
 * {@code SubmissionService/GetAddressCode} upstream with the forwarded headers, and answers with
 * the transcoded routes' JSON and error bodies. Registered before the transcoded route of the same
 * path, and wrapped in {@link ApiDecorator} like every API route (API key at the edge).
 */
final class AddressCodeRoute implements HttpService {

    static final String PATH = "/v2/address_code";

    private static final MethodDescriptor<GetAddressCodeRequest, GetAddressCodeResponse> METHOD =
            SubmissionServiceGrpc.getGetAddressCodeMethod();

    private final UpstreamForwarder upstream;

    AddressCodeRoute(UpstreamForwarder upstream) {
        this.upstream = upstream;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.of(req.aggregate().thenCompose(body -> {
            final GetAddressCodeRequest request;
            try {
                request = parse(body);
            } catch (BadBody e) {
                return CompletableFuture.completedFuture(
                        Errors.render(ctx, ctx.path(), Errors.fromHttp(e.status, e.getMessage())).toHttpResponse());
            }
            return upstream.unary(ctx, METHOD, request).handle((answer, failure) -> {
                if (failure != null) {
                    final Throwable cause = failure instanceof CompletionException
                                            && failure.getCause() != null ? failure.getCause() : failure;
                    return Errors.render(ctx, ctx.path(), Errors.fromGrpc(Status.fromThrowable(cause),
                                                                          Status.trailersFromThrowable(cause)))
                                 .toHttpResponse();
                }
                return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8),
                                       HttpData.wrap(json(answer)));
            });
        }));
    }

    private static GetAddressCodeRequest parse(AggregatedHttpRequest body) throws BadBody {
        final MediaType type = body.contentType();
        final String text = body.content(StandardCharsets.UTF_8);
        if (type == null || type.is(MediaType.FORM_DATA)) {
            final QueryParams form = QueryParams.fromQueryString(text);
            final GetAddressCodeRequest.Builder b = GetAddressCodeRequest.newBuilder();
            final String address = form.get("address");
            final String language = form.get("language");
            if (address != null) {
                b.setAddress(address);
            }
            if (language != null) {
                b.setLanguage(language);
            }
            return b.build();
        }
        if (type.isJson()) {
            try {
                return ProtoJsonMarshaller.INSTANCE.deserializeMessage(
                        METHOD.getRequestMarshaller(),
                        new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                final String message = e instanceof io.grpc.StatusRuntimeException sre
                                       && sre.getStatus().getDescription() != null
                                       ? sre.getStatus().getDescription() : "Request body is not valid JSON";
                throw new BadBody(HttpStatus.BAD_REQUEST, message);
            }
        }
        throw new BadBody(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                          "Send the fields as application/x-www-form-urlencoded (or application/json)");
    }

    private static byte[] json(GetAddressCodeResponse answer) {
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
