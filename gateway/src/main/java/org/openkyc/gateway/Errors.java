package org.openkyc.gateway;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.Status;

/**
 * Turns gRPC statuses and HTTP-level failures into {@link ApiError}s, and renders them as the
 * JSON body of the request's API family. Messages never carry stack traces, class names or
 * upstream addresses.
 */
final class Errors {

    private static final Logger logger = LoggerFactory.getLogger(Errors.class);

    /** Error domain of the OpenKYC server's {@code google.rpc.ErrorInfo}. */
    static final String DOMAIN = "openkyc";
    static final String GRPC_STATUS_DETAILS_BIN = "grpc-status-details-bin";
    /** ErrorInfo metadata key of the server's retry advice, in whole seconds. */
    static final String RETRY_AFTER_SECONDS = "retry_after_seconds";

    /** The longest part of a status description that is checked and shown (ApiError keeps 500 characters). */
    static final int MAX_DESCRIPTION_SCANNED = 600;

    /** Anything that looks like an internal detail in a status description. */
    private static final Pattern INTERNAL_DETAIL = Pattern.compile(
            "[A-Za-z0-9_$]+(Exception|Error)\\b"                                    // class names
            + "|\\b(java|javax|jdk|sun|io|com|org|net)\\.[a-z0-9_]+\\.[A-Za-z0-9_.$]+" // qualified names
            + "|\\bat [A-Za-z0-9_.$]+\\("                                            // stack frames
            + "|\\b[0-9]{1,3}(\\.[0-9]{1,3}){3}:[0-9]{1,5}\\b"                     // ip:port
            + "|/[0-9]{1,3}(\\.[0-9]{1,3}){3}\\b"                                    // /ip (netty style)
            + "|\\[[0-9a-fA-F:]+\\]:[0-9]{1,5}");                                   // [v6]:port

    private static final Map<Status.Code, String> GENERIC_MESSAGES = Map.ofEntries(
            Map.entry(Status.Code.INVALID_ARGUMENT, "Request body has a wrong type or value for a field"),
            Map.entry(Status.Code.OUT_OF_RANGE, "A request value is out of range"),
            Map.entry(Status.Code.UNAUTHENTICATED, "Missing or invalid API key"),
            Map.entry(Status.Code.PERMISSION_DENIED, "This API key is not allowed to do this"),
            Map.entry(Status.Code.NOT_FOUND, "Not found"),
            Map.entry(Status.Code.ALREADY_EXISTS, "Already exists"),
            Map.entry(Status.Code.ABORTED, "The request conflicted with another change; retry it"),
            Map.entry(Status.Code.FAILED_PRECONDITION, "The request cannot be done in the current state"),
            Map.entry(Status.Code.RESOURCE_EXHAUSTED, "Too many requests or too much data; retry later"),
            Map.entry(Status.Code.UNIMPLEMENTED, "This operation is not implemented"),
            Map.entry(Status.Code.UNAVAILABLE, "The service is temporarily unavailable; retry later"),
            Map.entry(Status.Code.DEADLINE_EXCEEDED, "The service did not answer in time"),
            Map.entry(Status.Code.CANCELLED, "The request was cancelled"));

