package org.openkyc.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.openkyc.server.travelrule.Thresholds;

/**
 * Everything the server is configured with, read once from the environment and
 * validated at construction. Immutable; passed to the parts that need it.
 */
public final class ServerConfig {

    private final String grpcHost;
    private final int grpcPort;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final int dbPoolSize;
    private final Path blobDir;
    private final byte[] dataKey;
    private final Optional<Path> tlsCert;
    private final Optional<Path> tlsKey;
    private final int maxMessageBytes;
    private final Geocoding geocoder;
    private final Path gazetteerDir;
    private final Optional<URI> nominatimUrl;
    private final Duration nominatimTimeout;

    /** Which geocoder resolves addresses (A5). */
    public enum Geocoding {
        /** The offline gazetteer (city-level precision); the default. */
        GAZETTEER,
        /** An operator's Nominatim-compatible HTTP service at {@code OPENKYC_NOMINATIM_URL}. */
        NOMINATIM
    }
    private final Optional<Path> sanctionsDir;
    private final double screeningThreshold;
    private final double screeningReviewFloor;
    private final double screeningReviewMinWeight;
    private final double screeningReviewMinListedShare;
    private final int sanctionsReloadSeconds;
    private final List<Path> reportFonts;
    private final Optional<TravelRule> travelRule;
    private final Thresholds thresholds;
    private final Optional<String> livenessCallbackSecret;

