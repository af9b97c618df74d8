package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The gateway's management port and log format settings. */
class GatewayManagementConfigTest {

    private static GatewayConfig env(String... kv) {
        final Map<String, String> m = new HashMap<>(Map.of("OPENKYC_UPSTREAMS", "127.0.0.1:9090"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return GatewayConfig.fromEnvironment(m);
    }

    @Test
    void defaultsAreALoopbackPortAndTextLogs() {
        final GatewayConfig c = env();
        assertThat(c.managementHost()).isEqualTo("127.0.0.1");
        assertThat(c.managementPort()).isEqualTo(9465);
        assertThat(c.logFormat()).isEqualTo("text");
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
        // Built in code (tests, embedding), no management port unless asked for.
        assertThat(GatewayConfig.builder().upstreams("127.0.0.1:9090").build().managementPort()).isEqualTo(-1);
    }

    @Test
    void settingsAreReadAndBadOnesRefusedNamingTheVariable() {
        final GatewayConfig c = env("OPENKYC_GATEWAY_MANAGEMENT_PORT", "0", "OPENKYC_GATEWAY_MANAGEMENT_HOST",
                                    "10.0.0.7", "OPENKYC_LOG_FORMAT", "json");
        assertThat(c.managementPort()).isZero();
        assertThat(c.managementHost()).isEqualTo("10.0.0.7");
        assertThat(c.logFormat()).isEqualTo("json");
        assertThatThrownBy(() -> env("OPENKYC_GATEWAY_MANAGEMENT_PORT", "65536"))
                .hasMessageContaining("OPENKYC_GATEWAY_MANAGEMENT_PORT");
        assertThatThrownBy(() -> env("OPENKYC_LOG_FORMAT", "JSON")).hasMessageContaining("OPENKYC_LOG_FORMAT");
    }
}
