package org.openkyc.server.geo;

import java.util.Locale;
import java.util.Optional;

/**
 * Turns a free-text address into a point. Implementations: {@link GazetteerGeocoder}
 * (offline, city level, the default) and {@link NominatimGeocoder} (an operator's
 * Nominatim-compatible HTTP service). Chosen by configuration ({@code OPENKYC_GEOCODER}).
 */
public interface Geocoder {

    /**
     * The best match for {@code address}, or empty when the address cannot be
     * resolved to at least a locality. Never invents a point.
     *
     * @param language the language wanted for names in the answer (may be ignored)
     * @throws GeocoderUnavailableException when the geocoding service cannot be reached
     */
    Optional<Geocoded> geocode(String address, Locale language);

    /** A short name for logs and metrics ("gazetteer", "nominatim"). */
    String name();

    /** The geocoding service failed (unreachable, timed out, answered garbage). */
    final class GeocoderUnavailableException extends RuntimeException {
        public GeocoderUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
