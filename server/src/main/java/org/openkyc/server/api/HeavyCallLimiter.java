package org.openkyc.server.api;

import io.grpc.Context;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.server.config.VisionConfig;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

/**
 * Bounds the heavy calls (those that decode and analyse images or videos) a server runs at once, so
 * that its memory is bounded by {@code concurrency x} the worst case of one call. At most
 * {@code concurrency} heavy calls run; up to {@code queue} more wait for a turn, each at most
 * {@code queueTimeout}; any other is refused at once with {@link ErrorCode#SERVER_BUSY} and a retry
 * advice (HTTP 503 with {@code Retry-After}, gRPC RESOURCE_EXHAUSTED with {@code RetryInfo}). A turn is
 * taken when the whole request has arrived (when the analysis starts) and given back however the call
 * ends: answered, failed or cancelled. A waiting call holds its request message (at most the gRPC
 * message limit) and one server thread. Other methods pass untouched.
 *
 * <p>Install it inside authentication (interceptors run last-added first:
 * {@code ServerInterceptors.intercept(service, limiter, auth, errors)}) so a call without a valid key
 * never takes a turn, and inside the error mapper, which answers the refusal.
 */
public final class HeavyCallLimiter implements ServerInterceptor {

    /** The calls that decode and analyse images or videos. */
    public static final Set<String> HEAVY_METHODS = Set.of(
            SubmissionServiceGrpc.getSubmitStep1Method().getFullMethodName(),
            SubmissionServiceGrpc.getSubmitStep2Method().getFullMethodName(),
            KycServiceGrpc.getUploadDocumentMethod().getFullMethodName(),
            KycServiceGrpc.getUploadDocumentMetadataMethod().getFullMethodName(),
            KycServiceGrpc.getVerifyLivenessMethod().getFullMethodName());

    /** The retry advice of a refusal: about one heavy call's time, so a retry does not come back at once. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    /** While waiting, how often a cancelled caller is noticed. */
    private static final long POLL_MS = 50;

    private final Set<String> methods;
    private final int concurrency;
    private final int queue;
    private final long queueTimeoutMs;
    private final Semaphore running;
    private final AtomicInteger waiting = new AtomicInteger();

    public HeavyCallLimiter(Set<String> methods, int concurrency, int queue, Duration queueTimeout) {
        if (concurrency < 1 || queue < 0 || queueTimeout.isNegative()) {
            throw new IllegalArgumentException("concurrency must be at least 1, queue and timeout not negative");
        }
        this.methods = Set.copyOf(methods);
        this.concurrency = concurrency;
        this.queue = queue;
        this.queueTimeoutMs = queueTimeout.toMillis();
        this.running = new Semaphore(concurrency, true);
    }

    /** The heavy methods of the product, limited as configured. */
    public HeavyCallLimiter(VisionConfig config) {
        this(HEAVY_METHODS, config.visionConcurrency(), config.visionQueue(),
                Duration.ofMillis(config.visionQueueTimeoutMs()));
    }

    /** Heavy calls running now. */
    public int running() {
        return concurrency - running.availablePermits();
    }

    /** Heavy calls waiting for a turn now. */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        if (!methods.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        Turn turn = new Turn();
        ServerCall<ReqT, RespT> releasing = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                try {
                    super.close(status, trailers);
                } finally {
                    turn.release();
                }
            }
        };
        return new SimpleForwardingServerCallListener<>(next.startCall(releasing, headers)) {
            @Override
            public void onHalfClose() {
                // The whole request has arrived: the analysis starts here, so the turn is taken here
                // (a caller that is slow to send holds none). Throws SERVER_BUSY for the error mapper.
                acquire();
                turn.taken();
                super.onHalfClose();
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    turn.release();
                }
            }

            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    turn.release();
                }
            }
        };
    }

    /** One call's turn: given back once, and only if it was taken. */
    private final class Turn {
        private static final int NONE = 0;
        private static final int TAKEN = 1;
        private static final int GIVEN_BACK = 2;
        private final AtomicInteger state = new AtomicInteger(NONE);

        void taken() {
            if (!state.compareAndSet(NONE, TAKEN)) {
                running.release();  // the call ended while it waited: give the turn straight back
            }
        }

        void release() {
            if (state.getAndSet(GIVEN_BACK) == TAKEN) {
                running.release();
            }
        }
    }

    private void acquire() {
        if (running.tryAcquire()) {
            return;
        }
        if (waiting.incrementAndGet() > queue) {
            waiting.decrementAndGet();
            throw busy();
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(queueTimeoutMs);
            Context context = Context.current();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || context.isCancelled()) {
                    throw busy();
                }
                if (running.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MS)), TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        } finally {
            waiting.decrementAndGet();
        }
    }

    private static DomainException busy() {
        return new DomainException(ErrorCode.SERVER_BUSY,
                "The server is busy analysing other images; retry later", RETRY_AFTER);
    }
}
