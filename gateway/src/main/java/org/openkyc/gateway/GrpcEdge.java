package org.openkyc.gateway;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;

import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SerializationFormat;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.netty.util.AttributeKey;

/**
 * The public gRPC and gRPC-Web edge: a gRPC call ({@code application/grpc}, {@code application/grpc+proto},
 * {@code application/grpc+json}, {@code application/grpc-web}, {@code application/grpc-web-text}) to a
 * method path {@code /package.Service/Method} is checked here, then forwarded upstream like a REST call;
 * every other request goes on to the REST rules ({@link ApiDecorator}).
 *
 * <p>The same rules as REST, answered as gRPC statuses (HTTP 200, {@code grpc-status},
 * {@code grpc-message} and {@code grpc-status-details-bin} with a {@code google.rpc.ErrorInfo}), never as
 * an HTTP error page:
 * <ul>
 *   <li>a caller over its failed-authentication limit gets RESOURCE_EXHAUSTED with {@code RetryInfo};</li>
 *   <li>a missing or malformed {@code x-api-key} gets UNAUTHENTICATED without a call upstream; a
 *       well-formed key goes upstream, whose server decides (unknown key, tenancy, admin methods);</li>
 *   <li>each method's request size limit is that of its REST route (uploads the upload limits, the
 *       liveness callback the callback limit, the JSON document route the body limit, the rest the JSON
 *       limit): over it, RESOURCE_EXHAUSTED; {@code application/grpc+json} messages pass the same JSON
 *       shape limits as REST bodies ({@link JsonLimits});</li>
 *   <li>{@code grpc-timeout} is honoured, capped at the gateway's upstream timeout.</li>
 * </ul>
 * Upstream statuses, messages and details pass through unchanged ({@link UpstreamForwarder}); the
 * {@link #outcomes()} interceptor counts UNAUTHENTICATED answers against the caller's address, as REST
 * 401s are.
 */
final class GrpcEdge implements DecoratingHttpServiceFunction {

    /** The client's {@code grpc-timeout}, in nanoseconds, on a gRPC request. */
    static final AttributeKey<Long> CLIENT_TIMEOUT_NANOS = AttributeKey.valueOf(GrpcEdge.class, "clientTimeout");
    /** The checked API key of a gRPC request (set on gRPC requests only). */
    private static final AttributeKey<String> GRPC_CALLER = AttributeKey.valueOf(GrpcEdge.class, "caller");

    private static final int FRAME_HEADER_BYTES = 5;

    private final DecoratingHttpServiceFunction rest;
    private final AuthThrottle throttle;
    private final JsonLimits jsonLimits;
    private final Map<String, Long> limits;
    private final long defaultLimit;

    /**
     * @param rest         the REST rules, for every request that is not a gRPC call
     * @param limits       request size limit per method path ({@code /package.Service/Method})
     * @param defaultLimit the limit of any other method path
     */
    GrpcEdge(DecoratingHttpServiceFunction rest, AuthThrottle throttle, JsonLimits jsonLimits,
             Map<String, Long> limits, long defaultLimit) {
        this.rest = rest;
        this.throttle = throttle;
        this.jsonLimits = jsonLimits;
        this.limits = Map.copyOf(limits);
        this.defaultLimit = defaultLimit;
    }

