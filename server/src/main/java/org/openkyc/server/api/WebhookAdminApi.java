package org.openkyc.server.api;

import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.openkyc.api.kyc.v1.CreateWebhookRequest;
import org.openkyc.api.kyc.v1.CreateWebhookResponse;
import org.openkyc.api.kyc.v1.DeleteWebhookRequest;
import org.openkyc.api.kyc.v1.DeleteWebhookResponse;
import org.openkyc.api.kyc.v1.ListWebhookDeliveriesRequest;
import org.openkyc.api.kyc.v1.ListWebhookDeliveriesResponse;
import org.openkyc.api.kyc.v1.ListWebhooksRequest;
import org.openkyc.api.kyc.v1.ListWebhooksResponse;
import org.openkyc.api.kyc.v1.ReplayWebhookDeliveryRequest;
import org.openkyc.api.kyc.v1.ReplayWebhookDeliveryResponse;
import org.openkyc.api.kyc.v1.Webhook;
import org.openkyc.api.kyc.v1.WebhookAdminServiceGrpc;
import org.openkyc.api.kyc.v1.WebhookDelivery;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.webhook.WebhookService;

/**
 * The webhook admin API (docs/API.md C5). The admin role is enforced for the whole service by the
 * authentication interceptor; every call works within the caller's tenant.
 */
public final class WebhookAdminApi extends WebhookAdminServiceGrpc.WebhookAdminServiceImplBase {

    private static final int DEFAULT_LIMIT = 20;
    private final WebhookService webhooks;

    public WebhookAdminApi(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void createWebhook(CreateWebhookRequest req, StreamObserver<CreateWebhookResponse> out) {
        WebhookService.Created c = webhooks.create(Caller.current(), req.getUrl(), req.getEventTypesList());
        out.onNext(CreateWebhookResponse.newBuilder().setWebhook(webhook(c.endpoint())).setSecret(c.secret())
                .build());
        out.onCompleted();
    }

    @Override
    public void listWebhooks(ListWebhooksRequest req, StreamObserver<ListWebhooksResponse> out) {
        ListWebhooksResponse.Builder r = ListWebhooksResponse.newBuilder();
        webhooks.list(Caller.current()).forEach(e -> r.addList(webhook(e)));
        out.onNext(r.build());
        out.onCompleted();
    }

    @Override
    public void deleteWebhook(DeleteWebhookRequest req, StreamObserver<DeleteWebhookResponse> out) {
        webhooks.delete(Caller.current(), req.getWebhookId());
        out.onNext(DeleteWebhookResponse.newBuilder().setWebhookId(req.getWebhookId()).build());
        out.onCompleted();
    }

    @Override
    public void listWebhookDeliveries(ListWebhookDeliveriesRequest req,
            StreamObserver<ListWebhookDeliveriesResponse> out) {
        int page = req.getPage() == 0 ? 1 : req.getPage();
        int limit = req.getLimit() == 0 ? DEFAULT_LIMIT : req.getLimit();
        WebhookService.DeliveryPage p = webhooks.deliveries(Caller.current(), req.getWebhookId(), page, limit);
        ListWebhookDeliveriesResponse.Builder r = ListWebhookDeliveriesResponse.newBuilder()
                .setTotal((int) Math.min(Integer.MAX_VALUE, p.total())).setPage(page).setLimit(limit);
        p.items().forEach(d -> r.addList(delivery(d)));
        out.onNext(r.build());
        out.onCompleted();
    }

    @Override
    public void replayWebhookDelivery(ReplayWebhookDeliveryRequest req,
            StreamObserver<ReplayWebhookDeliveryResponse> out) {
        WebhookService.Delivery d = webhooks.replay(Caller.current(), req.getWebhookId(), req.getEventId());
        out.onNext(ReplayWebhookDeliveryResponse.newBuilder().setDelivery(delivery(d)).build());
        out.onCompleted();
    }

    private static Webhook webhook(WebhookService.Endpoint e) {
        return Webhook.newBuilder().setWebhookId(e.id()).setUrl(e.url()).addAllEventTypes(e.eventTypes())
                .setCreatedAt(time(e.createdAt())).build();
    }

    private static WebhookDelivery delivery(WebhookService.Delivery d) {
        return WebhookDelivery.newBuilder().setEventId(d.eventId()).setEventType(d.eventType())
                .setStatus(d.status()).setAttempts(d.attempts())
                .setLastHttpStatus(d.lastHttpStatus().orElse(0))
                .setLastError(d.lastError().orElse(""))
                .setAnswerExcerpt(d.answerExcerpt().orElse(""))
                .setCreatedAt(time(d.createdAt()))
                .setLastAttemptAt(time(d.lastAttemptAt()))
                .setNextAttemptAt(time(d.nextAttemptAt()))
                .setDeliveredAt(time(d.deliveredAt()))
                .build();
    }

    private static String time(Optional<Instant> t) {
        return t.map(WebhookAdminApi::time).orElse("");
    }

    private static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
    }
}
