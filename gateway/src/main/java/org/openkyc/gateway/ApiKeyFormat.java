package org.openkyc.gateway;

/**
 * The shape of an OpenKYC API key: {@code okyc_} and 43 base64url characters (the server's
 * {@code ApiKeys.wellFormed}). A key of any other shape cannot be valid, so the gateway refuses it
 * without reading the body or asking a server.
 */
final class ApiKeyFormat {

    static final String PREFIX = "okyc_";
    static final int SECRET_CHARS = 43;

    static boolean wellFormed(String key) {
        if (key == null || key.length() != PREFIX.length() + SECRET_CHARS || !key.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < key.length(); i++) {
            final char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private ApiKeyFormat() {}
}
