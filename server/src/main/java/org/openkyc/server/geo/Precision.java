package org.openkyc.server.geo;

/** How precisely a geocoded point stands for the address it came from. */
public enum Precision {
    /** The point was given as coordinates or a Plus Code: exact. */
    EXACT,
    /** A house or building. */
    ADDRESS,
    /** A street. */
    STREET,
    /** A district, suburb or neighbourhood. */
    DISTRICT,
    /** A city, town or village: the point is the locality's centre. */
    LOCALITY,
    /** A state, province or county. */
    REGION,
    /** Only the country. */
    COUNTRY
}
