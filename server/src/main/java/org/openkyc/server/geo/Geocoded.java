package org.openkyc.server.geo;

import java.util.Objects;

/**
 * The result of geocoding: the point, a human-readable description of what the
 * point stands for (only what was actually resolved, never more), and its precision.
 */
public record Geocoded(GeoPoint point, String formattedAddress, Precision precision) {

    public Geocoded {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(formattedAddress, "formattedAddress");
        Objects.requireNonNull(precision, "precision");
    }
}
