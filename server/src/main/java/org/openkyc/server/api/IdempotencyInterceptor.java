package org.openkyc.server.api;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.error.ErrorMapper;
import org.openkyc.server.idempotency.IdempotencyKeys;
import org.openkyc.server.idempotency.IdempotencyKeys.Claim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotent retries of the POST-bound RPCs: a call carrying {@code idempotency-key} metadata (the REST
 * {@code Idempotency-Key} header, forwarded by the gateway) is answered once per tenant and key. The first
 * answer (the response message, or a lasting error with its details) is kept; a repeat of the same method
 * with the same request bytes gets that answer again, byte for byte, without running a second time. The
 * same key with another method or other bytes is refused ({@link ErrorCode#IDEMPOTENCY_KEY_REUSED}); a
 * repeat arriving while the first is still being answered waits for it up to a bound, then is told to retry
 * ({@link ErrorCode#IDEMPOTENCY_KEY_IN_PROGRESS}). Transient failures (unavailable, busy, deadline, internal)
 * are not kept, so the retry can succeed. Requests are known only by a SHA-256 of their bytes.
 * Runs after authentication: keys belong to the caller's tenant.
 */
public final class IdempotencyInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> IDEMPOTENCY_KEY =
            Metadata.Key.of("idempotency-key", Metadata.ASCII_STRING_MARSHALLER);
    public static final int MAX_KEY_CHARS = 255;
    /** Statuses after which a retry may succeed: never kept. */
    static final Set<Status.Code> TRANSIENT = EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.CANCELLED,
            Status.Code.ABORTED, Status.Code.DATA_LOSS);
    /** Retry advice given with {@link ErrorCode#IDEMPOTENCY_KEY_IN_PROGRESS}. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final long FIRST_POLL_MILLIS = 25;
    private static final long LONGEST_POLL_MILLIS = 250;
    /** Kept free of a call's deadline, so a waiter answers before its caller gives up. */
    private static final long DEADLINE_MARGIN_MILLIS = 250;
    private static final Logger log = LoggerFactory.getLogger(IdempotencyInterceptor.class);

    private final IdempotencyKeys keys;
    private final Duration maxWait;
    private final Map<String, Boolean> postBound = new ConcurrentHashMap<>();

    /**
     * @param maxWait longest time a repeat waits for the first call with its key before it is told to retry
     */
    public IdempotencyInterceptor(IdempotencyKeys keys, Duration maxWait) {
        this.keys = keys;
        this.maxWait = maxWait;
    }

    /** True when the key is 1-255 printable ASCII characters (space to tilde), not only spaces. */
    public static boolean wellFormed(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_CHARS || key.isBlank()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        MethodDescriptor<ReqT, RespT> method = call.getMethodDescriptor();
        String key = headers.get(IDEMPOTENCY_KEY);
        if (key == null || method.getType() != MethodDescriptor.MethodType.UNARY || !isPostBound(method)) {
            return next.startCall(call, headers);
        }
        if (!wellFormed(key)) {
            ErrorMapper.close(call, DomainException.invalid(
                    "Idempotency-Key must be 1-" + MAX_KEY_CHARS + " printable ASCII characters"));
            return new ServerCall.Listener<>() { };
        }
        long tenantId = Caller.current().tenantId();
        Recording<ReqT, RespT> recording = new Recording<>(call, tenantId, key);
        ServerCall.Listener<ReqT> delegate = next.startCall(recording, headers);
        return new SimpleForwardingServerCallListener<>(delegate) {
            private ReqT request;

            @Override
            public void onMessage(ReqT message) {
                // Held until the whole request is in: the key is claimed with its hash.
                request = message;
            }

            @Override
            public void onHalfClose() {
                if (request == null) {
                    super.onHalfClose(); // the unary handler answers a call without a request
                    return;
                }
                Claim claim = claimWaiting(tenantId, key, hash(method, request));
                if (claim instanceof IdempotencyKeys.Owned) {
                    recording.owned = true;
                    try {
                        super.onMessage(request);
                        request = null;
                        super.onHalfClose();
                    } catch (RuntimeException e) {
                        // Closed through the recording, so a lasting error is kept (or a transient one released).
                        ErrorMapper.close(recording, e);
                    }
                } else if (claim instanceof IdempotencyKeys.Replay replay) {
                    replay(call, replay);
                } else if (claim instanceof IdempotencyKeys.Mismatch) {
                    throw new DomainException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                            "This Idempotency-Key was already used for a different request; use a new key");
                } else {
                    throw new DomainException(ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
                            "A request with this Idempotency-Key is in progress; retry later", RETRY_AFTER);
                }
            }
        };
    }

    /** Claims the key, waiting while another call holds it, up to the bound and the call's deadline. */
    private Claim claimWaiting(long tenantId, String key, byte[] hash) {
        long limit = System.nanoTime() + maxWait.toNanos();
        Deadline deadline = Context.current().getDeadline();
        if (deadline != null) {
            limit = Math.min(limit, System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS)
                    - TimeUnit.MILLISECONDS.toNanos(DEADLINE_MARGIN_MILLIS));
        }
        long pause = FIRST_POLL_MILLIS;
        while (true) {
            Claim claim = keys.claim(tenantId, key, hash);
            if (!(claim instanceof IdempotencyKeys.InProgress)) {
                return claim;
            }
            long left = limit - System.nanoTime();
            if (left <= 0) {
                return claim;
            }
            try {
                Thread.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return claim;
            }
            pause = Math.min(LONGEST_POLL_MILLIS, pause * 2);
        }
    }

    private static <ReqT, RespT> void replay(ServerCall<ReqT, RespT> call, IdempotencyKeys.Replay replay) {
        if (replay.statusCode() == Status.Code.OK.value()) {
            RespT response = call.getMethodDescriptor().parseResponse(
                    new java.io.ByteArrayInputStream(replay.answer()));
            call.sendHeaders(new Metadata());
            call.sendMessage(response);
            call.close(Status.OK, new Metadata());
            return;
        }
        com.google.rpc.Status status;
        try {
            status = com.google.rpc.Status.parseFrom(replay.answer());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("A kept answer cannot be read", e);
        }
        StatusRuntimeException sre = StatusProto.toStatusRuntimeException(status);
        call.close(sre.getStatus(), sre.getTrailers() == null ? new Metadata() : sre.getTrailers());
    }

    private boolean isPostBound(MethodDescriptor<?, ?> method) {
        return postBound.computeIfAbsent(method.getFullMethodName(), n -> {
            if (method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier supplier) {
                var options = supplier.getMethodDescriptor().getOptions();
                return options.hasExtension(AnnotationsProto.http)
                        && options.getExtension(AnnotationsProto.http).getPatternCase() == HttpRule.PatternCase.POST;
            }
            return false;
        });
    }

    /** SHA-256 of the full method name and the request bytes; the bytes are streamed, never kept. */
    static <ReqT> byte[] hash(MethodDescriptor<ReqT, ?> method, ReqT request) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(method.getFullMethodName().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
            if (request instanceof MessageLite message) {
                message.writeTo(out);
            } else {
                try (InputStream in = method.streamRequest(request)) {
                    in.transferTo(out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sha.digest();
    }

    private static <RespT> byte[] bytes(MethodDescriptor<?, RespT> method, RespT response) {
        if (response instanceof MessageLite message) {
            return message.toByteArray();
        }
        try (InputStream in = method.streamResponse(response)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The call as the service answers it: the answer of an owned key is kept before it is sent. */
    private final class Recording<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {
        private final long tenantId;
        private final String key;
        volatile boolean owned;
        private volatile byte[] response;
        private boolean settled;

        Recording(ServerCall<ReqT, RespT> delegate, long tenantId, String key) {
            super(delegate);
            this.tenantId = tenantId;
            this.key = key;
        }

        @Override
        public void sendMessage(RespT message) {
            if (owned) {
                response = bytes(getMethodDescriptor(), message);
            }
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            boolean settle;
            synchronized (this) {
                settle = owned && !settled;
                settled = true;
            }
            if (settle) {
                settle(status, trailers);
            }
            super.close(status, trailers);
        }

        private void settle(Status status, Metadata trailers) {
            try {
                if (status.isOk()) {
                    keys.complete(tenantId, key, 0, response == null ? new byte[0] : response);
                } else if (TRANSIENT.contains(status.getCode())) {
                    keys.release(tenantId, key);
                } else {
                    com.google.rpc.Status kept = StatusProto.fromStatusAndTrailers(status, trailers);
                    keys.complete(tenantId, key, status.getCode().value(), kept.toByteArray());
                }
            } catch (RuntimeException e) {
                // The answer still goes out; the key stays in progress until it is taken to be abandoned.
                log.warn("The answer to an Idempotency-Key could not be kept: {}", e.getClass().getName());
            }
        }
    }
}
