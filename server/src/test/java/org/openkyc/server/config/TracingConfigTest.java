package org.openkyc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openkyc.server.config.ServerConfigLimitsTest.env;

import org.junit.jupiter.api.Test;

/** Tracing settings: off by default, on with an OTLP endpoint or exporter, refusals naming the variable. */
class TracingConfigTest {

    @Test
    void offUnlessAnEndpointOrATracesExporterIsSet() {
        assertThat(ServerConfig.fromEnvironment(env()).tracing().exports()).isFalse();
        assertThat(ServerConfig.fromEnvironment(env("OTEL_SERVICE_NAME", "kyc")).tracing().exports()).isFalse();
        assertThat(ServerConfig.fromEnvironment(env("OTEL_TRACES_EXPORTER", "none",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")).tracing().exports()).isFalse();
        assertThat(ServerConfig.fromEnvironment(env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))
                .tracing().exports()).isTrue();
        assertThat(ServerConfig.fromEnvironment(env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "http://collector:4318/v1/traces")).tracing().exports()).isTrue();
        assertThat(ServerConfig.fromEnvironment(env("OTEL_TRACES_EXPORTER", "otlp")).tracing().exports()).isTrue();
        // Kept by a derived copy.
        assertThat(ServerConfig.fromEnvironment(env("OTEL_TRACES_EXPORTER", "otlp")).withGrpcPort(1234).tracing()
                .exports()).isTrue();
    }

    @Test
    void theSdkDisabledWinsOverEverythingElse() {
        assertThat(ServerConfig.fromEnvironment(env("OTEL_SDK_DISABLED", "true",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_TRACES_EXPORTER", "otlp"))
                .tracing().exports()).isFalse();
        assertThat(ServerConfig.fromEnvironment(env("OTEL_SDK_DISABLED", "false",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")).tracing().exports()).isTrue();
    }

    @Test
    void variablesBecomeOpenTelemetryProperties() {
        assertThat(ServerConfig.fromEnvironment(env("OTEL_BSP_SCHEDULE_DELAY", "100", "OPENKYC_OTHER", "x"))
                .tracing().properties()).containsExactlyEntriesOf(java.util.Map.of("otel.bsp.schedule.delay", "100"));
    }

    @Test
    void badValuesAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OTEL_SDK_DISABLED", "yes")))
                .hasMessageContaining("OTEL_SDK_DISABLED");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL").hasMessageContaining("http/protobuf");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL");
    }
}
