package org.openkyc.server.document;

/** Outcome of reading the machine-readable zone. */
public enum MrzStatus {
    /** Read, and every check digit and the composite check hold. */
    VALID,
    /** Read, but at least one check fails: the data must not be trusted. */
    CHECKS_FAILED,
    /** No machine-readable zone found or read. */
    NOT_FOUND
}
