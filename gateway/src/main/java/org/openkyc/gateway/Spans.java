package org.openkyc.gateway;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.netty.util.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;

/**
 * OpenTelemetry spans of the gateway, exported over OTLP as the standard {@code OTEL_*} variables say: one
 * server span per request, a child of the caller's {@code traceparent} when valid, named by HTTP method and
 * route pattern (never the path: ids stay out). The server call is forwarded with this span as its parent.
 * Off unless {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} or a traces
 * exporter other than {@code none} is set; {@code OTEL_SDK_DISABLED=true} turns it off whatever else is set.
 */
final class Spans implements AutoCloseable {

    static final String SERVICE_NAME = "openkyc-gateway";

    /** The {@code traceparent} the upstream call carries: this request's span. */
    static final AttributeKey<String> UPSTREAM_TRACEPARENT =
            AttributeKey.valueOf(Spans.class, "UPSTREAM_TRACEPARENT");

    private static final TextMapGetter<RequestHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(RequestHeaders carrier) {
            return carrier.names().stream().map(n -> n.toString()).toList();
        }

        @Override
        public String get(RequestHeaders carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final OpenTelemetrySdk sdk;

    private Spans(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
    }

    static Spans start(Map<String, String> otel) {
        return new Spans(exports(otel) ? sdk(otel) : null);
    }

    static boolean exports(Map<String, String> otel) {
        if ("true".equalsIgnoreCase(otel.get("OTEL_SDK_DISABLED"))) {
            return false;
        }
        final String exporter = otel.get("OTEL_TRACES_EXPORTER");
        return exporter == null ? otel.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")
                                  || otel.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
                                : !"none".equalsIgnoreCase(exporter);
    }

    /** Traces only: the gateway's metrics stay on its Prometheus endpoint and its logs in the log lines. */
    private static OpenTelemetrySdk sdk(Map<String, String> otel) {
        final Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", SERVICE_NAME);
        defaults.put("otel.traces.exporter", "otlp");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        // The JDK's HTTP client carries the spans: OTLP over HTTP (protobuf), port 4318 unless set.
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        final Map<String, String> given = new HashMap<>();
        otel.forEach((k, v) -> given.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v));
        try {
            return AutoConfiguredOpenTelemetrySdk.builder()
                                                 .addPropertiesSupplier(() -> defaults)
                                                 .addPropertiesCustomizer(p -> given)
                                                 .disableShutdownHook()
                                                 .build()
                                                 .getOpenTelemetrySdk();
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException("OTEL_* tracing settings: " + e.getMessage(), e);
        }
    }

    /** A span per request of the public port (outermost: refusals at the edge are spans too). */
    void decorate(ServerBuilder sb) {
        if (sdk != null) {
            sb.decorator(new Decorator(sdk.getTracer("org.openkyc.gateway"),
                                       sdk.getPropagators().getTextMapPropagator()));
        }
    }

    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private record Decorator(Tracer tracer, TextMapPropagator propagator) implements DecoratingHttpServiceFunction {

        @Override
        public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
                throws Exception {
            final Context parent = propagator.extract(Context.root(), req.headers(), HEADERS);
            final String route = ctx.config().route().patternString();
            final String method = req.method().name();
            final Span span = tracer.spanBuilder(method + ' ' + route).setParent(parent)
                                    .setSpanKind(SpanKind.SERVER)
                                    .setAttribute("http.request.method", method)
                                    .setAttribute("http.route", route)
                                    .setAttribute("url.scheme", "https")
                                    .startSpan();
            final SpanContext sc = span.getSpanContext();
            ctx.setAttr(UPSTREAM_TRACEPARENT,
                        "00-" + sc.getTraceId() + '-' + sc.getSpanId() + '-' + sc.getTraceFlags().asHex());
            ctx.log().whenComplete().thenAccept(log -> {
                if (log.responseHeaders() != null) {
                    final int status = log.responseHeaders().status().code();
                    span.setAttribute("http.response.status_code", (long) status);
                    if (status >= 500) {
                        span.setStatus(StatusCode.ERROR);
                    }
                }
                span.end();
            });
            try (Scope ignored = parent.with(span).makeCurrent()) {
                return delegate.serve(ctx, req);
            }
        }
    }
}
