package org.openkyc.server.auth;

/** What an API key may do. */
public enum Role {
    /** A client company's integration: its own cases, no review decisions. */
    CLIENT,
    /** A client company's operations team: also the admin review API. */
    ADMIN;

    public static Role parse(String value) {
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be client or admin, was '" + value + "'");
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
