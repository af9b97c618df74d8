package org.openkyc.server.auth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Well-formed API keys the database did not know, remembered for a short time so that a flood of made-up
 * keys costs one look-up per key and not one per request. Bounded: past {@code maxEntries} the oldest entry
 * goes. Only unknown keys are remembered (known ones are {@link KnownKeys}'). Keys are kept as their SHA-256,
 * never in clear.
 */
final class UnknownKeys {

    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<String, Long> expiries;

    UnknownKeys(int maxEntries, Duration ttl, LongSupplier nanoTime) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
        this.expiries = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > UnknownKeys.this.maxEntries;
            }
        };
    }

    /** True when the key was found unknown within the time to live. */
    synchronized boolean known(String keyHash) {
        Long expiry = expiries.get(keyHash);
        if (expiry == null) {
            return false;
        }
        if (nanoTime.getAsLong() - expiry >= 0) {
            expiries.remove(keyHash);
            return false;
        }
        return true;
    }

    synchronized void remember(String keyHash) {
        if (maxEntries < 1) {
            return;
        }
        expiries.remove(keyHash);
        expiries.put(keyHash, nanoTime.getAsLong() + ttlNanos);
    }

    synchronized int size() {
        return expiries.size();
    }
}
