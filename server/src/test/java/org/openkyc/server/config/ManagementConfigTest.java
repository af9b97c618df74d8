package org.openkyc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openkyc.server.config.ServerConfigLimitsTest.env;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The management port, database check and log format settings: defaults and refusals naming the variable. */
class ManagementConfigTest {

    @Test
    void defaultsAreALoopbackPortAChecksEveryTwoSecondsAndTextLogs() {
        ManagementConfig m = ServerConfig.fromEnvironment(env()).management();
        assertThat(m.host()).isEqualTo("127.0.0.1");
        assertThat(m.port()).isEqualTo(9464);
        assertThat(m.dbCheckInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(m.logFormat()).isEqualTo(ManagementConfig.LogFormat.TEXT);
        // Kept by a derived copy.
        assertThat(ServerConfig.fromEnvironment(env()).withGrpcPort(1234).management().port()).isEqualTo(9464);
    }

    @Test
    void settingsAreRead() {
        ManagementConfig m = ServerConfig.fromEnvironment(env("OPENKYC_MANAGEMENT_PORT", "0",
                "OPENKYC_MANAGEMENT_HOST", "10.0.0.5", "OPENKYC_DB_CHECK_INTERVAL_MS", "500",
                "OPENKYC_LOG_FORMAT", "json")).management();
        assertThat(m.port()).isZero();
        assertThat(m.host()).isEqualTo("10.0.0.5");
        assertThat(m.dbCheckInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(m.logFormat()).isEqualTo(ManagementConfig.LogFormat.JSON);
        assertThat(ServerConfig.fromEnvironment(env("OPENKYC_MANAGEMENT_PORT", "-1")).management().port())
                .isEqualTo(-1);
    }

    @Test
    void badValuesAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_MANAGEMENT_PORT", "70000")))
                .hasMessageContaining("OPENKYC_MANAGEMENT_PORT");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_MANAGEMENT_PORT", "x")))
                .hasMessageContaining("OPENKYC_MANAGEMENT_PORT");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_DB_CHECK_INTERVAL_MS", "10")))
                .hasMessageContaining("OPENKYC_DB_CHECK_INTERVAL_MS");
        // The logging configuration reads the value as it is: JSON or " json" would choose nothing there.
        for (String bad : new String[] {"xml", "JSON", " json"}) {
            assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_LOG_FORMAT", bad)))
                    .hasMessageContaining("OPENKYC_LOG_FORMAT");
        }
    }
}
