package org.openkyc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The idempotent-retry settings: defaults, reading, and refusals that name the variable. */
class IdempotencyConfigTest {

    private static Map<String, String> env(String... kv) {
        return ServerConfigLimitsTest.env(kv);
    }

    @Test
    void defaults() {
        ServerConfig c = ServerConfig.fromEnvironment(env());
        assertThat(c.idempotencyTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(c.idempotencyWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.idempotencyAbandon()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void readsAndKeepsThemInCopies() {
        ServerConfig c = ServerConfig.fromEnvironment(env("OPENKYC_IDEMPOTENCY_TTL_HOURS", "48",
                "OPENKYC_IDEMPOTENCY_WAIT_MS", "0", "OPENKYC_IDEMPOTENCY_ABANDON_SECONDS", "120")).withGrpcPort(0);
        assertThat(c.idempotencyTtl()).isEqualTo(Duration.ofHours(48));
        assertThat(c.idempotencyWait()).isZero();
        assertThat(c.idempotencyAbandon()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesNamingTheVariable() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_IDEMPOTENCY_TTL_HOURS", "0")))
                .hasMessageContaining("OPENKYC_IDEMPOTENCY_TTL_HOURS");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_IDEMPOTENCY_WAIT_MS", "-1")))
                .hasMessageContaining("OPENKYC_IDEMPOTENCY_WAIT_MS");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_IDEMPOTENCY_ABANDON_SECONDS", "1")))
                .hasMessageContaining("OPENKYC_IDEMPOTENCY_ABANDON_SECONDS");
    }
}
