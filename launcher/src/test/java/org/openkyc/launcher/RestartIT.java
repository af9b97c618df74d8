package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openkyc.server.auth.Role;

/** Data, keys and the dev certificate survive a restart of the whole product. */
class RestartIT {

    @Test
    void dataSurvivesARestart() throws Exception {
        Path home = TestProduct.freshHome("restart");
        String key;
        String id;
        try (LocalProduct first = LocalProduct.start(home, TestProduct.testEnv())) {
            first.server().tenants().ensureTenant("restart-co");
            key = first.server().tenants().issueKey("restart-co", Role.CLIENT, null).secret();
            id = first.server().cases().createProfile(
                    first.server().tenants().authenticate(key).orElseThrow(), "survivor", "DE").id();
        }
        try (LocalProduct second = LocalProduct.start(home, TestProduct.testEnv())) {
            HttpClient http = TestProduct.httpsClient(second.gateway().certificateFile());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create(second.baseUrl() + "/v2/submission?submission_id=" + id))
                    .header("x-api-key", key).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"userid\":\"survivor\"");
        }
    }
}
