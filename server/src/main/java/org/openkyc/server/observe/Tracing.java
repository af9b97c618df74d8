package org.openkyc.server.observe;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.ibatis.cache.CacheKey;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.session.ResultHandler;
import org.apache.ibatis.session.RowBounds;
import org.openkyc.server.config.TracingConfig;
import org.openkyc.server.storage.Plugins;

/**
 * OpenTelemetry spans of the server, exported over OTLP as the standard {@code OTEL_*} variables say: one
 * server span per gRPC call (child of the caller's {@code traceparent}, which the gateway sets to its own
 * span), one client span per database statement (named by mapper method) and one span per vision stage.
 * Off unless an exporter is configured ({@link TracingConfig#exports()}). Spans carry method and statement
 * names only: never ids, bodies or any personal data.
 */
public final class Tracing implements AutoCloseable {

    static final String SCOPE = "org.openkyc.server";
    static final String SERVICE_NAME = "openkyc-server";

    /** gRPC codes that are the server's failure, not the caller's (OpenTelemetry's rule for server spans). */
    private static final Set<Status.Code> SERVER_ERRORS = EnumSet.of(Status.Code.UNKNOWN,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.UNIMPLEMENTED, Status.Code.INTERNAL, Status.Code.UNAVAILABLE,
            Status.Code.DATA_LOSS);

    private static final TextMapGetter<Metadata> METADATA = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Metadata carrier) {
            return carrier.keys();
        }

        @Override
        public String get(Metadata carrier, String key) {
            if (carrier == null || key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                return null;
            }
            return carrier.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        }
    };

    private final OpenTelemetrySdk sdk;
    private final OpenTelemetry otel;
    private final Tracer tracer;

    private Tracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        this.otel = sdk == null ? OpenTelemetry.noop() : sdk;
        this.tracer = otel.getTracer(SCOPE);
    }

    /** Starts the SDK when tracing is on; otherwise nothing is recorded or sent. */
    public static Tracing start(TracingConfig config) {
        if (!config.exports()) {
            return new Tracing(null);
        }
        return new Tracing(sdk(config, SERVICE_NAME));
    }

    /**
     * An SDK configured by the given {@code OTEL_*} variables (autoconfigure), traces only: metrics stay on the
     * Prometheus endpoint and logs in the log lines.
     */
    static OpenTelemetrySdk sdk(TracingConfig config, String serviceName) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", serviceName);
        defaults.put("otel.traces.exporter", "otlp");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        // The JDK's HTTP client carries the spans: OTLP over HTTP (protobuf), port 4318 unless set.
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        Map<String, String> given = config.properties();
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

    public boolean on() {
        return sdk != null;
    }

    /** The server span of each gRPC call; none when tracing is off. */
    public List<ServerInterceptor> interceptors() {
        return on() ? List.of(new Calls()) : List.of();
    }

    /** A span per database statement; null when tracing is off. */
    public Interceptor statements() {
        return on() ? new Statements() : null;
    }

    /** Runs one vision stage in a span of its own, a child of the current call's. */
    <T> T stage(String stage, Supplier<T> work) {
        if (!on()) {
            return work.get();
        }
        Span span = tracer.spanBuilder("vision " + stage).setAttribute("openkyc.vision.stage", stage).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException | Error e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    /** The server span of a gRPC call, current while any of the call's code runs. */
    private final class Calls implements ServerInterceptor {

        @Override
        public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                ServerCallHandler<ReqT, RespT> next) {
            MethodDescriptor<ReqT, RespT> method = call.getMethodDescriptor();
            Context parent = otel.getPropagators().getTextMapPropagator().extract(Context.root(), headers, METADATA);
            Span span = tracer.spanBuilder(method.getFullMethodName()).setParent(parent)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute("rpc.system", "grpc")
                    .setAttribute("rpc.service", String.valueOf(method.getServiceName()))
                    .setAttribute("rpc.method", String.valueOf(method.getBareMethodName()))
                    .startSpan();
            Context context = parent.with(span);
            AtomicBoolean ended = new AtomicBoolean();
            Runnable end = () -> {
                if (ended.compareAndSet(false, true)) {
                    span.end();
                }
            };
            ServerCall<ReqT, RespT> traced = new SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    span.setAttribute("rpc.grpc.status_code", (long) status.getCode().value());
                    if (SERVER_ERRORS.contains(status.getCode())) {
                        span.setStatus(StatusCode.ERROR, status.getCode().name());
                    }
                    super.close(status, trailers);
                }
            };
            ServerCall.Listener<ReqT> delegate;
            try (Scope ignored = context.makeCurrent()) {
                delegate = next.startCall(traced, headers);
            } catch (RuntimeException | Error e) {
                end.run();
                throw e;
            }
            return new SimpleForwardingServerCallListener<>(delegate) {
                @Override
                public void onMessage(ReqT message) {
                    try (Scope ignored = context.makeCurrent()) {
                        super.onMessage(message);
                    }
                }

                @Override
                public void onHalfClose() {
                    try (Scope ignored = context.makeCurrent()) {
                        super.onHalfClose();
                    }
                }

                @Override
                public void onReady() {
                    try (Scope ignored = context.makeCurrent()) {
                        super.onReady();
                    }
                }

                @Override
                public void onCancel() {
                    try (Scope ignored = context.makeCurrent()) {
                        super.onCancel();
                    } finally {
                        end.run();
                    }
                }

                @Override
                public void onComplete() {
                    try (Scope ignored = context.makeCurrent()) {
                        super.onComplete();
                    } finally {
                        end.run();
                    }
                }
            };
        }
    }

    /** A client span per mapper call: the mapper and method name, the kind of statement, never its values. */
    @Intercepts({
        @Signature(type = Executor.class, method = "update", args = {MappedStatement.class, Object.class}),
        @Signature(type = Executor.class, method = "query",
                args = {MappedStatement.class, Object.class, RowBounds.class, ResultHandler.class}),
        @Signature(type = Executor.class, method = "query",
                args = {MappedStatement.class, Object.class, RowBounds.class, ResultHandler.class, CacheKey.class,
                        BoundSql.class})
    })
    private final class Statements implements Interceptor {

        @Override
        public Object plugin(Object target) {
            return Plugins.wrapOnly(Executor.class, target, this);
        }

        @Override
        public Object intercept(Invocation invocation) throws Throwable {
            MappedStatement statement = (MappedStatement) invocation.getArgs()[0];
            String id = statement.getId();
            int lastDot = id.lastIndexOf('.');
            int mapperDot = lastDot > 0 ? id.lastIndexOf('.', lastDot - 1) : -1;
            String name = id.substring(mapperDot + 1);
            Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT)
                    .setAttribute("db.system", "mysql")
                    .setAttribute("db.operation.name",
                            statement.getSqlCommandType().name().toUpperCase(Locale.ROOT))
                    .setAttribute("code.function", name)
                    .startSpan();
            try (Scope ignored = span.makeCurrent()) {
                return invocation.proceed();
            } catch (Throwable e) {
                span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
                throw e;
            } finally {
                span.end();
            }
        }
    }
}
