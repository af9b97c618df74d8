package org.openkyc.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key material. A key is {@code okyc_} followed by 32 random bytes in
 * base64url; only its SHA-256 is stored (a salted slow hash adds nothing for a
 * 256-bit random secret, and a fast hash keeps the per-request look-up cheap).
 */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "okyc_";

    private ApiKeys() {
    }

    /** A new random key secret, shown once to the operator. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new opaque id for a key row (safe to log and to show in audits). */
    public static String newKeyId() {
        return org.openkyc.server.common.Ids.random(16);
    }

    /** The stored form of a key secret. */
    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cheap shape check so obviously malformed keys never reach the database. */
    public static boolean wellFormed(String secret) {
        return secret != null && secret.startsWith(PREFIX) && secret.length() == PREFIX.length() + 43
                && secret.substring(PREFIX.length()).chars()
                        .allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }
}
