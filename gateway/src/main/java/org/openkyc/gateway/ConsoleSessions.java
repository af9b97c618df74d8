package org.openkyc.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reviewer console's sessions, in this gateway's memory: a random session id (the cookie) maps to the admin
 * key it was opened with, the key's id (a digest, never the key) and a CSRF token. A session ends at sign-out or
 * when its time is over; the key never reaches the browser.
 */
final class ConsoleSessions {

    /** One signed-in reviewer. */
    record Session(String id, String apiKey, String keyId, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session{keyId=" + keyId + ", expiresAt=" + expiresAt + '}';
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    ConsoleSessions(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    Duration ttl() {
        return ttl;
    }

    /** Opens a session for an admin key the server accepted. */
    Session open(String apiKey) {
        sweep();
        final Session s = new Session(randomToken(), apiKey, keyId(apiKey), randomToken(), clock.instant().plus(ttl));
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session of this id; an expired one is forgotten. */
    Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        final Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expiresAt())) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** True when the header carries the session's CSRF token (compared in constant time). */
    static boolean csrfMatches(Session s, String header) {
        return header != null && MessageDigest.isEqual(s.csrfToken().getBytes(StandardCharsets.US_ASCII),
                                                       header.trim().getBytes(StandardCharsets.US_ASCII));
    }

    private void sweep() {
        final Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expiresAt()));
    }

    /** A key's id as the console shows and logs it: the start of its SHA-256, never the key. */
    static String keyId(String apiKey) {
        try {
            final byte[] d = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.US_ASCII));
            return "key-" + HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomToken() {
        final byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
