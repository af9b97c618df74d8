package org.openkyc.gateway;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts failed authentications (answers 401) per client address in fixed windows, so that a caller
 * guessing keys is answered 429 at the edge, without reading its body or asking a server to look the
 * key up. IPv6 addresses count per /64 (one host usually holds a whole /64).
 *
 * <p>Memory is bounded whatever the number of addresses: at most {@code maxAddresses} counters, the
 * least recently seen forgotten first, and as many digests of keys that recently succeeded. A key that
 * succeeded is never throttled by it, so a busy client sharing an address with a key guesser keeps
 * working.
 */
final class AuthThrottle {

    private final int limit;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, long[]> failures;
    private final Map<KeyDigest, Long> goodKeys;

    /**
     * @param limit        failures per window; 0 turns the throttle off
     * @param maxAddresses most addresses (and good keys) remembered at once
     */
    AuthThrottle(int limit, Duration window, int maxAddresses, LongSupplier nanoClock) {
        this.limit = limit;
        windowNanos = window.toNanos();
        clock = nanoClock;
        failures = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > maxAddresses;
            }
        };
        goodKeys = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<KeyDigest, Long> eldest) {
                return size() > maxAddresses;
            }
        };
    }

    static AuthThrottle of(GatewayConfig config) {
        return new AuthThrottle(config.authFailuresPerWindow(), config.authFailureWindow(),
                                config.authTrackedAddresses(), System::nanoTime);
    }

    /**
     * Seconds the caller must wait before a call from {@code client} is served again, or 0 when it may go
     * on: its address is under the limit in the current window, or {@code apiKey} recently succeeded.
     */
    long retryAfterSeconds(InetAddress client, String apiKey) {
        if (limit == 0 || client == null) {
            return 0;
        }
        final long now = clock.getAsLong();
        final String address = bucket(client);
        synchronized (this) {
            final long[] window = failures.get(address);
            if (window == null || now - window[0] >= windowNanos || window[1] < limit) {
                return 0;
            }
            if (apiKey != null && recentlyGood(apiKey, now)) {
                return 0;
            }
            return Math.max(1, (window[0] + windowNanos - now + 999_999_999L) / 1_000_000_000L);
        }
    }

    /** One more failed authentication of {@code client}. */
    void failed(InetAddress client) {
        if (limit == 0 || client == null) {
            return;
        }
        final long now = clock.getAsLong();
        final String address = bucket(client);
        synchronized (this) {
            final long[] window = failures.get(address);
            if (window == null || now - window[0] >= windowNanos) {
                failures.put(address, new long[] {now, 1});
            } else {
                window[1]++;
            }
        }
    }

    /** {@code apiKey} was accepted upstream: it is not throttled for the coming window. */
    void succeeded(String apiKey) {
        if (limit == 0 || apiKey == null) {
            return;
        }
        final KeyDigest digest = KeyDigest.of(apiKey);
        final long now = clock.getAsLong();
        synchronized (this) {
            goodKeys.put(digest, now);
        }
    }

    /** How many addresses are remembered now (at most the configured number). */
    synchronized int trackedAddresses() {
        return failures.size();
    }

    private boolean recentlyGood(String apiKey, long now) {
        final Long seen = goodKeys.get(KeyDigest.of(apiKey));
        return seen != null && now - seen < windowNanos;
    }

    /** The address, or its /64 for IPv6. */
    static String bucket(InetAddress address) {
        if (address instanceof Inet6Address) {
            final byte[] prefix = Arrays.copyOf(address.getAddress(), 8);
            final StringBuilder sb = new StringBuilder(20);
            for (byte b : prefix) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return sb.append("/64").toString();
        }
        return address.getHostAddress();
    }

    /** A SHA-256 digest of a key: the throttle never keeps keys themselves. */
    private record KeyDigest(long a, long b, long c, long d) {
        static KeyDigest of(String key) {
            final byte[] h;
            try {
                h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            final java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(h);
            return new KeyDigest(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
        }
    }
}
