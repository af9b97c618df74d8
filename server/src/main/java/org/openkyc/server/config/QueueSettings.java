package org.openkyc.server.config;

import java.time.Duration;
import java.util.Map;

/**
 * The reviewer queue's settings of {@link ServerConfig} (the admin list, API.md C3), validated at construction
 * with a message naming the variable. Counting the cases per status of a large tenant reads every matching
 * index entry; such counts are kept for a few seconds so that paging through the queue does not count again.
 *
 * @param countCacheTtl     how long counts per status are kept (OPENKYC_QUEUE_COUNT_CACHE_SECONDS; 0: counted
 *                          on every page)
 * @param countCacheMin     counts are kept only when at least this many cases match (smaller ones are cheap and
 *                          stay exact) (OPENKYC_QUEUE_COUNT_CACHE_MIN)
 * @param countCacheEntries how many filter combinations' counts are kept at most, all tenants together
 *                          (OPENKYC_QUEUE_COUNT_CACHE_ENTRIES)
 */
public record QueueSettings(Duration countCacheTtl, long countCacheMin, int countCacheEntries) {

    public static final int DEFAULT_COUNT_CACHE_SECONDS = 10;
    public static final long DEFAULT_COUNT_CACHE_MIN = 10_000;
    public static final int DEFAULT_COUNT_CACHE_ENTRIES = 1_000;

    public QueueSettings {
        if (countCacheTtl == null || countCacheTtl.isNegative() || countCacheTtl.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("OPENKYC_QUEUE_COUNT_CACHE_SECONDS must be 0 (off) to 3600");
        }
        if (countCacheMin < 0) {
            throw new IllegalArgumentException("OPENKYC_QUEUE_COUNT_CACHE_MIN must be 0 or more");
        }
        if (countCacheEntries < 1 || countCacheEntries > 1_000_000) {
            throw new IllegalArgumentException("OPENKYC_QUEUE_COUNT_CACHE_ENTRIES must be 1-1000000");
        }
    }

    public static QueueSettings defaults() {
        return new QueueSettings(Duration.ofSeconds(DEFAULT_COUNT_CACHE_SECONDS), DEFAULT_COUNT_CACHE_MIN,
                DEFAULT_COUNT_CACHE_ENTRIES);
    }

    public static QueueSettings fromEnvironment(Map<String, String> env) {
        return new QueueSettings(
                Duration.ofSeconds(EnvVars.intVar(env, "OPENKYC_QUEUE_COUNT_CACHE_SECONDS", DEFAULT_COUNT_CACHE_SECONDS)),
                EnvVars.longVar(env, "OPENKYC_QUEUE_COUNT_CACHE_MIN", DEFAULT_COUNT_CACHE_MIN),
                EnvVars.intVar(env, "OPENKYC_QUEUE_COUNT_CACHE_ENTRIES", DEFAULT_COUNT_CACHE_ENTRIES));
    }
}
