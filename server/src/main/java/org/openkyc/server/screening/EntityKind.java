package org.openkyc.server.screening;

/** What a screened subject or a listed entry is. */
public enum EntityKind {
    /** A natural person. */
    PERSON,
    /** A company, organisation, group or government body. */
    ORGANISATION,
    /** A vessel or an aircraft (listed, never screened as such). */
    OTHER,
    /** Not stated by the list or the caller. */
    UNKNOWN
}
