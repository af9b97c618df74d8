package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaults() {
        final GatewayConfig config = GatewayConfig.fromEnvironment(Map.of("OPENKYC_UPSTREAMS", "127.0.0.1:9090"));
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8443);
        assertThat(config.upstreams()).containsExactly(new GatewayConfig.Upstream("127.0.0.1", 9090));
        assertThat(config.tlsCert()).isEmpty();
        assertThat(config.tlsKey()).isEmpty();
        assertThat(config.upstreamCa()).isEmpty();
        assertThat(config.devCertDir()).isEqualTo(Path.of("./data/tls"));
        assertThat(config.maxBodyBytes()).isEqualTo(26_214_400L);
        assertThat(config.upstreamTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsEveryVariable() throws Exception {
        final Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        final Path key = Files.writeString(dir.resolve("key.pem"), "x");
        final Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        final GatewayConfig config = GatewayConfig.fromEnvironment(Map.of(
                "OPENKYC_GATEWAY_HOST", "127.0.0.1",
                "OPENKYC_GATEWAY_PORT", "0",
                "OPENKYC_UPSTREAMS", " server-a:9090 , [::1]:9091,",
                "OPENKYC_TLS_CERT", cert.toString(),
                "OPENKYC_TLS_KEY", key.toString(),
                "OPENKYC_DEV_CERT_DIR", dir.resolve("tls").toString(),
                "OPENKYC_UPSTREAM_CA", ca.toString(),
                "OPENKYC_GATEWAY_MAX_BODY_BYTES", "1048576",
                "OPENKYC_UPSTREAM_TIMEOUT_MS", "1500"));
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isZero();
        assertThat(config.upstreams()).containsExactly(new GatewayConfig.Upstream("server-a", 9090),
                                                       new GatewayConfig.Upstream("::1", 9091));
        assertThat(config.upstreams().get(1)).hasToString("[::1]:9091");
        assertThat(config.tlsCert()).contains(cert);
        assertThat(config.tlsKey()).contains(key);
        assertThat(config.upstreamCa()).contains(ca);
        assertThat(config.devCertDir()).isEqualTo(dir.resolve("tls"));
        assertThat(config.maxBodyBytes()).isEqualTo(1_048_576L);
        assertThat(config.upstreamTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
    }

    @Test
    void invalidValuesNameTheirVariable() throws Exception {
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENKYC_UPSTREAMS");
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(Map.of("OPENKYC_UPSTREAMS", "localhost")))
                .hasMessageContaining("OPENKYC_UPSTREAMS").hasMessageContaining("host:port");
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(Map.of("OPENKYC_UPSTREAMS", "h:99999")))
                .hasMessageContaining("OPENKYC_UPSTREAMS");
        assertThatThrownBy(() -> env("OPENKYC_GATEWAY_PORT", "https"))
                .hasMessageContaining("OPENKYC_GATEWAY_PORT");
        assertThatThrownBy(() -> env("OPENKYC_GATEWAY_PORT", "70000"))
                .hasMessageContaining("OPENKYC_GATEWAY_PORT");
        assertThatThrownBy(() -> env("OPENKYC_GATEWAY_MAX_BODY_BYTES", "-1"))
                .hasMessageContaining("OPENKYC_GATEWAY_MAX_BODY_BYTES");
        assertThatThrownBy(() -> env("OPENKYC_UPSTREAM_TIMEOUT_MS", "0"))
                .hasMessageContaining("OPENKYC_UPSTREAM_TIMEOUT_MS");
        assertThatThrownBy(() -> env("OPENKYC_UPSTREAM_CA", dir.resolve("nope.pem").toString()))
                .hasMessageContaining("OPENKYC_UPSTREAM_CA");
        final Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        assertThatThrownBy(() -> env("OPENKYC_TLS_CERT", cert.toString()))
                .hasMessageContaining("OPENKYC_TLS_CERT").hasMessageContaining("OPENKYC_TLS_KEY");
        final Path notADir = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> env("OPENKYC_DEV_CERT_DIR", notADir.toString()))
                .hasMessageContaining("OPENKYC_DEV_CERT_DIR");
    }

    @Test
    void edgeLimitsHaveDocumentedDefaultsAndNameTheirVariables() {
        final GatewayConfig d = GatewayConfig.fromEnvironment(Map.of("OPENKYC_UPSTREAMS", "127.0.0.1:9090"));
        assertThat(d.maxJsonBytes()).isEqualTo(1L << 20);
        assertThat(d.maxCallbackBytes()).isEqualTo(64L << 10);
        assertThat(d.maxJsonDepth()).isEqualTo(32);
        assertThat(d.maxJsonKeys()).isEqualTo(10_000);
        assertThat(d.maxJsonNameChars()).isEqualTo(256);
        assertThat(d.maxHeaderBytes()).isEqualTo(16_384);
        assertThat(d.authFailuresPerWindow()).isEqualTo(30);
        assertThat(d.authFailureWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.authTrackedAddresses()).isEqualTo(65_536);
        assertThat(d.upstreamMaxMetadataBytes()).isEqualTo(256 << 10);
        assertThat(env("OPENKYC_GATEWAY_AUTH_FAILURES_PER_WINDOW", "0").authFailuresPerWindow()).isZero();
        assertThat(env("OPENKYC_GATEWAY_MAX_CALLBACK_BYTES", "2048").toBuilder().build().maxCallbackBytes())
                .isEqualTo(2048);
        for (String variable : new String[] {"OPENKYC_GATEWAY_MAX_JSON_BYTES", "OPENKYC_GATEWAY_MAX_CALLBACK_BYTES",
                                             "OPENKYC_GATEWAY_MAX_JSON_DEPTH", "OPENKYC_GATEWAY_MAX_JSON_KEYS",
                                             "OPENKYC_GATEWAY_MAX_JSON_NAME_CHARS", "OPENKYC_GATEWAY_MAX_HEADER_BYTES",
                                             "OPENKYC_GATEWAY_AUTH_FAILURES_PER_WINDOW",
                                             "OPENKYC_GATEWAY_AUTH_FAILURE_WINDOW_SECONDS",
                                             "OPENKYC_GATEWAY_AUTH_TRACKED_ADDRESSES",
                                             "OPENKYC_UPSTREAM_MAX_METADATA_BYTES"}) {
            assertThatThrownBy(() -> env(variable, "-1")).hasMessageContaining(variable);
            assertThatThrownBy(() -> env(variable, "many")).hasMessageContaining(variable);
        }
    }

    @Test
    void accessLogIsSampledByDefaultAndConfigurable() {
        final GatewayConfig d = GatewayConfig.fromEnvironment(Map.of("OPENKYC_UPSTREAMS", "127.0.0.1:9090"));
        assertThat(d.accessLog()).isEqualTo(GatewayConfig.AccessLog.SAMPLED);
        assertThat(d.accessLogSample()).isEqualTo(100);
        assertThat(env("OPENKYC_GATEWAY_ACCESS_LOG", "all").accessLog()).isEqualTo(GatewayConfig.AccessLog.ALL);
        assertThat(env("OPENKYC_GATEWAY_ACCESS_LOG", " OFF ").accessLog()).isEqualTo(GatewayConfig.AccessLog.OFF);
        final GatewayConfig sampled = env("OPENKYC_GATEWAY_ACCESS_LOG_SAMPLE", "10");
        assertThat(sampled.accessLogSample()).isEqualTo(10);
        assertThat(sampled.toBuilder().build().toString()).isEqualTo(sampled.toString());
        assertThatThrownBy(() -> env("OPENKYC_GATEWAY_ACCESS_LOG", "verbose"))
                .hasMessageContaining("OPENKYC_GATEWAY_ACCESS_LOG").hasMessageContaining("all, sampled or off");
        for (String bad : new String[] {"0", "-1", "often"}) {
            assertThatThrownBy(() -> env("OPENKYC_GATEWAY_ACCESS_LOG_SAMPLE", bad))
                    .hasMessageContaining("OPENKYC_GATEWAY_ACCESS_LOG_SAMPLE");
        }
    }

    private static GatewayConfig env(String name, String value) {
        return GatewayConfig.fromEnvironment(Map.of("OPENKYC_UPSTREAMS", "127.0.0.1:9090", name, value));
    }

    @Test
    void upstreamHealthChecksDefaultToEverySecondAndAreValidatedByName() {
        final GatewayConfig defaults = GatewayConfig.fromEnvironment(Map.of("OPENKYC_UPSTREAMS", "127.0.0.1:9090"));
        assertThat(defaults.upstreamHealthInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.upstreamHealthTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.upstreamRetryAfterSeconds()).isEqualTo(2);

        final GatewayConfig set = GatewayConfig.fromEnvironment(Map.of(
                "OPENKYC_UPSTREAMS", "127.0.0.1:9090",
                "OPENKYC_GATEWAY_UPSTREAM_HEALTH_INTERVAL_MS", "250",
                "OPENKYC_GATEWAY_UPSTREAM_HEALTH_TIMEOUT_MS", "500"));
        assertThat(set.upstreamHealthInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(set.upstreamHealthTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(set.upstreamRetryAfterSeconds()).isEqualTo(1);
        assertThat(set.toBuilder().build().toString()).isEqualTo(set.toString());

        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(Map.of(
                "OPENKYC_UPSTREAMS", "127.0.0.1:9090", "OPENKYC_GATEWAY_UPSTREAM_HEALTH_INTERVAL_MS", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OPENKYC_GATEWAY_UPSTREAM_HEALTH_INTERVAL_MS");
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(Map.of(
                "OPENKYC_UPSTREAMS", "127.0.0.1:9090", "OPENKYC_GATEWAY_UPSTREAM_HEALTH_TIMEOUT_MS", "soon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OPENKYC_GATEWAY_UPSTREAM_HEALTH_TIMEOUT_MS");
    }
}
