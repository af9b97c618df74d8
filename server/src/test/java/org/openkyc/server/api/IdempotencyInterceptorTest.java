package org.openkyc.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.GetStatusResponse;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;
import org.openkyc.server.auth.AuthInterceptor;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.auth.Role;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.error.ErrorMapper;
import org.openkyc.server.idempotency.IdempotencyKeys;

/**
 * Idempotent retries through a real (in-process) gRPC server with authentication and the error mapper
 * around the interceptor, over an in-memory key store with the database store's rules.
 */
class IdempotencyInterceptorTest {

    private static final String TENANT_1_KEY = "okyc_" + "a".repeat(43);
    private static final String TENANT_2_KEY = "okyc_" + "b".repeat(43);

    private final MemoryKeys keys = new MemoryKeys();
    private final AtomicInteger submits = new AtomicInteger();
    private final AtomicInteger statusReads = new AtomicInteger();
    private final AtomicInteger flakyFailuresLeft = new AtomicInteger(1);
    private volatile CountDownLatch entered;
    private volatile CountDownLatch proceed;
    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void start(IdempotencyKeys store, Duration maxWait) throws Exception {
        String name = InProcessServerBuilder.generateName();
        AuthInterceptor auth = new AuthInterceptor(k -> Optional.of(
                new Caller(k.equals(TENANT_1_KEY) ? 1 : 2, "key", Role.CLIENT)));
        server = InProcessServerBuilder.forName(name).executor(Executors.newCachedThreadPool())
                .addService(ServerInterceptors.intercept(new FakeKyc(),
                        new IdempotencyInterceptor(store, maxWait), auth, new ErrorMapper()))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    private KycServiceGrpc.KycServiceBlockingStub stub(String apiKey, String idempotencyKey) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        if (idempotencyKey != null) {
            md.put(IdempotencyInterceptor.IDEMPOTENCY_KEY, idempotencyKey);
        }
        return KycServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private static SubmitRequest submit(String user) {
        return SubmitRequest.newBuilder().setUserId(user).setCountry("KR").build();
    }

    @Test
    void aRepeatGetsTheFirstAnswerByteForByteAndRunsOnce() throws Exception {
        start(keys, Duration.ofSeconds(5));
        SubmitResponse first = stub(TENANT_1_KEY, "order-1").submit(submit("u1"));
        SubmitResponse again = stub(TENANT_1_KEY, "order-1").submit(submit("u1"));
        assertThat(again.toByteArray()).isEqualTo(first.toByteArray());
        assertThat(again.getProfileId()).isEqualTo("profile-1");
        assertThat(submits).hasValue(1);
    }

    @Test
    void withoutAKeyEveryCallRuns() throws Exception {
        start(keys, Duration.ofSeconds(5));
        stub(TENANT_1_KEY, null).submit(submit("u1"));
        stub(TENANT_1_KEY, null).submit(submit("u1"));
        assertThat(submits).hasValue(2);
    }

    @Test
    void theSameKeyForAnotherRequestIsRefusedAs422() throws Exception {
        start(keys, Duration.ofSeconds(5));
        stub(TENANT_1_KEY, "k").submit(submit("u1"));
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(TENANT_1_KEY, "k").submit(submit("u2")));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        ErrorInfo info = info(e);
        assertThat(info.getReason()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(info.getMetadataMap()).containsEntry("http_status", "422");
        assertThat(e.getStatus().getDescription()).contains("Idempotency-Key");
        assertThat(submits).hasValue(1);
    }

    @Test
    void tenantsDoNotShareKeys() throws Exception {
        start(keys, Duration.ofSeconds(5));
        SubmitResponse one = stub(TENANT_1_KEY, "same").submit(submit("u1"));
        SubmitResponse two = stub(TENANT_2_KEY, "same").submit(submit("u2"));
        assertThat(one.getProfileId()).isNotEqualTo(two.getProfileId());
        assertThat(submits).hasValue(2);
    }

    private static com.google.rpc.Status withoutRequestInfo(StatusRuntimeException e) {
        com.google.rpc.Status s = StatusProto.fromThrowable(e);
        com.google.rpc.Status.Builder b = s.toBuilder().clearDetails();
        s.getDetailsList().stream().filter(d -> !d.is(com.google.rpc.RequestInfo.class)).forEach(b::addDetails);
        return b.build();
    }

    @Test
    void aLastingErrorIsReplayedWithItsDetails() throws Exception {
        start(keys, Duration.ofSeconds(5));
        StatusRuntimeException first = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(TENANT_1_KEY, "bad-1").submit(submit("")));
        StatusRuntimeException again = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(TENANT_1_KEY, "bad-1").submit(submit("")));
        assertThat(first.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(again.getStatus().getCode()).isEqualTo(first.getStatus().getCode());
        assertThat(again.getStatus().getDescription()).isEqualTo(first.getStatus().getDescription());
        // The same details, but for the request id: each call has its own.
        assertThat(withoutRequestInfo(again)).isEqualTo(withoutRequestInfo(first));
        assertThat(StatusProto.fromThrowable(again).getDetailsList())
                .filteredOn(d -> d.is(com.google.rpc.RequestInfo.class)).hasSize(1);
        assertThat(submits).hasValue(1); // the repeat did not run the service
        assertThat(keys.completed).hasValue(1);
    }

    @Test
    void aTransientErrorIsNotKeptSoTheRetrySucceeds() throws Exception {
        start(keys, Duration.ofSeconds(5));
        StatusRuntimeException first = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(TENANT_1_KEY, "flaky").submit(submit("flaky")));
        assertThat(first.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        SubmitResponse retry = stub(TENANT_1_KEY, "flaky").submit(submit("flaky"));
        assertThat(retry.getProfileId()).startsWith("profile-");
    }

