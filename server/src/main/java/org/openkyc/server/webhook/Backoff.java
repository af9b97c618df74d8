package org.openkyc.server.webhook;

import java.time.Duration;

/**
 * When a failed delivery is tried again: the first retry after {@code first}, each next one after twice the
 * previous wait, never more than {@code max}; a wait is shortened by up to a fifth at random, so deliveries
 * that failed together (a receiver that was down) do not all come back at the same moment.
 */
public record Backoff(Duration first, Duration max) {

    /** The share of a wait that jitter may take off. */
    static final double JITTER = 0.2;

    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max");
        }
    }

    /**
     * The wait after the {@code failedAttempts}-th failed attempt (1 for the first failure).
     *
     * @param random a number in [0, 1): 0 the full wait, towards 1 up to {@link #JITTER} less
     */
    public Duration after(int failedAttempts, double random) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be 1 or more");
        }
        long maxMs = max.toMillis();
        long ms = first.toMillis();
        for (int i = 1; i < failedAttempts && ms < maxMs; i++) {
            ms = Math.min(maxMs, ms * 2);
        }
        ms = Math.min(maxMs, ms);
        double r = Math.min(Math.max(random, 0), 1);
        return Duration.ofMillis(Math.max(1, Math.round(ms * (1 - JITTER * r))));
    }
}
