package org.openkyc.gateway;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import org.openkyc.api.submissions.v2.GetAddressCodeRequest;
import org.openkyc.api.submissions.v2.GetAddressCodeResponse;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.MethodDescriptor;

/**
 * {@code POST /v2/address_code} (docs/API.md A5), documented as
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
            } catch (PlainRoutes.BadBody e) {
                return CompletableFuture.completedFuture(PlainRoutes.error(ctx, e.status, e.getMessage()));
            }
            return PlainRoutes.call(ctx, upstream, METHOD, request);
        }));
    }

    private static GetAddressCodeRequest parse(AggregatedHttpRequest body) throws PlainRoutes.BadBody {
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
            return PlainRoutes.parseJson(METHOD, text.getBytes(StandardCharsets.UTF_8));
        }
        throw new PlainRoutes.BadBody(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                          "Send the fields as application/x-www-form-urlencoded (or application/json)");
    }
}
