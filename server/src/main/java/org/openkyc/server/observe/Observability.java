package org.openkyc.server.observe;

import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.openkyc.server.config.ManagementConfig;
import org.openkyc.server.config.TracingConfig;
import org.openkyc.server.document.DocumentReader;
import org.openkyc.server.document.ImageFetcher;
import org.openkyc.server.face.FaceEngine;
import org.openkyc.server.liveness.VideoLivenessVerifier;
import org.openkyc.server.screening.ListVersion;
import org.openkyc.server.storage.BlobStore;
import org.openkyc.server.storage.Database;
import org.openkyc.server.travelrule.CounterpartClient;
import org.openkyc.server.webhook.DeliveryObserver;

/**
 * How the server is watched, wired in one place: metrics (calls, vision stages, outcomes, the database pool,
 * sanctions lists, the JVM, webhook deliveries and other outbound calls), the logging context of each call, gRPC
 * health per service, and the management port with {@code /healthz}, {@code /readyz} and {@code /metrics}; spans
 * over OTLP when tracing is on.
 */
public final class Observability implements AutoCloseable {

    private final ManagementConfig config;
    private final Telemetry telemetry = new Telemetry();
    private final Tracing tracing;
    private final VisionTimings vision;
    private final OutboundMetrics outbound = new OutboundMetrics(telemetry.registry());
    private final List<String> services = new ArrayList<>();
    private BooleanSupplier blobStore = () -> true;
    private ManagementServer management;

    public Observability(ManagementConfig config) {
        this(config, TracingConfig.OFF);
    }

    public Observability(ManagementConfig config, TracingConfig tracing) {
        this.config = config;
        this.tracing = Tracing.start(tracing);
        this.vision = new VisionTimings(telemetry.registry(), this.tracing);
    }

    /**
     * Interceptors for every service of the server: call metrics, the logging context, then the call's span
     * when tracing is on (outermost, so everything of the call runs inside it).
     */
    public List<ServerInterceptor> interceptors() {
        List<ServerInterceptor> all = new ArrayList<>(List.of(new CallMetrics(telemetry.registry()),
                new CallContext()));
        all.addAll(tracing.interceptors());
        return List.copyOf(all);
    }

    /** The database pool's metrics ({@code hikaricp_*}) and, when tracing is on, a span per statement. */
    public void database(Database db) {
        db.recordMetrics(telemetry.registry());
        if (tracing.on()) {
            db.intercept(tracing.statements());
        }
    }

    public DocumentReader documents(DocumentReader reader) {
        return vision.documents(reader);
    }

    public FaceEngine faces(FaceEngine engine) {
        return vision.faces(engine);
    }

    public VideoLivenessVerifier liveness(VideoLivenessVerifier verifier) {
        return vision.liveness(verifier);
    }

    /** Webhook delivery attempts, by outcome and status class. */
    public DeliveryObserver webhookDeliveries() {
        return outbound.webhookDeliveries();
    }

    /** Image URL fetches, by outcome. */
    public ImageFetcher imageFetches(ImageFetcher fetcher) {
        return outbound.imageFetches(fetcher);
    }

    /** Calls to other VASPs' exchange, by call and outcome. */
    public CounterpartClient counterparts(CounterpartClient client) {
        return outbound.counterparts(client);
    }

    /**
     * The blob store as a readiness check ({@code blob_store}): its folder writable, or its bucket answering a
     * HEAD; asked at most once per database check interval.
     */
    public void blobStore(BlobStore store) {
        this.blobStore = new CachedCheck(store::reachable, config.dbCheckInterval());
    }

    public void sanctionsLists(Supplier<List<ListVersion>> versions, Clock clock) {
        ScreeningGauges.register(telemetry, versions, clock);
    }

    /**
     * gRPC health for the whole server ("") and for each served service by name, following the database:
     * NOT_SERVING for all while it cannot be reached. Starts the database checks and the management port.
     *
     * @param lists the loaded sanctions lists, when lists are configured
     */
    public void serving(List<ServerServiceDefinition> served, HealthStatusManager health, Database db,
            Optional<Supplier<List<ListVersion>>> lists) {
        for (ServerServiceDefinition s : served) {
            String name = s.getServiceDescriptor().getName();
            if (!name.equals(HealthGrpc.SERVICE_NAME) && !name.startsWith("grpc.reflection.")) {
                services.add(name);
            }
        }
        setAll(health, ServingStatus.SERVING);
        // Health follows the database: NOT_SERVING while it cannot be reached, SERVING again once it answers.
        db.monitor(config.dbCheckInterval(), up -> setAll(health, up ? ServingStatus.SERVING
                : ServingStatus.NOT_SERVING));
        if (config.port() >= 0) {
            Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
            checks.put("database", db::available);
            // Models load while the server starts (it does not start without them): loaded once it runs.
            checks.put("models", () -> true);
            checks.put("sanctions_lists", () -> lists.map(l -> !l.get().isEmpty()).orElse(true));
            checks.put("blob_store", blobStore);
            management = ManagementServer.start(config.host(), config.port(), telemetry, checks);
        }
    }

    private void setAll(HealthStatusManager health, ServingStatus status) {
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        for (String name : services) {
            health.setStatus(name, status);
        }
    }

    /** The management port, when it is on. */
    public Optional<Integer> managementPort() {
        return Optional.ofNullable(management).map(ManagementServer::port);
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    @Override
    public void close() {
        if (management != null) {
            management.close();
        }
        tracing.close();
        telemetry.close();
    }
}
