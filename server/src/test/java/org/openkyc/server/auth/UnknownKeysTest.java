package org.openkyc.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnknownKeysTest {

    @Test
    void boundedAndForgottenAfterTheTimeToLive() {
        AtomicLong nanos = new AtomicLong();
        UnknownKeys k = new UnknownKeys(3, Duration.ofSeconds(10), nanos::get);
        for (int i = 0; i < 10; i++) {
            k.remember("h" + i);
        }
        assertThat(k.size()).isEqualTo(3);
        assertThat(k.known("h9")).isTrue();
        assertThat(k.known("h0")).isFalse();
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(k.known("h9")).isFalse();
    }
}
