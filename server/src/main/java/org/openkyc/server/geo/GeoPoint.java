package org.openkyc.server.geo;

/** A point on the WGS84 ellipsoid, in decimal degrees. */
public record GeoPoint(double latitude, double longitude) {

    public GeoPoint {
        if (!(latitude >= -90 && latitude <= 90)) {
            throw new IllegalArgumentException("latitude must be between -90 and 90");
        }
        if (!(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("longitude must be between -180 and 180");
        }
    }

    /** Great-circle distance in kilometres (haversine on a 6371 km sphere). */
    public double distanceKm(double lat, double lng) {
        double p1 = Math.toRadians(latitude);
        double p2 = Math.toRadians(lat);
        double dp = p2 - p1;
        double dl = Math.toRadians(lng - longitude);
        double h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
