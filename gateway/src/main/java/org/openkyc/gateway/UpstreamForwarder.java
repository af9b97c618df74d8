package org.openkyc.gateway;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * Serves a generated gRPC service by re-issuing every call on the upstream {@link Channel}: one
 * generic unary handler, no per-method code. The {@link ServerServiceDefinition} keeps the
 * generated schema descriptors, so Armeria can transcode the {@code google.api.http} rules and
 * {@code DocService} can document them.
 */
final class UpstreamForwarder {

    private static final Logger logger = LoggerFactory.getLogger(UpstreamForwarder.class);

    static final String API_KEY_HEADER = "x-api-key";
    static final Metadata.Key<String> API_KEY = Metadata.Key.of(API_KEY_HEADER, Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TRACEPARENT =
            Metadata.Key.of(Traceparents.HEADER, Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of(RequestIds.HEADER, Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> FORWARDED_FOR =
            Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);
    private static final List<Metadata.Key<String>> CALLBACK_SIGNATURE = List.of(
            Metadata.Key.of("x-openkyc-timestamp", Metadata.ASCII_STRING_MARSHALLER),
            Metadata.Key.of("x-openkyc-signature", Metadata.ASCII_STRING_MARSHALLER));
    static final Metadata.Key<byte[]> STATUS_DETAILS =
            Metadata.Key.of(Errors.GRPC_STATUS_DETAILS_BIN, Metadata.BINARY_BYTE_MARSHALLER);

    static final Metadata.Key<String> IDEMPOTENCY_KEY =
            Metadata.Key.of("idempotency-key", Metadata.ASCII_STRING_MARSHALLER);
    /** Attempts of a write that carries an Idempotency-Key, the first included. */
    static final int KEYED_WRITE_ATTEMPTS = 3;
    private static final long FIRST_BACKOFF_MILLIS = 50;

    private final Channel upstream;
    private final long timeoutMillis;
    private final long retryAfterSeconds;

    /**
     * @param retryAfterSeconds the retry advice given when a replica fails mid-call and the call cannot be
     *                          retried on another one
     */
    UpstreamForwarder(Channel upstream, Duration timeout, long retryAfterSeconds) {
        this.upstream = upstream;
        timeoutMillis = timeout.toMillis();
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A service definition of {@code descriptor} whose every method is forwarded upstream. */
    ServerServiceDefinition forward(ServiceDescriptor descriptor) {
        final ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor);
        for (MethodDescriptor<?, ?> method : descriptor.getMethods()) {
            addForwardingMethod(builder, method);
        }
        return builder.build();
    }

    private <ReqT, RespT> void addForwardingMethod(ServerServiceDefinition.Builder builder,
                                                   MethodDescriptor<ReqT, RespT> method) {
        if (method.getType() != MethodDescriptor.MethodType.UNARY) {
            throw new IllegalArgumentException(
                    "The gateway forwards unary methods only: " + method.getFullMethodName()
                    + " is " + method.getType());
        }
        builder.addMethod(method, ServerCalls.asyncUnaryCall(
                (ReqT request, StreamObserver<RespT> responses) -> call(method, request, responses)));
    }

    private <ReqT, RespT> void call(MethodDescriptor<ReqT, RespT> method, ReqT request,
                                    StreamObserver<RespT> responses) {
        final ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        call(ctx, method, request, outgoingHeaders(ctx), responses);
    }

    /**
     * One unary call upstream on behalf of the HTTP request {@code ctx} (for the plain routes that
     * transcoding does not cover): the same headers, deadline and error cleaning as forwarded calls.
     * Fails with a {@link io.grpc.StatusRuntimeException} whose trailers keep only the status details.
     */
    <ReqT, RespT> CompletableFuture<RespT> unary(ServiceRequestContext ctx, MethodDescriptor<ReqT, RespT> method,
                                                 ReqT request) {
        final CompletableFuture<RespT> result = new CompletableFuture<>();
        call(ctx, method, request, outgoingHeaders(ctx), new StreamObserver<>() {
            @Override
            public void onNext(RespT value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                if (!result.isDone()) {
                    result.completeExceptionally(Status.INTERNAL.withDescription("No answer").asRuntimeException());
                }
            }
        });
        return result;
    }

    /**
     * One forwarded call. Reads (HTTP GET rule) are retried by the channel's retry policy. A write that carries
     * an {@code Idempotency-Key} and loses its replica (see {@link #lostReplica}: not an answer of the server)
     * is sent again, up to {@link #KEYED_WRITE_ATTEMPTS} times: the server keeps one answer per tenant
     * and key in the shared database, so a repeat on another replica either replays the first answer, waits
     * for it, or does the work once. A write without a key is never repeated: it may have been applied.
     */
    private <ReqT, RespT> void call(ServiceRequestContext ctx, MethodDescriptor<ReqT, RespT> method, ReqT request,
                                    Metadata outgoing, StreamObserver<RespT> responses) {
        final boolean keyedWrite = outgoing.containsKey(IDEMPOTENCY_KEY) && !UpstreamChannel.isHttpGet(method);
        final Deadline deadline = Deadline.after(GrpcEdge.upstreamTimeoutMillis(timeoutMillis), TimeUnit.MILLISECONDS);
        final AtomicReference<ClientCall<ReqT, RespT>> current = new AtomicReference<>();
        final AtomicBoolean cancelled = new AtomicBoolean();
        if (responses instanceof ServerCallStreamObserver<RespT> serverObserver) {
            serverObserver.setOnCancelHandler(() -> {
                cancelled.set(true);
                final ClientCall<ReqT, RespT> call = current.get();
                if (call != null) {
                    call.cancel("The HTTP client went away", null);
                }
            });
        }
        attempt(ctx, method, request, outgoing, responses, deadline, current, cancelled,
                keyedWrite ? KEYED_WRITE_ATTEMPTS : 1, 1);
    }

    private <ReqT, RespT> void attempt(ServiceRequestContext ctx, MethodDescriptor<ReqT, RespT> method, ReqT request,
                                       Metadata outgoing,
                                       StreamObserver<RespT> responses, Deadline deadline,
                                       AtomicReference<ClientCall<ReqT, RespT>> current, AtomicBoolean cancelled,
                                       int attempts, int attempt) {
        final ClientCall<ReqT, RespT> call = new ForwardingClientCall.SimpleForwardingClientCall<>(
                upstream.newCall(method, CallOptions.DEFAULT.withDeadline(deadline))) {
            @Override
            public void start(Listener<RespT> listener, Metadata headers) {
                headers.merge(outgoing);
                super.start(listener, headers);
            }
        };
        current.set(call);
        if (cancelled.get()) {
            call.cancel("The HTTP client went away", null);
        }
        ClientCalls.asyncUnaryCall(call, request, new StreamObserver<>() {
            @Override
            public void onNext(RespT value) {
                // REST answers of the KYC family get their envelope from the REST decorator.
                KycEnvelope.remember(ctx, value);
                responses.onNext(value);
            }

            @Override
            public void onError(Throwable t) {
                final long backoff = FIRST_BACKOFF_MILLIS << (attempt - 1);
                if (attempt < attempts && lostReplica(t) && !cancelled.get()
                    && deadline.timeRemaining(TimeUnit.MILLISECONDS) > backoff) {
                    logger.info("Upstream call {} lost its replica; sending it again with its Idempotency-Key"
                                + " (attempt {} of {})", method.getFullMethodName(), attempt + 1, attempts);
                    CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS).execute(
                            () -> attempt(ctx, method, request, outgoing, responses, deadline, current, cancelled,
                                          attempts, attempt + 1));
                    return;
                }
                responses.onError(upstreamError(method, t, retryAfterSeconds, outgoing.containsKey(IDEMPOTENCY_KEY)));
            }

            @Override
            public void onCompleted() {
                responses.onCompleted();
            }
        });
    }

    /**
     * True when a call failed for want of a replica rather than by an answer of the server: UNAVAILABLE (a
     * refused or dropped connection) or CANCELLED (a replica stopping cancels the calls it holds; the gateway's
     * own cancellation, when its client went away, is never answered), without the status details every
     * server error carries.
     */
    static boolean lostReplica(Throwable t) {
        final Status status = Status.fromThrowable(t);
        if (status.getCode() != Status.Code.UNAVAILABLE && status.getCode() != Status.Code.CANCELLED) {
            return false;
        }
        final Metadata trailers = Status.trailersFromThrowable(t);
        return trailers == null || !trailers.containsKey(STATUS_DETAILS);
    }

    /** {@code x-api-key}, {@code x-request-id} and {@code x-forwarded-for} for the upstream call. */
    static Metadata outgoingHeaders(ServiceRequestContext ctx) {
        final Metadata md = new Metadata();
        if (ctx == null) {
            return md;
        }
        final RequestHeaders headers = ctx.request().headers();
        final String apiKey = headers.get(API_KEY_HEADER);
        if (apiKey != null && !apiKey.isBlank()) {
            md.put(API_KEY, apiKey.trim());
        }
        String requestId = ctx.attr(RequestIds.REQUEST_ID);
        if (requestId == null) {
            requestId = RequestIds.fromOrNew(headers);
        }
        md.put(REQUEST_ID, requestId);
        // The gateway's span when tracing is on, else a span id of its own in the caller's trace.
        final String traceparent = ctx.attr(Spans.UPSTREAM_TRACEPARENT);
        md.put(TRACEPARENT, traceparent != null ? traceparent : Traceparents.forUpstream(headers));
        // The liveness callback's signature (the body it signs travels in the message: see CallbackRoute).
        for (Metadata.Key<String> h : CALLBACK_SIGNATURE) {
            final String v = headers.get(h.name());
            if (v != null) {
                md.put(h, v);
            }
        }
        // Idempotent retries: a key that is not printable ASCII travels empty, for the server to refuse with 400.
        final String idempotencyKey = headers.get("idempotency-key");
        if (idempotencyKey != null) {
            md.put(IDEMPOTENCY_KEY,
                   idempotencyKey.chars().allMatch(c -> c >= 0x20 && c <= 0x7e) ? idempotencyKey : "");
        }
        final InetAddress client = ctx.clientAddress();
        if (client != null) {
            md.put(FORWARDED_FOR, client.getHostAddress());
        }
        return md;
    }

    /**
     * The upstream status as the gateway passes it on: code and description, plus the
     * {@code google.rpc.Status} details (the server's {@code ErrorInfo}); no other trailers and
     * no cause. When no replica could answer (see {@link #lostReplica}) the gateway makes the error:
     * UNAVAILABLE (REST 503) with retry advice ({@code Retry-After}, gRPC {@code RetryInfo}) and, for a
     * write, the warning that it may have been applied.
     */
    static Throwable upstreamError(MethodDescriptor<?, ?> method, Throwable t, long retryAfterSeconds,
                                   boolean keyed) {
        final Status status = Status.fromThrowable(t);
        if (lostReplica(t)) {
            logger.warn("Upstream call {} failed: {} {}", method.getFullMethodName(), status.getCode(),
                        status.getDescription());
            final String message = UpstreamChannel.isHttpGet(method)
                    ? "The service is temporarily unavailable; retry later"
                    : keyed ? "The service is temporarily unavailable; retry later with the same Idempotency-Key"
                    : "The service became unavailable while answering; the request may or may not have been"
                      + " applied: check its result before sending it again, or send it with an Idempotency-Key";
            final Metadata made = new Metadata();
            made.put(STATUS_DETAILS, GrpcEdge.details(Status.Code.UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE,
                                                      message, retryAfterSeconds).toByteArray());
            return Status.UNAVAILABLE.withDescription(message).asRuntimeException(made);
        }
        final Metadata trailers = Status.trailersFromThrowable(t);
        final Metadata passed = new Metadata();
        if (trailers != null) {
            final byte[] details = trailers.get(STATUS_DETAILS);
            if (details != null) {
                passed.put(STATUS_DETAILS, details);
            }
        }
        switch (status.getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, DATA_LOSS ->
                    logger.warn("Upstream call {} failed: {} {}", method.getFullMethodName(),
                                status.getCode(), status.getDescription());
            default -> logger.debug("Upstream call {} answered {}", method.getFullMethodName(),
                                    status.getCode());
        }
        return Status.fromCode(status.getCode()).withDescription(status.getDescription())
                     .asRuntimeException(passed);
    }
}