    /**
     * The travel-rule exchange of this VASP: its id, its IVMS101 description
     * (a Person as JSON), the tenant it acts for, the mutual-TLS port with its
     * certificate and key, and the deadline of calls to other VASPs.
     */
    public record TravelRule(String vaspId, String ivms101Json, String tenant, String host, int port,
            Path tlsCert, Path tlsKey, int timeoutMillis) {
        public TravelRule {
            if (vaspId == null || !vaspId.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("OPENKYC_VASP_ID must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (ivms101Json == null || ivms101Json.isBlank()) {
                throw new IllegalArgumentException(
                        "OPENKYC_VASP_IVMS101 (or OPENKYC_VASP_IVMS101_FILE) is required with OPENKYC_VASP_ID");
            }
            if (tenant == null || tenant.isBlank()) {
                throw new IllegalArgumentException("OPENKYC_TRAVEL_RULE_TENANT is required with OPENKYC_VASP_ID");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("OPENKYC_VASP_PORT must be 0-65535, was " + port);
            }
            if (tlsCert == null || tlsKey == null) {
                throw new IllegalArgumentException(
                        "OPENKYC_VASP_TLS_CERT and OPENKYC_VASP_TLS_KEY are required with OPENKYC_VASP_ID");
            }
            if (timeoutMillis < 1) {
                throw new IllegalArgumentException("OPENKYC_VASP_TIMEOUT_MS must be at least 1");
            }
        }
    }
    private final VisionConfig vision;
    private final boolean autoApprove;
    private final int maxAttempts;
    private final List<String> documentUrlHosts;
    private final Duration dbConnectTimeout;
    private final Duration dbStatementTimeout;
    private final boolean grpcReflection;
    private final int rateLimitPerSecond;
    private final int rateLimitBurst;
    private final int livenessMaxPerDay;
    private final int unknownKeysMax;
    private final Duration unknownKeyTtl;
    private final int apiKeyCacheSize;
    private final Duration apiKeyCacheTtl;
    private final Duration idempotencyTtl;
    private final Duration idempotencyWait;
    private final Duration idempotencyAbandon;
    // Object storage
    private final ObjectStorageConfig objectStorage;
    // Operating: management port, database health checks, log format
    private final ManagementConfig management;
    // Webhooks
    private final WebhookSettings webhooks;
    // Crypto-shredding: master keys a rotation replaces, and the batch of the key jobs
    private final List<byte[]> previousDataKeys;
    private final int keyBatchSize;
    // Tracing: OpenTelemetry spans exported over OTLP (OTEL_* variables)
    private final TracingConfig tracing;
    // Hot paths: statements kept parsed per database connection
    private final int dbStatementCacheSize;
    // Hot paths: threads that run the reads answered from the database alone
    private final int readThreads;
    // Reviewer queue: how long large counts per status are kept (OPENKYC_QUEUE_*)
    private final QueueSettings queue;

    private ServerConfig(Builder b) {
        this.grpcHost = require(b.grpcHost, "OPENKYC_GRPC_HOST");
        if (b.grpcPort < 0 || b.grpcPort > 65535) {
            throw new IllegalArgumentException("OPENKYC_GRPC_PORT must be 0-65535, was " + b.grpcPort);
        }
        this.grpcPort = b.grpcPort;
        this.dbUrl = require(b.dbUrl, "MYSQL_URL");
        if (!dbUrl.startsWith("jdbc:mysql://")) {
            throw new IllegalArgumentException("MYSQL_URL must be a jdbc:mysql:// URL (also for MariaDB)");
        }
        this.dbUser = require(b.dbUser, "MYSQL_USER");
        this.dbPassword = b.dbPassword == null ? "" : b.dbPassword;
        if (b.dbPoolSize < 1) {
            throw new IllegalArgumentException("OPENKYC_DB_POOL_SIZE must be at least 1");
        }
        this.dbPoolSize = b.dbPoolSize;
        this.blobDir = Objects.requireNonNull(b.blobDir, "OPENKYC_BLOB_DIR is required");
        if (b.dataKey == null || b.dataKey.length != 32) {
            throw new IllegalArgumentException(
                    "OPENKYC_DATA_KEY (or OPENKYC_DATA_KEY_FILE) must hold a base64 256-bit AES key");
        }
        this.dataKey = b.dataKey.clone();
        if (b.tlsCert.isPresent() != b.tlsKey.isPresent()) {
            throw new IllegalArgumentException("OPENKYC_GRPC_TLS_CERT and OPENKYC_GRPC_TLS_KEY go together");
        }
        this.tlsCert = b.tlsCert;
        this.tlsKey = b.tlsKey;
        if (b.maxMessageBytes < 1024) {
            throw new IllegalArgumentException("OPENKYC_GRPC_MAX_MESSAGE_BYTES must be at least 1024");
        }
        this.maxMessageBytes = b.maxMessageBytes;
        this.geocoder = Objects.requireNonNull(b.geocoder, "OPENKYC_GEOCODER is required");
        this.gazetteerDir = Objects.requireNonNull(b.gazetteerDir, "OPENKYC_GAZETTEER_DIR is required");
        if (b.nominatimUrl.isPresent()) {
            URI u = b.nominatimUrl.get();
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || u.getQuery() != null || u.getFragment() != null) {
                throw new IllegalArgumentException(
                        "OPENKYC_NOMINATIM_URL must be an http(s) base URL without query, e.g. http://nominatim:8080");
            }
        }
        if (geocoder == Geocoding.NOMINATIM && b.nominatimUrl.isEmpty()) {
            throw new IllegalArgumentException("OPENKYC_GEOCODER=nominatim needs OPENKYC_NOMINATIM_URL");
        }
        this.nominatimUrl = b.nominatimUrl;
        if (b.nominatimTimeout == null || b.nominatimTimeout.toMillis() < 100 || b.nominatimTimeout.toSeconds() > 120) {
            throw new IllegalArgumentException("OPENKYC_NOMINATIM_TIMEOUT_MS must be 100-120000");
        }
        this.nominatimTimeout = b.nominatimTimeout;
        this.sanctionsDir = b.sanctionsDir;
        if (!(b.screeningThreshold > 0 && b.screeningThreshold <= 1)) {
            throw new IllegalArgumentException("OPENKYC_SCREENING_THRESHOLD must be in (0, 1], was "
                    + b.screeningThreshold);
        }
        if (!(b.screeningReviewFloor > 0 && b.screeningReviewFloor <= b.screeningThreshold)) {
            throw new IllegalArgumentException("OPENKYC_SCREENING_REVIEW_FLOOR must be in (0, threshold], was "
                    + b.screeningReviewFloor);
        }
        this.screeningThreshold = b.screeningThreshold;
        this.screeningReviewFloor = b.screeningReviewFloor;
        if (!(b.screeningReviewMinWeight >= 0 && b.screeningReviewMinWeight <= 5)) {
            throw new IllegalArgumentException("OPENKYC_SCREENING_REVIEW_MIN_WEIGHT must be in [0, 5], was "
                    + b.screeningReviewMinWeight);
        }
        if (!(b.screeningReviewMinListedShare >= 0 && b.screeningReviewMinListedShare <= 1)) {
            throw new IllegalArgumentException("OPENKYC_SCREENING_REVIEW_MIN_LISTED_SHARE must be in [0, 1], was "
                    + b.screeningReviewMinListedShare);
        }
        this.screeningReviewMinWeight = b.screeningReviewMinWeight;
        this.screeningReviewMinListedShare = b.screeningReviewMinListedShare;
        if (b.sanctionsReloadSeconds < 0) {
            throw new IllegalArgumentException("OPENKYC_SANCTIONS_RELOAD_SECONDS must be 0 (off) or more");
        }
        this.sanctionsReloadSeconds = b.sanctionsReloadSeconds;
        this.reportFonts = List.copyOf(b.reportFonts);
        this.travelRule = b.travelRule;
        this.thresholds = Thresholds.parse(b.thresholds == null ? Thresholds.DEFAULT : b.thresholds);
        this.thresholdSpec = b.thresholds;
        this.vision = Objects.requireNonNull(b.vision, "vision configuration");
        if (b.livenessCallbackSecret.isPresent() && b.livenessCallbackSecret.get().strip().length() < 32) {
            throw new IllegalArgumentException("OPENKYC_LIVENESS_CALLBACK_SECRET must be at least 32 characters");
        }
        this.livenessCallbackSecret = b.livenessCallbackSecret.map(String::strip);
        this.autoApprove = b.autoApprove;
        this.maxAttempts = b.maxAttempts;
        for (String h : b.documentUrlHosts) {
            if (!h.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?")) {
                throw new IllegalArgumentException("OPENKYC_DOCUMENT_URL_HOSTS holds '" + h
                        + "', which is not a lower-case host name (optionally with :port)");
            }
        }
        this.documentUrlHosts = List.copyOf(b.documentUrlHosts);
        if (b.dbConnectTimeout == null || b.dbConnectTimeout.toMillis() < 250 || b.dbConnectTimeout.toSeconds() > 60) {
            throw new IllegalArgumentException("OPENKYC_DB_CONNECT_TIMEOUT_MS must be 250-60000");
        }
        this.dbConnectTimeout = b.dbConnectTimeout;
        if (b.dbStatementTimeout == null || b.dbStatementTimeout.toMillis() < 1000
                || b.dbStatementTimeout.toSeconds() > 3600) {
            throw new IllegalArgumentException("OPENKYC_DB_STATEMENT_TIMEOUT_MS must be 1000-3600000");
        }
        this.dbStatementTimeout = b.dbStatementTimeout;
        this.grpcReflection = b.grpcReflection;
        if (b.rateLimitPerSecond < 0) {
            throw new IllegalArgumentException("OPENKYC_RATE_LIMIT_PER_SECOND must be 0 (off) or more");
        }
        if (b.rateLimitPerSecond > 0 && b.rateLimitBurst < 1) {
            throw new IllegalArgumentException("OPENKYC_RATE_LIMIT_BURST must be at least 1 when a rate limit is set");
        }
        this.rateLimitPerSecond = b.rateLimitPerSecond;
        this.rateLimitBurst = b.rateLimitBurst;
        if (b.livenessMaxPerDay < 1) {
            throw new IllegalArgumentException("OPENKYC_LIVENESS_MAX_PER_DAY must be at least 1");
        }
        this.livenessMaxPerDay = b.livenessMaxPerDay;
        if (b.unknownKeysMax < 0 || b.unknownKeysMax > 10_000_000) {
            throw new IllegalArgumentException("OPENKYC_UNKNOWN_KEY_CACHE_SIZE must be 0 (off) to 10000000");
        }
        this.unknownKeysMax = b.unknownKeysMax;
        if (b.unknownKeyTtl == null || b.unknownKeyTtl.isNegative() || b.unknownKeyTtl.toSeconds() > 3600) {
            throw new IllegalArgumentException("OPENKYC_UNKNOWN_KEY_CACHE_SECONDS must be 0-3600");
        }
        this.unknownKeyTtl = b.unknownKeyTtl;
        if (b.apiKeyCacheSize < 0 || b.apiKeyCacheSize > 10_000_000) {
            throw new IllegalArgumentException("OPENKYC_API_KEY_CACHE_SIZE must be 0 (off) to 10000000");
        }
        this.apiKeyCacheSize = b.apiKeyCacheSize;
        if (b.apiKeyCacheTtl == null || b.apiKeyCacheTtl.isNegative() || b.apiKeyCacheTtl.toMillis() > 300_000) {
            throw new IllegalArgumentException("OPENKYC_API_KEY_CACHE_TTL_MS must be 0 (off) to 300000");
        }
        this.apiKeyCacheTtl = b.apiKeyCacheTtl;
        if (b.idempotencyTtl == null || b.idempotencyTtl.toHours() < 1 || b.idempotencyTtl.toHours() > 8760) {
            throw new IllegalArgumentException("OPENKYC_IDEMPOTENCY_TTL_HOURS must be 1-8760");
        }
        this.idempotencyTtl = b.idempotencyTtl;
        if (b.idempotencyWait == null || b.idempotencyWait.isNegative() || b.idempotencyWait.toMillis() > 600_000) {
            throw new IllegalArgumentException("OPENKYC_IDEMPOTENCY_WAIT_MS must be 0-600000");
        }
        this.idempotencyWait = b.idempotencyWait;
        if (b.idempotencyAbandon == null || b.idempotencyAbandon.toSeconds() < 10
                || b.idempotencyAbandon.toSeconds() > 86_400) {
            throw new IllegalArgumentException("OPENKYC_IDEMPOTENCY_ABANDON_SECONDS must be 10-86400");
        }
        this.idempotencyAbandon = b.idempotencyAbandon;
        // Object storage
        this.objectStorage = Objects.requireNonNull(b.objectStorage, "OPENKYC_BLOB_STORE");
        // Operating
        this.management = java.util.Objects.requireNonNull(b.management, "management settings");
        // Webhooks
        this.webhooks = java.util.Objects.requireNonNull(b.webhooks, "webhook settings");
        // Crypto-shredding
        for (byte[] k : b.previousDataKeys) {
            if (k.length != 32) {
                throw new IllegalArgumentException(
                        "OPENKYC_DATA_KEY_PREVIOUS (or OPENKYC_DATA_KEY_PREVIOUS_FILE) must hold base64 256-bit AES"
                        + " keys, separated by commas");
            }
        }
        this.previousDataKeys = b.previousDataKeys.stream().map(byte[]::clone).toList();
        if (b.keyBatchSize < 1 || b.keyBatchSize > 10_000) {
            throw new IllegalArgumentException("OPENKYC_KEY_BATCH_SIZE must be 1-10000");
        }
        this.keyBatchSize = b.keyBatchSize;
        // Tracing
        this.tracing = java.util.Objects.requireNonNull(b.tracing, "tracing settings");
        // Hot paths
        if (b.dbStatementCacheSize < 0 || b.dbStatementCacheSize > 10_000) {
            throw new IllegalArgumentException("OPENKYC_DB_STATEMENT_CACHE_SIZE must be 0-10000");
        }
        this.dbStatementCacheSize = b.dbStatementCacheSize;
        if (b.readThreads < 1 || b.readThreads > 1_000) {
            throw new IllegalArgumentException("OPENKYC_READ_THREADS must be 1-1000");
        }
        this.readThreads = b.readThreads;
        // Reviewer queue
        this.queue = java.util.Objects.requireNonNull(b.queue, "reviewer queue settings");
        decision(); // validates the thresholds and the attempt count together
    }

