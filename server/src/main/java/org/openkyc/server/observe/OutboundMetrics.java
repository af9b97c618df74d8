package org.openkyc.server.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openkyc.server.document.ImageFetcher;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.travelrule.CounterpartClient;
import org.openkyc.server.travelrule.VaspRegistry.CounterpartVasp;
import org.openkyc.server.travelrule.VerificationAnswer;
import org.openkyc.server.travelrule.VerificationRequest;
import org.openkyc.server.webhook.DeliveryObserver;

/**
 * The calls the server makes to others, measured from outside (the callers know nothing of metrics):
 * <ul>
 *   <li>{@code openkyc_webhook_deliveries_seconds} (histogram): every webhook delivery attempt by outcome
 *       ({@code delivered}, {@code retry}, {@code failed}) and status class of the receiver's answer ({@code 2xx}
 *       .. {@code 5xx}, {@code none} when no answer came);</li>
 *   <li>{@code openkyc_outbound_calls_seconds} (histogram): image URL fetches ({@code target="document_url"}) and
 *       calls to other VASPs' exchange ({@code target="vasp_exchange"}) by call and outcome.</li>
 * </ul>
 */
public final class OutboundMetrics {

    private final MeterRegistry registry;

    public OutboundMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records webhook delivery attempts. */
    public DeliveryObserver webhookDeliveries() {
        return (outcome, status, nanos) -> Timer.builder(Telemetry.PREFIX + "webhook.deliveries")
                .description("Webhook delivery attempts, by outcome and HTTP status class of the answer")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .tag("status_class", statusClass(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "none";
    }

    void record(String target, String call, String outcome, long start) {
        Timer.builder(Telemetry.PREFIX + "outbound.calls")
                .description("Calls to other services (image URLs, other VASPs), by target, call and outcome")
                .tag("target", target)
                .tag("call", call)
                .tag("outcome", outcome)
                .register(registry)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    /**
     * Image URL fetches by outcome: {@code ok}, {@code refused} (not an allowed URL, nothing contacted or a
     * redirect refused), {@code too_large}, {@code error} (no usable answer: status, timeout, network).
     */
    public ImageFetcher imageFetches(ImageFetcher fetcher) {
        return (url, field) -> {
            long start = System.nanoTime();
            String outcome = "error";
            try {
                byte[] bytes = fetcher.fetch(url, field);
                outcome = "ok";
                return bytes;
            } catch (DomainException e) {
                outcome = switch (e.code()) {
                    case INVALID_ARGUMENT -> "refused";
                    case PAYLOAD_TOO_LARGE -> "too_large";
                    default -> "error";
                };
                throw e;
            } finally {
                record("document_url", "fetch", outcome, start);
            }
        };
    }

    /** Calls to other VASPs by outcome: {@code ok}, {@code timeout}, {@code unreachable}, {@code refused}. */
    public CounterpartClient counterparts(CounterpartClient client) {
        return new CounterpartClient() {
            @Override
            public VerificationAnswer requestVerification(CounterpartVasp to, VerificationRequest request)
                    throws CounterpartException {
                long start = System.nanoTime();
                String outcome = "error";
                try {
                    VerificationAnswer a = client.requestVerification(to, request);
                    outcome = "ok";
                    return a;
                } catch (CounterpartException e) {
                    outcome = e.kind().name().toLowerCase(Locale.ROOT);
                    throw e;
                } finally {
                    record("vasp_exchange", "request_verification", outcome, start);
                }
            }

            @Override
            public void reportTransaction(CounterpartVasp to, String uuid, String txHash, Optional<String> vout)
                    throws CounterpartException {
                long start = System.nanoTime();
                String outcome = "error";
                try {
                    client.reportTransaction(to, uuid, txHash, vout);
                    outcome = "ok";
                } catch (CounterpartException e) {
                    outcome = e.kind().name().toLowerCase(Locale.ROOT);
                    throw e;
                } finally {
                    record("vasp_exchange", "report_transaction", outcome, start);
                }
            }
        };
    }
}
