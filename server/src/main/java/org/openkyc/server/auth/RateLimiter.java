package org.openkyc.server.auth;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per tenant: {@code perSecond} requests a second on average, up to {@code burst} at once.
 * Buckets of tenants that have been idle long enough to be full again are dropped, so memory stays bounded
 * by the tenants active in the last few seconds. A rate of 0 turns the limit off.
 */
public final class RateLimiter {

    /** Sweep idle buckets at most this often. */
    private static final long SWEEP_NANOS = Duration.ofSeconds(10).toNanos();

    private final int perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final Map<Long, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    public RateLimiter(int perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    RateLimiter(int perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond < 0 || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("rate must be 0 or more, burst at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.lastSweep = nanoTime.getAsLong();
    }

    /** A limiter that lets everything through. */
    public static RateLimiter off() {
        return new RateLimiter(0, 0);
    }

    /** Takes one request from the tenant's bucket: empty when allowed, else how long until a token is back. */
    public Optional<Duration> acquire(long tenantId) {
        if (perSecond == 0) {
            return Optional.empty();
        }
        long now = nanoTime.getAsLong();
        sweep(now);
        Bucket b = buckets.computeIfAbsent(tenantId, id -> new Bucket(burst, now));
        synchronized (b) {
            b.refill(now, perSecond, burst);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return Optional.empty();
            }
            double missing = 1 - b.tokens;
            return Optional.of(Duration.ofNanos((long) Math.ceil(missing * 1e9 / perSecond)));
        }
    }

    /** Tenants with a bucket in memory (tests check that idle ones go). */
    int bucketCount() {
        return buckets.size();
    }

    private void sweep(long now) {
        if (now - lastSweep < SWEEP_NANOS) {
            return;
        }
        lastSweep = now;
        // A bucket idle for the time it takes to refill completely is the same as a new one.
        long fullAfter = (long) Math.ceil(burst * 1e9 / perSecond);
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            synchronized (b) {
                if (now - b.last >= fullAfter) {
                    it.remove();
                }
            }
        }
    }

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.last = now;
        }

        void refill(long now, int perSecond, int burst) {
            long elapsed = now - last;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * perSecond / 1e9);
                last = now;
            }
        }
    }
}
