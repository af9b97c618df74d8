package org.openkyc.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;

import io.grpc.ChannelCredentials;
import io.grpc.EquivalentAddressGroup;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;

/**
 * The one {@link ManagedChannel} to the upstream server replicas, load-balanced round robin on
 * the client side over the replicas that pass their health check ({@link UpstreamHealthChecker}):
 * a name resolver of its own gives the channel the healthy replica addresses, every configured host
 * name resolved again before each round of checks (so a host name of several replicas, e.g. the
 * replicas of a docker-compose service, spreads calls over all of them).
 * Plaintext unless an upstream CA is configured. Read-only (HTTP GET) methods are retried on
 * {@code UNAVAILABLE} (on another replica, as a replica that dropped its connections is no longer
 * picked); grpc-java's transparent retry covers calls that never left the gateway. A server in the same JVM
 * (the local product) gets an in-process channel instead: no balancing, no retry. Listeners run on the thread
 * that delivers the answer (the transport's event loop, or the in-process server's thread): none of them blocks.
 */
final class UpstreamChannel {

    static final String STATIC_SCHEME = "openkyc-upstreams";
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    /** Attempts of a read-only call, the first included (grpc-java allows at most 5). */
    static final int READ_ATTEMPTS = 5;

    /** Plaintext, or TLS trusting the configured upstream CA. */
    static ChannelCredentials credentials(GatewayConfig config) {
        return config.upstreamCa().map(ca -> {
            try {
                return TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
            } catch (IOException e) {
                throw new UncheckedIOException(GatewayConfig.ENV_UPSTREAM_CA + ": cannot read " + ca, e);
            }
        }).orElseGet(InsecureChannelCredentials::create);
    }

    /** The channel; {@code health} must be started, and outlive the channel. */
    static ManagedChannel create(GatewayConfig config, List<ServiceDescriptor> services, UpstreamHealthChecker health) {
        if (config.inProcessUpstream().isPresent()) {
            // A server in this JVM: calls pass as objects (no TLS, framing or parsing on this hop). The answer is
            // handed on by the server thread that made it (every listener on this channel only passes an answer
            // on: the forwarder's to the HTTP call, which writes it on its own event loop; the health route's),
            // instead of waking a client thread per call for that.
            // No retry policy: there is no other replica to retry on, and the retry machinery buffers every call.
            return limits(InProcessChannelBuilder.forName(config.inProcessUpstream().get()).directExecutor(), config)
                    .build();
        }
        final NameResolverRegistry registry = new NameResolverRegistry();
        registry.register(new HealthyResolverProvider(health, config.upstreams().get(0).toString()));
        // Answers are handed on by the transport's event loop that read them, as in process (see above).
        return build(Grpc.newChannelBuilder(STATIC_SCHEME + ":///upstreams", credentials(config), registry)
                         .defaultLoadBalancingPolicy("round_robin").directExecutor(), config, services);
    }

    /** The retry policy of the channel to upstream replicas over the network, and its limits. */
    private static ManagedChannel build(ManagedChannelBuilder<?> builder, GatewayConfig config,
                                        List<ServiceDescriptor> services) {
        return limits(builder.disableServiceConfigLookUp()
                             .defaultServiceConfig(serviceConfig(services))
                             .enableRetry(), config)
                .build();
    }

    /** The limits every upstream channel has, in process or over the network. */
    private static ManagedChannelBuilder<?> limits(ManagedChannelBuilder<?> builder, GatewayConfig config) {
        return builder.maxInboundMessageSize(maxResponseBytes(config))
                      // Far above any header or trailer block a server sends: an answer whose trailers are
                      // larger than expected (a long status message) is still read and rendered, instead of
                      // failing on the shared connection that other callers' calls travel on.
                      .maxInboundMetadataSize(config.upstreamMaxMetadataBytes())
                      .userAgent("openkyc-gateway");
    }

