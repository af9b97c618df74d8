package org.openkyc.server.screening;

/** The outcome of a screening: the wire names are the submissions API's AML results. */
public enum Decision {
    /** No candidate reached the review floor. */
    CLEAR("clear"),
    /** The best candidate reached the threshold. */
    HIT("hit"),
    /** The best candidate is between the review floor and the threshold: a reviewer decides. */
    PENDING_REVIEW("pending");

    private final String wireName;

    Decision(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Decision fromWireName(String v) {
        for (Decision d : values()) {
            if (d.wireName.equals(v)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown decision " + v);
    }
}