    /** gRPC code to HTTP status, as the API documents it. */
    static HttpStatus httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> HttpStatus.OK;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ALREADY_EXISTS, ABORTED, FAILED_PRECONDITION -> HttpStatus.CONFLICT;
            case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNIMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** Codes whose description is meant for the caller (a client mistake), not an internal fault. */
    private static boolean clientFacing(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED,
                 PERMISSION_DENIED, UNAUTHENTICATED -> true;
            default -> false;
        };
    }

    static String genericMessage(Status.Code code) {
        return GENERIC_MESSAGES.getOrDefault(code, "Internal error");
    }

    /**
     * The error of a failed upstream (or transcoder) call. Uses the server's
     * {@code google.rpc.ErrorInfo} (reason, {@code http_status}, {@code web_code}) when the
     * response carries one in {@code grpc-status-details-bin}; derives everything from the gRPC
     * code otherwise.
     */
    static ApiError fromGrpc(Status status, AggregatedHttpResponse response) {
        return fromGrpc(status, details(response));
    }

    /** The error of a failed upstream call made directly (plain routes): details from its trailers. */
    static ApiError fromGrpc(Status status, io.grpc.Metadata trailers) {
        final byte[] details = trailers == null ? null : trailers.get(UpstreamForwarder.STATUS_DETAILS);
        return fromGrpc(status, details == null ? Details.NONE : details(details));
    }

    private static ApiError fromGrpc(Status status, Details details) {
        final Status.Code code = status.getCode();
        // Only what a client may be shown (ApiError keeps 500 characters) is looked at: scanning a huge
        // upstream description for internal details would cost time quadratic in its length.
        final String description = status.getDescription() == null ? null
                : status.getDescription().substring(0, Math.min(status.getDescription().length(),
                                                                MAX_DESCRIPTION_SCANNED));
        final ErrorInfo info = details.info();
        if (info != null) {
            HttpStatus http = parseHttpStatus(info.getMetadataMap().get("http_status"));
            if (http == null) {
                http = httpStatus(code);
            }
            final int webCode = parseWebCode(info.getMetadataMap().get("web_code"), http);
            final String reason = info.getReason().isEmpty() ? code.name() : info.getReason();
            final String message = description == null || description.isBlank() || looksInternal(description)
                                   ? genericMessage(code) : description;
            return new ApiError(http, reason, webCode, message, details.dataJson(),
                                parseSeconds(info.getMetadataMap().get(RETRY_AFTER_SECONDS)));
        }
        final HttpStatus http = httpStatus(code);
        final String message = clientFacing(code) && description != null && !description.isBlank()
                               && !looksInternal(description) ? description : genericMessage(code);
        return ApiError.of(http, code.name(), message);
    }

    /** Whole seconds of a retry advice, 0 when absent or unreadable; at most a day. */
    static long parseSeconds(String text) {
        if (text == null) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(86_400, Long.parseLong(text.trim())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean looksInternal(String description) {
        return INTERNAL_DETAIL.matcher(description).find();
    }

    private static HttpStatus parseHttpStatus(String text) {
        if (text == null) {
            return null;
        }
        try {
            final int code = Integer.parseInt(text.trim());
            return code >= 400 && code <= 599 ? HttpStatus.valueOf(code) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int parseWebCode(String text, HttpStatus http) {
        if (text != null) {
            try {
                final int webCode = Integer.parseInt(text.trim());
                if (webCode != 0) {
                    return webCode;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the derived code
            }
        }
        return http.code() * 100;
    }

    /**
     * What the server put in a status's details: its {@code google.rpc.ErrorInfo} (our domain
     * preferred) and, for errors that still carry a result (a failed liveness verify, a refused
     * document upload), that result as JSON for the body's {@code data}.
     */
    record Details(ErrorInfo info, String dataJson) {
        static final Details NONE = new Details(null, null);
    }

    /** The details of a transcoded response's {@code grpc-status-details-bin}. */
    static Details details(AggregatedHttpResponse response) {
        String encoded = response.trailers().get(GRPC_STATUS_DETAILS_BIN);
        if (encoded == null) {
            encoded = response.headers().get(GRPC_STATUS_DETAILS_BIN);
        }
        if (encoded == null || encoded.isEmpty()) {
            return Details.NONE;
        }
        try {
            return details(Base64.getDecoder().decode(encoded.trim()));
        } catch (IllegalArgumentException e) {
            logger.debug("Unreadable {} header", GRPC_STATUS_DETAILS_BIN, e);
            return Details.NONE;
        }
    }

    /** The first {@code google.rpc.ErrorInfo} of the response's status details, preferring our domain. */
    static ErrorInfo errorInfo(AggregatedHttpResponse response) {
        return details(response).info();
    }

    /** The first {@code google.rpc.ErrorInfo} of a serialized {@code google.rpc.Status}, preferring our domain. */
    static ErrorInfo errorInfo(byte[] statusDetails) {
        return details(statusDetails).info();
    }

    /** The details of a serialized {@code google.rpc.Status}. */
    static Details details(byte[] statusDetails) {
        try {
            final com.google.rpc.Status rpcStatus = com.google.rpc.Status.parseFrom(statusDetails);
            ErrorInfo ours = null;
            ErrorInfo first = null;
            String data = null;
            for (Any detail : rpcStatus.getDetailsList()) {
                if (detail.is(ErrorInfo.class)) {
                    final ErrorInfo info = detail.unpack(ErrorInfo.class);
                    if (ours == null && DOMAIN.equals(info.getDomain())) {
                        ours = info;
                    }
                    if (first == null) {
                        first = info;
                    }
                } else if (data == null) {
                    data = ErrorData.json(detail);
                }
            }
            return new Details(ours != null ? ours : first, data);
        } catch (InvalidProtocolBufferException e) {
            logger.debug("Unreadable {} header", GRPC_STATUS_DETAILS_BIN, e);
            return Details.NONE;
        }
    }

    /** An error for an HTTP status the gateway or Armeria produced itself (no gRPC status). */
    static ApiError fromHttp(HttpStatus status, String message) {
        return ApiError.of(status, reasonOf(status), message != null ? message : defaultMessage(status));
    }

    /** The machine-readable reason of an HTTP status: the gRPC code name where one matches. */
    static String reasonOf(HttpStatus status) {
        return switch (status.code()) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "CONFLICT";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 500 -> "INTERNAL";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status.reasonPhrase().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
        };
    }

    static String defaultMessage(HttpStatus status) {
        return switch (status.code()) {
            case 400 -> "The request is not valid";
            case 401 -> "Missing or invalid API key";
            case 403 -> "This API key is not allowed to do this";
            case 404 -> "No API route matches this path";
            case 405 -> "This route does not accept this HTTP method";
            case 406 -> "The requested media type cannot be produced";
            case 408 -> "The request took too long to arrive";
            case 413 -> "The request body is too large";
            case 415 -> "Unsupported media type";
            case 429 -> "Too many requests; retry later";
            case 501 -> "This operation is not implemented";
            case 503 -> "The service is temporarily unavailable; retry later";
            case 504 -> "The service did not answer in time";
            default -> status.code() >= 500 ? "Internal error" : status.reasonPhrase();
        };
    }

    /**
     * The full error response for a request: the family's JSON body, the HTTP status and the
     * gateway's standard response headers.
     */
    static AggregatedHttpResponse render(ServiceRequestContext ctx, String path, ApiError error) {
        final ApiFamily family = ApiFamily.of(path);
        final ResponseHeadersBuilder headers = ResponseHeaders.builder(error.status())
                                                             .contentType(MediaType.JSON_UTF_8);
        ResponseHeadersSupport.addSecurityHeaders(headers);
        ResponseHeadersSupport.addNoStore(headers);
        if (error.retryAfterSeconds() > 0) {
            headers.set(com.linecorp.armeria.common.HttpHeaderNames.RETRY_AFTER,
                        Long.toString(error.retryAfterSeconds()));
        }
        if (ctx != null) {
            final String requestId = ctx.attr(RequestIds.REQUEST_ID);
            if (requestId != null) {
                headers.set(RequestIds.HEADER, requestId);
            }
        }
        return AggregatedHttpResponse.of(headers.build(),
                                         com.linecorp.armeria.common.HttpData.ofUtf8(family.errorBody(error)),
                                         HttpHeaders.of());
    }

    private Errors() {}
}
