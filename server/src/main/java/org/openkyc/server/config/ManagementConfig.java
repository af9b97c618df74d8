package org.openkyc.server.config;

import java.time.Duration;
import java.util.Map;

/**
 * Operating the server: the management port (health, readiness, metrics; plain HTTP, loopback by default,
 * never the public gRPC port), how often the database is checked for health, and the log format.
 * Immutable; validated at construction with a message naming the variable.
 */
public final class ManagementConfig {

    public static final String ENV_PORT = "OPENKYC_MANAGEMENT_PORT";
    public static final String ENV_HOST = "OPENKYC_MANAGEMENT_HOST";
    public static final String ENV_DB_CHECK_MS = "OPENKYC_DB_CHECK_INTERVAL_MS";
    public static final String ENV_LOG_FORMAT = "OPENKYC_LOG_FORMAT";

    public static final int DEFAULT_PORT = 9464;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_DB_CHECK_INTERVAL = Duration.ofSeconds(2);

    /** One line per event: readable text, or one JSON object per line. */
    public enum LogFormat { TEXT, JSON }

    private final String host;
    private final int port;
    private final Duration dbCheckInterval;
    private final LogFormat logFormat;

    public ManagementConfig(String host, int port, Duration dbCheckInterval, LogFormat logFormat) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(ENV_HOST + " must not be empty");
        }
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException(ENV_PORT + " must be 0-65535 (0 = any free port, -1 = off), was "
                    + port);
        }
        if (dbCheckInterval == null || dbCheckInterval.toMillis() < 100 || dbCheckInterval.toMillis() > 60_000) {
            throw new IllegalArgumentException(ENV_DB_CHECK_MS + " must be 100-60000");
        }
        this.host = host.strip();
        this.port = port;
        this.dbCheckInterval = dbCheckInterval;
        this.logFormat = java.util.Objects.requireNonNull(logFormat, ENV_LOG_FORMAT);
    }

    /**
     * What a server built in code (not from the environment) gets: no management port, a database check
     * every 2 s, text logs. The environment's default port is {@value #DEFAULT_PORT}.
     */
    public static ManagementConfig defaults() {
        return new ManagementConfig(DEFAULT_HOST, -1, DEFAULT_DB_CHECK_INTERVAL, LogFormat.TEXT);
    }

    public static ManagementConfig fromEnvironment(Map<String, String> env) {
        String host = env.get(ENV_HOST);
        return new ManagementConfig(host == null || host.isBlank() ? DEFAULT_HOST : host,
                EnvVars.intVar(env, ENV_PORT, DEFAULT_PORT),
                Duration.ofMillis(EnvVars.intVar(env, ENV_DB_CHECK_MS, (int) DEFAULT_DB_CHECK_INTERVAL.toMillis())),
                logFormat(env.get(ENV_LOG_FORMAT)));
    }

    /** {@code text} (default) or {@code json}. */
    public static LogFormat logFormat(String value) {
        if (value == null || value.isEmpty()) {
            return LogFormat.TEXT;
        }
        // Exactly as the logging configuration reads it: lower case, no spaces.
        return switch (value) {
            case "text" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> throw new IllegalArgumentException(ENV_LOG_FORMAT + " must be text or json, was '" + value
                    + "'");
        };
    }

    public String host() { return host; }
    /** The management port; 0 picks a free one, -1 turns the management server off. */
    public int port() { return port; }
    public Duration dbCheckInterval() { return dbCheckInterval; }
    public LogFormat logFormat() { return logFormat; }
}
