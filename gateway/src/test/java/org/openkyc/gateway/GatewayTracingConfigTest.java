package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The gateway's tracing settings: the standard OTEL_* variables, off unless an exporter is configured. */
class GatewayTracingConfigTest {

    private static GatewayConfig env(String... kv) {
        final Map<String, String> m = new HashMap<>(Map.of("OPENKYC_UPSTREAMS", "127.0.0.1:9090"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return GatewayConfig.fromEnvironment(m);
    }

    @Test
    void offUnlessAnEndpointOrATracesExporterIsSetAndTheSdkDisabledWins() {
        assertThat(Spans.exports(env().otel())).isFalse();
        assertThat(env("PATH", "/bin", "OTEL_SERVICE_NAME", "edge").otel()).containsOnlyKeys("OTEL_SERVICE_NAME");
        assertThat(Spans.exports(env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318").otel())).isTrue();
        assertThat(Spans.exports(env("OTEL_TRACES_EXPORTER", "otlp").otel())).isTrue();
        assertThat(Spans.exports(env("OTEL_TRACES_EXPORTER", "none",
                                     "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318").otel())).isFalse();
        assertThat(Spans.exports(env("OTEL_SDK_DISABLED", "true",
                                     "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318").otel())).isFalse();
        // Kept by a derived copy.
        final GatewayConfig c = env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
        assertThat(c.toBuilder().build().otel()).isEqualTo(c.otel());
    }

    @Test
    void badValuesAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> env("OTEL_SDK_DISABLED", "yes")).hasMessageContaining("OTEL_SDK_DISABLED");
        assertThatThrownBy(() -> env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL").hasMessageContaining("http/protobuf");
    }
}
