package org.openkyc.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;

/**
 * The one {@link ManagedChannel} to the upstream server replicas, load-balanced round robin on
 * the client side.
 *
 * <ul>
 *   <li>One upstream given by host name ({@code server:9090}): a {@code dns:///} target, so every
 *       address the name resolves to (docker-compose replicas of one service) gets calls.</li>
 *   <li>Otherwise (IP literals, or several entries): a static resolver returning the list, each
 *       host name resolved again when the channel asks to refresh.</li>
 * </ul>
 * Plaintext unless an upstream CA is configured. Read-only (HTTP GET) methods are retried on
 * {@code UNAVAILABLE}; grpc-java's transparent retry covers calls that never left the gateway.
 */
final class UpstreamChannel {

    private static final Logger logger = LoggerFactory.getLogger(UpstreamChannel.class);

    static final String STATIC_SCHEME = "openkyc-upstreams";
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    static ManagedChannel create(GatewayConfig config, List<ServiceDescriptor> services) {
        final ChannelCredentials credentials = config.upstreamCa().map(ca -> {
            try {
                return TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
            } catch (IOException e) {
                throw new UncheckedIOException(GatewayConfig.ENV_UPSTREAM_CA + ": cannot read " + ca, e);
            }
        }).orElseGet(InsecureChannelCredentials::create);

        final List<GatewayConfig.Upstream> upstreams = config.upstreams();
        final ManagedChannelBuilder<?> builder;
        if (upstreams.size() == 1 && !isIpLiteral(upstreams.get(0).host())) {
            builder = Grpc.newChannelBuilder("dns:///" + upstreams.get(0), credentials);
        } else {
            final NameResolverRegistry registry = new NameResolverRegistry();
            registry.register(new StaticResolverProvider(upstreams));
            builder = Grpc.newChannelBuilder(STATIC_SCHEME + ":///upstreams", credentials, registry);
        }
        return builder.defaultLoadBalancingPolicy("round_robin")
                      .disableServiceConfigLookUp()
                      .defaultServiceConfig(serviceConfig(services))
                      .enableRetry()
                      .maxInboundMessageSize(maxResponseBytes(config))
                      // Far above any header or trailer block a server sends: an answer whose trailers are
                      // larger than expected (a long status message) is still read and rendered, instead of
                      // failing on the shared connection that other callers' calls travel on.
                      .maxInboundMetadataSize(config.upstreamMaxMetadataBytes())
                      .userAgent("openkyc-gateway")
                      .build();
    }

    /** Largest upstream answer accepted (file downloads included): 64 MiB or twice the body limit. */
    static int maxResponseBytes(GatewayConfig config) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(64L << 20, config.maxBodyBytes() * 2));
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    /**
     * Round robin, and a retry on {@code UNAVAILABLE} for the methods that only read (HTTP GET
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
        retryPolicy.put("maxAttempts", 3.0);
        retryPolicy.put("initialBackoff", "0.05s");
        retryPolicy.put("maxBackoff", "0.5s");
        retryPolicy.put("backoffMultiplier", 2.0);
        retryPolicy.put("retryableStatusCodes", List.of("UNAVAILABLE"));
        final Map<String, Object> methodConfig = new LinkedHashMap<>();
        methodConfig.put("name", readOnly);
        methodConfig.put("retryPolicy", retryPolicy);
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put("loadBalancingConfig", List.of(Map.of("round_robin", Map.of())));
        config.put("methodConfig", List.of(methodConfig));
        return config;
    }

    private static boolean isHttpGet(MethodDescriptor<?, ?> method) {
        if (method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier supplier) {
            final var options = supplier.getMethodDescriptor().getOptions();
            return options.hasExtension(AnnotationsProto.http)
                   && options.getExtension(AnnotationsProto.http).getPatternCase() == HttpRule.PatternCase.GET;
        }
        return false;
    }

    /** Resolves {@code openkyc-upstreams:///...} to the configured static list. */
    static final class StaticResolverProvider extends NameResolverProvider {
        private final List<GatewayConfig.Upstream> upstreams;

        StaticResolverProvider(List<GatewayConfig.Upstream> upstreams) {
            this.upstreams = List.copyOf(upstreams);
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
            return new StaticResolver(upstreams, args);
        }
    }

    private static final class StaticResolver extends NameResolver {
        private final List<GatewayConfig.Upstream> upstreams;
        private final SynchronizationContext syncContext;
        private final Executor executor;
        private Listener2 listener;
        private boolean resolving;
        private boolean shutdown;

        StaticResolver(List<GatewayConfig.Upstream> upstreams, Args args) {
            this.upstreams = upstreams;
            syncContext = args.getSynchronizationContext();
            final Executor offload = args.getOffloadExecutor();
            executor = offload != null ? offload : Runnable::run;
        }

        @Override
        public String getServiceAuthority() {
            // Used for TLS host name verification: the first upstream's name must be in the
            // certificate of every replica.
            return upstreams.get(0).toString();
        }

        @Override
        public void start(Listener2 listener) {
            this.listener = listener;
            resolve();
        }

        @Override
        public void refresh() {
            resolve();
        }

        private void resolve() {
            if (resolving || shutdown) {
                return;
            }
            resolving = true;
            executor.execute(() -> {
                final List<EquivalentAddressGroup> groups = new ArrayList<>();
                final List<String> unresolved = new ArrayList<>();
                for (GatewayConfig.Upstream upstream : upstreams) {
                    try {
                        for (InetAddress address : InetAddress.getAllByName(upstream.host())) {
                            groups.add(new EquivalentAddressGroup(
                                    new InetSocketAddress(address, upstream.port())));
                        }
                    } catch (UnknownHostException e) {
                        unresolved.add(upstream.toString());
                    }
                }
                if (!unresolved.isEmpty()) {
                    logger.warn("Cannot resolve upstream(s) {}", unresolved);
                }
                syncContext.execute(() -> {
                    resolving = false;
                    if (shutdown) {
                        return;
                    }
                    if (groups.isEmpty()) {
                        listener.onError(Status.UNAVAILABLE.withDescription(
                                "No upstream address could be resolved"));
                    } else {
                        listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
                    }
                });
            });
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }
    }

    private UpstreamChannel() {}
}
