package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    private static final String KEY = "okyc_" + "A".repeat(43);

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aSessionEndsWhenItsTimeIsOverOrAtSignOut() {
        final MovingClock clock = new MovingClock();
        final ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(30), clock);
        final ConsoleSessions.Session s = sessions.open(KEY);
        assertThat(sessions.find(s.id())).contains(s);
        assertThat(s.keyId()).startsWith("key-").doesNotContain(KEY.substring(5, 15));
        assertThat(s.toString()).doesNotContain(KEY);

        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(sessions.find(s.id())).isEmpty();

        final ConsoleSessions.Session other = sessions.open(KEY);
        assertThat(other.id()).isNotEqualTo(s.id());
        assertThat(other.csrfToken()).isNotEqualTo(s.csrfToken());
        sessions.close(other.id());
        assertThat(sessions.find(other.id())).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }

    @Test
    void onlyTheSessionsOwnCsrfTokenMatches() {
        final ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(5), new MovingClock());
        final ConsoleSessions.Session s = sessions.open(KEY);
        assertThat(ConsoleSessions.csrfMatches(s, s.csrfToken())).isTrue();
        assertThat(ConsoleSessions.csrfMatches(s, null)).isFalse();
        assertThat(ConsoleSessions.csrfMatches(s, "")).isFalse();
        assertThat(ConsoleSessions.csrfMatches(s, sessions.open(KEY).csrfToken())).isFalse();
    }

    @Test
    void theSessionLengthIsASettingWithLimits() {
        assertThat(GatewayConfig.fromEnvironment(Map.of("OPENKYC_UPSTREAMS", "127.0.0.1:9090"))
                                .consoleSession()).isEqualTo(Duration.ofMinutes(30));
        assertThat(GatewayConfig.fromEnvironment(Map.of("OPENKYC_UPSTREAMS", "127.0.0.1:9090",
                                                        "OPENKYC_CONSOLE_SESSION_MINUTES", "5"))
                                .consoleSession()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> GatewayConfig.fromEnvironment(Map.of("OPENKYC_UPSTREAMS", "127.0.0.1:9090",
                                                                      "OPENKYC_CONSOLE_SESSION_MINUTES", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENKYC_CONSOLE_SESSION_MINUTES");
    }
}
