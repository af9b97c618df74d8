package org.openkyc.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The webhook settings of {@link ServerConfig}, validated at construction with a message naming the variable.
 *
 * @param urlHosts     hosts endpoint URLs may point to (OPENKYC_WEBHOOK_URL_HOSTS; {@code host} means port 443,
 *                     {@code host:port} that port, {@code *.domain} any host under domain on 443, which must
 *                     then resolve to public addresses only); empty: no endpoint can be registered
 * @param maxAttempts  attempts of one delivery before it is marked failed (OPENKYC_WEBHOOK_MAX_ATTEMPTS)
 * @param firstBackoff wait before the first retry, doubled on each retry (OPENKYC_WEBHOOK_BACKOFF_MS)
 * @param maxBackoff   longest wait between two attempts (OPENKYC_WEBHOOK_MAX_BACKOFF_MS)
 * @param timeout      connect and answer time of one attempt (OPENKYC_WEBHOOK_TIMEOUT_MS)
 * @param pollInterval how often a worker looks for due deliveries (OPENKYC_WEBHOOK_POLL_MS)
 * @param maxEndpoints endpoints a tenant may register (OPENKYC_WEBHOOK_MAX_ENDPOINTS)
 * @param maxUrlLength longest endpoint URL accepted (OPENKYC_WEBHOOK_URL_MAX_LENGTH)
 * @param trustedCa    extra PEM certificates trusted for endpoints besides the JVM's (OPENKYC_WEBHOOK_CA_FILE),
 *                     e.g. an in-house CA
 * @param retention    how long delivered and failed deliveries stay in the log (OPENKYC_WEBHOOK_RETENTION_DAYS)
 */
public record WebhookSettings(List<String> urlHosts, int maxAttempts, Duration firstBackoff, Duration maxBackoff,
        Duration timeout, Duration pollInterval, int maxEndpoints, int maxUrlLength, Optional<Path> trustedCa,
        Duration retention) {

    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofHours(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_ENDPOINTS = 20;
    public static final int DEFAULT_MAX_URL_LENGTH = 2048;
    public static final int DEFAULT_RETENTION_DAYS = 30;
    private static final String HOST = "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*";

    public WebhookSettings {
        urlHosts = List.copyOf(urlHosts);
        for (String h : urlHosts) {
            boolean wildcard = h.startsWith("*.");
            if (!h.matches(HOST + "(:[0-9]{1,5})?") || (wildcard && h.contains(":"))) {
                throw new IllegalArgumentException("OPENKYC_WEBHOOK_URL_HOSTS holds '" + h + "', which is not a"
                        + " lower-case host name (optionally with :port), or *.domain");
            }
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("OPENKYC_WEBHOOK_MAX_ATTEMPTS must be 1-100");
        }
        if (firstBackoff == null || firstBackoff.toMillis() < 10 || firstBackoff.toHours() > 24) {
            throw new IllegalArgumentException("OPENKYC_WEBHOOK_BACKOFF_MS must be 10-86400000");
        }
        if (maxBackoff == null || maxBackoff.compareTo(firstBackoff) < 0 || maxBackoff.toDays() > 7) {
            throw new IllegalArgumentException("OPENKYC_WEBHOOK_MAX_BACKOFF_MS must be at least"
                    + " OPENKYC_WEBHOOK_BACKOFF_MS and at most 7 days");
        }
        if (timeout == null || timeout.toMillis() < 100 || timeout.toSeconds() > 120) {
            throw new IllegalArgumentException("OPENKYC_WEBHOOK_TIMEOUT_MS must be 100-120000");
        }
        if (pollInterval == null || pollInterval.toMillis() < 10 || pollInterval.toSeconds() > 3600) {
            throw new IllegalArgumentException("OPENKYC_WEBHOOK_POLL_MS must be 10-3600000");
        }
        if (maxEndpoints < 1 || maxEndpoints > 1000) {
            throw new IllegalArgumentException("OPENKYC_WEBHOOK_MAX_ENDPOINTS must be 1-1000");
        }
        if (maxUrlLength < 32 || maxUrlLength > 2048) {
            throw new IllegalArgumentException("OPENKYC_WEBHOOK_URL_MAX_LENGTH must be 32-2048");
        }
        trustedCa = trustedCa == null ? Optional.empty() : trustedCa;
        if (trustedCa.isPresent() && !Files.isReadable(trustedCa.get())) {
            throw new IllegalArgumentException("OPENKYC_WEBHOOK_CA_FILE cannot be read: " + trustedCa.get());
        }
        if (retention == null || retention.toDays() < 1 || retention.toDays() > 3650) {
            throw new IllegalArgumentException("OPENKYC_WEBHOOK_RETENTION_DAYS must be 1-3650");
        }
    }

    /** The defaults: no host allowed, so no endpoint can be registered. */
    public static WebhookSettings defaults() {
        return new WebhookSettings(List.of(), DEFAULT_MAX_ATTEMPTS, DEFAULT_FIRST_BACKOFF, DEFAULT_MAX_BACKOFF,
                DEFAULT_TIMEOUT, DEFAULT_POLL, DEFAULT_MAX_ENDPOINTS, DEFAULT_MAX_URL_LENGTH, Optional.empty(),
                Duration.ofDays(DEFAULT_RETENTION_DAYS));
    }

    /** Reads the OPENKYC_WEBHOOK_* variables. */
    public static WebhookSettings fromEnvironment(Map<String, String> env) {
        String hosts = env.get("OPENKYC_WEBHOOK_URL_HOSTS");
        List<String> list = hosts == null || hosts.isBlank() ? List.of()
                : java.util.Arrays.stream(hosts.split(",")).map(String::strip).filter(h -> !h.isEmpty())
                        .map(h -> h.toLowerCase(Locale.ROOT)).toList();
        String ca = env.get("OPENKYC_WEBHOOK_CA_FILE");
        return new WebhookSettings(list,
                EnvVars.intVar(env, "OPENKYC_WEBHOOK_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS),
                Duration.ofMillis(EnvVars.longVar(env, "OPENKYC_WEBHOOK_BACKOFF_MS", DEFAULT_FIRST_BACKOFF.toMillis())),
                Duration.ofMillis(EnvVars.longVar(env, "OPENKYC_WEBHOOK_MAX_BACKOFF_MS", DEFAULT_MAX_BACKOFF.toMillis())),
                Duration.ofMillis(EnvVars.longVar(env, "OPENKYC_WEBHOOK_TIMEOUT_MS", DEFAULT_TIMEOUT.toMillis())),
                Duration.ofMillis(EnvVars.longVar(env, "OPENKYC_WEBHOOK_POLL_MS", DEFAULT_POLL.toMillis())),
                EnvVars.intVar(env, "OPENKYC_WEBHOOK_MAX_ENDPOINTS", DEFAULT_MAX_ENDPOINTS),
                EnvVars.intVar(env, "OPENKYC_WEBHOOK_URL_MAX_LENGTH", DEFAULT_MAX_URL_LENGTH),
                ca == null || ca.isBlank() ? Optional.empty() : Optional.of(Path.of(ca.strip())),
                Duration.ofDays(EnvVars.intVar(env, "OPENKYC_WEBHOOK_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)));
    }
}
