package org.openkyc.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    @Test
    void aBurstThenTheRatePerTenant() {
        RateLimiter r = new RateLimiter(10, 5, nanos::get);
        for (int i = 0; i < 5; i++) {
            assertThat(r.acquire(1)).isEmpty();
        }
        assertThat(r.acquire(1)).contains(Duration.ofMillis(100));
        // Another tenant has its own bucket.
        assertThat(r.acquire(2)).isEmpty();
        nanos.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(r.acquire(1)).isEmpty();
        assertThat(r.acquire(1)).isPresent();
    }

    @Test
    void zeroTurnsTheLimitOff() {
        RateLimiter r = new RateLimiter(0, 0, nanos::get);
        for (int i = 0; i < 10_000; i++) {
            assertThat(r.acquire(1)).isEmpty();
        }
        assertThat(r.bucketCount()).isZero();
    }

    @Test
    void idleBucketsAreDropped() {
        RateLimiter r = new RateLimiter(100, 100, nanos::get);
        for (long tenant = 0; tenant < 1000; tenant++) {
            r.acquire(tenant);
        }
        assertThat(r.bucketCount()).isEqualTo(1000);
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        r.acquire(5000);
        assertThat(r.bucketCount()).isEqualTo(1);
    }
}