    /**
     * The request size limits of the gRPC methods: each method gets the limit of its REST route.
     *
     * @param services the forwarded services
     */
    static GrpcEdge of(DecoratingHttpServiceFunction rest, AuthThrottle throttle, JsonLimits jsonLimits,
                       GatewayConfig config, List<ServiceDescriptor> services) {
        final Map<String, Long> limits = new HashMap<>();
        final Map<String, Long> byMethod = Map.of(
                SubmissionServiceGrpc.getSubmitStep1Method().getFullMethodName(), config.maxUploadBytes(),
                SubmissionServiceGrpc.getSubmitStep2Method().getFullMethodName(), config.maxUploadBytes(),
                KycServiceGrpc.getUploadDocumentMethod().getFullMethodName(), config.maxUploadBytes(),
                KycServiceGrpc.getVerifyLivenessMethod().getFullMethodName(), config.maxVideoUploadBytes(),
                KycServiceGrpc.getUploadDocumentMetadataMethod().getFullMethodName(), config.maxBodyBytes(),
                KycServiceGrpc.getLivenessCallbackMethod().getFullMethodName(), config.maxCallbackBytes());
        for (ServiceDescriptor service : services) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                final String name = method.getFullMethodName();
                limits.put('/' + name, byMethod.getOrDefault(name, config.maxJsonBytes()));
            }
        }
        return new GrpcEdge(rest, throttle, jsonLimits, limits, config.maxJsonBytes());
    }

    /** The method paths whose request limit is above {@code bytes}, each with its limit. */
    Map<String, Long> pathsOver(long bytes) {
        final Map<String, Long> over = new HashMap<>();
        limits.forEach((path, limit) -> {
            if (limit > bytes) {
                over.put(path, limit);
            }
        });
        return over;
    }

    /** The largest request any gRPC method accepts. */
    long largestLimit() {
        return limits.values().stream().mapToLong(Long::longValue).max().orElse(defaultLimit);
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        final String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (!isGrpc(contentType) || !ApiDecorator.isGrpcMethodPath(ctx.path())) {
            return rest.serve(delegate, ctx, req);
        }
        final SerializationFormat format = format(contentType);
        final InetAddress client = ctx.clientAddress();
        final String header = req.headers().get(UpstreamForwarder.API_KEY_HEADER);
        final String apiKey = header == null ? null : header.trim();
        final boolean wellFormed = ApiKeyFormat.wellFormed(apiKey);
        final long retryAfter = throttle.retryAfterSeconds(client, wellFormed ? apiKey : null);
        if (retryAfter > 0) {
            return status(format, Status.Code.RESOURCE_EXHAUSTED, HttpStatus.TOO_MANY_REQUESTS,
                          "Too many failed authentications from this address; retry later", retryAfter);
        }
        if (apiKey == null || apiKey.isEmpty()) {
            throttle.failed(client);
            return status(format, Status.Code.UNAUTHENTICATED, HttpStatus.UNAUTHORIZED,
                          "Missing API key: send it in the x-api-key metadata", 0);
        }
        if (!wellFormed) {
            throttle.failed(client);
            return status(format, Status.Code.UNAUTHENTICATED, HttpStatus.UNAUTHORIZED, "Invalid API key", 0);
        }
        ctx.setAttr(GRPC_CALLER, apiKey);
        final Long timeout = parseTimeoutNanos(req.headers().get("grpc-timeout"));
        if (timeout != null) {
            ctx.setAttr(CLIENT_TIMEOUT_NANOS, timeout);
        }
        final long limit = limits.getOrDefault(ctx.path(), defaultLimit);
        ctx.setMaxRequestLength(limit);
        if (req.headers().contentLength() > limit) {
            return tooLarge(format, limit);
        }
        // Every forwarded method is unary: its one request message is read here under the method's limit (the
        // gRPC service would buffer it all the same), and JSON messages pass the REST bodies' shape limits
        // before anything parses them.
        final boolean json = format != null && GrpcSerializationFormats.isJson(format);
        return HttpResponse.of(req.aggregate().handle((body, cause) -> {
            if (cause != null) {
                if (Exceptions.peel(cause) instanceof ContentTooLargeException) {
                    return tooLarge(format, limit);
                }
                return HttpResponse.ofFailure(cause);
            }
            if (body.content().length() > limit) {
                // A body that arrived whole before the limit was set is checked here.
                return tooLarge(format, limit);
            }
            final String refusal = json ? jsonRefusal(body.content()) : null;
            if (refusal != null) {
                return status(format, Status.Code.INVALID_ARGUMENT, HttpStatus.BAD_REQUEST, refusal, 0);
            }
            final HttpRequest copy = body.toHttpRequest();
            ctx.updateRequest(copy);
            try {
                return delegate.serve(ctx, copy);
            } catch (Exception e) {
                return HttpResponse.ofFailure(e);
            }
        }));
    }

    /** Null when every framed JSON message is within the limits, else the message to answer with. */
    private String jsonRefusal(HttpData content) {
        final byte[] bytes = content.array();
        int at = 0;
        while (at < bytes.length) {
            if (bytes.length - at < FRAME_HEADER_BYTES) {
                return "The gRPC message frame is incomplete";
            }
            final boolean compressed = (bytes[at] & 1) != 0;
            final long length = ((bytes[at + 1] & 0xffL) << 24) | ((bytes[at + 2] & 0xffL) << 16)
                                | ((bytes[at + 3] & 0xffL) << 8) | (bytes[at + 4] & 0xffL);
            at += FRAME_HEADER_BYTES;
            if (length > bytes.length - at) {
                return "The gRPC message frame is incomplete";
            }
            if (compressed) {
                return "Send application/grpc+json messages uncompressed";
            }
            final byte[] message = new byte[(int) length];
            System.arraycopy(bytes, at, message, 0, (int) length);
            final String refusal = jsonLimits.refusal(message);
            if (refusal != null) {
                return refusal;
            }
            at += (int) length;
        }
        return null;
    }

    private static HttpResponse tooLarge(SerializationFormat format, long limit) {
        return status(format, Status.Code.RESOURCE_EXHAUSTED, HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                      "Request message is larger than " + limit + " bytes", 0);
    }

    /** True for the gRPC and gRPC-Web content types (any serialization). */
    static boolean isGrpc(String contentType) {
        return contentType != null
               && contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/grpc");
    }

    private static SerializationFormat format(String contentType) {
        try {
            final MediaType type = MediaType.parse(contentType);
            for (SerializationFormat f : GrpcSerializationFormats.values()) {
                if (f.isAccepted(type)) {
                    return f;
                }
            }
        } catch (RuntimeException e) {
            // an unreadable content-type: answered as plain gRPC
        }
        return null;
    }

    /**
     * A trailers-only gRPC answer: HTTP 200 with the status, its message and a {@code google.rpc.Status} with
     * the same {@code ErrorInfo} (reason, {@code http_status}, {@code web_code}) the server sends, a
     * {@code RetryInfo} when there is retry advice, and a {@code RequestInfo} with the request id.
     */
    static HttpResponse status(SerializationFormat format, Status.Code code, HttpStatus http, String message,
                               long retryAfterSeconds) {
        final com.google.rpc.Status status = details(code, http, message, retryAfterSeconds);
        final MediaType type = format != null ? format.mediaType() : GrpcSerializationFormats.PROTO.mediaType();
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                .contentType(type)
                .add("grpc-status", Integer.toString(code.value()))
                .add("grpc-message", percentEncoded(message))
                .add(Errors.GRPC_STATUS_DETAILS_BIN,
                     Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray()))
                .build());
    }

    /** The {@code google.rpc.Status} of an error the edge answers, with the server's kind of ErrorInfo. */
    static com.google.rpc.Status details(Status.Code code, HttpStatus http, String message, long retryAfterSeconds) {
        final ErrorInfo.Builder info = ErrorInfo.newBuilder()
                .setReason(Errors.reasonOf(http)).setDomain(Errors.DOMAIN)
                .putMetadata("http_status", Integer.toString(http.code()))
                .putMetadata("web_code", Integer.toString(http.code() * 100));
        final com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code.value()).setMessage(message);
        if (retryAfterSeconds > 0) {
            info.putMetadata(Errors.RETRY_AFTER_SECONDS, Long.toString(retryAfterSeconds));
        }
        status.addDetails(Any.pack(info.build()));
        if (retryAfterSeconds > 0) {
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Duration.newBuilder().setSeconds(retryAfterSeconds)).build()));
        }
        // The request id, as the server adds it to the calls it fails.
        final com.linecorp.armeria.server.ServiceRequestContext ctx =
                com.linecorp.armeria.server.ServiceRequestContext.currentOrNull();
        final String requestId = ctx == null ? null : ctx.attr(RequestIds.REQUEST_ID);
        if (requestId != null) {
            status.addDetails(Any.pack(com.google.rpc.RequestInfo.newBuilder().setRequestId(requestId).build()));
        }
        return status.build();
    }

    /**
     * The status of a gRPC call whose request stream failed in the gateway: a message over the method's limit
     * is RESOURCE_EXHAUSTED with the edge's ErrorInfo (not an internal error carrying the exception); anything
     * else keeps Armeria's own mapping.
     */
    static GrpcExceptionHandlerFunction exceptions() {
        return (ctx, status, cause, metadata) -> {
            if (!(Exceptions.peel(cause) instanceof ContentTooLargeException)) {
                return null;
            }
            final long limit = ctx instanceof ServiceRequestContext sctx ? sctx.maxRequestLength() : 0;
            final String message = limit > 0 ? "Request message is larger than " + limit + " bytes"
                                             : "Request message is too large";
            metadata.removeAll(UpstreamForwarder.STATUS_DETAILS);
            metadata.put(UpstreamForwarder.STATUS_DETAILS,
                         details(Status.Code.RESOURCE_EXHAUSTED, HttpStatus.REQUEST_ENTITY_TOO_LARGE, message, 0)
                                 .toByteArray());
            return Status.RESOURCE_EXHAUSTED.withDescription(message);
        };
    }

    /** A {@code grpc-message}: UTF-8, with every byte outside printable ASCII and {@code %} percent-encoded. */
    static String percentEncoded(String message) {
        final byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        final StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            if (b >= ' ' && b < 0x7f && b != '%') {
                sb.append((char) b);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                  .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * A {@code grpc-timeout} value ({@code 1-8 digits} and a unit {@code H M S m u n}) in nanoseconds, or null
     * when absent or unreadable (then the upstream timeout alone applies).
     */
    static Long parseTimeoutNanos(String value) {
        if (value == null) {
            return null;
        }
        final String v = value.trim();
        if (v.length() < 2 || v.length() > 9) {
            return null;
        }
        final long amount;
        try {
            amount = Long.parseLong(v.substring(0, v.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (amount < 0) {
            return null;
        }
        final TimeUnit unit = switch (v.charAt(v.length() - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        return unit == null ? null : unit.toNanos(amount);
    }

    /**
     * The deadline of an upstream call, in milliseconds: the gateway's upstream timeout, or the gRPC client's
     * own {@code grpc-timeout} of the current request when that is shorter.
     */
    static long upstreamTimeoutMillis(long configuredMillis) {
        final ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        final Long client = ctx == null ? null : ctx.attr(CLIENT_TIMEOUT_NANOS);
        if (client == null) {
            return configuredMillis;
        }
        return Math.min(configuredMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(client)));
    }

    /**
     * Counts the answers of gRPC calls like those of REST calls: UNAUTHENTICATED against the caller's address,
     * OK as a recent success of the key.
     */
    ServerInterceptor outcomes() {
        return new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
                                                                         Metadata headers,
                                                                         ServerCallHandler<ReqT, RespT> next) {
                final ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
                final String apiKey = ctx == null ? null : ctx.attr(GRPC_CALLER);
                if (apiKey == null) {
                    return next.startCall(call, headers);
                }
                final InetAddress client = ctx.clientAddress();
                return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
                            throttle.failed(client);
                        } else if (status.isOk()) {
                            throttle.succeeded(apiKey);
                        }
                        super.close(status, trailers);
                    }
                }, headers);
            }
        };
    }
}
