package org.openkyc.server.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.openkyc.server.common.Ids;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.WebhookMapper;
import org.openkyc.server.storage.WebhookMapper.DeliveryRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the queued webhook deliveries in the background, at least once each. Every server replica runs one;
 * they share the outbox through the database:
 * <ul>
 *   <li>a worker claims a batch of due deliveries by writing its own lease on them in one UPDATE, so two workers
 *       never send the same attempt at the same time;</li>
 *   <li>the outcome of an attempt is written only under that lease, and releases it: delivered on a 2xx, else due
 *       again after an exponential backoff, or failed when the attempts are used up;</li>
 *   <li>a worker stopped mid-send leaves its lease, which expires after the longest a batch can take; another
 *       worker (or the same one after a restart) then sends those deliveries again, with the same event id.</li>
 * </ul>
 * Logs name the endpoint and event ids and the host, never the URL's path or the body.
 */
public final class WebhookWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);
    /** Deliveries claimed at once. */
    static final int BATCH = 10;
    private static final int MAX_ERROR = 255;
    private static final int MAX_EXCERPT = 512;

    private final Database db;
    private final WebhookService endpoints;
    private final EndpointPolicy policy;
    private final WebhookSender sender;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Duration timeout;
    private final Duration lease;
    private final Duration pollInterval;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Duration retention;
    private volatile DeliveryObserver observer = DeliveryObserver.NONE;
    /** When finished deliveries past the retention are next deleted (worker thread only). */
    private Instant nextCleanup = Instant.MIN;
    private static final Duration CLEANUP_INTERVAL = Duration.ofHours(1);
    private static final int CLEANUP_BATCH = 1000;
    private ScheduledExecutorService scheduler;
    private volatile boolean stopping;
    /** The last poll failed (worker thread only). */
    private boolean failing;

    public WebhookWorker(Database db, WebhookService endpoints, EndpointPolicy policy, WebhookSender sender,
            Backoff backoff, int maxAttempts, Duration timeout, Duration pollInterval, Duration retention,
            Clock clock, DoubleSupplier random) {
        this.db = db;
        this.endpoints = endpoints;
        this.policy = policy;
        this.sender = sender;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.timeout = timeout;
        // Long enough for a whole batch of attempts that each run into the timeout.
        this.lease = timeout.multipliedBy(BATCH + 1).plusSeconds(5);
        this.pollInterval = pollInterval;
        this.clock = clock;
        this.random = random;
        this.retention = retention;
    }

    /** A worker with the JDK's random numbers for jitter. */
    public WebhookWorker(Database db, WebhookService endpoints, EndpointPolicy policy, WebhookSender sender,
            Backoff backoff, int maxAttempts, Duration timeout, Duration pollInterval, Duration retention,
            Clock clock) {
        this(db, endpoints, policy, sender, backoff, maxAttempts, timeout, pollInterval, retention, clock,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Tells the observer of every attempt from now on (the product's metrics). */
    public WebhookWorker observedBy(DeliveryObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer);
        return this;
    }

    /** How long a claim holds: after it, a delivery a stopped worker claimed is sent by another. */
    public Duration lease() {
        return lease;
    }

    /** Starts polling for due deliveries every poll interval. */
    public synchronized WebhookWorker start() {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "openkyc-webhooks");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                while (runOnce() == BATCH && !stopping) {
                    // a full batch: more may be due at once
                }
                cleanUp();
                failing = false;
            } catch (RuntimeException e) {
                // The next poll tries again (an exception would end the schedule silently); one warning per outage.
                if (!failing) {
                    log.warn("Webhook worker cannot reach its deliveries, retrying: {}", e.getClass().getName());
                }
                failing = true;
            }
        }, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Claims the due deliveries (one batch), sends them and records each outcome; the number claimed. */
    public int runOnce() {
        String owner = "w_" + Ids.random(24);
        List<DeliveryRow> rows = claim(owner);
        for (int i = 0; i < rows.size(); i++) {
            if (stopping || Thread.currentThread().isInterrupted()) {
                release(owner, rows.subList(i, rows.size()));
                break;
            }
            attempt(owner, rows.get(i));
        }
        return rows.size();
    }

    /** At most once an interval, deletes delivered and failed deliveries older than the retention. */
    private void cleanUp() {
        Instant now = clock.instant();
        if (now.isBefore(nextCleanup)) {
            return;
        }
        nextCleanup = now.plus(CLEANUP_INTERVAL);
        int deleted = db.inTransaction(s -> s.getMapper(WebhookMapper.class)
                .deleteFinished(WebhookService.utc(now.minus(retention)), CLEANUP_BATCH));
        if (deleted > 0) {
            log.info("webhook deliveries past the retention deleted: {}", deleted);
        }
        if (deleted == CLEANUP_BATCH) {
            nextCleanup = now; // more to delete: again at the next poll
        }
    }

    /** Writes this worker's lease on up to a batch of due deliveries and reads them back. */
    List<DeliveryRow> claim(String owner) {
        Instant now = clock.instant();
        // One UPDATE on its own (autocommit) is atomic: an idle poll costs the database one statement, not a
        // transaction of three. The claimed rows are read only when there are some.
        return db.read(s -> {
            WebhookMapper m = s.getMapper(WebhookMapper.class);
            if (m.claim(owner, WebhookService.utc(now), WebhookService.utc(now.plus(lease)), BATCH) == 0) {
                return List.of();
            }
            return m.claimed(owner);
        });
    }

    private void attempt(String owner, DeliveryRow d) {
        URI url = URI.create(d.url);
        Integer status = null;
        String error = null;
        String excerpt = null;
        boolean delivered = false;
        long took = 0;
        var refusal = policy.refusal(url);
        if (refusal.isPresent()) {
            error = refusal.get();
        } else {
            byte[] body = d.body.getBytes(StandardCharsets.UTF_8);
            long ts = clock.instant().getEpochSecond();
            String secret = endpoints.secret(d.tenantId, d.endpointPublicId, d.secretEnc);
            Map<String, String> headers = Map.of(
                    WebhookSignature.SIGNATURE_HEADER, WebhookSignature.header(secret, ts, body),
                    WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts),
                    WebhookSignature.EVENT_ID_HEADER, d.eventId,
                    WebhookSignature.EVENT_TYPE_HEADER, d.eventType);
            long start = System.nanoTime();
            try {
                WebhookSender.Answer a = sender.post(url, headers, body, timeout);
                status = a.status();
                excerpt = cut(a.excerpt(), MAX_EXCERPT);
                delivered = a.delivered();
                if (!delivered) {
                    error = a.status() >= 300 && a.status() < 400 ? "redirects are not followed"
                            : "answered HTTP " + a.status();
                }
            } catch (HttpTimeoutException e) {
                error = "no answer within " + timeout.toMillis() + " ms";
            } catch (IOException | RuntimeException e) {
                error = describe(e);
            } finally {
                took = System.nanoTime() - start;
            }
        }
        Instant now = clock.instant();
        int round = d.roundAttempts + 1;
        String next;
        Instant nextAt;
        if (delivered) {
            next = "DELIVERED";
            nextAt = now;
        } else if (round >= maxAttempts) {
            next = "FAILED";
            nextAt = now;
        } else {
            next = "PENDING";
            nextAt = now.plus(backoff.after(round, random.getAsDouble()));
        }
        String err = error == null ? null : cut(error, MAX_ERROR);
        String ex = excerpt == null || excerpt.isEmpty() ? null : excerpt;
        Integer httpStatus = status;
        int written = db.inTransaction(s -> s.getMapper(WebhookMapper.class).finish(d.id, owner, next,
                WebhookService.utc(nextAt), httpStatus, err, ex, WebhookService.utc(now),
                "DELIVERED".equals(next) ? WebhookService.utc(now) : null));
        observe(next, status, took);
        if (written == 0) {
            log.info("webhook attempt outcome dropped: the claim expired endpoint={} event={}",
                    d.endpointPublicId, d.eventId);
        } else if (delivered) {
            log.info("webhook delivered endpoint={} event={} host={} status={} attempts={}", d.endpointPublicId,
                    d.eventId, url.getHost(), status, d.attempts + 1);
        } else {
            log.info("webhook attempt failed endpoint={} event={} host={} outcome={} next={}", d.endpointPublicId,
                    d.eventId, url.getHost(), err, next);
        }
    }

    private void observe(String next, Integer status, long took) {
        DeliveryObserver.Outcome outcome = switch (next) {
            case "DELIVERED" -> DeliveryObserver.Outcome.DELIVERED;
            case "FAILED" -> DeliveryObserver.Outcome.FAILED;
            default -> DeliveryObserver.Outcome.RETRY;
        };
        try {
            observer.attempted(outcome, status == null ? 0 : status, took);
        } catch (RuntimeException e) {
            // metrics never stop deliveries
        }
    }

    private void release(String owner, List<DeliveryRow> rows) {
        try {
            db.inTransaction(s -> {
                WebhookMapper m = s.getMapper(WebhookMapper.class);
                rows.forEach(r -> m.release(r.id, owner));
                return null;
            });
        } catch (RuntimeException e) {
            // the leases expire by themselves
        }
    }

    /** A short reason without the URL (which may hold a token): the kind of failure and its message. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String kind = root instanceof java.net.ConnectException ? "connection refused"
                : root instanceof javax.net.ssl.SSLException ? "TLS failed"
                : root instanceof java.nio.channels.UnresolvedAddressException
                        || root instanceof java.net.UnknownHostException ? "host not found"
                : root.getClass().getSimpleName();
        return kind;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** Stops polling; an attempt under way may finish within the timeout, unsent claims expire or are released. */
    @Override
    public synchronized void close() {
        if (scheduler == null) {
            return;
        }
        stopping = true;
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
        scheduler = null;
    }
}