    private final String thresholdSpec;

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /**
     * Reads the configuration from environment variables:
     * OPENKYC_GRPC_HOST (default 0.0.0.0), OPENKYC_GRPC_PORT (default 9090),
     * MYSQL_URL, MYSQL_USER, MYSQL_PASSWORD, OPENKYC_DB_POOL_SIZE (default 10),
     * OPENKYC_BLOB_DIR (default ./data/blobs), OPENKYC_DATA_KEY (base64 32 bytes)
     * or OPENKYC_DATA_KEY_FILE, OPENKYC_GRPC_TLS_CERT and OPENKYC_GRPC_TLS_KEY
     * (PEM, optional), OPENKYC_GRPC_MAX_MESSAGE_BYTES (default 64 MiB);
     * addresses: OPENKYC_GEOCODER (gazetteer | nominatim, default gazetteer), OPENKYC_GAZETTEER_DIR
     * (default $OPENKYC_CACHE_DIR/gazetteer, else .cache/gazetteer), OPENKYC_NOMINATIM_URL,
     * OPENKYC_NOMINATIM_TIMEOUT_MS (default 5000);
     * screening: OPENKYC_SANCTIONS_DIR (the list folder; unset: screening
     * answers UNAVAILABLE), OPENKYC_SCREENING_THRESHOLD (default 0.92),
     * OPENKYC_SCREENING_REVIEW_FLOOR (default 0.80), OPENKYC_SCREENING_REVIEW_MIN_WEIGHT
     * (default 1.0) and OPENKYC_SCREENING_REVIEW_MIN_LISTED_SHARE (default 0.6): what a
     * candidate under the threshold needs in closely matching names to be a review,
     * OPENKYC_SANCTIONS_RELOAD_SECONDS (folder check interval, default 60, 0 off),
     * OPENKYC_REPORT_FONTS (TrueType files for PDF reports, comma-separated,
     * first match per character; default Noto Sans, Nanum Gothic, Noto Sans Thai).
     * Travel rule (enabled by OPENKYC_VASP_ID): OPENKYC_VASP_IVMS101 (JSON of
     * an IVMS101 Person) or OPENKYC_VASP_IVMS101_FILE, OPENKYC_TRAVEL_RULE_TENANT,
     * OPENKYC_VASP_HOST (default the gRPC host), OPENKYC_VASP_PORT (default
     * 9443), OPENKYC_VASP_TLS_CERT and OPENKYC_VASP_TLS_KEY (PEM),
     * OPENKYC_VASP_TIMEOUT_MS (default 10000); OPENKYC_LIVENESS_CALLBACK_SECRET
     * (at least 32 characters; unset: liveness callbacks are refused); OPENKYC_TRAVEL_RULE_THRESHOLDS
     * (default USD=1000,KRW=1000000);
     * decisions: OPENKYC_AUTO_APPROVE (default true), OPENKYC_MAX_ATTEMPTS (step-2 attempts, default 3),
     * OPENKYC_DOCUMENT_URL_HOSTS (comma-separated hosts whose https image URLs /document may fetch;
     * default none);
     * robustness: OPENKYC_DB_CONNECT_TIMEOUT_MS (waiting for a database connection, default 3000),
     * OPENKYC_DB_STATEMENT_TIMEOUT_MS (longest database statement, default 10000),
     * OPENKYC_GRPC_REFLECTION (gRPC reflection for keyed callers, default false),
     * OPENKYC_RATE_LIMIT_PER_SECOND (requests per second per tenant, default 200, 0 off),
     * OPENKYC_RATE_LIMIT_BURST (default 400), OPENKYC_LIVENESS_MAX_PER_DAY (liveness sessions per
     * profile in any 24 hours, default 10), OPENKYC_UNKNOWN_KEY_CACHE_SIZE (well-formed unknown API keys
     * remembered, default 10000, 0 off) and OPENKYC_UNKNOWN_KEY_CACHE_SECONDS (for how long, default 30),
     * OPENKYC_API_KEY_CACHE_SIZE (valid API keys remembered, default 10000, 0 off) and
     * OPENKYC_API_KEY_CACHE_TTL_MS (for how long, so the longest a revocation takes; default 5000, 0 off);
     * idempotent retries: OPENKYC_IDEMPOTENCY_TTL_HOURS (how long the first answer to an Idempotency-Key is
     * kept, default 24), OPENKYC_IDEMPOTENCY_WAIT_MS (how long a duplicate waits for the first call, default
     * 10000) and OPENKYC_IDEMPOTENCY_ABANDON_SECONDS (after how long a key still in progress is taken to be
     * abandoned by a stopped server, default 600);
     * webhooks: the OPENKYC_WEBHOOK_* variables read by {@link WebhookSettings#fromEnvironment};
     * vision: the document/face/liveness engines' variables read by {@link VisionConfig#fromEnvironment};
     * object storage: OPENKYC_BLOB_STORE and the S3 variables read by {@link ObjectStorageConfig#fromEnvironment}.
     * MYSQL_PASSWORD_FILE (a file holding the password, e.g. a docker secret) is read when MYSQL_PASSWORD is unset.
     */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        Builder b = builder()
                .grpcHost(env.getOrDefault("OPENKYC_GRPC_HOST", "0.0.0.0"))
                .grpcPort(EnvVars.intVar(env, "OPENKYC_GRPC_PORT", 9090))
                .database(env.get("MYSQL_URL"), env.get("MYSQL_USER"), env.get("MYSQL_PASSWORD"))
                .dbPoolSize(EnvVars.intVar(env, "OPENKYC_DB_POOL_SIZE", 10))
                .blobDir(Path.of(env.getOrDefault("OPENKYC_BLOB_DIR", "data/blobs")))
                .maxMessageBytes(EnvVars.intVar(env, "OPENKYC_GRPC_MAX_MESSAGE_BYTES", 64 * 1024 * 1024))
                .vision(VisionConfig.fromEnvironment(env));
        String geocoder = env.getOrDefault("OPENKYC_GEOCODER", "gazetteer").strip().toUpperCase(java.util.Locale.ROOT);
        try {
            b.geocoder(Geocoding.valueOf(geocoder.isEmpty() ? "GAZETTEER" : geocoder));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OPENKYC_GEOCODER must be gazetteer or nominatim, was '"
                    + env.get("OPENKYC_GEOCODER") + "'");
        }
        String gazetteerDir = env.get("OPENKYC_GAZETTEER_DIR");
        if (gazetteerDir == null || gazetteerDir.isBlank()) {
            String cache = env.get("OPENKYC_CACHE_DIR");
            gazetteerDir = Path.of(cache == null || cache.isBlank() ? ".cache" : cache, "gazetteer").toString();
        }
        b.gazetteerDir(Path.of(gazetteerDir));
        String nominatim = env.get("OPENKYC_NOMINATIM_URL");
        if (nominatim != null && !nominatim.isBlank()) {
            try {
                b.nominatimUrl(new URI(nominatim.strip()));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("OPENKYC_NOMINATIM_URL is not a valid URL");
            }
        }
        b.nominatimTimeout(Duration.ofMillis(EnvVars.intVar(env, "OPENKYC_NOMINATIM_TIMEOUT_MS", 5000)));
        String key = env.get("OPENKYC_DATA_KEY");
        String keyFile = env.get("OPENKYC_DATA_KEY_FILE");
        if (key == null && keyFile != null) {
            try {
                key = Files.readString(Path.of(keyFile)).trim();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("OPENKYC_DATA_KEY_FILE cannot be read: " + keyFile, e);
            }
        }
        if (key != null) {
            try {
                b.dataKey(Base64.getDecoder().decode(key.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("OPENKYC_DATA_KEY is not valid base64", e);
            }
        }
        String sanctions = env.get("OPENKYC_SANCTIONS_DIR");
        if (sanctions != null && !sanctions.isBlank()) {
            b.sanctionsDir(Path.of(sanctions.strip()));
        }
        b.screeningThreshold(EnvVars.doubleVar(env, "OPENKYC_SCREENING_THRESHOLD", Builder.DEFAULT_THRESHOLD));
        b.screeningReviewFloor(EnvVars.doubleVar(env, "OPENKYC_SCREENING_REVIEW_FLOOR", Builder.DEFAULT_REVIEW_FLOOR));
        b.screeningReviewMinWeight(EnvVars.doubleVar(env, "OPENKYC_SCREENING_REVIEW_MIN_WEIGHT",
                Builder.DEFAULT_REVIEW_MIN_WEIGHT));
        b.screeningReviewMinListedShare(EnvVars.doubleVar(env, "OPENKYC_SCREENING_REVIEW_MIN_LISTED_SHARE",
                Builder.DEFAULT_REVIEW_MIN_LISTED_SHARE));
        b.sanctionsReloadSeconds(EnvVars.intVar(env, "OPENKYC_SANCTIONS_RELOAD_SECONDS", 60));
        String fonts = env.get("OPENKYC_REPORT_FONTS");
        if (fonts != null && !fonts.isBlank()) {
            List<Path> paths = new ArrayList<>();
            for (String f : fonts.split(",")) {
                if (!f.isBlank()) {
                    paths.add(Path.of(f.strip()));
                }
            }
            b.reportFonts(paths);
        }
        String cert = env.get("OPENKYC_GRPC_TLS_CERT");
        String tlsKey = env.get("OPENKYC_GRPC_TLS_KEY");
        b.tls(cert == null ? null : Path.of(cert), tlsKey == null ? null : Path.of(tlsKey));
        b.thresholds(env.get("OPENKYC_TRAVEL_RULE_THRESHOLDS"));
        b.livenessCallbackSecret(env.get("OPENKYC_LIVENESS_CALLBACK_SECRET"));
        b.autoApprove(EnvVars.boolVar(env, "OPENKYC_AUTO_APPROVE", true));
        b.maxAttempts(EnvVars.intVar(env, "OPENKYC_MAX_ATTEMPTS", 3));
        b.dbConnectTimeout(Duration.ofMillis(EnvVars.intVar(env, "OPENKYC_DB_CONNECT_TIMEOUT_MS",
                (int) Builder.DEFAULT_DB_CONNECT_TIMEOUT.toMillis())));
        b.dbStatementTimeout(Duration.ofMillis(EnvVars.intVar(env, "OPENKYC_DB_STATEMENT_TIMEOUT_MS",
                (int) Builder.DEFAULT_DB_STATEMENT_TIMEOUT.toMillis())));
        b.grpcReflection(EnvVars.boolVar(env, "OPENKYC_GRPC_REFLECTION", false));
        b.rateLimit(EnvVars.intVar(env, "OPENKYC_RATE_LIMIT_PER_SECOND", Builder.DEFAULT_RATE_LIMIT_PER_SECOND),
                EnvVars.intVar(env, "OPENKYC_RATE_LIMIT_BURST", Builder.DEFAULT_RATE_LIMIT_BURST));
        b.livenessMaxPerDay(EnvVars.intVar(env, "OPENKYC_LIVENESS_MAX_PER_DAY", Builder.DEFAULT_LIVENESS_MAX_PER_DAY));
        b.unknownKeyCache(EnvVars.intVar(env, "OPENKYC_UNKNOWN_KEY_CACHE_SIZE", Builder.DEFAULT_UNKNOWN_KEYS_MAX),
                Duration.ofSeconds(EnvVars.intVar(env, "OPENKYC_UNKNOWN_KEY_CACHE_SECONDS",
                        (int) Builder.DEFAULT_UNKNOWN_KEY_TTL.toSeconds())));
        b.apiKeyCache(EnvVars.intVar(env, "OPENKYC_API_KEY_CACHE_SIZE", Builder.DEFAULT_API_KEY_CACHE_SIZE),
                Duration.ofMillis(EnvVars.intVar(env, "OPENKYC_API_KEY_CACHE_TTL_MS",
                        (int) Builder.DEFAULT_API_KEY_CACHE_TTL.toMillis())));
        b.idempotency(Duration.ofHours(EnvVars.intVar(env, "OPENKYC_IDEMPOTENCY_TTL_HOURS",
                        (int) Builder.DEFAULT_IDEMPOTENCY_TTL.toHours())),
                Duration.ofMillis(EnvVars.intVar(env, "OPENKYC_IDEMPOTENCY_WAIT_MS",
                        (int) Builder.DEFAULT_IDEMPOTENCY_WAIT.toMillis())),
                Duration.ofSeconds(EnvVars.intVar(env, "OPENKYC_IDEMPOTENCY_ABANDON_SECONDS",
                        (int) Builder.DEFAULT_IDEMPOTENCY_ABANDON.toSeconds())));
        // Operating
        b.management(ManagementConfig.fromEnvironment(env));
        // Tracing
        b.tracing(TracingConfig.fromEnvironment(env));
        String hosts = env.get("OPENKYC_DOCUMENT_URL_HOSTS");
        if (hosts != null && !hosts.isBlank()) {
            b.documentUrlHosts(java.util.Arrays.stream(hosts.split(",")).map(String::strip)
                    .filter(h -> !h.isEmpty()).map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList());
        }
        String vaspId = env.get("OPENKYC_VASP_ID");
        if (vaspId != null && !vaspId.isBlank()) {
            String ivms = env.get("OPENKYC_VASP_IVMS101");
            String ivmsFile = env.get("OPENKYC_VASP_IVMS101_FILE");
            if ((ivms == null || ivms.isBlank()) && ivmsFile != null) {
                try {
                    ivms = Files.readString(Path.of(ivmsFile));
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("OPENKYC_VASP_IVMS101_FILE cannot be read: " + ivmsFile, e);
                }
            }
            String vCert = env.get("OPENKYC_VASP_TLS_CERT");
            String vKey = env.get("OPENKYC_VASP_TLS_KEY");
            b.travelRule(new TravelRule(vaspId.strip(), ivms, env.get("OPENKYC_TRAVEL_RULE_TENANT"),
                    env.getOrDefault("OPENKYC_VASP_HOST", env.getOrDefault("OPENKYC_GRPC_HOST", "0.0.0.0")),
                    EnvVars.intVar(env, "OPENKYC_VASP_PORT", 9443), vCert == null ? null : Path.of(vCert),
                    vKey == null ? null : Path.of(vKey), EnvVars.intVar(env, "OPENKYC_VASP_TIMEOUT_MS", 10_000)));
        }
        // Object storage
        b.objectStorage(ObjectStorageConfig.fromEnvironment(env));
        // The database password from a file (a docker secret) when MYSQL_PASSWORD is not set
        String dbPasswordFile = env.get("MYSQL_PASSWORD_FILE");
        if ((env.get("MYSQL_PASSWORD") == null || env.get("MYSQL_PASSWORD").isEmpty()) && dbPasswordFile != null
                && !dbPasswordFile.isBlank()) {
            try {
                b.database(env.get("MYSQL_URL"), env.get("MYSQL_USER"),
                        Files.readString(Path.of(dbPasswordFile.strip())).strip());
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("MYSQL_PASSWORD_FILE cannot be read: " + dbPasswordFile.strip());
            }
        }
        // Webhooks
        b.webhooks(WebhookSettings.fromEnvironment(env));
        // Crypto-shredding
        String previous = env.get("OPENKYC_DATA_KEY_PREVIOUS");
        String previousFile = env.get("OPENKYC_DATA_KEY_PREVIOUS_FILE");
        if ((previous == null || previous.isBlank()) && previousFile != null && !previousFile.isBlank()) {
            try {
                previous = Files.readString(Path.of(previousFile)).trim();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("OPENKYC_DATA_KEY_PREVIOUS_FILE cannot be read: " + previousFile, e);
            }
        }
        if (previous != null && !previous.isBlank()) {
            List<byte[]> keys = new java.util.ArrayList<>();
            for (String k : previous.split("[,\\s]+")) {
                if (k.isBlank()) {
                    continue;
                }
                try {
                    keys.add(Base64.getDecoder().decode(k.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("OPENKYC_DATA_KEY_PREVIOUS is not valid base64", e);
                }
            }
            b.previousDataKeys(keys);
        }
        b.keyBatchSize(EnvVars.intVar(env, "OPENKYC_KEY_BATCH_SIZE", 500));
        // Hot paths
        b.dbStatementCacheSize(EnvVars.intVar(env, "OPENKYC_DB_STATEMENT_CACHE_SIZE",
                Builder.DEFAULT_DB_STATEMENT_CACHE_SIZE));
        b.readThreads(EnvVars.intVar(env, "OPENKYC_READ_THREADS", Builder.defaultReadThreads(b.dbPoolSize)));
        // Reviewer queue
        b.queue(QueueSettings.fromEnvironment(env));
        return b.build();
    }



    public static Builder builder() {
        return new Builder();
    }

    /** A copy with another gRPC port (tests and the local launcher pick free ports). */
    public ServerConfig withGrpcPort(int port) {
        return toBuilder().grpcPort(port).build();
    }

    public Builder toBuilder() {
        return new Builder().grpcHost(grpcHost).grpcPort(grpcPort).database(dbUrl, dbUser, dbPassword)
                .dbPoolSize(dbPoolSize).blobDir(blobDir).dataKey(dataKey)
                .tls(tlsCert.orElse(null), tlsKey.orElse(null)).maxMessageBytes(maxMessageBytes)
                .geocoder(geocoder).gazetteerDir(gazetteerDir).nominatimUrl(nominatimUrl.orElse(null))
                .nominatimTimeout(nominatimTimeout)
                .sanctionsDir(sanctionsDir.orElse(null)).screeningThreshold(screeningThreshold)
                .screeningReviewFloor(screeningReviewFloor).sanctionsReloadSeconds(sanctionsReloadSeconds)
                .screeningReviewMinWeight(screeningReviewMinWeight)
                .screeningReviewMinListedShare(screeningReviewMinListedShare)
                .reportFonts(reportFonts)
                .travelRule(travelRule.orElse(null)).thresholds(thresholdSpec).vision(vision)
                .livenessCallbackSecret(livenessCallbackSecret.orElse(null))
                .autoApprove(autoApprove).maxAttempts(maxAttempts).documentUrlHosts(documentUrlHosts)
                .dbConnectTimeout(dbConnectTimeout).dbStatementTimeout(dbStatementTimeout)
                .grpcReflection(grpcReflection).rateLimit(rateLimitPerSecond, rateLimitBurst)
                .livenessMaxPerDay(livenessMaxPerDay).unknownKeyCache(unknownKeysMax, unknownKeyTtl)
                .apiKeyCache(apiKeyCacheSize, apiKeyCacheTtl)
                .idempotency(idempotencyTtl, idempotencyWait, idempotencyAbandon)
                // Object storage
                .objectStorage(objectStorage)
                // Operating
                .management(management)
                // Webhooks
                .webhooks(webhooks)
                // Crypto-shredding
                .previousDataKeys(previousDataKeys).keyBatchSize(keyBatchSize)
                // Tracing
                .tracing(tracing)
                // Hot paths
                .dbStatementCacheSize(dbStatementCacheSize).readThreads(readThreads)
                // Reviewer queue
                .queue(queue);
    }

    /** Management port, database health checks and log format. */
    public ManagementConfig management() { return management; }
    /** OpenTelemetry tracing: off unless an OTLP endpoint or a traces exporter is set. */
    public TracingConfig tracing() { return tracing; }
    public String grpcHost() { return grpcHost; }
    public int grpcPort() { return grpcPort; }
    public String dbUrl() { return dbUrl; }
    public String dbUser() { return dbUser; }
    public String dbPassword() { return dbPassword; }
    public int dbPoolSize() { return dbPoolSize; }
    public Path blobDir() { return blobDir; }
    public byte[] dataKey() { return dataKey.clone(); }
    public Optional<Path> tlsCert() { return tlsCert; }
    public Optional<Path> tlsKey() { return tlsKey; }
    public int maxMessageBytes() { return maxMessageBytes; }
    public Geocoding geocoder() { return geocoder; }
    public Path gazetteerDir() { return gazetteerDir; }
    public Optional<URI> nominatimUrl() { return nominatimUrl; }
    public Duration nominatimTimeout() { return nominatimTimeout; }
    public Optional<Path> sanctionsDir() { return sanctionsDir; }
    public double screeningThreshold() { return screeningThreshold; }
    public double screeningReviewFloor() { return screeningReviewFloor; }
    public double screeningReviewMinWeight() { return screeningReviewMinWeight; }
    public double screeningReviewMinListedShare() { return screeningReviewMinListedShare; }
    public int sanctionsReloadSeconds() { return sanctionsReloadSeconds; }
    public List<Path> reportFonts() { return reportFonts; }
    public Optional<TravelRule> travelRule() { return travelRule; }
    public Thresholds thresholds() { return thresholds; }
    public VisionConfig vision() { return vision; }
    /** The decision rules' settings: thresholds from the vision configuration, auto-approval, attempts. */
    public org.openkyc.server.kyc.DecisionRules.Settings decision() {
        return new org.openkyc.server.kyc.DecisionRules.Settings(autoApprove, vision.faceMatchThreshold(),
                vision.livenessThreshold(), maxAttempts);
    }
    /** Hosts (lower case, optional :port) whose https URLs /document may fetch; empty: no URL is fetched. */
    public List<String> documentUrlHosts() { return documentUrlHosts; }
    /** Longest wait for a database connection (also the connect timeout of new connections). */
    public Duration dbConnectTimeout() { return dbConnectTimeout; }
    /** Longest a database statement may run (the socket read timeout of connections). */
    public Duration dbStatementTimeout() { return dbStatementTimeout; }
    /** Whether gRPC reflection is served (to callers with a valid key). */
    public boolean grpcReflection() { return grpcReflection; }
    /** Requests per second each tenant may make; 0: no limit. */
    public int rateLimitPerSecond() { return rateLimitPerSecond; }
    /** Requests a tenant may make at once above its rate. */
    public int rateLimitBurst() { return rateLimitBurst; }
    /** Liveness sessions a profile may start in any 24 hours. */
    public int livenessMaxPerDay() { return livenessMaxPerDay; }
    /** Most well-formed unknown API keys remembered (0: none). */
    public int unknownKeysMax() { return unknownKeysMax; }
    /** How long an unknown API key is remembered. */
    public Duration unknownKeyTtl() { return unknownKeyTtl; }
    /** Most valid API keys remembered (0: none). */
    public int apiKeyCacheSize() { return apiKeyCacheSize; }
    /** How long a valid API key is remembered: the longest a revocation takes to be seen (0: no cache). */
    public Duration apiKeyCacheTtl() { return apiKeyCacheTtl; }
    /** How long the first answer to an Idempotency-Key is kept. */
    public Duration idempotencyTtl() { return idempotencyTtl; }
    /** How long a call waits for another call with the same Idempotency-Key before it is told to retry. */
    public Duration idempotencyWait() { return idempotencyWait; }
    /** After how long an Idempotency-Key still in progress is taken to be abandoned. */
    public Duration idempotencyAbandon() { return idempotencyAbandon; }
    // Crypto-shredding
    public List<byte[]> previousDataKeys() { return previousDataKeys.stream().map(byte[]::clone).toList(); }
    public int keyBatchSize() { return keyBatchSize; }
    // Hot paths
    /** How many parsed statements each database connection keeps (0: every statement is parsed anew). */
    public int dbStatementCacheSize() { return dbStatementCacheSize; }
    /**
     * Threads that run the reads answered from the database alone (a status, a list page); other calls
     * run on threads made as needed. See {@code CallExecutors}.
     */
    public int readThreads() { return readThreads; }
    /** The shared secret liveness providers sign callbacks with; empty: callbacks are refused. */
    public Optional<String> livenessCallbackSecret() { return livenessCallbackSecret; }
    // Object storage
    /** Where blobs are kept: the folder {@link #blobDir()} or an S3-compatible store. */
    public ObjectStorageConfig objectStorage() { return objectStorage; }
    // Webhooks
    /** Endpoint allow-list, delivery retries and timeouts of the webhooks (OPENKYC_WEBHOOK_*). */
    public WebhookSettings webhooks() { return webhooks; }
    // Reviewer queue
    /** How long large counts per status of the admin list are kept (OPENKYC_QUEUE_*). */
    public QueueSettings queue() { return queue; }

    @Override
    public String toString() {
        // No secrets: the data key and the database password are left out.
        return "ServerConfig{grpc=" + grpcHost + ":" + grpcPort + ", db=" + dbUrl.replaceAll("\\?.*", "")
                + ", user=" + dbUser + ", blobDir=" + blobDir + ", blobStore=" + objectStorage
                + ", tls=" + tlsCert.isPresent()
                + ", geocoder=" + geocoder.name().toLowerCase(java.util.Locale.ROOT)
                + ", sanctionsDir=" + sanctionsDir.map(Path::toString).orElse("-")
                + ", vasp=" + travelRule.map(t -> t.vaspId() + "@" + t.host() + ":" + t.port()).orElse("off") + "}";
    }

    /** Builder of {@link ServerConfig}; {@link #build()} validates. */
    public static final class Builder {
        private String grpcHost = "0.0.0.0";
        private int grpcPort = 9090;
        private String dbUrl;
        private String dbUser;
        private String dbPassword;
        private int dbPoolSize = 10;
        private Path blobDir;
        private byte[] dataKey;
        private Optional<Path> tlsCert = Optional.empty();
        private Optional<Path> tlsKey = Optional.empty();
        private int maxMessageBytes = 64 * 1024 * 1024;
        private Geocoding geocoder = Geocoding.GAZETTEER;
        private Path gazetteerDir = Path.of(".cache", "gazetteer");
        private Optional<URI> nominatimUrl = Optional.empty();
        private Duration nominatimTimeout = Duration.ofSeconds(5);
        static final double DEFAULT_THRESHOLD = 0.92;
        static final double DEFAULT_REVIEW_FLOOR = 0.80;
        private Optional<Path> sanctionsDir = Optional.empty();
        private double screeningThreshold = DEFAULT_THRESHOLD;
        private double screeningReviewFloor = DEFAULT_REVIEW_FLOOR;
        static final double DEFAULT_REVIEW_MIN_WEIGHT = 1.0;
        static final double DEFAULT_REVIEW_MIN_LISTED_SHARE = 0.6;
        private double screeningReviewMinWeight = DEFAULT_REVIEW_MIN_WEIGHT;
        private double screeningReviewMinListedShare = DEFAULT_REVIEW_MIN_LISTED_SHARE;
        private int sanctionsReloadSeconds = 60;
        private List<Path> reportFonts = org.openkyc.server.screening.AmlReportRenderer.DEFAULT_FONTS;
        private Optional<TravelRule> travelRule = Optional.empty();
        private String thresholds;
        private VisionConfig vision = VisionConfig.builder().build();
        private Optional<String> livenessCallbackSecret = Optional.empty();
        private boolean autoApprove = true;
        private int maxAttempts = 3;
        private List<String> documentUrlHosts = List.of();
        static final Duration DEFAULT_DB_CONNECT_TIMEOUT = Duration.ofSeconds(3);
        static final Duration DEFAULT_DB_STATEMENT_TIMEOUT = Duration.ofSeconds(10);
        static final int DEFAULT_RATE_LIMIT_PER_SECOND = 200;
        static final int DEFAULT_RATE_LIMIT_BURST = 400;
        static final int DEFAULT_LIVENESS_MAX_PER_DAY = 10;
        private Duration dbConnectTimeout = DEFAULT_DB_CONNECT_TIMEOUT;
        private Duration dbStatementTimeout = DEFAULT_DB_STATEMENT_TIMEOUT;
        private boolean grpcReflection;
        private int rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
        private int rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
        private int livenessMaxPerDay = DEFAULT_LIVENESS_MAX_PER_DAY;
        static final int DEFAULT_UNKNOWN_KEYS_MAX = 10_000;
        static final Duration DEFAULT_UNKNOWN_KEY_TTL = Duration.ofSeconds(30);
        private int unknownKeysMax = DEFAULT_UNKNOWN_KEYS_MAX;
        private Duration unknownKeyTtl = DEFAULT_UNKNOWN_KEY_TTL;
        static final int DEFAULT_API_KEY_CACHE_SIZE = 10_000;
        static final Duration DEFAULT_API_KEY_CACHE_TTL = Duration.ofSeconds(5);
        private int apiKeyCacheSize = DEFAULT_API_KEY_CACHE_SIZE;
        private Duration apiKeyCacheTtl = DEFAULT_API_KEY_CACHE_TTL;
        static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(24);
        static final Duration DEFAULT_IDEMPOTENCY_WAIT = Duration.ofSeconds(10);
        static final Duration DEFAULT_IDEMPOTENCY_ABANDON = Duration.ofMinutes(10);
        private Duration idempotencyTtl = DEFAULT_IDEMPOTENCY_TTL;
        private Duration idempotencyWait = DEFAULT_IDEMPOTENCY_WAIT;
        private Duration idempotencyAbandon = DEFAULT_IDEMPOTENCY_ABANDON;
        // Object storage
        private ObjectStorageConfig objectStorage = ObjectStorageConfig.FILE;
        // Operating
        private ManagementConfig management = ManagementConfig.defaults();
        // Webhooks
        private WebhookSettings webhooks = WebhookSettings.defaults();
        // Crypto-shredding
        private List<byte[]> previousDataKeys = List.of();
        private int keyBatchSize = 500;
        // Tracing
        private TracingConfig tracing = TracingConfig.OFF;
        // Hot paths
        static final int DEFAULT_DB_STATEMENT_CACHE_SIZE = 256;
        private int dbStatementCacheSize = DEFAULT_DB_STATEMENT_CACHE_SIZE;
        private int readThreads = defaultReadThreads(10);
        /**
         * Two per core, and no more than the database connections: on the 2-core machine of BENCHMARKS.md
         * four threads kept a status read's p99 at 1.7-2.3x its mean under 64 concurrent calls, against
         * 3.2-3.3x with a thread per call.
         */
        static int defaultReadThreads(int dbPoolSize) {
            return Math.max(1, Math.min(dbPoolSize, 2 * Runtime.getRuntime().availableProcessors()));
        }
        // Reviewer queue
        private QueueSettings queue = QueueSettings.defaults();

        public Builder grpcHost(String v) { this.grpcHost = v; return this; }
        public Builder grpcPort(int v) { this.grpcPort = v; return this; }
        public Builder database(String url, String user, String password) {
            this.dbUrl = url; this.dbUser = user; this.dbPassword = password; return this;
        }
        public Builder dbPoolSize(int v) { this.dbPoolSize = v; return this; }
        public Builder blobDir(Path v) { this.blobDir = v; return this; }
        public Builder dataKey(byte[] v) { this.dataKey = v == null ? null : v.clone(); return this; }
        public Builder tls(Path cert, Path key) {
            this.tlsCert = Optional.ofNullable(cert); this.tlsKey = Optional.ofNullable(key); return this;
        }
        public Builder maxMessageBytes(int v) { this.maxMessageBytes = v; return this; }
        public Builder geocoder(Geocoding v) { this.geocoder = v; return this; }
        public Builder gazetteerDir(Path v) { this.gazetteerDir = v; return this; }
        public Builder nominatimUrl(URI v) { this.nominatimUrl = Optional.ofNullable(v); return this; }
        public Builder nominatimTimeout(Duration v) { this.nominatimTimeout = v; return this; }
        public Builder sanctionsDir(Path v) { this.sanctionsDir = Optional.ofNullable(v); return this; }
        public Builder screeningThreshold(double v) { this.screeningThreshold = v; return this; }
        public Builder screeningReviewFloor(double v) { this.screeningReviewFloor = v; return this; }
        public Builder screeningReviewMinWeight(double v) { this.screeningReviewMinWeight = v; return this; }
        public Builder screeningReviewMinListedShare(double v) { this.screeningReviewMinListedShare = v; return this; }
        public Builder sanctionsReloadSeconds(int v) { this.sanctionsReloadSeconds = v; return this; }
        public Builder reportFonts(List<Path> v) { this.reportFonts = List.copyOf(v); return this; }
        public Builder travelRule(TravelRule v) { this.travelRule = Optional.ofNullable(v); return this; }
        public Builder thresholds(String v) { this.thresholds = v == null || v.isBlank() ? null : v; return this; }
        public Builder vision(VisionConfig v) { this.vision = v; return this; }
        public Builder livenessCallbackSecret(String v) {
            this.livenessCallbackSecret = v == null || v.isBlank() ? Optional.empty() : Optional.of(v); return this;
        }
        public Builder autoApprove(boolean v) { this.autoApprove = v; return this; }
        public Builder maxAttempts(int v) { this.maxAttempts = v; return this; }
        public Builder documentUrlHosts(List<String> v) { this.documentUrlHosts = List.copyOf(v); return this; }
        public Builder dbConnectTimeout(Duration v) { this.dbConnectTimeout = v; return this; }
        public Builder dbStatementTimeout(Duration v) { this.dbStatementTimeout = v; return this; }
        public Builder grpcReflection(boolean v) { this.grpcReflection = v; return this; }
        public Builder rateLimit(int perSecond, int burst) {
            this.rateLimitPerSecond = perSecond; this.rateLimitBurst = burst; return this;
        }
        public Builder livenessMaxPerDay(int v) { this.livenessMaxPerDay = v; return this; }
        public Builder unknownKeyCache(int maxEntries, Duration ttl) {
            this.unknownKeysMax = maxEntries; this.unknownKeyTtl = ttl; return this;
        }
        public Builder apiKeyCache(int maxEntries, Duration ttl) {
            this.apiKeyCacheSize = maxEntries; this.apiKeyCacheTtl = ttl; return this;
        }
        public Builder idempotency(Duration ttl, Duration wait, Duration abandon) {
            this.idempotencyTtl = ttl; this.idempotencyWait = wait; this.idempotencyAbandon = abandon; return this;
        }
        // Object storage
        public Builder objectStorage(ObjectStorageConfig v) { this.objectStorage = v; return this; }
        // Operating
        public Builder management(ManagementConfig v) { this.management = v; return this; }
        // Webhooks
        public Builder webhooks(WebhookSettings v) { this.webhooks = v; return this; }
        // Crypto-shredding
        public Builder previousDataKeys(List<byte[]> v) {
            this.previousDataKeys = v.stream().map(byte[]::clone).toList(); return this;
        }
        public Builder keyBatchSize(int v) { this.keyBatchSize = v; return this; }
        // Hot paths
        public Builder dbStatementCacheSize(int v) { this.dbStatementCacheSize = v; return this; }
        public Builder readThreads(int v) { this.readThreads = v; return this; }
        // Tracing
        public Builder tracing(TracingConfig v) { this.tracing = v; return this; }
        // Reviewer queue
        public Builder queue(QueueSettings v) { this.queue = v; return this; }
        public ServerConfig build() { return new ServerConfig(this); }
    }
}
