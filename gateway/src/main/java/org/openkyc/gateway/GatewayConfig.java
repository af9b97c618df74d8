package org.openkyc.gateway;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's whole configuration: one immutable object, validated when it is built.
 *
 * <p>Every setting has an environment variable (see {@link #fromEnvironment(Map)}); validation
 * messages name that variable so an operator knows what to fix.
 */
public final class GatewayConfig {

    /** Bind address of the HTTPS port; default {@value #DEFAULT_HOST} (every interface). */
    public static final String ENV_HOST = "OPENKYC_GATEWAY_HOST";
    /** HTTPS port; default {@value #DEFAULT_PORT}; 0 picks a free port. */
    public static final String ENV_PORT = "OPENKYC_GATEWAY_PORT";
    /** Comma-separated {@code host:port} list of the server replicas. Required. */
    public static final String ENV_UPSTREAMS = "OPENKYC_UPSTREAMS";
    /** PEM certificate chain of the production certificate (with {@link #ENV_TLS_KEY}). */
    public static final String ENV_TLS_CERT = "OPENKYC_TLS_CERT";
    /** PEM private key of the production certificate (with {@link #ENV_TLS_CERT}). */
    public static final String ENV_TLS_KEY = "OPENKYC_TLS_KEY";
    /** Folder of the generated self-signed development certificate; default {@code ./data/tls}. */
    public static final String ENV_DEV_CERT_DIR = "OPENKYC_DEV_CERT_DIR";
    /** PEM CA certificate(s) of the upstream servers; when set, upstream calls use TLS. */
    public static final String ENV_UPSTREAM_CA = "OPENKYC_UPSTREAM_CA";
    /**
     * Largest accepted request body in bytes on every route without its own upload limit (JSON and form
     * routes); default {@value #DEFAULT_MAX_BODY_BYTES}.
     */
    public static final String ENV_MAX_BODY_BYTES = "OPENKYC_GATEWAY_MAX_BODY_BYTES";
    /**
     * Largest body of an image upload route (multipart: step 1, step 2, document upload); default
     * {@value #DEFAULT_MAX_UPLOAD_BYTES}.
     */
    public static final String ENV_MAX_UPLOAD_BYTES = "OPENKYC_GATEWAY_MAX_UPLOAD_BYTES";
    /**
     * Largest body of the video upload route (liveness verify, three videos); default
     * {@value #DEFAULT_MAX_VIDEO_UPLOAD_BYTES}. Keep it at most the servers' OPENKYC_GRPC_MAX_MESSAGE_BYTES.
     */
    public static final String ENV_MAX_VIDEO_UPLOAD_BYTES = "OPENKYC_GATEWAY_MAX_VIDEO_UPLOAD_BYTES";
    /** Deadline of each upstream call in milliseconds; default {@value #DEFAULT_UPSTREAM_TIMEOUT_MS}. */
    public static final String ENV_UPSTREAM_TIMEOUT_MS = "OPENKYC_UPSTREAM_TIMEOUT_MS";
    /**
     * Largest body of a JSON or form route that carries no image (every JSON route but
     * {@code POST /api/web/kycService/document}, whose data: URLs stay under {@link #ENV_MAX_BODY_BYTES});
     * default {@value #DEFAULT_MAX_JSON_BYTES}.
     */
    public static final String ENV_MAX_JSON_BYTES = "OPENKYC_GATEWAY_MAX_JSON_BYTES";
    /** Largest body of the signed liveness callback; default {@value #DEFAULT_MAX_CALLBACK_BYTES}. */
    public static final String ENV_MAX_CALLBACK_BYTES = "OPENKYC_GATEWAY_MAX_CALLBACK_BYTES";
    /** Deepest nesting of objects and arrays in a JSON body; default {@value #DEFAULT_MAX_JSON_DEPTH}. */
    public static final String ENV_MAX_JSON_DEPTH = "OPENKYC_GATEWAY_MAX_JSON_DEPTH";
    /** Most object keys, counted over the whole JSON body; default {@value #DEFAULT_MAX_JSON_KEYS}. */
    public static final String ENV_MAX_JSON_KEYS = "OPENKYC_GATEWAY_MAX_JSON_KEYS";
    /** Longest object key of a JSON body, in characters; default {@value #DEFAULT_MAX_JSON_NAME_CHARS}. */
    public static final String ENV_MAX_JSON_NAME_CHARS = "OPENKYC_GATEWAY_MAX_JSON_NAME_CHARS";
    /** Largest request header block (HTTP/1.1 headers, HTTP/2 header list) in bytes; default {@value #DEFAULT_MAX_HEADER_BYTES}. */
    public static final String ENV_MAX_HEADER_BYTES = "OPENKYC_GATEWAY_MAX_HEADER_BYTES";
    /** Longest request target (path and query) in bytes; default {@value #DEFAULT_MAX_URL_BYTES}. */
    public static final String ENV_MAX_URL_BYTES = "OPENKYC_GATEWAY_MAX_URL_BYTES";
    /**
     * Failed authentications (401) one client address may have per window before every further call of it is
     * answered 429 without calling upstream; default {@value #DEFAULT_AUTH_FAILURES_PER_WINDOW}; 0 turns the
     * throttle off.
     */
    public static final String ENV_AUTH_FAILURES_PER_WINDOW = "OPENKYC_GATEWAY_AUTH_FAILURES_PER_WINDOW";
    /** Length of the failed-authentication window in seconds; default {@value #DEFAULT_AUTH_FAILURE_WINDOW_SECONDS}. */
    public static final String ENV_AUTH_FAILURE_WINDOW_SECONDS = "OPENKYC_GATEWAY_AUTH_FAILURE_WINDOW_SECONDS";
    /**
     * Most client addresses (IPv6 counted per /64) whose failures are remembered at once; the least recently
     * seen is forgotten first; default {@value #DEFAULT_AUTH_TRACKED_ADDRESSES}.
     */
    public static final String ENV_AUTH_TRACKED_ADDRESSES = "OPENKYC_GATEWAY_AUTH_TRACKED_ADDRESSES";
    /**
     * Largest header or trailer block accepted from an upstream server in bytes; default
     * {@value #DEFAULT_UPSTREAM_MAX_METADATA_BYTES}.
     */
    public static final String ENV_UPSTREAM_MAX_METADATA_BYTES = "OPENKYC_UPSTREAM_MAX_METADATA_BYTES";
    /**
     * Which requests get an access log line: {@code all}, {@code sampled} (every answer with status 400 or over,
     * and one in {@link #ENV_ACCESS_LOG_SAMPLE} of the others) or {@code off}; default {@code sampled}.
     */
    public static final String ENV_ACCESS_LOG = "OPENKYC_GATEWAY_ACCESS_LOG";
    /** With {@code sampled}: one successful request in this many is logged; default {@value #DEFAULT_ACCESS_LOG_SAMPLE}. */
    public static final String ENV_ACCESS_LOG_SAMPLE = "OPENKYC_GATEWAY_ACCESS_LOG_SAMPLE";
    // Operating: the management port (health, readiness, metrics) and the log format
    /** Port of the plain-HTTP management server; 0 = a free port, -1 = off. */
    public static final String ENV_MANAGEMENT_PORT = "OPENKYC_GATEWAY_MANAGEMENT_PORT";
    /** Bind address of the management server; default loopback. */
    public static final String ENV_MANAGEMENT_HOST = "OPENKYC_GATEWAY_MANAGEMENT_HOST";
    /** {@code text} (default) or {@code json}: one JSON object per log line. */
    public static final String ENV_LOG_FORMAT = "OPENKYC_LOG_FORMAT";
    public static final int DEFAULT_MANAGEMENT_PORT = 9465;
    // Tracing: the standard OpenTelemetry variables; off unless an OTLP endpoint or a traces exporter is set
    /** {@code true} turns tracing off whatever else is set. */
    public static final String ENV_OTEL_SDK_DISABLED = "OTEL_SDK_DISABLED";
    public static final String DEFAULT_MANAGEMENT_HOST = "127.0.0.1";
    // Upstream health checks
    /**
     * How often each upstream replica is asked the standard gRPC health check ({@code grpc.health.v1.Health/Check},
     * service ""), in milliseconds; a replica that does not answer SERVING gets no new requests until it does
     * again; default {@value #DEFAULT_UPSTREAM_HEALTH_INTERVAL_MS}.
     */
    public static final String ENV_UPSTREAM_HEALTH_INTERVAL_MS = "OPENKYC_GATEWAY_UPSTREAM_HEALTH_INTERVAL_MS";
    /** How long one health check may take before the replica counts as down, in milliseconds; default
     * {@value #DEFAULT_UPSTREAM_HEALTH_TIMEOUT_MS}. */
    public static final String ENV_UPSTREAM_HEALTH_TIMEOUT_MS = "OPENKYC_GATEWAY_UPSTREAM_HEALTH_TIMEOUT_MS";
    // Reviewer console
    /** Minutes a reviewer console session lasts after sign-in (1-720); default {@value #DEFAULT_CONSOLE_SESSION_MINUTES}. */
    public static final String ENV_CONSOLE_SESSION_MINUTES = "OPENKYC_CONSOLE_SESSION_MINUTES";
    public static final int DEFAULT_CONSOLE_SESSION_MINUTES = 30;

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8443;
    public static final String DEFAULT_DEV_CERT_DIR = "./data/tls";
    public static final long DEFAULT_MAX_BODY_BYTES = 26_214_400L;
    /** 20 MiB: a front and a back image, or a selfie, with room for the form. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 20_971_520L;
    /** 60 MiB: three videos of up to 20 MiB each; under the servers' default 64 MiB message limit. */
    public static final long DEFAULT_MAX_VIDEO_UPLOAD_BYTES = 62_914_560L;
    public static final long DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000L;
    /** 1 MiB: a JSON call without images is a few KiB. */
    public static final long DEFAULT_MAX_JSON_BYTES = 1_048_576L;
    /** 64 KiB: a liveness callback is a few hundred bytes. */
    public static final long DEFAULT_MAX_CALLBACK_BYTES = 65_536L;
    public static final int DEFAULT_MAX_JSON_DEPTH = 32;
    public static final int DEFAULT_MAX_JSON_KEYS = 10_000;
    public static final int DEFAULT_MAX_JSON_NAME_CHARS = 256;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16_384;
    public static final int DEFAULT_MAX_URL_BYTES = 4096;
    public static final int DEFAULT_AUTH_FAILURES_PER_WINDOW = 30;
    public static final long DEFAULT_AUTH_FAILURE_WINDOW_SECONDS = 60L;
    public static final int DEFAULT_AUTH_TRACKED_ADDRESSES = 65_536;
    /** 256 KiB: far above what a server sends (status messages are bounded), so no answer fails on it. */
    public static final int DEFAULT_UPSTREAM_MAX_METADATA_BYTES = 262_144;
    public static final AccessLog DEFAULT_ACCESS_LOG = AccessLog.SAMPLED;
    public static final int DEFAULT_ACCESS_LOG_SAMPLE = 100;
    // Upstream health checks
    public static final long DEFAULT_UPSTREAM_HEALTH_INTERVAL_MS = 1000L;
    public static final long DEFAULT_UPSTREAM_HEALTH_TIMEOUT_MS = 1000L;

    /** Which requests the access log records (see {@link #ENV_ACCESS_LOG}). */
    public enum AccessLog {
        /** Every request. */
        ALL,
        /** Every answer with status 400 or over, and one in {@link #accessLogSample()} of the others. */
        SAMPLED,
        /** None. */
        OFF;

        static AccessLog parse(String text) {
            switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "all": return ALL;
                case "sampled": return SAMPLED;
                case "off": return OFF;
                default: throw new IllegalArgumentException(
                        ENV_ACCESS_LOG + " must be all, sampled or off, got '" + text + "'");
            }
        }
    }

    /** One upstream server replica address. */
    public record Upstream(String host, int port) {
        public Upstream {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException(ENV_UPSTREAMS + ": an upstream host is empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(
                        ENV_UPSTREAMS + ": port of upstream '" + host + "' must be 1-65535, got " + port);
            }
        }

        /** Parses {@code host:port} or {@code [ipv6]:port}. */
        public static Upstream parse(String text) {
            final String s = text.trim();
            final String host;
            final String portText;
            if (s.startsWith("[")) {
                final int close = s.indexOf(']');
                if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException(
                            ENV_UPSTREAMS + ": '" + s + "' is not [ipv6]:port");
                }
                host = s.substring(1, close);
                portText = s.substring(close + 2);
            } else {
                final int colon = s.lastIndexOf(':');
                if (colon <= 0 || colon == s.length() - 1 || s.indexOf(':') != colon) {
                    throw new IllegalArgumentException(
                            ENV_UPSTREAMS + ": '" + s + "' is not host:port (e.g. 127.0.0.1:9090)");
                }
                host = s.substring(0, colon);
                portText = s.substring(colon + 1);
            }
            final int port;
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        ENV_UPSTREAMS + ": port of '" + s + "' is not a number");
            }
            return new Upstream(host, port);
        }

        /** {@code host:port}, with brackets around an IPv6 literal. */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? '[' + host + ']' : host) + ':' + port;
        }
    }

    private final String host;
    private final int port;
    private final List<Upstream> upstreams;
    private final Path tlsCert;
    private final Path tlsKey;
    private final Path devCertDir;
    private final Path upstreamCa;
    private final long maxBodyBytes;
    private final long maxUploadBytes;
    private final long maxVideoUploadBytes;
    private final Duration upstreamTimeout;
    private final long maxJsonBytes;
    private final long maxCallbackBytes;
    private final int maxJsonDepth;
    private final int maxJsonKeys;
    private final int maxJsonNameChars;
    private final int maxHeaderBytes;
    private final int maxUrlBytes;
    private final int authFailuresPerWindow;
    private final Duration authFailureWindow;
    private final int authTrackedAddresses;
    private final int upstreamMaxMetadataBytes;
    /** A server in the same JVM called without a socket (the local product), or null; never from the environment. */
    private final String inProcessUpstream;
    private final AccessLog accessLog;
    private final int accessLogSample;
    // Operating
    private final String managementHost;
    private final int managementPort;
    private final String logFormat;
    // Upstream health checks
    private final Duration upstreamHealthInterval;
    private final Duration upstreamHealthTimeout;
    // Reviewer console
    private final Duration consoleSession;
    // Tracing
    private final Map<String, String> otel;

    private GatewayConfig(Builder b) {
        host = b.host == null ? DEFAULT_HOST : b.host.trim();
        if (host.isEmpty()) {
            throw new IllegalArgumentException(ENV_HOST + " must not be empty");
        }
        port = b.port;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(ENV_PORT + " must be 0-65535 (0 = any free port), got " + port);
        }
        if (b.upstreams.isEmpty()) {
            throw new IllegalArgumentException(
                    ENV_UPSTREAMS + " is required: a comma-separated host:port list of the server replicas, "
                    + "e.g. 127.0.0.1:9090,127.0.0.1:9091");
        }
        upstreams = List.copyOf(b.upstreams);
        if ((b.tlsCert == null) != (b.tlsKey == null)) {
            throw new IllegalArgumentException(
                    ENV_TLS_CERT + " and " + ENV_TLS_KEY + " must be set together (or neither, "
                    + "to use a generated development certificate)");
        }
        tlsCert = requireReadableFile(ENV_TLS_CERT, b.tlsCert);
        tlsKey = requireReadableFile(ENV_TLS_KEY, b.tlsKey);
        upstreamCa = requireReadableFile(ENV_UPSTREAM_CA, b.upstreamCa);
        devCertDir = b.devCertDir == null ? Path.of(DEFAULT_DEV_CERT_DIR) : b.devCertDir;
        if (Files.exists(devCertDir) && !Files.isDirectory(devCertDir)) {
            throw new IllegalArgumentException(ENV_DEV_CERT_DIR + ": '" + devCertDir + "' is not a directory");
        }
        maxBodyBytes = b.maxBodyBytes;
        if (maxBodyBytes < 1024 || maxBodyBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    ENV_MAX_BODY_BYTES + " must be between 1024 and " + Integer.MAX_VALUE + ", got " + maxBodyBytes);
        }
        maxUploadBytes = b.maxUploadBytes;
        if (maxUploadBytes < 1024 || maxUploadBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(ENV_MAX_UPLOAD_BYTES + " must be between 1024 and "
                                               + Integer.MAX_VALUE + ", got " + maxUploadBytes);
        }
        maxVideoUploadBytes = b.maxVideoUploadBytes;
        if (maxVideoUploadBytes < 1024 || maxVideoUploadBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(ENV_MAX_VIDEO_UPLOAD_BYTES + " must be between 1024 and "
                                               + Integer.MAX_VALUE + ", got " + maxVideoUploadBytes);
        }
        upstreamTimeout = Objects.requireNonNull(b.upstreamTimeout, "upstreamTimeout");
        if (upstreamTimeout.isNegative() || upstreamTimeout.isZero()
            || upstreamTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(
                    ENV_UPSTREAM_TIMEOUT_MS + " must be between 1 and 3600000 ms, got " + upstreamTimeout.toMillis());
        }
        // Never above the general body limit, which stays the ceiling of every JSON route.
        maxJsonBytes = Math.min(maxBodyBytes, range(ENV_MAX_JSON_BYTES, b.maxJsonBytes, 1024, Integer.MAX_VALUE));
        maxCallbackBytes = Math.min(maxBodyBytes,
                                    range(ENV_MAX_CALLBACK_BYTES, b.maxCallbackBytes, 1024, Integer.MAX_VALUE));
        maxJsonDepth = (int) range(ENV_MAX_JSON_DEPTH, b.maxJsonDepth, 4, 1000);
        maxJsonKeys = (int) range(ENV_MAX_JSON_KEYS, b.maxJsonKeys, 16, 10_000_000);
        maxJsonNameChars = (int) range(ENV_MAX_JSON_NAME_CHARS, b.maxJsonNameChars, 16, 1_000_000);
        maxHeaderBytes = (int) range(ENV_MAX_HEADER_BYTES, b.maxHeaderBytes, 4096, 1_048_576);
        maxUrlBytes = (int) range(ENV_MAX_URL_BYTES, b.maxUrlBytes, 1024, 65_536);
        authFailuresPerWindow = (int) range(ENV_AUTH_FAILURES_PER_WINDOW, b.authFailuresPerWindow, 0, 1_000_000);
        authFailureWindow = Objects.requireNonNull(b.authFailureWindow, "authFailureWindow");
        range(ENV_AUTH_FAILURE_WINDOW_SECONDS, authFailureWindow.getSeconds(), 1, 86_400);
        authTrackedAddresses = (int) range(ENV_AUTH_TRACKED_ADDRESSES, b.authTrackedAddresses, 16, 10_000_000);
        upstreamMaxMetadataBytes = (int) range(ENV_UPSTREAM_MAX_METADATA_BYTES, b.upstreamMaxMetadataBytes,
                                               8192, 16_777_216);
        accessLog = Objects.requireNonNull(b.accessLog, ENV_ACCESS_LOG);
        accessLogSample = (int) range(ENV_ACCESS_LOG_SAMPLE, b.accessLogSample, 1, 1_000_000);
        // Operating
        if (b.managementHost == null || b.managementHost.isBlank()) {
            throw new IllegalArgumentException(ENV_MANAGEMENT_HOST + " must not be empty");
        }
        managementHost = b.managementHost.trim();
        managementPort = (int) range(ENV_MANAGEMENT_PORT, b.managementPort, -1, 65535);
        logFormat = logFormat(b.logFormat);
        inProcessUpstream = b.inProcessUpstream;
        // Upstream health checks
        upstreamHealthInterval = Duration.ofMillis(range(ENV_UPSTREAM_HEALTH_INTERVAL_MS,
                                                         b.upstreamHealthInterval.toMillis(), 50, 600_000));
        upstreamHealthTimeout = Duration.ofMillis(range(ENV_UPSTREAM_HEALTH_TIMEOUT_MS,
                                                        b.upstreamHealthTimeout.toMillis(), 10, 60_000));
        // Reviewer console
        consoleSession = Duration.ofMinutes(range(ENV_CONSOLE_SESSION_MINUTES, b.consoleSessionMinutes, 1, 720));
        // Tracing
        final String otelDisabled = b.otel.get(ENV_OTEL_SDK_DISABLED);
        if (otelDisabled != null && !"true".equalsIgnoreCase(otelDisabled) && !"false".equalsIgnoreCase(otelDisabled)) {
            throw new IllegalArgumentException(ENV_OTEL_SDK_DISABLED + " must be true or false, was " + otelDisabled);
        }
        for (String protocol : new String[] {"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"}) {
            final String given = b.otel.get(protocol);
            if (given != null && !"http/protobuf".equals(given)) {
                throw new IllegalArgumentException(protocol + " must be http/protobuf (OTLP over HTTP), was " + given);
            }
        }
        otel = Map.copyOf(b.otel);
    }

    private static String logFormat(String text) {
        // Exactly as the logging configuration reads it: lower case, no spaces.
        final String f = text == null ? "text" : text;
        if (!"text".equals(f) && !"json".equals(f)) {
            throw new IllegalArgumentException(ENV_LOG_FORMAT + " must be text or json, got '" + text + "'");
        }
        return f;
    }

    private static long range(String variable, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(variable + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static Path requireReadableFile(String variable, Path file) {
        if (file == null) {
            return null;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(variable + ": '" + file + "' is not a readable file");
        }
        return file;
    }

    /**
     * Reads the configuration from environment variables ({@code System.getenv()} in production, a
     * plain map in tests). Unset or blank variables take their defaults.
     *
     * @throws IllegalArgumentException naming the variable when a value is missing or invalid
     */
    public static GatewayConfig fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        final Builder b = builder();
        final String host = value(env, ENV_HOST);
        if (host != null) {
            b.host(host);
        }
        final String port = value(env, ENV_PORT);
        if (port != null) {
            b.port((int) parseLong(ENV_PORT, port, 0, 65535));
        }
        final String upstreams = value(env, ENV_UPSTREAMS);
        if (upstreams != null) {
            b.upstreams(upstreams);
        }
        final String cert = value(env, ENV_TLS_CERT);
        if (cert != null) {
            b.tlsCert(path(ENV_TLS_CERT, cert));
        }
        final String key = value(env, ENV_TLS_KEY);
        if (key != null) {
            b.tlsKey(path(ENV_TLS_KEY, key));
        }
        final String devDir = value(env, ENV_DEV_CERT_DIR);
        if (devDir != null) {
            b.devCertDir(path(ENV_DEV_CERT_DIR, devDir));
        }
        final String ca = value(env, ENV_UPSTREAM_CA);
        if (ca != null) {
            b.upstreamCa(path(ENV_UPSTREAM_CA, ca));
        }
        final String maxBody = value(env, ENV_MAX_BODY_BYTES);
        if (maxBody != null) {
            b.maxBodyBytes(parseLong(ENV_MAX_BODY_BYTES, maxBody, 1024, Integer.MAX_VALUE));
        }
        final String maxUpload = value(env, ENV_MAX_UPLOAD_BYTES);
        if (maxUpload != null) {
            b.maxUploadBytes(parseLong(ENV_MAX_UPLOAD_BYTES, maxUpload, 1024, Integer.MAX_VALUE));
        }
        final String maxVideoUpload = value(env, ENV_MAX_VIDEO_UPLOAD_BYTES);
        if (maxVideoUpload != null) {
            b.maxVideoUploadBytes(parseLong(ENV_MAX_VIDEO_UPLOAD_BYTES, maxVideoUpload, 1024, Integer.MAX_VALUE));
        }
        final String timeout = value(env, ENV_UPSTREAM_TIMEOUT_MS);
        if (timeout != null) {
            b.upstreamTimeout(Duration.ofMillis(parseLong(ENV_UPSTREAM_TIMEOUT_MS, timeout, 1, 3_600_000)));
        }
        final String maxJson = value(env, ENV_MAX_JSON_BYTES);
        if (maxJson != null) {
            b.maxJsonBytes(parseLong(ENV_MAX_JSON_BYTES, maxJson, 1024, Integer.MAX_VALUE));
        }
        final String maxCallback = value(env, ENV_MAX_CALLBACK_BYTES);
        if (maxCallback != null) {
            b.maxCallbackBytes(parseLong(ENV_MAX_CALLBACK_BYTES, maxCallback, 1024, Integer.MAX_VALUE));
        }
        final String depth = value(env, ENV_MAX_JSON_DEPTH);
        if (depth != null) {
            b.maxJsonDepth((int) parseLong(ENV_MAX_JSON_DEPTH, depth, 4, 1000));
        }
        final String keys = value(env, ENV_MAX_JSON_KEYS);
        if (keys != null) {
            b.maxJsonKeys((int) parseLong(ENV_MAX_JSON_KEYS, keys, 16, 10_000_000));
        }
        final String nameChars = value(env, ENV_MAX_JSON_NAME_CHARS);
        if (nameChars != null) {
            b.maxJsonNameChars((int) parseLong(ENV_MAX_JSON_NAME_CHARS, nameChars, 16, 1_000_000));
        }
        final String headerBytes = value(env, ENV_MAX_HEADER_BYTES);
        if (headerBytes != null) {
            b.maxHeaderBytes((int) parseLong(ENV_MAX_HEADER_BYTES, headerBytes, 4096, 1_048_576));
        }
        final String urlBytes = value(env, ENV_MAX_URL_BYTES);
        if (urlBytes != null) {
            b.maxUrlBytes((int) parseLong(ENV_MAX_URL_BYTES, urlBytes, 1024, 65_536));
        }
        final String failures = value(env, ENV_AUTH_FAILURES_PER_WINDOW);
        if (failures != null) {
            b.authFailuresPerWindow((int) parseLong(ENV_AUTH_FAILURES_PER_WINDOW, failures, 0, 1_000_000));
        }
        final String window = value(env, ENV_AUTH_FAILURE_WINDOW_SECONDS);
        if (window != null) {
            b.authFailureWindow(Duration.ofSeconds(parseLong(ENV_AUTH_FAILURE_WINDOW_SECONDS, window, 1, 86_400)));
        }
        final String tracked = value(env, ENV_AUTH_TRACKED_ADDRESSES);
        if (tracked != null) {
            b.authTrackedAddresses((int) parseLong(ENV_AUTH_TRACKED_ADDRESSES, tracked, 16, 10_000_000));
        }
        final String metadata = value(env, ENV_UPSTREAM_MAX_METADATA_BYTES);
        if (metadata != null) {
            b.upstreamMaxMetadataBytes((int) parseLong(ENV_UPSTREAM_MAX_METADATA_BYTES, metadata, 8192, 16_777_216));
        }
        final String accessLog = value(env, ENV_ACCESS_LOG);
        if (accessLog != null) {
            b.accessLog(AccessLog.parse(accessLog));
        }
        final String sample = value(env, ENV_ACCESS_LOG_SAMPLE);
        if (sample != null) {
            b.accessLogSample((int) parseLong(ENV_ACCESS_LOG_SAMPLE, sample, 1, 1_000_000));
        }
        // Operating
        final String managementHost = value(env, ENV_MANAGEMENT_HOST);
        if (managementHost != null) {
            b.managementHost(managementHost);
        }
        final String managementPort = value(env, ENV_MANAGEMENT_PORT);
        b.managementPort(managementPort == null ? DEFAULT_MANAGEMENT_PORT
                                                : (int) parseLong(ENV_MANAGEMENT_PORT, managementPort, -1, 65535));
        final String logFormat = env.get(ENV_LOG_FORMAT);
        b.logFormat(logFormat == null || logFormat.isEmpty() ? null : logFormat);
        // Upstream health checks
        final String healthInterval = value(env, ENV_UPSTREAM_HEALTH_INTERVAL_MS);
        if (healthInterval != null) {
            b.upstreamHealthInterval(Duration.ofMillis(parseLong(ENV_UPSTREAM_HEALTH_INTERVAL_MS, healthInterval,
                                                                 50, 600_000)));
        }
        final String healthTimeout = value(env, ENV_UPSTREAM_HEALTH_TIMEOUT_MS);
        if (healthTimeout != null) {
            b.upstreamHealthTimeout(Duration.ofMillis(parseLong(ENV_UPSTREAM_HEALTH_TIMEOUT_MS, healthTimeout,
                                                                10, 60_000)));
        }
        // Reviewer console
        final String consoleMinutes = value(env, ENV_CONSOLE_SESSION_MINUTES);
        if (consoleMinutes != null) {
            b.consoleSessionMinutes((int) parseLong(ENV_CONSOLE_SESSION_MINUTES, consoleMinutes, 1, 720));
        }
        // Tracing
        b.otel(env);
        return b.build();
    }

    private static String value(Map<String, String> env, String name) {
        final String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static long parseLong(String variable, String text, long min, long max) {
        final long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a whole number, got '" + text + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(variable + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    private static Path path(String variable, String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(variable + ": '" + text + "' is not a valid path");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration, to derive a changed copy. */
    public Builder toBuilder() {
        final Builder b = new Builder().host(host).port(port).tlsCert(tlsCert).tlsKey(tlsKey)
                                       .devCertDir(devCertDir).upstreamCa(upstreamCa)
                                       .maxBodyBytes(maxBodyBytes).maxUploadBytes(maxUploadBytes)
                                       .maxVideoUploadBytes(maxVideoUploadBytes).upstreamTimeout(upstreamTimeout)
                                       .maxJsonBytes(maxJsonBytes).maxCallbackBytes(maxCallbackBytes)
                                       .maxJsonDepth(maxJsonDepth).maxJsonKeys(maxJsonKeys)
                                       .maxJsonNameChars(maxJsonNameChars).maxHeaderBytes(maxHeaderBytes)
                                       .maxUrlBytes(maxUrlBytes)
                                       .authFailuresPerWindow(authFailuresPerWindow)
                                       .authFailureWindow(authFailureWindow)
                                       .authTrackedAddresses(authTrackedAddresses)
                                       .upstreamMaxMetadataBytes(upstreamMaxMetadataBytes)
                                       .accessLog(accessLog).accessLogSample(accessLogSample)
                                       .managementHost(managementHost).managementPort(managementPort)
                                       .logFormat(logFormat).inProcessUpstream(inProcessUpstream)
                                       // Upstream health checks
                                       .upstreamHealthInterval(upstreamHealthInterval)
                                       .upstreamHealthTimeout(upstreamHealthTimeout)
                                       // Reviewer console
                                       .consoleSessionMinutes((int) consoleSession.toMinutes())
                                       // Tracing
                                       .otel(otel);
        b.upstreams.addAll(upstreams);
        return b;
    }

    /** Bind address of the HTTPS port. */
    public String host() {
        return host;
    }

    /** HTTPS port; 0 means a free port chosen at start ({@link Gateway#httpsPort()} tells which). */
    public int port() {
        return port;
    }

    /** The upstream server replicas, never empty. */
    public List<Upstream> upstreams() {
        return upstreams;
    }

    /** The production certificate chain, when configured. */
    public Optional<Path> tlsCert() {
        return Optional.ofNullable(tlsCert);
    }

    /** The production private key, when configured. */
    public Optional<Path> tlsKey() {
        return Optional.ofNullable(tlsKey);
    }

    /** Where the development certificate is kept when no production certificate is configured. */
    public Path devCertDir() {
        return devCertDir;
    }

    /** CA certificate(s) trusted for upstream TLS; empty means plaintext to the upstreams. */
    public Optional<Path> upstreamCa() {
        return Optional.ofNullable(upstreamCa);
    }

    /** Largest accepted request body in bytes on routes without their own upload limit. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Largest body of an image upload route (multipart step 1, step 2, document upload). */
    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /** Largest body of the video upload route (liveness verify). */
    public long maxVideoUploadBytes() {
        return maxVideoUploadBytes;
    }

    /** Deadline of each upstream call. */
    public Duration upstreamTimeout() {
        return upstreamTimeout;
    }

    /** Largest body of a JSON or form route without images. */
    public long maxJsonBytes() {
        return maxJsonBytes;
    }

    /** Largest body of the liveness callback. */
    public long maxCallbackBytes() {
        return maxCallbackBytes;
    }

    /** Deepest nesting of a JSON body. */
    public int maxJsonDepth() {
        return maxJsonDepth;
    }

    /** Most object keys of a JSON body. */
    public int maxJsonKeys() {
        return maxJsonKeys;
    }

    /** Longest object key of a JSON body, in characters. */
    public int maxJsonNameChars() {
        return maxJsonNameChars;
    }

    /** Largest request header block in bytes. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** Longest request target (path and query) in bytes. */
    public int maxUrlBytes() {
        return maxUrlBytes;
    }

    /** Failed authentications per client address and window before 429; 0 when the throttle is off. */
    public int authFailuresPerWindow() {
        return authFailuresPerWindow;
    }

    /** The failed-authentication window. */
    public Duration authFailureWindow() {
        return authFailureWindow;
    }

    /** Most client addresses tracked by the failed-authentication throttle. */
    public int authTrackedAddresses() {
        return authTrackedAddresses;
    }

    /** Largest header or trailer block accepted from an upstream server. */
    public int upstreamMaxMetadataBytes() {
        return upstreamMaxMetadataBytes;
    }

    /** Which requests get an access log line. */
    public AccessLog accessLog() {
        return accessLog;
    }

    /** With {@link AccessLog#SAMPLED}: one successful request in this many is logged. */
    public int accessLogSample() {
        return accessLogSample;
    }

    /** Bind address of the management server. */
    public String managementHost() {
        return managementHost;
    }

    /** Port of the management server: 0 = a free port, -1 = off. */
    public int managementPort() {
        return managementPort;
    }

    /** {@code text} or {@code json}. */
    public String logFormat() {
        return logFormat;
    }

    /**
     * The in-process name of a server in the same JVM that calls are forwarded to instead of the upstream
     * addresses (whose health is still checked); set by the local product, not by the environment.
     */
    public Optional<String> inProcessUpstream() {
        return Optional.ofNullable(inProcessUpstream);
    }

    // Upstream health checks
    /** How often each upstream replica's gRPC health is checked. */
    public Duration upstreamHealthInterval() {
        return upstreamHealthInterval;
    }

    /** How long one upstream health check may take before the replica counts as down. */
    public Duration upstreamHealthTimeout() {
        return upstreamHealthTimeout;
    }

    /** The {@code OTEL_*} variables given (tracing: see {@link Spans}). */
    public Map<String, String> otel() {
        return otel;
    }

    /**
     * The retry advice (whole seconds, at least 1) given with an answer the gateway makes when a replica fails
     * mid-call: by then a dead replica has been found out by its health check and gets no more requests.
     */
    public long upstreamRetryAfterSeconds() {
        final long millis = upstreamHealthInterval.toMillis() + upstreamHealthTimeout.toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    /** How long a reviewer console session lasts after sign-in. */
    public Duration consoleSession() {
        return consoleSession;
    }

    @Override
    public String toString() {
        return "GatewayConfig{host=" + host + ", port=" + port + ", upstreams=" + upstreams
               + ", tls=" + (tlsCert != null ? tlsCert : "dev certificate in " + devCertDir)
               + ", upstreamTls=" + (upstreamCa != null ? "CA " + upstreamCa : "plaintext")
               + ", maxBodyBytes=" + maxBodyBytes + ", maxUploadBytes=" + maxUploadBytes
               + ", maxVideoUploadBytes=" + maxVideoUploadBytes + ", upstreamTimeout=" + upstreamTimeout.toMillis() + "ms"
               + ", maxJsonBytes=" + maxJsonBytes + ", maxCallbackBytes=" + maxCallbackBytes
               + ", maxJsonDepth=" + maxJsonDepth + ", maxJsonKeys=" + maxJsonKeys
               + ", maxJsonNameChars=" + maxJsonNameChars + ", maxHeaderBytes=" + maxHeaderBytes
               + ", maxUrlBytes=" + maxUrlBytes
               + ", authFailuresPerWindow=" + authFailuresPerWindow + ", authFailureWindow="
               + authFailureWindow.getSeconds() + "s, authTrackedAddresses=" + authTrackedAddresses
               + ", upstreamMaxMetadataBytes=" + upstreamMaxMetadataBytes
               + (inProcessUpstream != null ? ", upstream in process" : "")
               + ", accessLog=" + accessLog.name().toLowerCase(java.util.Locale.ROOT)
               + (accessLog == AccessLog.SAMPLED ? " (1 in " + accessLogSample + " successes)" : "")
               + ", management=" + managementHost + ':' + managementPort + ", logFormat=" + logFormat
               + ", upstreamHealthInterval=" + upstreamHealthInterval.toMillis() + "ms"
               + ", upstreamHealthTimeout=" + upstreamHealthTimeout.toMillis() + "ms"
               + ", consoleSession=" + consoleSession.toMinutes() + "min}";
    }

    /** Builder of {@link GatewayConfig}; {@link #build()} validates. */
    public static final class Builder {
        private String host;
        private int port = DEFAULT_PORT;
        private final List<Upstream> upstreams = new ArrayList<>();
        private Path tlsCert;
        private Path tlsKey;
        private Path devCertDir;
        private Path upstreamCa;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
        private long maxVideoUploadBytes = DEFAULT_MAX_VIDEO_UPLOAD_BYTES;
        private Duration upstreamTimeout = Duration.ofMillis(DEFAULT_UPSTREAM_TIMEOUT_MS);
        private long maxJsonBytes = DEFAULT_MAX_JSON_BYTES;
        private long maxCallbackBytes = DEFAULT_MAX_CALLBACK_BYTES;
        private int maxJsonDepth = DEFAULT_MAX_JSON_DEPTH;
        private int maxJsonKeys = DEFAULT_MAX_JSON_KEYS;
        private int maxJsonNameChars = DEFAULT_MAX_JSON_NAME_CHARS;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private int maxUrlBytes = DEFAULT_MAX_URL_BYTES;
        private int authFailuresPerWindow = DEFAULT_AUTH_FAILURES_PER_WINDOW;
        private Duration authFailureWindow = Duration.ofSeconds(DEFAULT_AUTH_FAILURE_WINDOW_SECONDS);
        private int authTrackedAddresses = DEFAULT_AUTH_TRACKED_ADDRESSES;
        private int upstreamMaxMetadataBytes = DEFAULT_UPSTREAM_MAX_METADATA_BYTES;
        private AccessLog accessLog = DEFAULT_ACCESS_LOG;
        private int accessLogSample = DEFAULT_ACCESS_LOG_SAMPLE;
        // Operating
        private String managementHost = DEFAULT_MANAGEMENT_HOST;
        /** Off unless asked for (the environment's default is {@link #DEFAULT_MANAGEMENT_PORT}). */
        private int managementPort = -1;
        private String logFormat;
        private String inProcessUpstream;
        // Upstream health checks
        private Duration upstreamHealthInterval = Duration.ofMillis(DEFAULT_UPSTREAM_HEALTH_INTERVAL_MS);
        private Duration upstreamHealthTimeout = Duration.ofMillis(DEFAULT_UPSTREAM_HEALTH_TIMEOUT_MS);
        // Reviewer console
        private int consoleSessionMinutes = DEFAULT_CONSOLE_SESSION_MINUTES;
        // Tracing
        private final Map<String, String> otel = new java.util.TreeMap<>();

        private Builder() {}

        public Builder consoleSessionMinutes(int minutes) {
            consoleSessionMinutes = minutes;
            return this;
        }

        public Builder maxJsonBytes(long bytes) {
            maxJsonBytes = bytes;
            return this;
        }

        public Builder maxCallbackBytes(long bytes) {
            maxCallbackBytes = bytes;
            return this;
        }

        public Builder maxJsonDepth(int depth) {
            maxJsonDepth = depth;
            return this;
        }

        public Builder maxJsonKeys(int keys) {
            maxJsonKeys = keys;
            return this;
        }

        public Builder maxJsonNameChars(int chars) {
            maxJsonNameChars = chars;
            return this;
        }

        public Builder maxHeaderBytes(int bytes) {
            maxHeaderBytes = bytes;
            return this;
        }

        public Builder maxUrlBytes(int bytes) {
            maxUrlBytes = bytes;
            return this;
        }

        public Builder authFailuresPerWindow(int failures) {
            authFailuresPerWindow = failures;
            return this;
        }

        public Builder authFailureWindow(Duration window) {
            authFailureWindow = window;
            return this;
        }

        public Builder authTrackedAddresses(int addresses) {
            authTrackedAddresses = addresses;
            return this;
        }

        /** See {@link GatewayConfig#inProcessUpstream()}; null for none. */
        public Builder inProcessUpstream(String name) {
            inProcessUpstream = name;
            return this;
        }

        public Builder upstreamMaxMetadataBytes(int bytes) {
            upstreamMaxMetadataBytes = bytes;
            return this;
        }

        public Builder accessLog(AccessLog mode) {
            accessLog = mode;
            return this;
        }

        public Builder accessLogSample(int oneIn) {
            accessLogSample = oneIn;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Replaces the upstreams with a comma-separated {@code host:port} list. */
        public Builder upstreams(String commaSeparated) {
            Objects.requireNonNull(commaSeparated, "commaSeparated");
            upstreams.clear();
            for (String part : commaSeparated.split(",")) {
                if (!part.isBlank()) {
                    upstreams.add(Upstream.parse(part));
                }
            }
            return this;
        }

        /** Replaces the upstreams. */
        public Builder upstreams(List<Upstream> list) {
            upstreams.clear();
            upstreams.addAll(list);
            return this;
        }

        /** Adds one upstream replica. */
        public Builder addUpstream(String host, int port) {
            upstreams.add(new Upstream(host, port));
            return this;
        }

        public Builder tlsCert(Path certChainPem) {
            tlsCert = certChainPem;
            return this;
        }

        public Builder tlsKey(Path privateKeyPem) {
            tlsKey = privateKeyPem;
            return this;
        }

        public Builder devCertDir(Path dir) {
            devCertDir = dir;
            return this;
        }

        public Builder upstreamCa(Path caPem) {
            upstreamCa = caPem;
            return this;
        }

        public Builder maxBodyBytes(long bytes) {
            maxBodyBytes = bytes;
            return this;
        }

        public Builder maxUploadBytes(long bytes) {
            maxUploadBytes = bytes;
            return this;
        }

        public Builder maxVideoUploadBytes(long bytes) {
            maxVideoUploadBytes = bytes;
            return this;
        }

        public Builder upstreamTimeout(Duration timeout) {
            upstreamTimeout = timeout;
            return this;
        }

        // Operating
        public Builder managementHost(String host) {
            managementHost = host;
            return this;
        }

        public Builder managementPort(int port) {
            managementPort = port;
            return this;
        }

        public Builder logFormat(String format) {
            logFormat = format;
            return this;
        }

        // Upstream health checks
        public Builder upstreamHealthInterval(Duration interval) {
            upstreamHealthInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        public Builder upstreamHealthTimeout(Duration timeout) {
            upstreamHealthTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        // Tracing
        /** The {@code OTEL_*} entries of the given variables (others are ignored). */
        public Builder otel(Map<String, String> variables) {
            otel.clear();
            variables.forEach((k, v) -> {
                if (k.startsWith("OTEL_") && v != null && !v.isBlank()) {
                    otel.put(k, v.strip());
                }
            });
            return this;
        }

        public GatewayConfig build() {
            return new GatewayConfig(this);
        }
    }
}
