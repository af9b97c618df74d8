package org.openkyc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.TlsTesting;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.GetStatusResponse;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.KycStatus;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;

/**
 * The client against a small gRPC server of its own on loopback: what the server receives (key, deadline,
 * idempotency key, attempts) and what the caller sees.
 */
class OpenKycClientTest {

    private static final GetStatusRequest STATUS = GetStatusRequest.newBuilder().setProfileId("p1").build();
    private static final SubmitRequest SUBMIT = SubmitRequest.newBuilder().setUserId("u1").setCountry("SG").build();

    @TempDir
    Path dir;

    private Server server;
    private final Recorder recorder = new Recorder();
    private final Service service = new Service();

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private int start(ServerCredentials credentials) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
                .addService(ServerInterceptors.intercept(service, recorder)).build().start();
        return server.getPort();
    }

    private int startTls() throws IOException {
        try (InputStream cert = TlsTesting.loadCert("server1.pem"); InputStream key = TlsTesting.loadCert("server1.key")) {
            return start(TlsServerCredentials.create(cert, key));
        }
    }

    private Path caFile() throws IOException {
        Path ca = dir.resolve("ca.pem");
        try (InputStream in = TlsTesting.loadCert("ca.pem")) {
            Files.copy(in, ca);
        }
        return ca;
    }

    @Test
    void overTlsTrustingTheGivenCaEveryCallCarriesTheKey() throws IOException {
        int port = startTls();
        try (OpenKycClient client = OpenKycClient.forAddress("127.0.0.1", port).trustCertificates(caFile())
                .overrideAuthority("foo.test.google.fr").apiKey("key-123").build()) {
            assertThat(client.kyc().submit(SUBMIT).getProfileId()).isEqualTo("p1");
            assertThat(client.kyc().getStatus(STATUS).getStatus().getOverallStatus())
                    .isEqualTo("incomplete");
        }
        assertThat(recorder.keys).containsExactly("key-123", "key-123");
    }

    @Test
    void aServerThatTheGivenCaDidNotSignIsRefused() throws IOException {
        int port = startTls();
        // The system's CAs do not know the test CA.
        try (OpenKycClient client = OpenKycClient.forAddress("127.0.0.1", port).overrideAuthority("foo.test.google.fr")
                .apiKey("key-123").retryPolicy(RetryPolicy.none()).build()) {
            assertThatThrownBy(() -> client.kyc().getStatus(STATUS)).isInstanceOfSatisfying(
                    StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
        assertThat(recorder.keys).isEmpty();
    }

    @Test
    void theKeyIsNotSentOverPlainTextUnlessAskedFor() throws Exception {
        int port = start(InsecureServerCredentials.create());
        ManagedChannel plain = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            OpenKycClient careful = OpenKycClient.overChannel(plain, "key-123");
            assertThatThrownBy(() -> careful.kyc().getStatus(STATUS)).isInstanceOfSatisfying(
                    StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(e.getStatus().getDescription()).contains("only over TLS");
                    });
            assertThat(recorder.keys).as("nothing reached the server").isEmpty();
        } finally {
            plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        try (OpenKycClient dev = OpenKycClient.forAddress("127.0.0.1", port).plaintext().apiKey("key-123").build()) {
            assertThat(dev.kyc().getStatus(STATUS).getStatus().getProfileId()).isEqualTo("p1");
        }
        assertThat(recorder.keys).containsExactly("key-123");
    }

    @Test
    void everyCallHasTheDefaultDeadlineUnlessItSetsItsOwn() throws IOException {
        int port = start(InsecureServerCredentials.create());
        try (OpenKycClient client = OpenKycClient.forAddress("127.0.0.1", port).plaintext().apiKey("k")
                .defaultDeadline(Duration.ofSeconds(20)).build()) {
            client.kyc().getStatus(STATUS);
            client.kyc().withDeadlineAfter(10, TimeUnit.MINUTES).getStatus(STATUS);
        }
        assertThat(recorder.deadlines).hasSize(2);
        assertThat(recorder.deadlines.get(0)).isNotNull();
        assertThat(recorder.deadlines.get(0).timeRemaining(TimeUnit.SECONDS)).isBetween(0L, 20L);
        assertThat(recorder.deadlines.get(1).timeRemaining(TimeUnit.SECONDS)).isGreaterThan(20L);
    }

    @Test
    void aReadIsRetriedWhenTheServerIsUnavailableAndACreateIsNot() throws IOException {
        int port = start(InsecureServerCredentials.create());
        service.unavailableStatus.set(1);
        service.unavailableSubmit.set(1);
        try (OpenKycClient client = OpenKycClient.forAddress("127.0.0.1", port).plaintext().apiKey("k").build()) {
            assertThat(client.kyc().getStatus(STATUS).getStatus().getProfileId()).isEqualTo("p1");
            assertThat(service.statusCalls.get()).as("one retry").isEqualTo(2);

            assertThatThrownBy(() -> client.kyc().submit(SUBMIT)).isInstanceOfSatisfying(
                    StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThat(service.submitCalls.get()).as("a create is never repeated by the client").isEqualTo(1);
        }
    }

    @Test
    void withoutRetriesAReadFailsOnce() throws IOException {
        int port = start(InsecureServerCredentials.create());
        service.unavailableStatus.set(1);
        try (OpenKycClient client = OpenKycClient.forAddress("127.0.0.1", port).plaintext().apiKey("k")
                .retryPolicy(RetryPolicy.none()).build()) {
            assertThatThrownBy(() -> client.kyc().getStatus(STATUS)).isInstanceOf(StatusRuntimeException.class);
        }
        assertThat(service.statusCalls.get()).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyTravelsWithTheCall() throws IOException {
        int port = start(InsecureServerCredentials.create());
        try (OpenKycClient client = OpenKycClient.forAddress("127.0.0.1", port).plaintext().apiKey("k").build()) {
            OpenKycClient.withIdempotencyKey(client.kyc(), "order-42").submit(SUBMIT);
        }
        assertThat(recorder.idempotencyKeys).containsExactly("order-42");
        assertThatThrownBy(() -> OpenKycClient.withIdempotencyKey(KycServiceGrpc.newBlockingStub(
                io.grpc.ManagedChannelBuilder.forTarget("unused").build()), "caf\u00e9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable ASCII");
    }

    @Test
    void settingsAreCheckedWhenMade() {
        assertThatThrownBy(() -> OpenKycClient.forAddress("127.0.0.1", 0)).hasMessageContaining("port");
        assertThatThrownBy(() -> OpenKycClient.forTarget("x:1").trustCertificates(dir.resolve("missing.pem")))
                .hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> OpenKycClient.forTarget("x:1").defaultDeadline(Duration.ZERO))
                .hasMessageContaining("deadline");
        assertThatThrownBy(() -> RetryPolicy.of(6, Duration.ofMillis(100), Duration.ofSeconds(1)))
                .hasMessageContaining("1 to 5");
        assertThatThrownBy(() -> ApiKeyCredentials.of(" ")).hasMessageContaining("empty");
        assertThat(ApiKeyCredentials.of("secret").toString()).doesNotContain("secret");
    }

    @Test
    void theRetryConfigNamesOnlyReadOnlyMethods() {
        String config = RetryPolicy.defaults().serviceConfig().toString();
        assertThat(config).contains("service=openkyc.kyc.v1.KycService", "method=GetStatus", "UNAVAILABLE");
        assertThat(config).doesNotContain("method=Submit,", "method=Submit}", "DeleteSubmission");
        assertThat(RetryPolicy.none().serviceConfig()).isEmpty();
    }

    @Test
    void theDocumentedReasonOfAnErrorIsRead() {
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder().setCode(Status.Code.NOT_FOUND.value())
                .setMessage("Profile not found")
                .addDetails(com.google.protobuf.Any.pack(com.google.rpc.ErrorInfo.newBuilder()
                        .setReason("PROFILE_NOT_FOUND").setDomain("openkyc").build()))
                .addDetails(com.google.protobuf.Any.pack(com.google.rpc.RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(3)).build()))
                .build();
        StatusRuntimeException e = io.grpc.protobuf.StatusProto.toStatusRuntimeException(status);
        assertThat(ApiErrors.reason(e)).contains("PROFILE_NOT_FOUND");
        assertThat(ApiErrors.retryAfter(e)).contains(Duration.ofSeconds(3));
        assertThat(ApiErrors.reason(Status.INTERNAL.asRuntimeException())).isEmpty();

        // A refused upload carries its result as a detail.
        StatusRuntimeException refused = io.grpc.protobuf.StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder().setCode(Status.Code.INVALID_ARGUMENT.value())
                        .addDetails(com.google.protobuf.Any.pack(org.openkyc.api.kyc.v1.UploadDocumentResponse
                                .newBuilder().setErrorCode("IMAGE_QUALITY").addErrors("blurry").build()))
                        .build());
        assertThat(ApiErrors.detail(refused, org.openkyc.api.kyc.v1.UploadDocumentResponse.class))
                .hasValueSatisfying(r -> assertThat(r.getErrorsList()).containsExactly("blurry"));
    }

    /** Records the key, idempotency key and deadline of every call that reaches the server. */
    private static final class Recorder implements ServerInterceptor {
        final List<String> keys = new CopyOnWriteArrayList<>();
        final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
        final List<Deadline> deadlines = new CopyOnWriteArrayList<>();

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            keys.add(String.valueOf(headers.get(ApiKeyCredentials.API_KEY)));
            String idem = headers.get(Metadata.Key.of("idempotency-key", Metadata.ASCII_STRING_MARSHALLER));
            if (idem != null) {
                idempotencyKeys.add(idem);
            }
            deadlines.add(Context.current().getDeadline());
            return next.startCall(call, headers);
        }
    }

    private static final class Service extends KycServiceGrpc.KycServiceImplBase {
        final AtomicInteger unavailableStatus = new AtomicInteger();
        final AtomicInteger unavailableSubmit = new AtomicInteger();
        final AtomicInteger statusCalls = new AtomicInteger();
        final AtomicInteger submitCalls = new AtomicInteger();

        @Override
        public void submit(SubmitRequest request, StreamObserver<SubmitResponse> out) {
            submitCalls.incrementAndGet();
            if (unavailableSubmit.getAndDecrement() > 0) {
                out.onError(Status.UNAVAILABLE.withDescription("restarting").asRuntimeException());
                return;
            }
            out.onNext(SubmitResponse.newBuilder().setProfileId("p1").build());
            out.onCompleted();
        }

        @Override
        public void getStatus(GetStatusRequest request, StreamObserver<GetStatusResponse> out) {
            statusCalls.incrementAndGet();
            if (unavailableStatus.getAndDecrement() > 0) {
                out.onError(Status.UNAVAILABLE.withDescription("restarting").asRuntimeException());
                return;
            }
            out.onNext(GetStatusResponse.newBuilder().setStatus(
                    KycStatus.newBuilder().setProfileId(request.getProfileId()).setOverallStatus("incomplete"))
                    .build());
            out.onCompleted();
        }
    }
}
