package org.openkyc.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.openkyc.server.document.ImageFetcher;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.webhook.DeliveryObserver.Outcome;

class OutboundMetricsTest {

    private final Telemetry telemetry = new Telemetry();
    private final OutboundMetrics metrics = new OutboundMetrics(telemetry.registry());

    @Test
    void webhookAttemptsAreCountedByOutcomeAndStatusClassWithAHistogram() {
        metrics.webhookDeliveries().attempted(Outcome.RETRY, 503, 1_000_000);
        metrics.webhookDeliveries().attempted(Outcome.RETRY, 0, 0);
        metrics.webhookDeliveries().attempted(Outcome.DELIVERED, 204, 2_000_000);
        metrics.webhookDeliveries().attempted(Outcome.FAILED, 410, 1_000_000);
        String s = telemetry.scrape();
        assertThat(s).containsPattern("openkyc_webhook_deliveries_seconds_count\\{outcome=\"retry\",status_class=\"5xx\"\\} 1");
        assertThat(s).containsPattern("openkyc_webhook_deliveries_seconds_count\\{outcome=\"retry\",status_class=\"none\"\\} 1");
        assertThat(s).containsPattern("openkyc_webhook_deliveries_seconds_count\\{outcome=\"delivered\",status_class=\"2xx\"\\} 1");
        assertThat(s).containsPattern("openkyc_webhook_deliveries_seconds_count\\{outcome=\"failed\",status_class=\"4xx\"\\} 1");
        assertThat(s).containsPattern("openkyc_webhook_deliveries_seconds_bucket\\{[^}]*outcome=\"delivered\"");
    }

    @Test
    void imageFetchesAreCountedByOutcomeAndTheAnswerPassesThrough() {
        ImageFetcher ok = metrics.imageFetches((url, field) -> new byte[] {1, 2});
        assertThat(ok.fetch("https://cdn.example/a.jpg", "frontImage")).containsExactly(1, 2);
        ImageFetcher refused = metrics.imageFetches(ImageFetcher.NONE);
        assertThatThrownBy(() -> refused.fetch("https://x.example/a.jpg", "frontImage"))
                .isInstanceOf(DomainException.class);
        ImageFetcher broken = metrics.imageFetches((url, field) -> {
            throw new DomainException(ErrorCode.UNPROCESSABLE_IMAGE, "frontImage could not be fetched");
        });
        assertThatThrownBy(() -> broken.fetch("https://cdn.example/b.jpg", "frontImage"))
                .isInstanceOf(DomainException.class);
        String s = telemetry.scrape();
        for (String outcome : new String[] {"ok", "refused", "error"}) {
            assertThat(s).containsPattern("openkyc_outbound_calls_seconds_count\\{call=\"fetch\",outcome=\"" + outcome
                    + "\",target=\"document_url\"\\} 1");
        }
        assertThat(s).doesNotContain("cdn.example", "x.example");
    }

    @Test
    void aCachedCheckAsksTheStoreOncePerInterval() {
        AtomicLong now = new AtomicLong();
        AtomicInteger asked = new AtomicInteger();
        boolean[] up = {true};
        CachedCheck check = new CachedCheck(() -> {
            asked.incrementAndGet();
            return up[0];
        }, Duration.ofSeconds(2), now::get);
        assertThat(check.getAsBoolean()).isTrue();
        up[0] = false;
        assertThat(check.getAsBoolean()).isTrue();
        assertThat(asked).hasValue(1);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(check.getAsBoolean()).isFalse();
        assertThat(asked).hasValue(2);
        CachedCheck throwing = new CachedCheck(() -> {
            throw new IllegalStateException("unreachable");
        }, Duration.ofSeconds(2), now::get);
        assertThat(throwing.getAsBoolean()).isFalse();
    }
}
