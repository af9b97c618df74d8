package org.openkyc.gateway;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Serves the OpenAPI document ({@link OpenApiDocument#PATH}) on the public port, without an API key, like the
 * /docs page: generated once when the gateway starts, from the descriptors it transcodes.
 */
final class OpenApiService implements HttpService {

    private final byte[] document;

    OpenApiService() {
        this.document = OpenApiDocument.bytes();
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        final ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.JSON_UTF_8)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set(HttpHeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff")
                .build();
        return HttpResponse.of(headers, HttpData.wrap(document));
    }
}
