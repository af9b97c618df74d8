package org.openkyc.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;

/**
 * Asks every upstream replica the standard gRPC health check ({@code grpc.health.v1.Health/Check}, service "")
 * every interval, each over a connection of its own, and tells its listeners which replica addresses answer
 * SERVING. A replica that fails a check (refused connection, no answer within the timeout, NOT_SERVING) is
 * left out from then on; it is taken back after its next SERVING answer. When no replica is healthy every
 * address is given: the calls then reach whatever still answers (a replica reporting its database down answers
 * with its own clear error) instead of failing in the gateway for want of a replica.
 *
 * <p>Host names are resolved again before every round, so replicas added to or removed from a DNS name (the
 * replicas of one docker-compose service) are followed.
 */
final class UpstreamHealthChecker implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(UpstreamHealthChecker.class);

    private final List<GatewayConfig.Upstream> upstreams;
    private final ChannelCredentials credentials;
    private final String authority;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final ScheduledExecutorService scheduler;
    private final List<Consumer<List<InetSocketAddress>>> listeners = new CopyOnWriteArrayList<>();

    /** Guarded by {@code this}. */
    private final Map<InetSocketAddress, Probe> probes = new HashMap<>();
    private List<InetSocketAddress> published = List.of();
    private boolean closed;

    UpstreamHealthChecker(List<GatewayConfig.Upstream> upstreams, ChannelCredentials credentials,
                          Duration interval, Duration timeout) {
        this.upstreams = List.copyOf(upstreams);
        this.credentials = credentials;
        // TLS host name verification: the first upstream's name must be in the certificate of every replica.
        authority = upstreams.get(0).toString();
        intervalMillis = interval.toMillis();
        timeoutMillis = timeout.toMillis();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "openkyc-upstream-health");
            t.setDaemon(true);
            return t;
        });
    }

    /** A checker of the configured upstreams, over the same plaintext or TLS as the calls; not started. */
    static UpstreamHealthChecker of(GatewayConfig config) {
        return new UpstreamHealthChecker(config.upstreams(), UpstreamChannel.credentials(config),
                                         config.upstreamHealthInterval(), config.upstreamHealthTimeout());
    }

    /** Resolves the upstreams and starts checking them. */
    void start() {
        synchronized (this) {
            published = resolve();
            for (InetSocketAddress address : published) {
                probes.put(address, new Probe(address));
            }
        }
        scheduler.scheduleWithFixedDelay(this::round, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Tells {@code listener} the addresses to send calls to: now (every resolved address until the first checks
     * answer) and after every change.
     */
    void subscribe(Consumer<List<InetSocketAddress>> listener) {
        listeners.add(listener);
        listener.accept(addresses());
    }

    void unsubscribe(Consumer<List<InetSocketAddress>> listener) {
        listeners.remove(listener);
    }

    /** The addresses calls go to now. */
    synchronized List<InetSocketAddress> addresses() {
        return published;
    }

    /** How many replica addresses answered their last health check SERVING. */
    synchronized int healthyCount() {
        return (int) probes.values().stream().filter(p -> p.healthy).count();
    }

    /** How many replica addresses are checked. */
    synchronized int knownCount() {
        return probes.size();
    }

    private void round() {
        try {
            final List<InetSocketAddress> resolved = resolve();
            final List<Probe> toCheck = new ArrayList<>();
            final List<ManagedChannel> gone = new ArrayList<>();
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (!resolved.isEmpty()) {
                    probes.entrySet().removeIf(e -> {
                        if (!resolved.contains(e.getKey())) {
                            gone.add(e.getValue().channel);
                            return true;
                        }
                        return false;
                    });
                    for (InetSocketAddress address : resolved) {
                        probes.computeIfAbsent(address, Probe::new);
                    }
                }
                for (Probe probe : probes.values()) {
                    if (!probe.checking) {
                        probe.checking = true;
                        toCheck.add(probe);
                    }
                }
            }
            gone.forEach(ManagedChannel::shutdownNow);
            if (!gone.isEmpty()) {
                publishIfChanged();
            }
            toCheck.forEach(Probe::check);
        } catch (RuntimeException e) {
            logger.warn("Upstream health round failed", e);
        }
    }

    private List<InetSocketAddress> resolve() {
        final Set<InetSocketAddress> addresses = new LinkedHashSet<>();
        final List<String> unresolved = new ArrayList<>();
        for (GatewayConfig.Upstream upstream : upstreams) {
            try {
                for (InetAddress address : InetAddress.getAllByName(upstream.host())) {
                    addresses.add(new InetSocketAddress(address, upstream.port()));
                }
            } catch (UnknownHostException e) {
                unresolved.add(upstream.toString());
            }
        }
        if (!unresolved.isEmpty()) {
            logger.warn("Cannot resolve upstream(s) {}", unresolved);
        }
        return List.copyOf(addresses);
    }

    private void publishIfChanged() {
        final List<InetSocketAddress> now;
        synchronized (this) {
            if (closed) {
                return;
            }
            final List<InetSocketAddress> healthy = new ArrayList<>();
            for (Map.Entry<InetSocketAddress, Probe> e : probes.entrySet()) {
                if (e.getValue().healthy) {
                    healthy.add(e.getKey());
                }
            }
            final List<InetSocketAddress> next = healthy.isEmpty() ? List.copyOf(probes.keySet()) : healthy;
            if (Set.copyOf(next).equals(Set.copyOf(published)) || next.isEmpty()) {
                return;
            }
            published = List.copyOf(next);
            now = published;
        }
        for (Consumer<List<InetSocketAddress>> listener : listeners) {
            listener.accept(now);
        }
    }

    @Override
    public void close() {
        final List<ManagedChannel> channels = new ArrayList<>();
        synchronized (this) {
            closed = true;
            probes.values().forEach(p -> channels.add(p.channel));
            probes.clear();
        }
        scheduler.shutdownNow();
        channels.forEach(ManagedChannel::shutdownNow);
    }

    private static String display(InetSocketAddress address) {
        final String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? '[' + host + ']' : host) + ':' + address.getPort();
    }

    /** One replica address: its own connection for health checks, and what the last check said. */
    private final class Probe {
        final InetSocketAddress address;
        final ManagedChannel channel;
        /** Guarded by the checker. Healthy until a check says otherwise: calls find out a dead one on their own. */
        boolean healthy = true;
        boolean checking;

        Probe(InetSocketAddress address) {
            this.address = address;
            channel = Grpc.newChannelBuilderForAddress(address.getAddress().getHostAddress(), address.getPort(),
                                                       credentials)
                          .overrideAuthority(authority)
                          .userAgent("openkyc-gateway-health")
                          .build();
        }

        void check() {
            // A replica that was down is tried again at once, not after the connection's growing back-off.
            if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
                channel.resetConnectBackoff();
            }
            HealthGrpc.newStub(channel)
                      // Not wait-for-ready: a refused connection fails the check at once.
                      .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                      .check(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
                          @Override
                          public void onNext(HealthCheckResponse value) {
                              done(value.getStatus() == HealthCheckResponse.ServingStatus.SERVING,
                                   value.getStatus().name());
                          }

                          @Override
                          public void onError(Throwable t) {
                              final Status status = Status.fromThrowable(t);
                              done(false, status.getCode().name());
                          }

                          @Override
                          public void onCompleted() {
                          }
                      });
        }

        private void done(boolean serving, String what) {
            final boolean changed;
            synchronized (UpstreamHealthChecker.this) {
                checking = false;
                changed = healthy != serving && probes.get(address) == this;
                healthy = serving;
            }
            if (changed) {
                if (serving) {
                    logger.info("Upstream replica {} answers its health check again: it gets requests again",
                                display(address));
                } else {
                    logger.warn("Upstream replica {} failed its health check ({}): it gets no new requests",
                                display(address), what);
                }
                publishIfChanged();
            }
        }
    }
}
