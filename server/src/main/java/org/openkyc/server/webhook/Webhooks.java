package org.openkyc.server.webhook;

import java.time.Clock;
import org.openkyc.server.config.WebhookSettings;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.Database;

/** The webhooks of one server: the admin service and the background worker, built from the settings. */
public final class Webhooks implements AutoCloseable {

    private final WebhookService service;
    private final WebhookWorker worker;

    private Webhooks(WebhookService service, WebhookWorker worker) {
        this.service = service;
        this.worker = worker;
    }

    /** The service and a worker that is not started (tests drive it with {@link WebhookWorker#runOnce()}). */
    public static Webhooks create(Database db, AesGcm crypto, WebhookSettings settings, WebhookSender sender,
            Clock clock) {
        EndpointPolicy policy = new EndpointPolicy(settings.urlHosts(), settings.maxUrlLength());
        WebhookService service = new WebhookService(db, crypto, policy, settings.maxEndpoints(), clock);
        WebhookWorker worker = new WebhookWorker(db, service, policy, sender,
                new Backoff(settings.firstBackoff(), settings.maxBackoff()), settings.maxAttempts(),
                settings.timeout(), settings.pollInterval(), settings.retention(), clock);
        return new Webhooks(service, worker);
    }

    /** The service and a started worker sending over HTTPS. */
    public static Webhooks start(Database db, AesGcm crypto, WebhookSettings settings, Clock clock) {
        return start(db, crypto, settings, clock, DeliveryObserver.NONE);
    }

    /** The service and a started worker sending over HTTPS, telling the observer of every attempt. */
    public static Webhooks start(Database db, AesGcm crypto, WebhookSettings settings, Clock clock,
            DeliveryObserver observer) {
        Webhooks w = create(db, crypto, settings, new HttpsWebhookSender(settings.timeout(), settings.trustedCa()),
                clock);
        w.worker.observedBy(observer).start();
        return w;
    }

    public WebhookService service() {
        return service;
    }

    public WebhookWorker worker() {
        return worker;
    }

    @Override
    public void close() {
        worker.close();
    }
}
