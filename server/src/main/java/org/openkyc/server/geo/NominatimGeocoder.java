package org.openkyc.server.geo;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Geocoding by a Nominatim-compatible HTTP service that the operator runs (or may use):
 * {@code GET <base>/search?format=jsonv2&limit=1&q=...}. Only the configured base URL is
 * contacted; redirects are not followed; connect and request time out. The answer's
 * {@code place_rank} gives the precision: a match coarser than a locality is refused like
 * an unknown address.
 */
public final class NominatimGeocoder implements Geocoder {

    private static final Logger log = LoggerFactory.getLogger(NominatimGeocoder.class);

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    public NominatimGeocoder(URI base, Duration timeout) {
        this.base = Objects.requireNonNull(base, "base");
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("the Nominatim URL must be http or https");
        }
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return "nominatim";
    }

    @Override
    public Optional<Geocoded> geocode(String address, Locale language) {
        String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        URI uri = base.resolve(path + "/search?format=jsonv2&limit=1&q="
                + URLEncoder.encode(address, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Accept-Language", (language == null ? Locale.ENGLISH : language).toLanguageTag())
                .header("User-Agent", "OpenKYC address coding")
                .GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new GeocoderUnavailableException("Nominatim did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new GeocoderUnavailableException("Nominatim cannot be reached: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GeocoderUnavailableException("interrupted while calling Nominatim", e);
        }
        if (response.statusCode() != 200) {
            log.warn("Nominatim answered HTTP {}", response.statusCode());
            throw new GeocoderUnavailableException("Nominatim answered HTTP " + response.statusCode(), null);
        }
        try {
            JsonElement root = JsonParser.parseString(response.body());
            if (!root.isJsonArray()) {
                throw new JsonParseException("not a JSON array");
            }
            JsonArray results = root.getAsJsonArray();
            if (results.isEmpty()) {
                return Optional.empty();
            }
            JsonObject first = results.get(0).getAsJsonObject();
            double lat = Double.parseDouble(first.get("lat").getAsString());
            double lng = Double.parseDouble(first.get("lon").getAsString());
            String display = first.has("display_name") ? first.get("display_name").getAsString() : address;
            int rank = first.has("place_rank") ? first.get("place_rank").getAsInt() : 30;
            return Optional.of(new Geocoded(new GeoPoint(lat, lng), display, precision(rank)));
        } catch (RuntimeException e) {
            log.warn("Nominatim answered an unreadable body: {}", e.getClass().getSimpleName());
            throw new GeocoderUnavailableException("Nominatim answered an unreadable body", e);
        }
    }

    /** Nominatim's place_rank: 4 country, 8 state, 12 county, 16 city, 20-22 suburb, 26 street, 30 house. */
    static Precision precision(int placeRank) {
        if (placeRank >= 28) {
            return Precision.ADDRESS;
        }
        if (placeRank >= 25) {
            return Precision.STREET;
        }
        if (placeRank >= 19) {
            return Precision.DISTRICT;
        }
        if (placeRank >= 13) {
            return Precision.LOCALITY;
        }
        if (placeRank >= 5) {
            return Precision.REGION;
        }
        return Precision.COUNTRY;
    }
}
