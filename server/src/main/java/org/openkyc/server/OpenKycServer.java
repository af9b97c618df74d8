package org.openkyc.server;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openkyc.api.travelrule.v1.VaspAdminServiceGrpc;
import org.openkyc.api.travelrule.v1.VaspExchangeServiceGrpc;
import org.openkyc.api.travelrule.v1.VerificationServiceGrpc;
import org.openkyc.server.api.KycAdminApi;
import org.openkyc.server.api.KycWebApi;
import org.openkyc.server.api.ScreeningApi;
import org.openkyc.server.api.SubmissionsApi;
import org.openkyc.server.auth.AuthInterceptor;
import org.openkyc.server.config.ServerConfig;
import org.openkyc.server.error.ErrorMapper;
import org.openkyc.server.geo.AddressCodeService;
import org.openkyc.server.geo.Countries;
import org.openkyc.server.geo.GazetteerGeocoder;
import org.openkyc.server.geo.GazetteerSource;
import org.openkyc.server.geo.Geocoder;
import org.openkyc.server.geo.NominatimGeocoder;
import org.openkyc.server.kyc.CaseService;
import org.openkyc.server.screening.AmlReportRenderer;
import org.openkyc.server.screening.IndexedSanctionsScreener;
import org.openkyc.server.screening.NameNormalizer;
import org.openkyc.server.screening.ScreeningService;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.EncryptedFileBlobStore;
import org.openkyc.server.tenant.TenantAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenKYC gRPC server: wires the database, blob store and domain services
 * with plain constructors, and serves every API family with health and
 * reflection. {@link #start(ServerConfig)} returns once it listens.
 */
public final class OpenKycServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpenKycServer.class);

    private final Database db;
    private final Server grpc;
    private final HealthStatusManager health;
    private final TenantAdmin tenants;
    private final CaseService cases;
    private final IndexedSanctionsScreener screener;
    private final ScreeningService screenings;

    private OpenKycServer(ServerConfig config, Clock clock) throws IOException {
        this.db = new Database(config);
        IndexedSanctionsScreener sanctions = null;
        try {
            AesGcm aes = new AesGcm(config.dataKey());
            EncryptedFileBlobStore blobs = new EncryptedFileBlobStore(config.blobDir(), aes);
            this.tenants = new TenantAdmin(db, clock);
            this.cases = new CaseService(db, blobs, clock);
            NameNormalizer.warmUp();
            sanctions = new IndexedSanctionsScreener(config.sanctionsDir(), config.screeningThreshold(),
                    config.screeningReviewFloor(), clock).loadAtStart();
            sanctions.watch(config.sanctionsReloadSeconds());
            this.screener = sanctions;
            this.screenings = new ScreeningService(db, sanctions, aes, new AmlReportRenderer(config.reportFonts()),
                    clock);
            this.health = new HealthStatusManager();
            AddressCodeService addressCodes = addressCodes(config);

            AuthInterceptor auth = new AuthInterceptor(tenants::authenticate);
            ErrorMapper errors = new ErrorMapper();
            ServerCredentials credentials = config.tlsCert().isPresent()
                    ? TlsServerCredentials.create(config.tlsCert().get().toFile(), config.tlsKey().get().toFile())
                    : InsecureServerCredentials.create();
            this.grpc = Grpc.newServerBuilderForPort(config.grpcPort(), credentials)
                    .maxInboundMessageSize(config.maxMessageBytes())
                    .addService(health.getHealthService())
                    .addService(ProtoReflectionServiceV1.newInstance())
                    // Interceptors run last-added first: errors wrap auth, so refusals are mapped too.
                    .addService(ServerInterceptors.intercept(new SubmissionsApi(cases, addressCodes, screenings),
                            auth, errors))
                    .addService(ServerInterceptors.intercept(new ScreeningApi(screenings), auth, errors))
                    .addService(ServerInterceptors.intercept(new KycWebApi(cases), auth, errors))
                    .addService(ServerInterceptors.intercept(new KycAdminApi(cases), auth, errors))
                    .addService(ServerInterceptors.intercept(
                            new VerificationServiceGrpc.VerificationServiceImplBase() { }, auth, errors))
                    .addService(ServerInterceptors.intercept(
                            new VaspAdminServiceGrpc.VaspAdminServiceImplBase() { }, auth, errors))
                    .addService(ServerInterceptors.intercept(
                            new VaspExchangeServiceGrpc.VaspExchangeServiceImplBase() { }, auth, errors))
                    .build()
                    .start();
        } catch (IOException | RuntimeException e) {
            if (sanctions != null) {
                sanctions.close();
            }
            db.close();
            throw e;
        }
        health.setStatus("", ServingStatus.SERVING);
        log.info("OpenKYC server listening on port {}", port());
    }

    /** The A5 service with the configured geocoder; compound codes always use the gazetteer's localities. */
    private static AddressCodeService addressCodes(ServerConfig config) {
        GazetteerSource gazetteer = GazetteerSource.load(config.gazetteerDir());
        Countries countries = new Countries();
        Geocoder geocoder = switch (config.geocoder()) {
            case GAZETTEER -> new GazetteerGeocoder(gazetteer, countries);
            case NOMINATIM -> new NominatimGeocoder(config.nominatimUrl().orElseThrow(), config.nominatimTimeout());
        };
        log.info("Address geocoder: {}", geocoder.name());
        return new AddressCodeService(geocoder, gazetteer, countries);
    }

    /** Migrates the database and starts serving. */
    public static OpenKycServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static OpenKycServer start(ServerConfig config, Clock clock) {
        try {
            return new OpenKycServer(config, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + config.grpcPort(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) grpc.getListenSockets().get(0)).getPort();
    }

    public TenantAdmin tenants() {
        return tenants;
    }

    public CaseService cases() {
        return cases;
    }

    public ScreeningService screenings() {
        return screenings;
    }

    public void awaitTermination() throws InterruptedException {
        grpc.awaitTermination();
    }

    /** Stops taking calls, lets running ones finish for a few seconds, closes the pool. */
    @Override
    public void close() {
        health.enterTerminalState();
        grpc.shutdown();
        try {
            if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
                grpc.shutdownNow();
            }
        } catch (InterruptedException e) {
            grpc.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            screener.close();
            db.close();
        }
    }
}
