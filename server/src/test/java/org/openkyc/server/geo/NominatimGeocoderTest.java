package org.openkyc.server.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

/**
 * The Nominatim client against a local HTTP server answering Nominatim's jsonv2 format
 * (bodies shaped like nominatim.openstreetmap.org's /search answers).
 */
class NominatimGeocoderTest {

    private static final String SEJONGNO = """
            [{"place_id":123,"licence":"Data © OpenStreetMap contributors, ODbL 1.0.","osm_type":"node",
              "osm_id":1,"lat":"37.5760158","lon":"126.9768621","category":"place","type":"house",
              "place_rank":30,"importance":0.2,"addresstype":"place","name":"",
              "display_name":"1, Sejong-daero, Jongno-gu, Seoul, 03154, South Korea",
              "boundingbox":["37.5759658","37.5760658","126.9768121","126.9769121"]}]""";
    private static final String COUNTRY = """
            [{"place_id":9,"lat":"36.638392","lon":"127.6961188","category":"boundary","type":"administrative",
              "place_rank":4,"display_name":"South Korea"}]""";

    private HttpServer server;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<String> languages = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/nominatim/search", this::search);
        server.createContext("/nominatim/redirect/search", ex -> {
            ex.getResponseHeaders().add("Location", "http://example.org/search");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private void search(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        queries.add(query);
        languages.add(ex.getRequestHeaders().getFirst("Accept-Language"));
        String q = "";
        for (String part : query.split("&")) {
            if (part.startsWith("q=")) {
                q = URLDecoder.decode(part.substring(2), StandardCharsets.UTF_8);
            }
        }
        String body;
        int status = 200;
        switch (q) {
            case "1 Sejongno, Jongno-gu, Seoul" -> body = SEJONGNO;
            case "South Korea" -> body = COUNTRY;
            case "broken" -> body = "<html>oops</html>";
            case "down" -> {
                status = 503;
                body = "busy";
            }
            case "slow" -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                body = "[]";
            }
            default -> body = "[]";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private NominatimGeocoder geocoder(String path, Duration timeout) {
        return new NominatimGeocoder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), timeout);
    }

    @Test
    void anAddressIsResolvedToTheHouseWithItsPrecisionAndTheCallersLanguage() {
        Optional<Geocoded> g = geocoder("/nominatim/", Duration.ofSeconds(5))
                .geocode("1 Sejongno, Jongno-gu, Seoul", Locale.KOREAN);
        assertThat(g).isPresent();
        assertThat(g.get().point().latitude()).isEqualTo(37.5760158);
        assertThat(g.get().point().longitude()).isEqualTo(126.9768621);
        assertThat(g.get().precision()).isEqualTo(Precision.ADDRESS);
        assertThat(g.get().formattedAddress()).isEqualTo("1, Sejong-daero, Jongno-gu, Seoul, 03154, South Korea");
        assertThat(queries.get(0)).startsWith("format=jsonv2&limit=1&q=").contains("Sejongno");
        assertThat(languages.get(0)).isEqualTo("ko");
    }

    @Test
    void noResultIsEmpty() {
        assertThat(geocoder("/nominatim", Duration.ofSeconds(5)).geocode("Xyzzyville", Locale.ENGLISH)).isEmpty();
    }

    @Test
    void failuresOfTheServiceAreUnavailableNotEmpty() {
        NominatimGeocoder g = geocoder("/nominatim", Duration.ofSeconds(5));
        assertThatThrownBy(() -> g.geocode("down", Locale.ENGLISH)).isInstanceOf(Geocoder.GeocoderUnavailableException.class);
        assertThatThrownBy(() -> g.geocode("broken", Locale.ENGLISH)).isInstanceOf(Geocoder.GeocoderUnavailableException.class);
        assertThatThrownBy(() -> geocoder("/nominatim/redirect", Duration.ofSeconds(5)).geocode("x", Locale.ENGLISH))
                .isInstanceOf(Geocoder.GeocoderUnavailableException.class)
                .hasMessageContaining("302");
    }

    @Test
    void aServiceThatDoesNotAnswerTimesOut() {
        assertThatThrownBy(() -> geocoder("/nominatim", Duration.ofMillis(300)).geocode("slow", Locale.ENGLISH))
                .isInstanceOf(Geocoder.GeocoderUnavailableException.class)
                .hasMessageContaining("did not answer");
    }

    @Test
    void throughTheServiceAnAddressGetsItsOwnCodeAndCoarseMatchesAreRefused() {
        Countries countries = new Countries();
        AddressCodeService service = new AddressCodeService(geocoder("/nominatim", Duration.ofSeconds(5)),
                GazetteerSource.of(TestGazetteer.get()), countries);
        AddressCode c = service.encode("1 Sejongno, Jongno-gu, Seoul", "en");
        assertThat(c.globalCode()).isEqualTo("8Q98HXGG+CP");
        assertThat(c.compoundCode()).isEqualTo("HXGG+CP Seoul, South Korea");
        assertThat(c.precision()).isEqualTo(Precision.ADDRESS);

        assertThatThrownBy(() -> service.encode("South Korea", "en")).isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).code()).isEqualTo(ErrorCode.ADDRESS_NOT_FOUND);
        assertThatThrownBy(() -> service.encode("down", "en")).isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }
}
