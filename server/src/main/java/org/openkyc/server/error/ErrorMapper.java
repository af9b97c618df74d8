package org.openkyc.server.error;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RequestInfo;
import com.google.rpc.RetryInfo;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become gRPC statuses. A {@link DomainException}
 * becomes its status with standard {@code google.rpc} details: an
 * {@code ErrorInfo} (reason, domain {@value #DOMAIN}, metadata
 * {@code http_status} and {@code web_code}), a {@code BadRequest} naming the
 * fields that are not valid, a {@code RetryInfo} when a retry may succeed after
 * a while; any other exception becomes INTERNAL with a generic message, and is
 * logged without its message (which might carry personal data). As an
 * interceptor it adds a {@code RequestInfo} with the call's request id (the
 * gateway's {@code x-request-id}, or a new one for a direct gRPC caller) to
 * every failed call, whoever failed it.
 */
public final class ErrorMapper implements ServerInterceptor {

    public static final String DOMAIN = "openkyc";
    /**
     * Longest status message sent. Messages are written by the product, but some quote an input
     * (an id, a field name); whatever they quote, a status never grows past this, so an error can
     * never push the trailers over a peer's metadata limit.
     */
    public static final int MAX_MESSAGE_CHARS = 300;
    /** ErrorInfo metadata key with the whole seconds after which a retry may succeed. */
    public static final String RETRY_AFTER_SECONDS = "retry_after_seconds";
    /** The request id header the gateway sends (and a direct caller may send). */
    public static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    /** gRPC's retry pushback trailer (A6): a negative value tells a retrying client not to retry. */
    static final Metadata.Key<String> RETRY_PUSHBACK =
            Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<byte[]> STATUS_DETAILS =
            Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);
    /** A request id taken as given: a short token (the gateway's own rule). */
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    /** The gRPC status of a domain error. */
    public static StatusRuntimeException toStatusException(DomainException e) {
        return toStatusException(e, null);
    }

    /**
     * The gRPC status of a domain error that still carries a result for the caller (a failed liveness
     * verify with its per-action results, a refused upload with its quality scores): the result is
     * packed as a second status detail, which the gateway shows as the KYC web API's {@code data}.
     * Adapters call this with the API message; the domain never sees generated classes.
     */
    public static StatusRuntimeException withData(DomainException e, com.google.protobuf.Message data) {
        return toStatusException(e, data);
    }

    private static StatusRuntimeException toStatusException(DomainException e, com.google.protobuf.Message data) {
        ErrorCode code = e.code();
        ErrorInfo.Builder info = ErrorInfo.newBuilder()
                .setReason(code.name())
                .setDomain(DOMAIN)
                .putMetadata("http_status", Integer.toString(code.httpStatus()))
                .putMetadata("web_code", Integer.toString(code.webCode()));
        e.retryAfter().ifPresent(after -> info.putMetadata(RETRY_AFTER_SECONDS, Long.toString(seconds(after))));
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code.grpcCode().value())
                .setMessage(bounded(e.getMessage()))
                .addDetails(Any.pack(info.build()));
        e.retryAfter().ifPresent(after -> status.addDetails(Any.pack(RetryInfo.newBuilder()
                .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(seconds(after)))
                .build())));
        if (!e.violations().isEmpty()) {
            BadRequest.Builder bad = BadRequest.newBuilder();
            for (FieldViolation v : e.violations()) {
                bad.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                        .setField(v.field()).setDescription(bounded(v.description())));
            }
            status.addDetails(Any.pack(bad.build()));
        }
        if (data != null) {
            status.addDetails(Any.pack(data));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** Whole seconds, at least one: a Retry-After of 0 invites an immediate retry storm. */
    private static long seconds(java.time.Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** The message cut to {@link #MAX_MESSAGE_CHARS}, control characters replaced. */
    static String bounded(String message) {
        boolean cut = message.length() > MAX_MESSAGE_CHARS;
        String kept = cut ? message.substring(0, MAX_MESSAGE_CHARS - 3) : message;
        StringBuilder sb = new StringBuilder(kept.length() + 3);
        for (int i = 0; i < kept.length(); i++) {
            char c = kept.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (cut) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** Maps any throwable raised while serving a call. */
    public static StatusRuntimeException toStatusException(Throwable t) {
        if (t instanceof DomainException de) {
            return toStatusException(de);
        }
        if (t instanceof StatusRuntimeException sre) {
            return sre;
        }
        log.error("Unexpected failure while serving a call: {}", t.getClass().getName(), withoutMessage(t));
        return toStatusException(new DomainException(ErrorCode.INTERNAL, "Internal error"));
    }

    private static Throwable withoutMessage(Throwable t) {
        Throwable copy = new Throwable(t.getClass().getName());
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    static Status.Code grpcCode(int httpStatus) {
        return switch (httpStatus) {
            case 400, 415, 422 -> Status.Code.INVALID_ARGUMENT;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 404 -> Status.Code.NOT_FOUND;
            case 409 -> Status.Code.FAILED_PRECONDITION;
            case 413, 429 -> Status.Code.RESOURCE_EXHAUSTED;
            case 503 -> Status.Code.UNAVAILABLE;
            default -> Status.Code.INTERNAL;
        };
    }

    /** Closes a call with the mapped status unless it is already closed. */
    public static <ReqT, RespT> void close(ServerCall<ReqT, RespT> call, Throwable t) {
        StatusRuntimeException sre = toStatusException(t);
        Metadata trailers = sre.getTrailers() == null ? new Metadata() : sre.getTrailers();
        call.close(sre.getStatus(), trailers);
    }

    /** The caller's request id when it is a short token, else a new random one. */
    static String requestId(Metadata headers) {
        String given = headers.get(REQUEST_ID);
        if (given != null && SANE_REQUEST_ID.matcher(given).matches()) {
            return given;
        }
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The trailers of a failed call with a {@code google.rpc.RequestInfo} among its status details: added to the
     * details already there, or as the only detail of a status that had none. Unchanged when it has one.
     */
    static Metadata withRequestInfo(Status status, Metadata trailers, String requestId) {
        com.google.rpc.Status.Builder details;
        byte[] present = trailers.get(STATUS_DETAILS);
        try {
            details = present != null ? com.google.rpc.Status.parseFrom(present).toBuilder()
                    : com.google.rpc.Status.newBuilder().setCode(status.getCode().value())
                            .setMessage(status.getDescription() == null ? "" : status.getDescription());
        } catch (InvalidProtocolBufferException e) {
            return trailers; // not ours to repair
        }
        if (details.getDetailsList().stream().anyMatch(d -> d.is(RequestInfo.class))) {
            return trailers;
        }
        details.addDetails(Any.pack(RequestInfo.newBuilder().setRequestId(requestId).build()));
        trailers.removeAll(STATUS_DETAILS);
        trailers.put(STATUS_DETAILS, details.build().toByteArray());
        return trailers;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        ClosingCall<ReqT, RespT> tracked = new ClosingCall<>(call, requestId(headers));
        ServerCall.Listener<ReqT> delegate;
        try {
            delegate = next.startCall(tracked, headers);
        } catch (RuntimeException e) {
            tracked.fail(e);
            return new ServerCall.Listener<>() { };
        }
        return new SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(ReqT message) {
                try {
                    super.onMessage(message);
                } catch (RuntimeException e) {
                    tracked.fail(e);
                }
            }

            @Override
            public void onHalfClose() {
                try {
                    super.onHalfClose();
                } catch (RuntimeException e) {
                    tracked.fail(e);
                }
            }
        };
    }

    /**
     * A call that remembers it was closed, so a failure after closing is only logged, and that adds the request
     * id to the details of a failure.
     */
    private static final class ClosingCall<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {
        private final String requestId;
        private volatile boolean closed;

        ClosingCall(ServerCall<ReqT, RespT> delegate, String requestId) {
            super(delegate);
            this.requestId = requestId;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            closed = true;
            if (!status.isOk()) {
                // This server answered: a gRPC client's automatic retry (the gateway retries reads on another
                // replica when one is lost) must not repeat an answer such as "database unavailable"; the
                // caller decides by RetryInfo. A negative pushback turns the automatic retry off (gRPC A6).
                trailers.removeAll(RETRY_PUSHBACK);
                trailers.put(RETRY_PUSHBACK, "-1");
            }
            super.close(status, status.isOk() ? trailers : withRequestInfo(status, trailers, requestId));
        }

        void fail(RuntimeException e) {
            if (closed) {
                log.warn("Failure after the call was closed: {}", e.getClass().getName());
                return;
            }
            ErrorMapper.close(this, e);
        }
    }
}
