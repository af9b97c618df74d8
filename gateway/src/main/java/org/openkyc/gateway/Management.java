package org.openkyc.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.common.logging.RequestOnlyLog;
import com.linecorp.armeria.common.metric.MeterIdPrefix;
import com.linecorp.armeria.common.metric.MeterIdPrefixFunction;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.metric.MetricCollectingService;

import io.grpc.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The gateway's management port (plain HTTP, loopback by default, never the public HTTPS port):
 * {@code /healthz} (the process runs), {@code /readyz} (an upstream replica answers the gRPC health check with
 * SERVING) and {@code /metrics} (Prometheus text: every request by route, HTTP method and status with latency
 * histograms as {@code openkyc_gateway_requests_*}, Armeria's and the JVM's meters); and, when tracing is on,
 * a span per request exported over OTLP.
 */
final class Management implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(Management.class);
    static final String METER_PREFIX = "openkyc.gateway";

    private final GatewayConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Spans spans;
    private Server server;

    Management(GatewayConfig config) {
        this.config = config;
        this.spans = Spans.start(config.otel());
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Measures every request of the public port (outermost decorator: refusals at the edge count too). */
    void measure(ServerBuilder sb) {
        sb.meterRegistry(registry)
          .decorator(MetricCollectingService.builder(new RouteMeterIds())
                                            .distributionStatisticConfig(DistributionStatisticConfig.builder()
                                                    .percentilesHistogram(true)
                                                    .expiry(Duration.ofMinutes(2)).bufferLength(3).build())
                                            .newDecorator());
    }

    /** A span per request of the public port when tracing is on (see {@link Spans}). */
    void trace(ServerBuilder sb) {
        spans.decorate(sb);
    }

    /** Starts the management port, unless it is off. */
    void start(Channel upstream) {
        if (config.managementPort() < 0) {
            return;
        }
        server = Server.builder()
                       .http(new InetSocketAddress(config.managementHost(), config.managementPort()))
                       .meterRegistry(registry)
                       .disableServerHeader()
                       .service("/healthz", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
                                                                           "{\"status\":\"UP\"}"))
                       .service("/readyz", new UpstreamHealthService(upstream, config.upstreamTimeout()))
                       .service("/metrics", (ctx, req) -> HttpResponse.of(
                               HttpStatus.OK, MediaType.parse("text/plain; version=0.0.4; charset=utf-8"),
                               registry.scrape()))
                       .build();
        server.start().join();
        logger.info("Gateway management (health, readiness, metrics) on http://{}:{}/",
                    config.managementHost(), port());
    }

    int port() {
        return server == null ? -1 : server.activeLocalPort(SessionProtocol.HTTP);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop().join();
        }
        spans.close();
        gc.close();
        registry.close();
    }

    /** Meter names {@code openkyc.gateway.*} tagged with the route pattern (never the path: ids stay out). */
    private static final class RouteMeterIds implements MeterIdPrefixFunction {

        @Override
        public MeterIdPrefix activeRequestPrefix(MeterRegistry registry, RequestOnlyLog log) {
            return new MeterIdPrefix(METER_PREFIX, "route", route(log), "method", method(log));
        }

        @Override
        public MeterIdPrefix completeRequestPrefix(MeterRegistry registry, RequestLog log) {
            return new MeterIdPrefix(METER_PREFIX, "route", route(log), "method", method(log),
                                     "status", Integer.toString(log.responseHeaders().status().code()));
        }

        private static String route(RequestOnlyLog log) {
            if (log.context() instanceof ServiceRequestContext ctx) {
                return ctx.config().route().patternString();
            }
            return "unknown";
        }

        private static String method(RequestOnlyLog log) {
            final HttpMethod m = log.context().method();
            return m == null ? "UNKNOWN" : m.name();
        }
    }
}
