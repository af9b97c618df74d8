package org.openkyc.server.auth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * API keys the database confirmed, with their caller, remembered for a few seconds so that a busy client costs
 * one key look-up per time to live and not one per request. A revoked key is refused once its entry expires, so
 * the time to live is how long a revocation may take to reach this server. Bounded: past {@code maxEntries} the
 * least recently used entry goes. Only keys the database knew are kept (unknown ones are {@link UnknownKeys}'),
 * as their SHA-256, never in clear. A size or time to live of 0 turns the cache off.
 */
final class KnownKeys {

    private record Entry(Caller caller, long expiry) {
    }

    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<String, Entry> entries;

    KnownKeys(int maxEntries, Duration ttl, LongSupplier nanoTime) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > KnownKeys.this.maxEntries;
            }
        };
    }

    /** The caller of the key when it was confirmed within the time to live. */
    synchronized Optional<Caller> get(String keyHash) {
        Entry e = entries.get(keyHash);
        if (e == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - e.expiry >= 0) {
            entries.remove(keyHash);
            return Optional.empty();
        }
        return Optional.of(e.caller);
    }

    synchronized void remember(String keyHash, Caller caller) {
        if (maxEntries < 1 || ttlNanos <= 0) {
            return;
        }
        entries.put(keyHash, new Entry(caller, nanoTime.getAsLong() + ttlNanos));
    }

    /** Forgets every key (a key was revoked here: it must not wait for its entry to expire). */
    synchronized void clear() {
        entries.clear();
    }

    synchronized int size() {
        return entries.size();
    }
}
