package org.openkyc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The geocoder settings of {@link ServerConfig}. */
class ServerConfigGeoTest {

    private static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("MYSQL_URL", "jdbc:mysql://db:3306/openkyc", "MYSQL_USER", "kyc",
                "OPENKYC_DATA_KEY", Base64.getEncoder().encodeToString(new byte[32])));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void theOfflineGazetteerInTheCacheIsTheDefault() {
        ServerConfig c = ServerConfig.fromEnvironment(env());
        assertThat(c.geocoder()).isEqualTo(ServerConfig.Geocoding.GAZETTEER);
        assertThat(c.gazetteerDir()).isEqualTo(Path.of(".cache", "gazetteer"));
        assertThat(c.nominatimUrl()).isEmpty();
        assertThat(ServerConfig.fromEnvironment(env("OPENKYC_CACHE_DIR", "/var/cache/okyc")).gazetteerDir())
                .isEqualTo(Path.of("/var/cache/okyc", "gazetteer"));
        assertThat(ServerConfig.fromEnvironment(env("OPENKYC_GAZETTEER_DIR", "/data/geo")).gazetteerDir())
                .isEqualTo(Path.of("/data/geo"));
    }

    @Test
    void nominatimNeedsItsUrl() {
        ServerConfig c = ServerConfig.fromEnvironment(env("OPENKYC_GEOCODER", "nominatim",
                "OPENKYC_NOMINATIM_URL", "http://nominatim:8080/", "OPENKYC_NOMINATIM_TIMEOUT_MS", "2500"));
        assertThat(c.geocoder()).isEqualTo(ServerConfig.Geocoding.NOMINATIM);
        assertThat(c.nominatimUrl()).contains(URI.create("http://nominatim:8080/"));
        assertThat(c.nominatimTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.toBuilder().build().nominatimUrl()).isEqualTo(c.nominatimUrl());

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_GEOCODER", "nominatim")))
                .hasMessageContaining("OPENKYC_NOMINATIM_URL");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_GEOCODER", "google")))
                .hasMessageContaining("OPENKYC_GEOCODER");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_NOMINATIM_URL", "ftp://x/")))
                .hasMessageContaining("OPENKYC_NOMINATIM_URL");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_NOMINATIM_URL", "http://x/?key=1")))
                .hasMessageContaining("OPENKYC_NOMINATIM_URL");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("OPENKYC_NOMINATIM_TIMEOUT_MS", "5")))
                .hasMessageContaining("OPENKYC_NOMINATIM_TIMEOUT_MS");
    }
}
