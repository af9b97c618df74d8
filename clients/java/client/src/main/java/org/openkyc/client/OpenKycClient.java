package org.openkyc.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;

/**
 * A client of the OpenKYC gRPC API, as served on the gateway's public HTTPS port.
 *
 * <pre>{@code
 * try (OpenKycClient client = OpenKycClient.forAddress("kyc.example.com", 443)
 *         .trustCertificates(Path.of("ca.pem"))      // omit to trust the system's CAs
 *         .apiKey(System.getenv("OPENKYC_API_KEY"))
 *         .build()) {
 *     String profileId = client.kyc().submit(SubmitRequest.newBuilder()
 *             .setUserId("user-1").setCountry("SG").build()).getProfileId();
 * }
 * }</pre>
 *
 * Every call carries the API key ({@link ApiKeyCredentials}), has a deadline (the default one unless the stub
 * sets its own: {@code client.kyc().withDeadlineAfter(...)}), and the read-only calls are retried when no
 * server could be reached ({@link RetryPolicy}). Errors are {@code StatusRuntimeException}s whose documented
 * reason {@link ApiErrors#reason} reads.
 */
public final class OpenKycClient implements AutoCloseable {

    /** The deadline of a call that sets none, unless the builder says otherwise. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    private final ManagedChannel owned;
    private final Channel channel;
    private final ApiKeyCredentials credentials;

    private OpenKycClient(ManagedChannel owned, Channel channel, ApiKeyCredentials credentials, Duration deadline) {
        this.owned = owned;
        this.channel = ClientInterceptors.intercept(channel, new DefaultDeadline(deadline));
        this.credentials = credentials;
    }

    /** A client of the server at {@code host:port}, over TLS. */
    public static Builder forAddress(String host, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
        }
        return new Builder(host.contains(":") && !host.startsWith("[") ? "[" + host + "]:" + port : host + ":" + port);
    }

    /** A client of a gRPC target such as {@code kyc.example.com:443} or {@code dns:///kyc.example.com:443}. */
    public static Builder forTarget(String target) {
        return new Builder(target);
    }

    /**
     * A client over a channel the caller made and closes (for instance the in-process channel of
     * {@code org.openkyc.testing.FakeOpenKyc}); {@code apiKey} may be null for a channel that needs none.
     * Retries are then the channel's own.
     */
    public static OpenKycClient overChannel(Channel channel, String apiKey) {
        return overChannel(channel, apiKey, DEFAULT_DEADLINE);
    }

    /** {@link #overChannel(Channel, String)} with a default deadline of its own. */
    public static OpenKycClient overChannel(Channel channel, String apiKey, Duration deadline) {
        return new OpenKycClient(null, Objects.requireNonNull(channel, "channel"),
                apiKey == null ? null : ApiKeyCredentials.of(apiKey), checkDeadline(deadline));
    }

    /** The KYC web API (docs/API.md C1, C2): profiles, documents, liveness, status. */
    public KycServiceGrpc.KycServiceBlockingStub kyc() {
        return stub(KycServiceGrpc::newBlockingStub);
    }

    /** The KYC web API, asynchronous (each call returns a future). */
    public KycServiceGrpc.KycServiceFutureStub kycFuture() {
        return stub(KycServiceGrpc::newFutureStub);
    }

    /** The KYC admin API (C3): needs an admin key. */
    public KycAdminServiceGrpc.KycAdminServiceBlockingStub admin() {
        return stub(KycAdminServiceGrpc::newBlockingStub);
    }

    /** The submissions API (A): submissions, deletion of a case, reports and images. */
    public SubmissionServiceGrpc.SubmissionServiceBlockingStub submissions() {
        return stub(SubmissionServiceGrpc::newBlockingStub);
    }

    /**
     * Any stub of the API over this client's channel, with its credentials, e.g.
     * {@code client.stub(VerificationServiceGrpc::newBlockingStub)}.
     */
    public <S extends AbstractStub<S>> S stub(Function<Channel, S> newStub) {
        S stub = newStub.apply(channel);
        return credentials == null ? stub : stub.withCallCredentials(credentials);
    }

    /** The channel (with the default deadline; without the API key, which the stubs add). */
    public Channel channel() {
        return channel;
    }

    /**
     * The stub with an {@code idempotency-key}: the server acts on the first request with that key and answers
     * every repeat with the first answer (docs/API.md, "Idempotency-Key"), so a create or change can be sent
     * again safely after a timeout. The key: 1 to 255 printable ASCII characters, unique per operation.
     */
    public static <S extends AbstractStub<S>> S withIdempotencyKey(S stub, String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw new IllegalArgumentException("an idempotency key is 1 to 255 printable ASCII characters");
        }
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("idempotency-key", Metadata.ASCII_STRING_MARSHALLER), key);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    /** Closes the channel this client made (not one given to {@link #overChannel}), waiting up to 5 s. */
    @Override
    public void close() {
        if (owned == null) {
            return;
        }
        owned.shutdown();
        try {
            if (!owned.awaitTermination(5, TimeUnit.SECONDS)) {
                owned.shutdownNow();
            }
        } catch (InterruptedException e) {
            owned.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static Duration checkDeadline(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the default deadline must be positive, not " + deadline);
        }
        return deadline;
    }

    /** Sets the default deadline on every call that has none of its own. */
    private static final class DefaultDeadline implements ClientInterceptor {
        private final Duration deadline;

        DefaultDeadline(Duration deadline) {
            this.deadline = deadline;
        }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            if (options.getDeadline() == null) {
                options = options.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
            }
            return next.newCall(method, options);
        }
    }

    /** Settings of a client; {@link #build} opens its channel. */
    public static final class Builder {
        private final String target;
        private Path trustedCertificates;
        private boolean plaintext;
        private String authority;
        private String apiKey;
        private Duration deadline = DEFAULT_DEADLINE;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private String userAgent;

        private Builder(String target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        /**
         * Trust the CA certificates (or the self-signed server certificate, as the development gateway has) in
         * this PEM file, instead of the system's CAs.
         */
        public Builder trustCertificates(Path pemFile) {
            if (!Files.isReadable(pemFile)) {
                throw new IllegalArgumentException("cannot read the certificate file " + pemFile);
            }
            this.trustedCertificates = pemFile;
            return this;
        }

        /** No TLS: only for a server on loopback in development (the API key is then sent in clear). */
        public Builder plaintext() {
            this.plaintext = true;
            return this;
        }

        /** The host name the server's certificate must carry, when it differs from the target's. */
        public Builder overrideAuthority(String authority) {
            this.authority = authority;
            return this;
        }

        /** The API key every call carries ({@code x-api-key}). */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** The deadline of every call that sets none of its own (default 30 s). */
        public Builder defaultDeadline(Duration deadline) {
            this.deadline = checkDeadline(deadline);
            return this;
        }

        /** Retries of the read-only calls (default {@link RetryPolicy#defaults()}). */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** A product name and version put before the gRPC library's in the user agent. */
        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        public OpenKycClient build() {
            ChannelCredentials tls;
            if (plaintext) {
                tls = InsecureChannelCredentials.create();
            } else if (trustedCertificates != null) {
                try {
                    tls = TlsChannelCredentials.newBuilder().trustManager(trustedCertificates.toFile()).build();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the certificates in " + trustedCertificates, e);
                }
            } else {
                tls = TlsChannelCredentials.create();
            }
            ManagedChannelBuilder<?> b = Grpc.newChannelBuilder(target, tls);
            if (authority != null) {
                b.overrideAuthority(authority);
            }
            if (userAgent != null) {
                b.userAgent(userAgent);
            }
            if (retryPolicy.maxAttempts() > 1) {
                b.defaultServiceConfig(retryPolicy.serviceConfig()).enableRetry().maxRetryAttempts(
                        retryPolicy.maxAttempts());
            } else {
                b.disableRetry();
            }
            ManagedChannel channel = b.build();
            ApiKeyCredentials credentials = apiKey == null ? null
                    : plaintext ? ApiKeyCredentials.allowingPlaintext(apiKey) : ApiKeyCredentials.of(apiKey);
            return new OpenKycClient(channel, channel, credentials, deadline);
        }
    }
}
