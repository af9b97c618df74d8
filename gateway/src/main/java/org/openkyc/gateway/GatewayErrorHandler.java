package org.openkyc.gateway;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.UnframedGrpcErrorHandler;

import io.grpc.Status;

/**
 * Renders every error in the JSON shape of the request's API family:
 * <ul>
 *   <li>as the Armeria {@link ServerErrorHandler}, what never reaches gRPC: malformed JSON and
 *       query parameters of the wrong type (the transcoder fails with a 400 before any call), no
 *       route (404), wrong method (405), body too large (413), timeouts, protocol errors;</li>
 *   <li>as the transcoder's {@link UnframedGrpcErrorHandler}, failed gRPC calls (upstream
 *       statuses with their {@code ErrorInfo}, and the marshaller's own INVALID_ARGUMENT).</li>
 * </ul>
 */
final class GatewayErrorHandler implements ServerErrorHandler, UnframedGrpcErrorHandler {

    private static final Logger logger = LoggerFactory.getLogger(GatewayErrorHandler.class);

    /** Armeria 1.36's transcoder messages (IllegalArgumentException) for a bad request body. */
    private static final String MALFORMED_JSON = "Failed to parse JSON request.";
    private static final String BAD_CONTENT_TYPE = "Missing or invalid content-type in JSON request.";
    private static final Pattern NUMBER_INPUT = Pattern.compile("For input string: \"(.*)\"");

    private final long maxBodyBytes;

    GatewayErrorHandler(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    // ---- UnframedGrpcErrorHandler: failed gRPC calls of transcoded routes ----

    @Override
    public HttpResponse handle(ServiceRequestContext ctx, Status status, AggregatedHttpResponse response) {
        final ApiError error = Errors.fromGrpc(status, response);
        return Errors.render(ctx, ctx.path(), error).toHttpResponse();
    }

    // ---- ServerErrorHandler: failures before or outside gRPC ----

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        // Let Armeria turn the exception into a status (HttpStatusException, ContentTooLarge,
        // timeouts, IllegalArgumentException -> 400 ...); renderStatus below draws the body.
        return null;
    }

    @Override
    public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config,
                                               RequestHeaders headers, HttpStatus status,
                                               String description, Throwable cause) {
        if (!status.isError() || status.isContentAlwaysEmpty()) {
            return null;
        }
        final String path = ctx != null ? ctx.path() : pathOf(headers);
        final ApiError error = classify(ctx, config, status, cause);
        if (error.status().isServerError()) {
            logger.warn("{} {} failed with {}: {}", headers != null ? headers.method() : "-", path,
                        error.status().code(), cause != null ? cause.toString() : description);
        }
        return Errors.render(ctx, path, error);
    }

    private ApiError classify(ServiceRequestContext ctx, ServiceConfig config, HttpStatus status,
                              Throwable cause) {
        final Throwable root = rootCause(cause);
        if (status == HttpStatus.BAD_REQUEST && root instanceof IllegalArgumentException) {
            final String message = root.getMessage();
            if (MALFORMED_JSON.equals(message)) {
                return Errors.fromHttp(HttpStatus.BAD_REQUEST, "Request body is not valid JSON");
            }
            if (BAD_CONTENT_TYPE.equals(message)) {
                return Errors.fromHttp(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                                       "Send the request body as application/json");
            }
            if (root instanceof NumberFormatException && message != null) {
                return Errors.fromHttp(HttpStatus.BAD_REQUEST, numberMessage(ctx, message));
            }
            if (message != null && message.startsWith("Invalid request body")) {
                return Errors.fromHttp(HttpStatus.BAD_REQUEST,
                                       "Request body does not match the parameters of this route");
            }
            return Errors.fromHttp(HttpStatus.BAD_REQUEST, "The request is not valid");
        }
        if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE || root instanceof ContentTooLargeException) {
            // The limit of the route that refused it: upload routes have their own.
            final long limit = ctx != null ? ctx.maxRequestLength()
                               : config != null ? config.maxRequestLength() : maxBodyBytes;
            return Errors.fromHttp(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                                   "Request body is larger than " + limit + " bytes");
        }
        return Errors.fromHttp(status, null);
    }

    /** "Parameter 'count' must be a number", naming the query or path parameter that holds the value. */
    private static String numberMessage(ServiceRequestContext ctx, String nfeMessage) {
        final Matcher m = NUMBER_INPUT.matcher(nfeMessage);
        if (ctx != null && m.matches()) {
            final String input = m.group(1);
            for (Map.Entry<String, String> e : ctx.queryParams()) {
                if (e.getValue().equals(input)) {
                    return "Parameter '" + e.getKey() + "' must be a number";
                }
            }
            for (Map.Entry<String, String> e : ctx.pathParams().entrySet()) {
                if (e.getValue().equals(input)) {
                    return "Parameter '" + e.getKey() + "' must be a number";
                }
            }
        }
        return "A parameter that must be a number is not one";
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cur = t;
        for (int i = 0; cur != null && i < 10; i++) {
            if (cur instanceof IllegalArgumentException || cur instanceof ContentTooLargeException) {
                return cur;
            }
            cur = cur.getCause();
        }
        return t;
    }

    private static String pathOf(RequestHeaders headers) {
        if (headers == null) {
            return null;
        }
        final String p = headers.path();
        final int q = p.indexOf('?');
        return q >= 0 ? p.substring(0, q) : p;
    }
}
