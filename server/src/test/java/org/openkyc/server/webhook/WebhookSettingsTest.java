package org.openkyc.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openkyc.server.config.WebhookSettings;

/** The OPENKYC_WEBHOOK_* settings: documented defaults, and a refusal naming the variable. */
class WebhookSettingsTest {

    @Test
    void defaultsAllowNoHostAndRetryForHours() {
        WebhookSettings s = WebhookSettings.fromEnvironment(Map.of());
        assertThat(s.urlHosts()).isEmpty();
        assertThat(s.maxAttempts()).isEqualTo(10);
        assertThat(s.firstBackoff()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxBackoff()).isEqualTo(Duration.ofHours(1));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.maxEndpoints()).isEqualTo(20);
        assertThat(s.maxUrlLength()).isEqualTo(2048);
        assertThat(s.trustedCa()).isEmpty();
        assertThat(s.retention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void hostsAreReadLowerCasedWithPortsAndDomains() {
        WebhookSettings s = WebhookSettings.fromEnvironment(Map.of("OPENKYC_WEBHOOK_URL_HOSTS",
                " Hooks.Example.org , localhost:8443,*.partner.example ,"));
        assertThat(s.urlHosts()).containsExactly("hooks.example.org", "localhost:8443", "*.partner.example");
    }

    @Test
    void badValuesNameTheirVariable() {
        Map<String, String> bad = Map.of(
                "OPENKYC_WEBHOOK_URL_HOSTS", "https://hooks.example.org",
                "OPENKYC_WEBHOOK_MAX_ATTEMPTS", "0",
                "OPENKYC_WEBHOOK_BACKOFF_MS", "1",
                "OPENKYC_WEBHOOK_MAX_BACKOFF_MS", "5000",
                "OPENKYC_WEBHOOK_TIMEOUT_MS", "ten",
                "OPENKYC_WEBHOOK_POLL_MS", "0",
                "OPENKYC_WEBHOOK_MAX_ENDPOINTS", "0",
                "OPENKYC_WEBHOOK_URL_MAX_LENGTH", "100000",
                "OPENKYC_WEBHOOK_CA_FILE", "/no/such/ca.pem",
                "OPENKYC_WEBHOOK_RETENTION_DAYS", "0");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Map<String, String> env = "OPENKYC_WEBHOOK_MAX_BACKOFF_MS".equals(e.getKey())
                    ? Map.of(e.getKey(), e.getValue(), "OPENKYC_WEBHOOK_BACKOFF_MS", "10000")
                    : Map.of(e.getKey(), e.getValue());
            assertThatThrownBy(() -> WebhookSettings.fromEnvironment(env)).as(e.getKey())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(e.getKey());
        }
    }
}
