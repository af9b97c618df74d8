package org.openkyc.server.common;

import java.security.SecureRandom;

/** Opaque random external identifiers (lower-case letters and digits). */
public final class Ids {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    /**
     * The longest id this product issues or accepts: profile / submission (16), applicant (16), screening
     * resource (20) and liveness session (24) ids are all shorter, and every column holding one is 32 wide.
     */
    public static final int MAX_LENGTH = 32;

    /**
     * True when the text has the format of an id this product issues: 1 to {@link #MAX_LENGTH} lower-case
     * letters and digits (guards look-ups and messages).
     */
    public static boolean plausible(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }
}
