package org.openkyc.gateway;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.UploadDocumentRequest;
import org.openkyc.api.kyc.v1.VerifyLivenessRequest;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.submissions.v2.SubmitStep1Request;
import org.openkyc.api.submissions.v2.SubmitStep2Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingQueryParamMatchRule;

import com.google.protobuf.Message;

import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;

/**
 * The OpenKYC gateway: serves the REST/JSON API, gRPC and gRPC-Web over HTTPS only and forwards every
 * call over gRPC to the upstream server replicas (client-side round robin).
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.start(GatewayConfig.builder()
 *         .port(0).upstreams("127.0.0.1:9090").devCertDir(dir).build())) {
 *     URI base = URI.create("https://localhost:" + gateway.httpsPort());
 *     // trust gateway.certificateFile() ...
 * }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(Gateway.class);

    /** Path of the key-less upstream health check. */
    public static final String HEALTH_PATH = "/internal/health";
    /** Path of the multipart step 1 of a submission (docs/API.md A3). */
    static final String STEP1_PATH = "/v2/submission/step1";
    /** Path of the multipart step 2 of a submission (docs/API.md A4). */
    static final String STEP2_PATH = "/v2/submission/step2";
    /** Path of the multipart document upload of the KYC web API (docs/API.md C1). */
    static final String DOCUMENT_UPLOAD_PATH = "/api/web/kycService/document/upload";
    /** Path of the multipart liveness verify with three challenge videos (docs/API.md C2). */
    static final String VERIFY_LIVENESS_PATH = "/api/web/kycService/liveness/verify";
    /** Time an upload route allows for the body to arrive, on top of the upstream deadline. */
    static final Duration UPLOAD_TIME = Duration.ofMinutes(2);
    /** Path of the API documentation. */
    public static final String DOCS_PATH = "/docs";

    private final Server server;
    private final ManagedChannel upstream;
    private final UpstreamHealthChecker health;
    private final Path certificateFile;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Management management;

    private Gateway(Server server, ManagedChannel upstream, UpstreamHealthChecker health, Path certificateFile,
                    Management management) {
        this.server = server;
        this.management = management;
        this.upstream = upstream;
        this.health = health;
        this.certificateFile = certificateFile;
    }

    /**
     * Starts a gateway and returns once its HTTPS port is bound.
     *
     * @throws IllegalArgumentException when the certificate or key cannot be used (names the variables)
     * @throws IllegalStateException when the server cannot start (port in use ...)
     */
    public static Gateway start(GatewayConfig config) {
        final Path certFile;
        final Path keyFile;
        if (config.tlsCert().isPresent()) {
            certFile = config.tlsCert().get();
            keyFile = config.tlsKey().orElseThrow();
        } else {
            final DevCertificate dev = DevCertificate.loadOrCreate(config.devCertDir());
            certFile = dev.certificateFile();
            keyFile = dev.privateKeyFile();
        }

        final List<ServiceDescriptor> services = ApiServices.httpFacing();
        final UpstreamHealthChecker health = UpstreamHealthChecker.of(config);
        health.start();
        final ManagedChannel channel = UpstreamChannel.create(config, services, health);
        Server server = null;
        final Management management = new Management(config);
        try {
            server = buildServer(config, channel, services, certFile, keyFile, management);
            server.start().join();
            management.start(channel);
            final Gateway gateway = new Gateway(server, channel, health, certFile, management);
            final String upstream = config.inProcessUpstream().isPresent() ? "in this process"
                    : config.upstreams() + ", " + (config.upstreamCa().isPresent() ? "TLS" : "plaintext");
            logger.info("OpenKYC gateway listening on https://{}:{}/ (upstreams {})",
                        displayHost(config.host()), gateway.httpsPort(), upstream);
            return gateway;
        } catch (RuntimeException e) {
            if (server != null) {
                server.closeAsync();
            }
            management.close();
            shutdownChannel(channel);
            health.close();
            final Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) cause;
            }
            throw new IllegalStateException("Cannot start the gateway on " + config.host() + ':' + config.port()
                                            + ": " + cause.getMessage(), cause);
        }
    }

    private static Server buildServer(GatewayConfig config, ManagedChannel channel,
                                      List<ServiceDescriptor> services, Path certFile, Path keyFile,
                                      Management management) {
        final GatewayErrorHandler errorHandler = new GatewayErrorHandler(config.maxBodyBytes());
        final UpstreamForwarder forwarder = new UpstreamForwarder(channel, config.upstreamTimeout(),
                                                                  config.upstreamRetryAfterSeconds());
        final AuthThrottle throttle = AuthThrottle.of(config);
        final JsonLimits jsonLimits = JsonLimits.of(config);
        // REST calls meet the REST rules; gRPC and gRPC-Web calls the same rules answered as gRPC statuses.
        final GrpcEdge edge = GrpcEdge.of(new ApiDecorator(throttle, jsonLimits, config.maxJsonBytes()),
                                          throttle, jsonLimits, config, services);

        final GrpcServiceBuilder grpc = GrpcService.builder()
                // gRPC (binary and JSON, the JSON one being what transcoding speaks), gRPC-Web and gRPC-Web-text.
                .supportedSerializationFormats(GrpcSerializationFormats.PROTO, GrpcSerializationFormats.JSON,
                                               GrpcSerializationFormats.PROTO_WEB,
                                               GrpcSerializationFormats.PROTO_WEB_TEXT)
                .intercept(edge.outcomes())
                .exceptionHandler(GrpcEdge.exceptions())
                .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                        .queryParamMatchRules(HttpJsonTranscodingQueryParamMatchRule.ORIGINAL_FIELD,
                                              HttpJsonTranscodingQueryParamMatchRule.LOWER_CAMEL_CASE,
                                              HttpJsonTranscodingQueryParamMatchRule.JSON_NAME)
                        .errorHandler(errorHandler)
                        .build())
                .jsonMarshallerFactory(serviceDescriptor -> ProtoJsonMarshaller.INSTANCE)
                .maxRequestMessageLength((int) Math.min(Integer.MAX_VALUE, Math.max(config.maxBodyBytes() * 2,
                                                                                     edge.largestLimit())))
                .maxResponseMessageLength(UpstreamChannel.maxResponseBytes(config))
                .useClientTimeoutHeader(false);
        for (ServiceDescriptor service : services) {
            grpc.addService(forwarder.forward(service));
        }
        final GrpcService grpcService = grpc.build();

        final ServerBuilder sb = Server.builder();
        if (isWildcard(config.host())) {
            sb.https(config.port());
        } else {
            sb.https(new InetSocketAddress(config.host(), config.port()));
        }
        try {
            sb.tls(certFile.toFile(), keyFile.toFile());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    GatewayConfig.ENV_TLS_CERT + '/' + GatewayConfig.ENV_TLS_KEY + ": cannot use the certificate "
                    + certFile + " with the key " + keyFile + ": " + e.getMessage(), e);
        }
        // Plain routes keep the body limit they are registered with.
        final ApiDecorator plainRoutes = new ApiDecorator(throttle, jsonLimits, 0);
        sb.maxRequestLength(config.maxBodyBytes())
          // The upstream deadline decides; the HTTP request may take a little longer to arrive.
          .requestTimeout(config.upstreamTimeout().plus(Duration.ofSeconds(10)))
          .errorHandler(errorHandler)
          .unloggedExceptionsReportInterval(Duration.ZERO)
          .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(5))
          // No "Server: Armeria/<version>": the version helps nobody but an attacker.
          .disableServerHeader()
          // The header and URL limits are the edge decorator's, which knows the path and so answers in the
          // family's shape. The HTTP codec's own limits sit well above them: only what no client sends by
          // mistake meets those, answered before any path is known (a generic JSON error).
          .http1MaxHeaderSize(EdgeDecorator.protocolLimit(config.maxHeaderBytes()))
          .http2MaxHeaderListSize(EdgeDecorator.protocolLimit(config.maxHeaderBytes()))
          .http1MaxInitialLineLength(EdgeDecorator.protocolLimit(config.maxUrlBytes()))
          // An answer sent just before closing (431 for a header block over the limit) reaches the client
          // instead of being lost to a connection reset.
          .childChannelPipelineCustomizer(pipeline -> pipeline.addFirst("openkyc-lingering-close",
                                                                        new LingeringClose()))
          .decorator(new EdgeDecorator(config.maxHeaderBytes(), config.maxUrlBytes(), config.accessLog(),
                                       config.accessLogSample()))
          // The signed liveness callback and the form-encoded A5 route. Registered before the transcoded
          // routes of the same paths: Armeria keeps the first binding of a path and logs the second as a
          // duplicate (RejectedRouteHandler.WARN).
          .route().post(CallbackRoute.PATH).maxRequestLength(config.maxCallbackBytes()).decorator(plainRoutes)
                  .build(new CallbackRoute(forwarder))
          .route().post(AddressCodeRoute.PATH).maxRequestLength(config.maxJsonBytes()).decorator(plainRoutes)
                  .build(new AddressCodeRoute(forwarder));
        // Multipart uploads, each with its own body limit; the same rule of first binding applies.
        final Uploads uploads = new Uploads(sb, forwarder, config.upstreamTimeout().plus(UPLOAD_TIME), plainRoutes);
        uploads.route(STEP1_PATH, SubmissionServiceGrpc.getSubmitStep1Method(),
                      SubmitStep1Request.getDefaultInstance(), "ip_address", config.maxUploadBytes());
        uploads.route(STEP2_PATH, SubmissionServiceGrpc.getSubmitStep2Method(),
                      SubmitStep2Request.getDefaultInstance(), null, config.maxUploadBytes());
        uploads.route(DOCUMENT_UPLOAD_PATH, KycServiceGrpc.getUploadDocumentMethod(),
                      UploadDocumentRequest.getDefaultInstance(), null, config.maxUploadBytes());
        uploads.route(VERIFY_LIVENESS_PATH, KycServiceGrpc.getVerifyLivenessMethod(),
                      VerifyLivenessRequest.getDefaultInstance(), null, config.maxVideoUploadBytes());
        // gRPC methods whose messages may be larger than the general body limit (uploads) get their own limit and
        // the uploads' time, on their method path only; the same rule of first binding applies.
        // Bound with the gRPC service's own route of the path, which its documentation looks methods up by.
        final Map<String, Long> largeMethods = edge.pathsOver(config.maxBodyBytes());
        for (Route route : grpcService.routes()) {
            final Long limit = largeMethods.get(route.patternString());
            if (limit != null) {
                sb.route().addRoute(route).maxRequestLength(limit)
                  .requestTimeout(config.upstreamTimeout().plus(UPLOAD_TIME))
                  .decorator(edge).build(grpcService);
            }
        }
        // The reviewer console: its page, assets and session API under /console.
        Console.register(sb, config, channel, throttle);
        sb.service(grpcService, delegate -> delegate.decorate(edge))
          .service(HEALTH_PATH, new UpstreamHealthService(channel, config.upstreamTimeout()))
          .serviceUnder(DOCS_PATH, ApiDocs.service())
          .route().get(OpenApiDocument.PATH).build(new OpenApiService());
        management.measure(sb);
        management.trace(sb);
        return sb.build();
    }

    /**
     * Registers the {@code multipart/form-data} upload routes: each forwards to a unary gRPC method (see
     * {@link MultipartRoute}) with its own body limit, so a request whose {@code Content-Length} is over it,
     * or whose body grows past it, gets the family's 413 error before the body is read in full; and each
     * gives a slow client {@link #UPLOAD_TIME} more than the upstream deadline to send the body. Register
     * before the transcoded services: Armeria keeps the first binding of a path.
     */
    record Uploads(ServerBuilder sb, UpstreamForwarder forwarder, Duration requestTimeout, ApiDecorator decorator) {

        /**
         * @param clientAddressField proto name of a string field the gateway fills with the caller's address,
         *                           or null
         * @param maxBodyBytes       the route's body limit
         */
        <ReqT extends Message, RespT extends Message> void route(String path, MethodDescriptor<ReqT, RespT> method,
                                                                 ReqT prototype, String clientAddressField,
                                                                 long maxBodyBytes) {
            sb.route().post(path).maxRequestLength(maxBodyBytes).requestTimeout(requestTimeout)
              .decorator(decorator)
              .build(new MultipartRoute<>(forwarder, method, prototype, clientAddressField));
        }
    }

    private static boolean isWildcard(String host) {
        return "0.0.0.0".equals(host) || "::".equals(host) || "*".equals(host) || "[::]".equals(host);
    }

    private static String displayHost(String host) {
        return isWildcard(host) ? "localhost" : host.indexOf(':') >= 0 ? '[' + host + ']' : host;
    }

    /** The bound HTTPS port (the chosen one when the configuration said 0). */
    public int httpsPort() {
        return server.activeLocalPort(SessionProtocol.HTTPS);
    }

    /** The management port (health, readiness, metrics), or -1 when it is off. */
    public int managementPort() {
        return management.port();
    }

    /**
     * How many upstream replica addresses answered their last health check SERVING (each gets requests; a
     * replica that fails its check gets none until it passes again).
     */
    public int healthyUpstreams() {
        return health.healthyCount();
    }

    /** The PEM certificate the gateway serves: trust it to call a gateway with a development certificate. */
    public Path certificateFile() {
        return certificateFile;
    }

    /** Stops the HTTPS server and the upstream channel. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.stop().join();
        } finally {
            management.close();
            shutdownChannel(upstream);
            health.close();
        }
        logger.info("OpenKYC gateway stopped");
    }

    private static void shutdownChannel(ManagedChannel channel) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a gateway from the environment variables (see {@link GatewayConfig}) until the JVM stops. */
    public static void main(String[] args) {
        final GatewayConfig config;
        try {
            config = GatewayConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            logger.error("Invalid configuration: {}", e.getMessage());
            System.err.println("openkyc-gateway: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        final Gateway gateway;
        try {
            gateway = start(config);
        } catch (RuntimeException e) {
            logger.error("Cannot start the gateway", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "openkyc-gateway-shutdown"));
    }
}
