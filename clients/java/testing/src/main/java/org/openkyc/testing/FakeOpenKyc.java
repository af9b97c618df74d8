package org.openkyc.testing;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.testing.GrpcCleanupRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An in-process fake of the OpenKYC API for the unit tests of an application that calls it: no network, no
 * database, answers in microseconds. It serves the KYC web API ({@link #kyc()}) and the submissions API's case
 * deletion, and checks the API key like the real server when asked to ({@link #requireApiKey}).
 *
 * <p>JUnit 5:
 * <pre>{@code
 * try (FakeOpenKyc fake = FakeOpenKyc.start()) {
 *     fake.kyc().readFields(ExtractedFields.newBuilder().setName("ANNA MARIA ERIKSSON").build());
 *     MyOnboarding onboarding = new MyOnboarding(OpenKycClient.overChannel(fake.channel(), "test-key"));
 *     ...
 * }
 * }</pre>
 * JUnit 4, with grpc-testing's rule closing everything after each test:
 * <pre>{@code
 * @Rule public final GrpcCleanupRule grpcCleanup = new GrpcCleanupRule();
 * ... FakeOpenKyc fake = FakeOpenKyc.start(grpcCleanup);
 * }</pre>
 */
public final class FakeOpenKyc implements AutoCloseable {

    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final FakeKycService kyc;
    private final Server server;
    private final ManagedChannel channel;
    private final List<String> apiKeys = new CopyOnWriteArrayList<>();
    private volatile String requiredKey;

    private FakeOpenKyc(Clock clock) {
        this.kyc = new FakeKycService(clock);
        String name = InProcessServerBuilder.generateName();
        ServerInterceptor keys = new KeyCheck();
        try {
            this.server = InProcessServerBuilder.forName(name).directExecutor()
                    .addService(ServerInterceptors.intercept(kyc, keys))
                    .addService(ServerInterceptors.intercept(kyc.submissions(), keys))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the in-process fake", e);
        }
        this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** A started fake; {@link #close} stops it. */
    public static FakeOpenKyc start() {
        return new FakeOpenKyc(Clock.systemUTC());
    }

    /** A started fake whose timestamps come from {@code clock}. */
    public static FakeOpenKyc start(Clock clock) {
        return new FakeOpenKyc(clock);
    }

    /** A started fake whose server and channel {@code cleanup} shuts down after the test (JUnit 4). */
    public static FakeOpenKyc start(GrpcCleanupRule cleanup) {
        FakeOpenKyc fake = new FakeOpenKyc(Clock.systemUTC());
        cleanup.register(fake.server);
        cleanup.register(fake.channel);
        return fake;
    }

    /** The in-process channel to the fake: give it to the code under test (e.g. {@code OpenKycClient.overChannel}). */
    public ManagedChannel channel() {
        return channel;
    }

    /** The fake KYC web API: its answers and the requests it received. */
    public FakeKycService kyc() {
        return kyc;
    }

    /**
     * From now on, a call without exactly this {@code x-api-key} fails {@code UNAUTHENTICATED} (reason
     * {@code UNAUTHENTICATED}, as the real server answers); null accepts any call again.
     */
    public FakeOpenKyc requireApiKey(String key) {
        this.requiredKey = key;
        return this;
    }

    /** The {@code x-api-key} of every call received, in order (an empty string for a call without one). */
    public List<String> apiKeysSeen() {
        return List.copyOf(apiKeys);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class KeyCheck implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            String key = headers.get(API_KEY);
            apiKeys.add(key == null ? "" : key);
            String required = requiredKey;
            if (required != null && !required.equals(key)) {
                StatusRuntimeException e = FakeError.of(Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED", 401,
                        key == null ? "An API key is required (x-api-key)" : "The API key is not valid");
                call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(call, headers);
        }
    }
}