    @Test
    void malformedKeysAreRefusedAs400() throws Exception {
        start(keys, Duration.ofSeconds(5));
        for (String bad : new String[] {"", "   ", "x".repeat(256), "caf\u00e9", "tab\there"}) {
            assertThat(IdempotencyInterceptor.wellFormed(bad)).as(bad).isFalse();
        }
        assertThat(IdempotencyInterceptor.wellFormed("x".repeat(255))).isTrue();
        assertThat(IdempotencyInterceptor.wellFormed("a b~!")).isTrue();
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(TENANT_1_KEY, "x".repeat(256)).submit(submit("u1")));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(info(e).getMetadataMap()).containsEntry("http_status", "400");
        assertThat(submits).hasValue(0);
    }

    @Test
    void getBoundMethodsIgnoreTheKey() throws Exception {
        start(keys, Duration.ofSeconds(5));
        stub(TENANT_1_KEY, "read").getStatus(GetStatusRequest.newBuilder().setProfileId("p").build());
        stub(TENANT_1_KEY, "read").getStatus(GetStatusRequest.newBuilder().setProfileId("p").build());
        assertThat(statusReads).hasValue(2);
        assertThat(keys.rows).isEmpty();
    }

    @Test
    void aDuplicateThatCannotWaitIsToldToRetryWithRetryInfo() throws Exception {
        IdempotencyKeys busy = new MemoryKeys() {
            @Override
            public Claim claim(long tenantId, String key, byte[] requestHash) {
                return new InProgress();
            }
        };
        start(busy, Duration.ZERO);
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(TENANT_1_KEY, "k").submit(submit("u1")));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(info(e).getReason()).isEqualTo("IDEMPOTENCY_KEY_IN_PROGRESS");
        assertThat(info(e).getMetadataMap()).containsEntry("http_status", "409");
        assertThat(e.getStatus().getDescription()).contains("in progress");
        assertThat(StatusProto.fromThrowable(e).getDetailsList())
                .anyMatch(d -> d.is(RetryInfo.class));
        assertThat(submits).hasValue(0);
    }

    @Test
    void aConcurrentDuplicateWaitsForTheFirstAnswer() throws Exception {
        start(keys, Duration.ofMinutes(5));
        entered = new CountDownLatch(1);
        proceed = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<SubmitResponse> first = pool.submit(() -> stub(TENANT_1_KEY, "race").submit(submit("slow")));
            assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
            Future<SubmitResponse> second = pool.submit(() -> stub(TENANT_1_KEY, "race").submit(submit("slow")));
            keys.claimedWhileInProgress.await(60, TimeUnit.SECONDS);
            proceed.countDown();
            assertThat(second.get(60, TimeUnit.SECONDS).toByteArray())
                    .isEqualTo(first.get(60, TimeUnit.SECONDS).toByteArray());
            assertThat(submits).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static ErrorInfo info(StatusRuntimeException e) {
        return StatusProto.fromThrowable(e).getDetailsList().stream().filter(d -> d.is(ErrorInfo.class))
                .map(d -> {
                    try {
                        return d.unpack(ErrorInfo.class);
                    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                        throw new AssertionError(x);
                    }
                }).findFirst().orElseThrow();
    }

    private final class FakeKyc extends KycServiceGrpc.KycServiceImplBase {
        @Override
        public void submit(SubmitRequest request, StreamObserver<SubmitResponse> responses) {
            int n = submits.incrementAndGet();
            if (request.getUserId().isEmpty()) {
                throw DomainException.invalid("user_id is required");
            }
            if (request.getUserId().equals("flaky") && flakyFailuresLeft.getAndDecrement() > 0) {
                throw new DomainException(ErrorCode.UNAVAILABLE, "The database is unavailable; retry later");
            }
            if (request.getUserId().equals("slow")) {
                entered.countDown();
                try {
                    proceed.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            responses.onNext(SubmitResponse.newBuilder().setProfileId("profile-" + n).build());
            responses.onCompleted();
        }

        @Override
        public void getStatus(GetStatusRequest request, StreamObserver<GetStatusResponse> responses) {
            statusReads.incrementAndGet();
            responses.onNext(GetStatusResponse.getDefaultInstance());
            responses.onCompleted();
        }
    }

    /** The database store's rules in memory. */
    static class MemoryKeys implements IdempotencyKeys {
        record Row(byte[] hash, boolean done, int statusCode, byte[] answer) { }

        final Map<String, Row> rows = new ConcurrentHashMap<>();
        final AtomicInteger completed = new AtomicInteger();
        final CountDownLatch claimedWhileInProgress = new CountDownLatch(1);

        @Override
        public synchronized Claim claim(long tenantId, String key, byte[] requestHash) {
            Row row = rows.putIfAbsent(tenantId + "/" + key, new Row(requestHash, false, 0, null));
            if (row == null) {
                return new Owned();
            }
            if (!Arrays.equals(row.hash(), requestHash)) {
                return new Mismatch();
            }
            if (!row.done()) {
                claimedWhileInProgress.countDown();
                return new InProgress();
            }
            return new Replay(row.statusCode(), row.answer());
        }

        @Override
        public synchronized void complete(long tenantId, String key, int statusCode, byte[] answer) {
            rows.computeIfPresent(tenantId + "/" + key, (k, r) -> new Row(r.hash(), true, statusCode, answer));
            completed.incrementAndGet();
        }

        @Override
        public synchronized void release(long tenantId, String key) {
            rows.remove(tenantId + "/" + key);
        }
    }
}
