package org.openkyc.server.api;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.WebhookAdminServiceGrpc;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.travelrule.v1.VerificationServiceGrpc;

/**
 * The threads calls run on. The reads answered from the database alone ({@link #READS}: a status, a list
 * page, a detail) run on a small fixed set of threads, in arrival order; every other call (image analysis,
 * outbound calls, writes that may wait for an idempotent twin) on threads made as needed, as grpc-java's
 * default executor does.
 *
 * <p>Why: with a thread per call, 64 concurrent status reads on two cores are 64 threads sharing the cores
 * and the database pool, and a read that loses a few turns waits several times the mean (p99 at 3.2-3.3x
 * the mean in BENCHMARKS.md); a handful of threads taking reads from one queue keeps the cores busy with
 * fewer reads at a time, each finished before the next starts (p99 at 1.7-2.3x, same throughput).
 *
 * <p>Use: {@code builder.executor(executors.lookup()).callExecutor(executors)}. grpc-java finds a call's
 * method on the builder's executor, here the transport's own thread (a map look-up, nothing that blocks),
 * then runs the call on the executor this class picks for it; so no call waits behind busy read threads
 * to be sorted. When more reads wait than {@link #QUEUE_PER_THREAD} per read thread (the database
 * stalled, say), further reads run on the other threads instead, as they would without this class: none
 * is refused or left waiting behind a full queue.
 */
public final class CallExecutors implements ServerCallExecutorSupplier, AutoCloseable {

    /** The reads answered from the database alone: no image work, no outbound call, no waiting on another call. */
    public static final Set<String> READS = Set.of(
            KycServiceGrpc.getGetStatusMethod().getFullMethodName(),
            KycServiceGrpc.getGetLivenessSessionMethod().getFullMethodName(),
            SubmissionServiceGrpc.getGetSubmissionsMethod().getFullMethodName(),
            SubmissionServiceGrpc.getGetApplicantSubmissionsMethod().getFullMethodName(),
            KycAdminServiceGrpc.getListProfilesMethod().getFullMethodName(),
            KycAdminServiceGrpc.getGetProfileDetailMethod().getFullMethodName(),
            WebhookAdminServiceGrpc.getListWebhooksMethod().getFullMethodName(),
            WebhookAdminServiceGrpc.getListWebhookDeliveriesMethod().getFullMethodName(),
            VerificationServiceGrpc.getListVerificationsMethod().getFullMethodName());

    /** Reads waiting per read thread before further reads run on the other threads. */
    static final int QUEUE_PER_THREAD = 64;

    private final ExecutorService others;
    private final ThreadPoolExecutor reads;

    public CallExecutors(int readThreads) {
        if (readThreads < 1) {
            throw new IllegalArgumentException("readThreads must be at least 1");
        }
        // Like grpc-java's default executor: a thread per call, kept for a minute when idle.
        this.others = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads("openkyc-call-"));
        this.reads = new ThreadPoolExecutor(readThreads, readThreads, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(QUEUE_PER_THREAD * readThreads), daemonThreads("openkyc-read-"),
                (task, pool) -> {
                    if (pool.isShutdown()) {
                        throw new RejectedExecutionException("the server is stopping");
                    }
                    others.execute(task);
                });
    }

    /** The builder's executor: where grpc-java finds a call's method before this class picks its executor. */
    public Executor lookup() {
        return Runnable::run;
    }

    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
        return READS.contains(call.getMethodDescriptor().getFullMethodName()) ? reads : others;
    }

    /** Stops both pools; calls still running finish on their threads (the servers are stopped first). */
    @Override
    public void close() {
        reads.shutdown();
        others.shutdown();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        ThreadFactory base = Executors.defaultThreadFactory();
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = base.newThread(task);
            t.setName(prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
