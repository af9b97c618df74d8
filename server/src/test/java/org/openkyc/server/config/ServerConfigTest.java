package org.openkyc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void readsTheEnvironmentWithDefaults() {
        ServerConfig c = ServerConfig.fromEnvironment(Map.of("MYSQL_URL", "jdbc:mysql://db:3306/openkyc",
                "MYSQL_USER", "kyc", "MYSQL_PASSWORD", "s3cret", "OPENKYC_DATA_KEY", KEY));
        assertThat(c.grpcPort()).isEqualTo(9090);
        assertThat(c.dbPoolSize()).isEqualTo(10);
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("MYSQL_URL", "jdbc:mysql://db/x",
                "MYSQL_USER", "u", "OPENKYC_DATA_KEY", "c2hvcnQ=")))
                .hasMessageContaining("OPENKYC_DATA_KEY");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("MYSQL_USER", "u", "OPENKYC_DATA_KEY", KEY)))
                .hasMessageContaining("MYSQL_URL");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("MYSQL_URL", "jdbc:postgresql://x/y",
                "MYSQL_USER", "u", "OPENKYC_DATA_KEY", KEY))).hasMessageContaining("jdbc:mysql");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("MYSQL_URL", "jdbc:mysql://db/x",
                "MYSQL_USER", "u", "OPENKYC_DATA_KEY", KEY, "OPENKYC_GRPC_PORT", "ninety")))
                .hasMessageContaining("OPENKYC_GRPC_PORT");
    }
}
