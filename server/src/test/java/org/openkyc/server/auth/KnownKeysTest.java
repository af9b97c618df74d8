package org.openkyc.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KnownKeysTest {

    private static final Caller CALLER = new Caller(1, "k", Role.CLIENT);

    @Test
    void boundedAndForgottenAfterTheTimeToLive() {
        AtomicLong nanos = new AtomicLong();
        KnownKeys k = new KnownKeys(3, Duration.ofSeconds(5), nanos::get);
        for (int i = 0; i < 10; i++) {
            k.remember("h" + i, CALLER);
        }
        assertThat(k.size()).isEqualTo(3);
        assertThat(k.get("h9")).contains(CALLER);
        assertThat(k.get("h0")).isEmpty();
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(k.get("h9")).isEmpty();
        k.remember("h1", CALLER);
        k.clear();
        assertThat(k.get("h1")).isEmpty();
    }

    @Test
    void offWithoutSizeOrTimeToLive() {
        KnownKeys noSize = new KnownKeys(0, Duration.ofSeconds(5), System::nanoTime);
        noSize.remember("h", CALLER);
        assertThat(noSize.get("h")).isEmpty();
        KnownKeys noTtl = new KnownKeys(10, Duration.ZERO, System::nanoTime);
        noTtl.remember("h", CALLER);
        assertThat(noTtl.get("h")).isEmpty();
        assertThat(noTtl.size()).isZero();
    }
}
