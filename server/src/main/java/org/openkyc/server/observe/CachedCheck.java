package org.openkyc.server.observe;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A readiness check asked at most once per interval: readiness probes (every second or two, from several
 * watchers) do not turn into as many calls to the store behind it. A check that throws counts as down.
 */
final class CachedCheck implements BooleanSupplier {

    private final BooleanSupplier check;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long checkedAt;
    private boolean checked;
    private boolean last;

    CachedCheck(BooleanSupplier check, Duration interval, LongSupplier nanoTime) {
        this.check = check;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    CachedCheck(BooleanSupplier check, Duration interval) {
        this(check, interval, System::nanoTime);
    }

    @Override
    public synchronized boolean getAsBoolean() {
        long now = nanoTime.getAsLong();
        if (!checked || now - checkedAt >= intervalNanos) {
            boolean up;
            try {
                up = check.getAsBoolean();
            } catch (RuntimeException e) {
                up = false;
            }
            last = up;
            checked = true;
            checkedAt = nanoTime.getAsLong();
        }
        return last;
    }
}
