package org.openkyc.server.geo;

import com.google.openlocationcode.OpenLocationCode;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.geo.Gazetteer.Place;

/**
 * docs/API.md A5: an address, coordinates ("37.5759,126.9769"), a full Plus Code
 * ("8Q98HXPG+MP") or a short Plus Code with a locality ("HXPG+MP Seoul") becomes a point,
 * encoded as a Plus Code.
 *
 * <p>The compound code follows the Open Location Code guidance on short codes: the full
 * code is shortened against the nearest known locality (from the gazetteer) by removing
 * the first four digits, which is allowed only when the locality lies within about 0.3
 * degree of the code's centre ({@link OpenLocationCode#shorten} checks it); removing six
 * digits, though sometimes allowed, is avoided as the guidance recommends. When no
 * locality is near enough (open sea, empty land) the compound code is the full code.
 */
public final class AddressCodeService {

    /** How far the nearest locality is searched for: a little beyond the 0.3 degree shortening range. */
    private static final double LOCALITY_SEARCH_KM = 40;
    private static final int MAX_ADDRESS_LENGTH = 500;
    private static final Pattern COORDINATES =
            Pattern.compile("\\s*([+-]?\\d{1,3}(?:\\.\\d+)?)\\s*[,\\s]\\s*([+-]?\\d{1,3}(?:\\.\\d+)?)\\s*");
    private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

    private final Geocoder geocoder;
    private final Supplier<Gazetteer> gazetteer;
    private final Countries countries;

    /**
     * @param gazetteer the localities for compound codes; may throw {@link DomainException}
     *     (UNAVAILABLE) when the data is not installed
     */
    public AddressCodeService(Geocoder geocoder, Supplier<Gazetteer> gazetteer, Countries countries) {
        this.geocoder = geocoder;
        this.gazetteer = gazetteer;
        this.countries = countries;
    }

    /**
     * Encodes {@code address} as a Plus Code.
     *
     * @param language optional BCP 47 language ("en", "ko") for the names in the answer
     * @throws DomainException INVALID_ARGUMENT for a missing or malformed input,
     *     ADDRESS_NOT_FOUND when the address cannot be resolved, UNAVAILABLE when the
     *     geocoder cannot be reached
     */
    public AddressCode encode(String address, String language) {
        Locale locale = language(language);
        if (address == null || address.isBlank()) {
            throw DomainException.invalidField("address", "address is required");
        }
        String input = address.strip();
        if (input.length() > MAX_ADDRESS_LENGTH) {
            throw DomainException.invalidField("address", "address must be at most " + MAX_ADDRESS_LENGTH + " characters");
        }
        Matcher m = COORDINATES.matcher(input);
        if (m.matches()) {
            double lat = Double.parseDouble(m.group(1));
            double lng = Double.parseDouble(m.group(2));
            if (lat < -90 || lat > 90 || lng < -180 || lng > 180) {
                throw DomainException.invalidField("coordinates", "coordinates must be latitude -90..90 and longitude -180..180");
            }
            return code(new GeoPoint(lat, lng), coordinates(lat, lng), Precision.EXACT, locale);
        }
        String[] parts = input.split("\\s+", 2);
        String first = parts[0].toUpperCase(Locale.ROOT);
        if (OpenLocationCode.isValidCode(first)) {
            if (OpenLocationCode.isFullCode(first)) {
                if (parts.length > 1) {
                    throw DomainException.invalid("a full Plus Code stands alone; drop the text after " + first);
                }
                OpenLocationCode.CodeArea area = OpenLocationCode.decode(first);
                double lat = area.getCenterLatitude();
                double lng = area.getCenterLongitude();
                return code(new GeoPoint(lat, lng), coordinates(lat, lng), Precision.EXACT, locale);
            }
            if (OpenLocationCode.isShortCode(first)) {
                return shortCode(first, parts.length > 1 ? parts[1].strip() : "", locale);
            }
        }
        Geocoded g = geocode(input, locale);
        return code(g.point(), g.formattedAddress(), g.precision(), locale);
    }

    private AddressCode shortCode(String shortCode, String locality, Locale locale) {
        if (locality.isEmpty()) {
            throw DomainException.invalid("a short Plus Code needs its locality, e.g. \"" + shortCode + " Seoul, South Korea\"");
        }
        Geocoded ref = geocode(locality, locale);
        OpenLocationCode full = new OpenLocationCode(shortCode).recover(ref.point().latitude(), ref.point().longitude());
        OpenLocationCode.CodeArea area = full.decode();
        double lat = area.getCenterLatitude();
        double lng = area.getCenterLongitude();
        return code(new GeoPoint(lat, lng), coordinates(lat, lng), Precision.EXACT, locale);
    }

    private Geocoded geocode(String address, Locale locale) {
        Optional<Geocoded> found;
        try {
            found = geocoder.geocode(address, locale);
        } catch (Geocoder.GeocoderUnavailableException e) {
            throw new DomainException(ErrorCode.UNAVAILABLE, "The geocoding service is unavailable; retry later");
        }
        Geocoded g = found.orElseThrow(() -> new DomainException(ErrorCode.ADDRESS_NOT_FOUND,
                "The address could not be resolved to a known place: give at least a city and its country, "
                        + "coordinates as \"lat,lng\", or a Plus Code"));
        if (g.precision() == Precision.COUNTRY || g.precision() == Precision.REGION) {
            throw new DomainException(ErrorCode.ADDRESS_NOT_FOUND,
                    "The address resolves only to a region or country (" + g.formattedAddress()
                            + "): give at least a city");
        }
        return g;
    }

    private AddressCode code(GeoPoint point, String formatted, Precision precision, Locale locale) {
        OpenLocationCode full = new OpenLocationCode(point.latitude(), point.longitude());
        String global = full.getCode();
        String compound = global;
        Optional<Place> near = gazetteer.get().nearest(point.latitude(), point.longitude(), LOCALITY_SEARCH_KM);
        if (near.isPresent()) {
            Place p = near.get();
            try {
                String shortened = full.shorten(p.latitude(), p.longitude()).getCode();
                if (global.length() - shortened.length() >= 4) {
                    compound = global.substring(4) + " " + p.name() + ", " + countries.displayName(p.country(), locale);
                }
            } catch (IllegalArgumentException tooFar) {
                // the locality is too far to recover the code from: keep the full code
            }
        }
        return new AddressCode(formatted, compound, global, point, precision);
    }

    private static String coordinates(double lat, double lng) {
        return degrees(lat) + "," + degrees(lng);
    }

    /** At most six decimals (about 0.1 m), without trailing zeros: "37.5759". */
    private static String degrees(double v) {
        return java.math.BigDecimal.valueOf(v).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
                .toPlainString();
    }

    private static Locale language(String language) {
        if (language == null || language.isBlank()) {
            return Locale.ENGLISH;
        }
        Locale l = Locale.forLanguageTag(language.strip().replace('_', '-'));
        if (l.getLanguage().isEmpty() || !LANGUAGES.contains(l.getLanguage())) {
            throw DomainException.invalidField("language", "language must be an ISO 639 language code such as en or ko");
        }
        return l;
    }
}
