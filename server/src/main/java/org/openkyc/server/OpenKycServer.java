package org.openkyc.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openkyc.server.api.KycAdminApi;
import org.openkyc.server.api.CallbackHeaders;
import org.openkyc.server.api.KycWebApi;
import org.openkyc.server.api.ScreeningApi;
import org.openkyc.server.api.SubmissionsApi;
import org.openkyc.server.api.VaspAdminApi;
import org.openkyc.server.api.VaspExchangeApi;
import org.openkyc.server.api.VaspExchangeClient;
import org.openkyc.server.api.VaspPeerAuth;
import org.openkyc.server.api.VerificationsApi;
import org.openkyc.server.api.WebhookAdminApi;
import org.openkyc.server.webhook.Webhooks;
import org.openkyc.server.api.CallExecutors;
import org.openkyc.server.api.HeavyCallLimiter;
import org.openkyc.server.api.IdempotencyInterceptor;
import org.openkyc.server.idempotency.DatabaseIdempotencyKeys;
import org.openkyc.server.auth.AuthInterceptor;
import org.openkyc.server.auth.RateLimiter;
import org.openkyc.server.config.ServerConfig;
import org.openkyc.server.error.ErrorMapper;
import org.openkyc.server.geo.AddressCodeService;
import org.openkyc.server.geo.Countries;
import org.openkyc.server.geo.GazetteerGeocoder;
import org.openkyc.server.geo.GazetteerSource;
import org.openkyc.server.geo.Geocoder;
import org.openkyc.server.geo.NominatimGeocoder;
import org.openkyc.server.face.OpenCvFaceEngine;
import org.openkyc.server.kyc.CaseService;
import org.openkyc.server.kyc.DatabaseIdentityRegistry;
import org.openkyc.server.kyc.DecisionRules;
import org.openkyc.server.kyc.Step2Service;
import org.openkyc.server.kyc.DocumentService;
import org.openkyc.server.document.HttpsImageFetcher;
import org.openkyc.server.document.ImageFetcher;
import org.openkyc.server.document.ImageReferences;
import org.openkyc.server.liveness.FaceVideoLivenessVerifier;
import org.openkyc.server.liveness.CallbackSignature;
import org.openkyc.server.liveness.LivenessCallbacks;
import org.openkyc.server.liveness.LivenessSessions;
import org.openkyc.server.liveness.LivenessVerification;
import org.openkyc.server.screening.AmlReportRenderer;
import org.openkyc.server.screening.IndexedSanctionsScreener;
import org.openkyc.server.screening.NameNormalizer;
import org.openkyc.server.screening.ScreeningService;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.document.ImageIntake;
import org.openkyc.server.document.OpenCvDocumentReader;
import org.openkyc.server.kyc.SubmissionService;
import org.openkyc.server.observe.Observability;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.BlobStore;
import org.openkyc.server.storage.BlobStores;
import org.openkyc.server.tenant.TenantAdmin;
import org.openkyc.server.travelrule.CaseServiceKyc;
import org.openkyc.server.travelrule.CounterpartClient;
import org.openkyc.server.travelrule.SanctionsPartyScreening;
import org.openkyc.server.travelrule.TravelRuleService;
import org.openkyc.server.travelrule.VaspRegistry;
import org.openkyc.server.travelrule.VerificationAnswer;
import org.openkyc.server.travelrule.VerificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenKYC gRPC server: wires the database, blob store and domain services
 * with plain constructors, and serves every API family with health and
 * reflection. {@link #start(ServerConfig)} returns once it listens.
 */
public final class OpenKycServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpenKycServer.class);
    /** Connect and total time allowed for fetching one image URL of /document, redirects included. */
    private static final java.time.Duration IMAGE_FETCH_TIMEOUT = java.time.Duration.ofSeconds(5);

    private final Database db;
    private final BlobStore blobStore;
    private final Server grpc;
    /**
     * The same services, interceptors included, reachable without a socket from this JVM (the local product's
     * gateway): no TLS, HTTP/2 framing or message copy on that hop.
     */
    private final Server inProcess;
    private final String inProcessName = InProcessServerBuilder.generateName();
    private final HealthStatusManager health;
    private final TenantAdmin tenants;
    private final CaseService cases;
    private final LivenessSessions liveness;
    private final IndexedSanctionsScreener screener;
    private final ScreeningService screenings;
    private final Server vaspServer;
    private final VaspExchangeClient vaspClient;
    private final TravelRuleService travelRule;
    private final OpenCvDocumentReader documentReader;
    private final OpenCvFaceEngine faceEngine;
    private final FaceVideoLivenessVerifier videoLiveness;
    private final DecisionRules decisions;
    private final DatabaseIdentityRegistry identityRegistry;
    private final Observability observe;
    private final Webhooks webhooks;
    /** The threads calls run on, shared by the network and the in-process server. */
    private final CallExecutors callExecutors;

    private OpenKycServer(ServerConfig config, Clock clock) throws IOException {
        this.db = new Database(config);
        this.observe = new Observability(config.management(), config.tracing());
        observe.database(db);
        this.callExecutors = new CallExecutors(config.readThreads());
        IndexedSanctionsScreener sanctions = null;
        Server main = null;
        Server localServer = null;
        VaspExchangeClient client = null;
        OpenCvDocumentReader documents = null;
        OpenCvFaceEngine faces = null;
        FaceVideoLivenessVerifier videos = null;
        Webhooks webhookParts = null;
        try {
            AesGcm aes = new AesGcm(config.dataKey(), config.previousDataKeys());
            // Webhooks: the admin service, and the worker sending the outbox in the background.
            webhookParts = Webhooks.start(db, aes, config.webhooks(), clock, observe.webhookDeliveries());
            this.webhooks = webhookParts;
            BlobStore stored = BlobStores.open(config.objectStorage(), config.blobDir(), aes);
            this.blobStore = stored;
            observe.blobStore(stored);
            // Crypto-shredding: each blob under a key of its own, which its case's key seals.
            BlobStore blobs = new org.openkyc.server.storage.CaseSealedBlobs(stored);
            this.tenants = new TenantAdmin(db, clock);
            this.cases = new CaseService(db, blobs, clock, new org.openkyc.server.kyc.QueueCounts(
                    config.queue().countCacheTtl(), config.queue().countCacheMin(), config.queue().countCacheEntries()));
            documents = new OpenCvDocumentReader(config.vision(), clock);
            this.documentReader = documents;
            // One set of face models serves selfies, portraits and challenge videos.
            faces = new OpenCvFaceEngine(config.vision());
            this.faceEngine = faces;
            videos = new FaceVideoLivenessVerifier(config.vision(), faces.analyzer());
            this.videoLiveness = videos;
            this.decisions = new DecisionRules(config.decision());
            this.identityRegistry = new DatabaseIdentityRegistry(db, config.dataKey(), config.previousDataKeys(),
                    clock);
            NameNormalizer.warmUp();
            sanctions = new IndexedSanctionsScreener(config.sanctionsDir(), config.screeningThreshold(),
                    config.screeningReviewFloor(), config.screeningReviewMinWeight(),
                    config.screeningReviewMinListedShare(), clock).loadAtStart();
            sanctions.watch(config.sanctionsReloadSeconds());
            this.screener = sanctions;
            this.screenings = new ScreeningService(db, sanctions, aes, new AmlReportRenderer(config.reportFonts()),
                    clock);
            this.health = new HealthStatusManager();
            AddressCodeService addressCodes = addressCodes(config);

            // Travel rule: the exchange acts for one configured tenant. BLACKLISTED is answered by the
            // sanctions screener when lists are configured, and skipped (logged) otherwise.
            CaseServiceKyc customerKyc = new CaseServiceKyc(cases);
            VaspRegistry registry = new VaspRegistry(db, customerKyc, clock);
            Optional<ServerConfig.TravelRule> tr = config.travelRule();
            Optional<TravelRuleService.Settings> trSettings = tr.map(t -> new TravelRuleService.Settings(
                    t.vaspId(), t.ivms101Json().strip(), tenants.ensureTenant(t.tenant())));
            client = tr.map(t -> new VaspExchangeClient(t.tlsCert(), t.tlsKey(), t.timeoutMillis())).orElse(null);
            this.vaspClient = client;
            this.travelRule = new TravelRuleService(db, aes, registry, customerKyc,
                    config.sanctionsDir().map(d -> new SanctionsPartyScreening(screener)),
                    client != null ? observe.counterparts(client) : NO_EXCHANGE, config.thresholds(), trSettings, clock);

            this.liveness = new LivenessSessions(db, clock, config.livenessMaxPerDay());
            LivenessCallbacks livenessResults = new LivenessCallbacks(db,
                    config.livenessCallbackSecret().map(CallbackSignature::new), clock);
            // Image URLs of /document are fetched only from the configured hosts; none configured, none fetched.
            ImageFetcher fetcher = config.documentUrlHosts().isEmpty() ? ImageFetcher.NONE
                    : observe.imageFetches(new HttpsImageFetcher(config.documentUrlHosts(), null, IMAGE_FETCH_TIMEOUT,
                            config.vision().maxImageBytes()));
            DocumentService documentService = new DocumentService(db, blobs, aes, observe.documents(documents),
                    new ImageReferences(fetcher, config.vision().maxImageBytes()), screenings, livenessResults,
                    decisions, clock);
            AuthInterceptor auth = new AuthInterceptor(tenants::authenticate,
                    new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst()),
                    config.unknownKeysMax(), config.unknownKeyTtl(), config.apiKeyCacheSize(), config.apiKeyCacheTtl());
            // A key revoked through this server is refused here at once; other replicas follow within the TTL.
            tenants.onRevocation(auth::forgetKnownKeys);
            ErrorMapper errors = new ErrorMapper();
            // POST-bound calls with an Idempotency-Key are answered once per tenant and key (after auth).
            IdempotencyInterceptor idempotency = new IdempotencyInterceptor(new DatabaseIdempotencyKeys(db, aes, clock,
                    config.idempotencyTtl(), config.idempotencyAbandon()), config.idempotencyWait());
            // Heavy calls (image and video analysis) take a turn after authentication.
            HeavyCallLimiter heavy = new HeavyCallLimiter(config.vision());
            ServerCredentials credentials = config.tlsCert().isPresent()
                    ? TlsServerCredentials.create(config.tlsCert().get().toFile(), config.tlsKey().get().toFile())
                    : InsecureServerCredentials.create();
            // Bound to the configured address only (OPENKYC_GRPC_HOST), not to every interface.
            NettyServerBuilder builder = NettyServerBuilder.forAddress(
                    new InetSocketAddress(config.grpcHost(), config.grpcPort()), credentials);
            if (config.grpcReflection()) {
                // Reflection lists every service, admin ones included: only for callers with a valid key.
                builder.addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), auth, errors));
            }
            observe.interceptors().forEach(builder::intercept);
            main = builder
                    .executor(callExecutors.lookup())
                    .callExecutor(callExecutors)
                    .maxInboundMessageSize(config.maxMessageBytes())
                    .addService(health.getHealthService())
                    // Interceptors run last-added first: errors wrap auth, so refusals are mapped too.
                    .addService(ServerInterceptors.intercept(new SubmissionsApi(cases, addressCodes, screenings,
                            new SubmissionService(db, blobs, aes, observe.documents(documents), new ImageIntake(config.vision()), clock),
                            new Step2Service(db, blobs, aes, observe.faces(faceEngine), new ImageIntake(config.vision()),
                                    identityRegistry, screenings,
                                    decisions, cases, clock)),
                            heavy, idempotency, auth, errors))
                    .addService(ServerInterceptors.intercept(new ScreeningApi(screenings), auth, errors))
                    .addService(ServerInterceptors.intercept(new KycWebApi(cases, liveness, livenessResults,
                            documentService, new LivenessVerification(db, cases, liveness, observe.faces(faces),
                                    observe.liveness(videos),
                                    config.vision().maxVideoBytes(), config.vision().faceMatchThreshold(), clock)),
                            heavy, new CallbackHeaders(), idempotency, auth, errors))
                    .addService(ServerInterceptors.intercept(new KycAdminApi(cases, documentService, livenessResults),
                            idempotency, auth, errors))
                    .addService(ServerInterceptors.intercept(new VerificationsApi(travelRule), auth, errors))
                    .addService(ServerInterceptors.intercept(new VaspAdminApi(registry), auth, errors))
                    // Webhooks
                    .addService(ServerInterceptors.intercept(new WebhookAdminApi(webhooks.service()),
                            idempotency, auth, errors))
                    .build()
                    .start();
            this.grpc = main;
            InProcessServerBuilder local = InProcessServerBuilder.forName(inProcessName);
            local.executor(callExecutors.lookup()).callExecutor(callExecutors);
            observe.interceptors().forEach(local::intercept);
            main.getServices().forEach(local::addService);
            localServer = local.build().start();
            this.inProcess = localServer;
            this.vaspServer = tr.isPresent() ? startVaspServer(tr.get(), registry, trSettings.get().tenantId(),
                    errors) : null;
        } catch (IOException | RuntimeException e) {
            if (sanctions != null) {
                sanctions.close();
            }
            if (webhookParts != null) {
                webhookParts.close();
            }
            if (main != null) {
                main.shutdownNow();
            }
            if (localServer != null) {
                localServer.shutdownNow();
            }
            if (client != null) {
                client.close();
            }
            if (documents != null) {
                documents.close();
            }
            if (videos != null) {
                videos.close();
            }
            if (faces != null) {
                faces.close();
            }
            callExecutors.close();
            observe.close();
            db.close();
            throw e;
        }
        observe.sanctionsLists(screener::versions, clock);
        try {
            observe.serving(grpc.getServices(), health, db, config.sanctionsDir()
                    .<java.util.function.Supplier<java.util.List<org.openkyc.server.screening.ListVersion>>>map(
                            d -> screener::versions));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("OpenKYC server listening on {}:{}", config.grpcHost(), port());
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

    /** Without OPENKYC_VASP_ID there is no counterpart to call. */
    private static final CounterpartClient NO_EXCHANGE = new CounterpartClient() {
        @Override
        public VerificationAnswer requestVerification(VaspRegistry.CounterpartVasp to, VerificationRequest r)
                throws CounterpartException {
            throw new CounterpartException(CounterpartException.Kind.UNREACHABLE, "exchange not configured", null);
        }

        @Override
        public void reportTransaction(VaspRegistry.CounterpartVasp to, String uuid, String txHash,
                Optional<String> vout) throws CounterpartException {
            throw new CounterpartException(CounterpartException.Kind.UNREACHABLE, "exchange not configured", null);
        }
    };

    /**
     * The exchange port: mutual TLS, where only client certificates of
     * registered counterpart VASPs complete the handshake; no API key.
     */
    private Server startVaspServer(ServerConfig.TravelRule t, VaspRegistry registry, long tenantId,
            ErrorMapper errors) throws IOException {
        VaspPeerAuth peers = new VaspPeerAuth(registry, tenantId);
        ServerCredentials creds = TlsServerCredentials.newBuilder()
                .keyManager(t.tlsCert().toFile(), t.tlsKey().toFile())
                .trustManager(peers.trustManager())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                .build();
        Server s = NettyServerBuilder.forAddress(new InetSocketAddress(t.host(), t.port()), creds)
                .addService(ServerInterceptors.intercept(new VaspExchangeApi(travelRule), peers, errors))
                .build()
                .start();
        log.info("OpenKYC travel-rule exchange (mutual TLS) listening on port {}",
                ((InetSocketAddress) s.getListenSockets().get(0)).getPort());
        return s;
    }

    /** Migrates the database and starts serving, on the {@link #systemClock}. */
    public static OpenKycServer start(ServerConfig config) {
        return start(config, systemClock());
    }

    /**
     * The clock of the server and its admin commands: UTC in whole milliseconds, the precision of every time
     * column, so a time in an answer is the time a later read of the same record shows.
     */
    public static Clock systemClock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
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

    /** The address the gRPC port is bound to. */
    public InetSocketAddress address() {
        return (InetSocketAddress) grpc.getListenSockets().get(0);
    }

    public TenantAdmin tenants() {
        return tenants;
    }

    public CaseService cases() {
        return cases;
    }

    /** The database (tests drive domain services over it with their own clock). */
    public Database database() {
        return db;
    }

    /** The identity registry step 2 checks (operators load it with the admin command line). */
    public DatabaseIdentityRegistry identityRegistry() {
        return identityRegistry;
    }

    public LivenessSessions livenessSessions() {
        return liveness;
    }

    public ScreeningService screenings() {
        return screenings;
    }

    public TravelRuleService travelRule() {
        return travelRule;
    }

    /** The webhook endpoints and the worker sending their deliveries. */
    public Webhooks webhooks() {
        return webhooks;
    }

    /** The port of the travel-rule exchange (mutual TLS), when configured. */
    public Optional<Integer> vaspPort() {
        return Optional.ofNullable(vaspServer)
                .map(s -> ((InetSocketAddress) s.getListenSockets().get(0)).getPort());
    }

    /** The management port (health, readiness, metrics), when it is on. */
    public Optional<Integer> managementPort() {
        return observe.managementPort();
    }

    /**
     * The name of this server's in-process endpoint (same services and interceptors as {@link #port()}), for a
     * gateway in the same JVM.
     */
    public String inProcessName() {
        return inProcessName;
    }

    public void awaitTermination() throws InterruptedException {
        grpc.awaitTermination();
    }

    /** Stops taking calls, lets running ones finish for a few seconds, closes the pool. */
    @Override
    public void close() {
        health.enterTerminalState();
        grpc.shutdown();
        inProcess.shutdown();
        webhooks.close();
        if (vaspServer != null) {
            vaspServer.shutdownNow();
        }
        if (vaspClient != null) {
            vaspClient.close();
        }
        try {
            if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
                grpc.shutdownNow();
            }
            if (!inProcess.awaitTermination(1, TimeUnit.SECONDS)) {
                inProcess.shutdownNow();
            }
        } catch (InterruptedException e) {
            grpc.shutdownNow();
            inProcess.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            screener.close();
            documentReader.close();
            videoLiveness.close();
            faceEngine.close();
            BlobStores.close(blobStore);
            callExecutors.close();
            observe.close();
            db.close();
        }
    }
}