    /** Largest upstream answer accepted (file downloads included): 64 MiB or twice the body limit. */
    static int maxResponseBytes(GatewayConfig config) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(64L << 20, config.maxBodyBytes() * 2));
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    /**
     * Round robin, and a retry on {@code UNAVAILABLE} or {@code CANCELLED} for the methods that only read (HTTP GET
     * rule) and for the health check: a replica going down mid-call must not fail a read while
     * another replica is up. Writes are not retried (they might have been applied).
     */
    static Map<String, Object> serviceConfig(List<ServiceDescriptor> services) {
        final List<Object> readOnly = new ArrayList<>();
        readOnly.add(Map.of("service", HealthGrpc.SERVICE_NAME));
        for (ServiceDescriptor service : services) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                if (isHttpGet(method)) {
                    readOnly.add(Map.of("service", service.getName(),
                                        "method", method.getBareMethodName()));
                }
            }
        }
        final Map<String, Object> retryPolicy = new LinkedHashMap<>();
        retryPolicy.put("maxAttempts", (double) READ_ATTEMPTS);
        retryPolicy.put("initialBackoff", "0.05s");
        retryPolicy.put("maxBackoff", "0.5s");
        retryPolicy.put("backoffMultiplier", 2.0);
        // CANCELLED: what the calls a replica holds get when it stops (the gateway's own cancellations are
        // never retried).
        retryPolicy.put("retryableStatusCodes", List.of("UNAVAILABLE", "CANCELLED"));
        final Map<String, Object> methodConfig = new LinkedHashMap<>();
        methodConfig.put("name", readOnly);
        methodConfig.put("retryPolicy", retryPolicy);
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put("loadBalancingConfig", List.of(Map.of("round_robin", Map.of())));
        config.put("methodConfig", List.of(methodConfig));
        return config;
    }

    static boolean isHttpGet(MethodDescriptor<?, ?> method) {
        if (method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier supplier) {
            final var options = supplier.getMethodDescriptor().getOptions();
            return options.hasExtension(AnnotationsProto.http)
                   && options.getExtension(AnnotationsProto.http).getPatternCase() == HttpRule.PatternCase.GET;
        }
        return false;
    }

    /** Resolves {@code openkyc-upstreams:///...} to the healthy replica addresses. */
    static final class HealthyResolverProvider extends NameResolverProvider {
        private final UpstreamHealthChecker health;
        private final String authority;

        HealthyResolverProvider(UpstreamHealthChecker health, String authority) {
            this.health = health;
            this.authority = authority;
        }

        @Override
        protected boolean isAvailable() {
            return true;
        }

        @Override
        protected int priority() {
            return 5;
        }

        @Override
        public String getDefaultScheme() {
            return STATIC_SCHEME;
        }

        @Override
        public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
            return List.of(InetSocketAddress.class);
        }

        @Override
        public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
            if (!STATIC_SCHEME.equals(targetUri.getScheme())) {
                return null;
            }
            return new HealthyResolver(health, authority, args.getSynchronizationContext());
        }
    }

    private static final class HealthyResolver extends NameResolver {
        private final UpstreamHealthChecker health;
        private final String authority;
        private final SynchronizationContext syncContext;
        private final Consumer<List<InetSocketAddress>> onChange = this::publish;
        private Listener2 listener;
        private boolean shutdown;

        HealthyResolver(UpstreamHealthChecker health, String authority, SynchronizationContext syncContext) {
            this.health = health;
            this.authority = authority;
            this.syncContext = syncContext;
        }

        @Override
        public String getServiceAuthority() {
            // Used for TLS host name verification: the first upstream's name must be in the
            // certificate of every replica.
            return authority;
        }

        @Override
        public void start(Listener2 listener) {
            this.listener = listener;
            health.subscribe(onChange);
        }

        @Override
        public void refresh() {
            publish(health.addresses());
        }

        private void publish(List<InetSocketAddress> addresses) {
            syncContext.execute(() -> {
                if (shutdown) {
                    return;
                }
                if (addresses.isEmpty()) {
                    listener.onError(Status.UNAVAILABLE.withDescription("No upstream address could be resolved"));
                    return;
                }
                final List<EquivalentAddressGroup> groups = new ArrayList<>();
                for (InetSocketAddress address : addresses) {
                    groups.add(new EquivalentAddressGroup(address));
                }
                listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
            });
        }

        @Override
        public void shutdown() {
            shutdown = true;
            health.unsubscribe(onChange);
        }
    }

    private UpstreamChannel() {}
}
