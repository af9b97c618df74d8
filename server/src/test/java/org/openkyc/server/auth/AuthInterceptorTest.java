package org.openkyc.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openkyc.api.screening.v1.GetScreeningRequest;
import org.openkyc.api.screening.v1.GetScreeningResponse;
import org.openkyc.api.screening.v1.ScreeningServiceGrpc;
import org.openkyc.server.error.ErrorMapper;

/** The key check, the negative cache of unknown keys and the per-tenant rate limit, over in-process gRPC. */
class AuthInterceptorTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicInteger lookups = new AtomicInteger();
    private final Set<String> validKeys = ConcurrentHashMap.newKeySet();
    private Server server;
    private ManagedChannel channel;

    private static final String GOOD = "okyc_" + "A".repeat(43);
    private static final String UNKNOWN = "okyc_" + "B".repeat(43);

    private void start(RateLimiter limiter) throws Exception {
        validKeys.add(GOOD);
        AuthInterceptor auth = new AuthInterceptor(key -> {
            lookups.incrementAndGet();
            return validKeys.contains(key) ? Optional.of(new Caller(7, "k1", Role.CLIENT)) : Optional.empty();
        }, limiter, new UnknownKeys(100, Duration.ofSeconds(30), nanos::get),
                new KnownKeys(100, Duration.ofSeconds(5), nanos::get));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(new ScreeningServiceGrpc.ScreeningServiceImplBase() {
                    @Override
                    public void getScreening(GetScreeningRequest req, StreamObserver<GetScreeningResponse> out) {
                        out.onNext(GetScreeningResponse.getDefaultInstance());
                        out.onCompleted();
                    }
                }, auth, new ErrorMapper()))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
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

    private Status.Code call(String key) {
        Metadata md = new Metadata();
        md.put(AuthInterceptor.API_KEY, key);
        try {
            ScreeningServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                    .getScreening(GetScreeningRequest.getDefaultInstance());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void unknownWellFormedKeysAreLookedUpOnceWithinTheirTimeToLive() throws Exception {
        start(RateLimiter.off());
        for (int i = 0; i < 50; i++) {
            assertThat(call(UNKNOWN)).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        assertThat(lookups.get()).isEqualTo(1);
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(call(UNKNOWN)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(lookups.get()).isEqualTo(2);
        // Malformed keys never reach the database.
        assertThat(call("not-a-key")).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(lookups.get()).isEqualTo(2);
    }

    @Test
    void aKnownKeyIsLookedUpOncePerTimeToLiveAndARevokedOneIsRefusedOnceItPasses() throws Exception {
        start(RateLimiter.off());
        for (int i = 0; i < 20; i++) {
            assertThat(call(GOOD)).isEqualTo(Status.Code.OK);
        }
        assertThat(lookups.get()).isEqualTo(1);
        validKeys.remove(GOOD);
        // Within the time to live the revocation is not seen yet; past it, the key is refused.
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(call(GOOD)).isEqualTo(Status.Code.OK);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(call(GOOD)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(lookups.get()).isEqualTo(2);
        // Now unknown, it is not looked up again within the unknown keys' time to live.
        assertThat(call(GOOD)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(lookups.get()).isEqualTo(2);
    }

    @Test
    void pastItsBurstATenantIsRateLimitedWithRetryAdvice() throws Exception {
        start(new RateLimiter(2, 3, nanos::get));
        for (int i = 0; i < 3; i++) {
            assertThat(call(GOOD)).isEqualTo(Status.Code.OK);
        }
        Metadata md = new Metadata();
        md.put(AuthInterceptor.API_KEY, GOOD);
        StatusRuntimeException e = catchThrowableOfType(() -> ScreeningServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .getScreening(GetScreeningRequest.getDefaultInstance()), StatusRuntimeException.class);
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        assertThat(details.getDetailsList()).anySatisfy(d -> {
            assertThat(d.is(RetryInfo.class)).isTrue();
            assertThat(d.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1);
        });
        assertThat(details.getDetailsList()).anySatisfy(d -> {
            assertThat(d.is(com.google.rpc.ErrorInfo.class)).isTrue();
            assertThat(d.unpack(com.google.rpc.ErrorInfo.class).getReason()).isEqualTo("RATE_LIMITED");
            assertThat(d.unpack(com.google.rpc.ErrorInfo.class).getMetadataMap()).containsEntry("http_status", "429");
        });
        // Half a second later one token is back.
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(call(GOOD)).isEqualTo(Status.Code.OK);
        assertThat(call(GOOD)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }
}
