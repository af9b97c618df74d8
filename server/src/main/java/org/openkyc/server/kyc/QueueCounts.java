package org.openkyc.server.kyc;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts per status of the reviewer queue, kept briefly per filter combination: counting a large tenant reads
 * every matching index entry, and a reviewer paging through the queue must not pay that on every page. Counts
 * of fewer than {@code min} cases are cheap and never kept, so they are always exact. When kept counts expire,
 * one caller counts again while the others are answered the expired counts (with their older time), so that
 * a busy queue does not start a full count per concurrent page view. Each server replica keeps its own;
 * nothing here is needed for correctness, only for cost.
 */
public final class QueueCounts {

    /** Counts per status and when they were counted. */
    public record Counted(Map<String, Long> counts, Instant at) {
        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Duration ttl;
    private final long min;
    private final Map<String, Counted> entries;
    /** Filters being counted again, and since when: the others are answered the expired counts meanwhile. */
    private final Map<String, Instant> recounting = new java.util.HashMap<>();
    /** After this long a recount that never reported back (it failed) no longer holds the others back. */
    static final Duration RECOUNT_CLAIM = Duration.ofSeconds(60);

    /**
     * @param ttl        how long counts are kept (zero: never)
     * @param min        counts are kept only when at least this many cases match in all
     * @param maxEntries how many filter combinations are kept at most (the least recently used go first)
     */
    public QueueCounts(Duration ttl, long min, int maxEntries) {
        this.ttl = ttl;
        this.min = min;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Counted> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** Nothing kept: every page counts. */
    public static QueueCounts off() {
        return new QueueCounts(Duration.ZERO, 0, 1);
    }

    /**
     * The counts kept for this filter, if still fresh at {@code now}; expired counts while another caller is
     * counting again. Empty tells the caller to count (and {@link #put} the result).
     */
    public synchronized Optional<Counted> get(String key, Instant now) {
        Counted c = entries.get(key);
        if (c == null) {
            return Optional.empty();
        }
        if (now.isBefore(c.at().plus(ttl))) {
            return Optional.of(c);
        }
        Instant claimed = recounting.get(key);
        if (claimed != null && now.isBefore(claimed.plus(RECOUNT_CLAIM))) {
            return Optional.of(c);
        }
        recounting.put(key, now);
        return Optional.empty();
    }

    /** Keeps fresh counts when they are large enough to be worth keeping. */
    public synchronized void put(String key, Counted c) {
        recounting.remove(key);
        if (!ttl.isZero() && c.total() >= min) {
            entries.put(key, c);
        } else {
            entries.remove(key);
        }
    }
}
