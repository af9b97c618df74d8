package org.openkyc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigLimitsTest {

    /** A minimal valid environment plus the given name/value pairs (shared by the settings tests). */
    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("MYSQL_URL", "jdbc:mysql://db/x", "MYSQL_USER", "u",
                "OPENKYC_DATA_KEY", Base64.getEncoder().encodeToString(new byte[32])));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaults() {
        ServerConfig c = ServerConfig.fromEnvironment(env());
        assertThat(c.dbConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.dbStatementTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.grpcReflection()).isFalse();
        assertThat(c.rateLimitPerSecond()).isEqualTo(200);
        assertThat(c.rateLimitBurst()).isEqualTo(400);
        assertThat(c.livenessMaxPerDay()).isEqualTo(10);
        assertThat(c.unknownKeysMax()).isEqualTo(10_000);
        assertThat(c.unknownKeyTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.apiKeyCacheSize()).isEqualTo(10_000);
        assertThat(c.apiKeyCacheTtl()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void readsAndKeepsThemInCopies() {
        ServerConfig c = ServerConfig.fromEnvironment(env("OPENKYC_DB_CONNECT_TIMEOUT_MS", "1500",
                "OPENKYC_DB_STATEMENT_TIMEOUT_MS", "20000", "OPENKYC_GRPC_REFLECTION", "true",
                "OPENKYC_RATE_LIMIT_PER_SECOND", "0", "OPENKYC_RATE_LIMIT_BURST", "0",
                "OPENKYC_LIVENESS_MAX_PER_DAY", "3", "OPENKYC_UNKNOWN_KEY_CACHE_SIZE", "0",
                "OPENKYC_UNKNOWN_KEY_CACHE_SECONDS", "5", "OPENKYC_API_KEY_CACHE_SIZE", "50",
                "OPENKYC_API_KEY_CACHE_TTL_MS", "1500")).withGrpcPort(0);
        assertThat(c.apiKeyCacheSize()).isEqualTo(50);
        assertThat(c.apiKeyCacheTtl()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.unknownKeysMax()).isZero();
        assertThat(c.unknownKeyTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.dbConnectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.dbStatementTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.grpcReflection()).isTrue();
        assertThat(c.rateLimitPerSecond()).isZero();
        assertThat(c.livenessMaxPerDay()).isEqualTo(3);
    }

    @Test
    void refusesNamingTheVariable() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_DB_CONNECT_TIMEOUT_MS", "10")))
                .hasMessageContaining("OPENKYC_DB_CONNECT_TIMEOUT_MS");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_DB_STATEMENT_TIMEOUT_MS", "x")))
                .hasMessageContaining("OPENKYC_DB_STATEMENT_TIMEOUT_MS");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_RATE_LIMIT_PER_SECOND", "-1")))
                .hasMessageContaining("OPENKYC_RATE_LIMIT_PER_SECOND");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_RATE_LIMIT_BURST", "0")))
                .hasMessageContaining("OPENKYC_RATE_LIMIT_BURST");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_LIVENESS_MAX_PER_DAY", "0")))
                .hasMessageContaining("OPENKYC_LIVENESS_MAX_PER_DAY");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_UNKNOWN_KEY_CACHE_SIZE", "-1")))
                .hasMessageContaining("OPENKYC_UNKNOWN_KEY_CACHE_SIZE");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_UNKNOWN_KEY_CACHE_SECONDS", "99999")))
                .hasMessageContaining("OPENKYC_UNKNOWN_KEY_CACHE_SECONDS");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_API_KEY_CACHE_SIZE", "-1")))
                .hasMessageContaining("OPENKYC_API_KEY_CACHE_SIZE");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_API_KEY_CACHE_TTL_MS", "600000")))
                .hasMessageContaining("OPENKYC_API_KEY_CACHE_TTL_MS");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_GRPC_REFLECTION", "maybe")))
                .hasMessageContaining("OPENKYC_GRPC_REFLECTION");
    }
}
