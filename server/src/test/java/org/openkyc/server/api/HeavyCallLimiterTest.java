package org.openkyc.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openkyc.server.error.ErrorMapper;

/**
 * The limiter through a real (in-process) gRPC server with the error mapper outside it: the
 * concurrency and queue bounds, the refusal a caller sees, and turns given back on cancel.
 */
class HeavyCallLimiterTest {

    private static final MethodDescriptor<byte[], byte[]> HEAVY = ByteMethods.unary("test.Vision/Analyse");
    private static final MethodDescriptor<byte[], byte[]> LIGHT = ByteMethods.unary("test.Vision/Status");

    private final List<StreamObserver<byte[]>> pending = new CopyOnWriteArrayList<>();
    private Server server;
    private ManagedChannel channel;
    private HeavyCallLimiter limiter;

    private void start(int concurrency, int queue, Duration timeout) throws IOException {
        limiter = new HeavyCallLimiter(Set.of(HEAVY.getFullMethodName()), concurrency, queue, timeout);
        // Heavy calls are held until the test answers them; light calls answer at once.
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Vision")
                .addMethod(HEAVY, ServerCalls.asyncUnaryCall((req, obs) -> pending.add(obs)))
                .addMethod(LIGHT, ServerCalls.asyncUnaryCall((req, obs) -> {
                    obs.onNext(new byte[] {1});
                    obs.onCompleted();
                }))
                .build();
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(service, limiter, new ErrorMapper())).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    private ListenableFuture<byte[]> call(MethodDescriptor<byte[], byte[]> m) {
        return ClientCalls.futureUnaryCall(channel.newCall(m, CallOptions.DEFAULT), new byte[] {0});
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 2000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    /** Answers the held calls (a call that starts meanwhile stays held). */
    private void answerAll() {
        List<StreamObserver<byte[]>> held = List.copyOf(pending);
        pending.removeAll(held);
        for (StreamObserver<byte[]> o : held) {
            o.onNext(new byte[] {2});
            o.onCompleted();
        }
    }

    @Test
    void beyondConcurrencyAndQueueACallIsRefusedBusyWithRetryAdvice() throws Exception {
        start(2, 1, Duration.ofSeconds(60));
        ListenableFuture<byte[]> a = call(HEAVY);
        ListenableFuture<byte[]> b = call(HEAVY);
        await(() -> pending.size() == 2);
        ListenableFuture<byte[]> queued = call(HEAVY);
        await(() -> limiter.waiting() == 1);
        assertThat(limiter.running()).isEqualTo(2);

        // N + Q + 1: refused at once, not after the queue timeout.
        ListenableFuture<byte[]> refused = call(HEAVY);
        assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    com.google.rpc.Status st = StatusProto.fromThrowable(e);
                    assertThat(st.getMessage()).contains("busy");
                    assertThat(st.getDetailsList()).anySatisfy(d -> assertThat(d.is(RetryInfo.class)).isTrue());
                    assertThat(st.getDetailsList()).anySatisfy(d -> {
                        assertThat(d.is(ErrorInfo.class)).isTrue();
                        ErrorInfo info = unpack(d, ErrorInfo.class);
                        assertThat(info.getReason()).isEqualTo("SERVER_BUSY");
                        assertThat(info.getMetadataMap()).containsEntry("http_status", "503")
                                .containsEntry(ErrorMapper.RETRY_AFTER_SECONDS, "2");
                    });
                });
        // Other methods are not limited.
        assertThat(call(LIGHT).get(30, TimeUnit.SECONDS)).containsExactly(1);

        // Answering the running calls lets the queued one run, and every turn comes back.
        answerAll();
        assertThat(a.get(30, TimeUnit.SECONDS)).containsExactly(2);
        assertThat(b.get(30, TimeUnit.SECONDS)).containsExactly(2);
        await(() -> pending.size() == 1);
        answerAll();
        assertThat(queued.get(30, TimeUnit.SECONDS)).containsExactly(2);
        await(() -> limiter.running() == 0);
    }

    @Test
    void aCallWaitingLongerThanTheQueueTimeoutIsRefusedBusy() throws Exception {
        start(1, 1, Duration.ofMillis(200));
        call(HEAVY);
        await(() -> pending.size() == 1);
        assertThatThrownBy(() -> call(HEAVY).get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(limiter.waiting()).isZero();
        answerAll();
        await(() -> limiter.running() == 0);
    }

    @Test
    void cancelledCallsGiveTheirTurnBack() throws Exception {
        start(2, 0, Duration.ofSeconds(60));
        ClientCall<byte[], byte[]> first = channel.newCall(HEAVY, CallOptions.DEFAULT);
        ClientCall<byte[], byte[]> second = channel.newCall(HEAVY, CallOptions.DEFAULT);
        ClientCalls.futureUnaryCall(first, new byte[] {0});
        ClientCalls.futureUnaryCall(second, new byte[] {0});
        await(() -> pending.size() == 2);
        assertThat(limiter.running()).isEqualTo(2);
        assertThatThrownBy(() -> call(HEAVY).get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOf(StatusRuntimeException.class);

        first.cancel("the user went away", null);
        second.cancel("the user went away", null);
        await(() -> limiter.running() == 0);
        pending.clear();  // the cancelled calls

        // The turns are free again: two new calls run.
        ListenableFuture<byte[]> c = call(HEAVY);
        ListenableFuture<byte[]> d = call(HEAVY);
        await(() -> pending.size() == 2);
        answerAll();
        assertThat(c.get(30, TimeUnit.SECONDS)).containsExactly(2);
        assertThat(d.get(30, TimeUnit.SECONDS)).containsExactly(2);
        await(() -> limiter.running() == 0);
    }

    @Test
    void aFailingCallGivesItsTurnBack() throws Exception {
        start(1, 0, Duration.ofSeconds(60));
        ListenableFuture<byte[]> f = call(HEAVY);
        await(() -> pending.size() == 1);
        pending.get(0).onError(Status.INVALID_ARGUMENT.withDescription("bad image").asRuntimeException());
        pending.clear();
        assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(StatusRuntimeException.class);
        await(() -> limiter.running() == 0);
    }

    @Test
    void theProductsHeavyMethodsAreTheImageAndVideoUploads() {
        assertThat(HeavyCallLimiter.HEAVY_METHODS).containsExactlyInAnyOrder(
                "openkyc.submissions.v2.SubmissionService/SubmitStep1",
                "openkyc.submissions.v2.SubmissionService/SubmitStep2",
                "openkyc.kyc.v1.KycService/UploadDocument",
                "openkyc.kyc.v1.KycService/UploadDocumentMetadata",
                "openkyc.kyc.v1.KycService/VerifyLiveness");
    }

    private static <T extends com.google.protobuf.Message> T unpack(com.google.protobuf.Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
