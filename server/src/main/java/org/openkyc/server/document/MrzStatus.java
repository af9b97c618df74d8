package org.openkyc.server.document;

/** Outcome of reading the machine-readable zone. */
public enum MrzStatus {
    /**
     * Read, and every check digit and the composite check (where the format has one) hold. Fields the checks
     * do not cover may still be unsure ({@link MrzResult#unsure()}): they are not shown as read.
     */
    VALID,
    /** Read, but at least one check fails: the data must not be trusted. */
    CHECKS_FAILED,
    /** No machine-readable zone found or read. */
    NOT_FOUND
}
