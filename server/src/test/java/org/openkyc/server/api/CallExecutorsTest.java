package org.openkyc.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.KycServiceGrpc;

/**
 * Which threads calls run on, through a real (in-process) gRPC server set up as the product sets up its
 * servers: reads on the read threads, other calls on their own, and reads beyond the read queue still
 * answered while the read threads are busy.
 */
class CallExecutorsTest {

    /** Named as the product's methods: the executors choose by name. */
    private static final MethodDescriptor<byte[], byte[]> READ = ByteMethods.unary(KycServiceGrpc.getGetStatusMethod().getFullMethodName());
    private static final MethodDescriptor<byte[], byte[]> WRITE = ByteMethods.unary(KycServiceGrpc.getSubmitMethod().getFullMethodName());

    private final CountDownLatch hold = new CountDownLatch(1);
    private CallExecutors executors;
    private Server server;
    private ManagedChannel channel;

    /** Each call answers the name of the thread it ran on; a call whose request is "hold" waits for the test. */
    private void start(int readThreads) throws IOException {
        executors = new CallExecutors(readThreads);
        ServerCalls.UnaryMethod<byte[], byte[]> threadName = (req, obs) -> {
            if ("hold".equals(new String(req, StandardCharsets.UTF_8))) {
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            obs.onNext(Thread.currentThread().getName().getBytes(StandardCharsets.UTF_8));
            obs.onCompleted();
        };
        ServerServiceDefinition service = ServerServiceDefinition.builder(KycServiceGrpc.SERVICE_NAME)
                .addMethod(READ, ServerCalls.asyncUnaryCall(threadName))
                .addMethod(WRITE, ServerCalls.asyncUnaryCall(threadName))
                .build();
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).executor(executors.lookup()).callExecutor(executors)
                .addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        hold.countDown();
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (executors != null) {
            executors.close();
        }
    }

    private ListenableFuture<byte[]> call(MethodDescriptor<byte[], byte[]> method, String request) {
        return ClientCalls.futureUnaryCall(channel.newCall(method, CallOptions.DEFAULT),
                request.getBytes(StandardCharsets.UTF_8));
    }

    private static String thread(ListenableFuture<byte[]> answer) throws Exception {
        return new String(answer.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }

    @Test
    void readsRunOnTheReadThreadsAndOtherCallsOnTheirOwn() throws Exception {
        start(2);
        assertThat(thread(call(READ, "x"))).startsWith("openkyc-read-");
        assertThat(thread(call(WRITE, "x"))).startsWith("openkyc-call-");
    }

    @Test
    void otherCallsAreNotQueuedBehindBusyReadThreads() throws Exception {
        start(1);
        ListenableFuture<byte[]> held = call(READ, "hold");
        assertThat(thread(call(WRITE, "x"))).startsWith("openkyc-call-");
        assertThat(held.isDone()).isFalse();
        hold.countDown();
        assertThat(thread(held)).startsWith("openkyc-read-");
    }

    @Test
    void readsBeyondTheQueueRunOnOtherThreadsInsteadOfWaiting() throws Exception {
        start(1);
        ListenableFuture<byte[]> held = call(READ, "hold");
        // The one read thread is held: the next reads fill its queue, one more runs elsewhere at once.
        List<ListenableFuture<byte[]>> queued = new ArrayList<>();
        for (int i = 0; i < CallExecutors.QUEUE_PER_THREAD + 8; i++) {
            queued.add(call(READ, "x"));
        }
        CountDownLatch anyAnswered = new CountDownLatch(1);
        queued.forEach(answer -> answer.addListener(anyAnswered::countDown, Runnable::run));
        assertThat(anyAnswered.await(10, TimeUnit.SECONDS)).isTrue();
        long answeredElsewhere = queued.stream().filter(ListenableFuture::isDone).count();
        assertThat(answeredElsewhere).isPositive();
        assertThat(held.isDone()).isFalse();
        hold.countDown();
        for (ListenableFuture<byte[]> answer : queued) {
            assertThat(thread(answer)).startsWith("openkyc-");
        }
        assertThat(thread(held)).startsWith("openkyc-read-");
    }
}
