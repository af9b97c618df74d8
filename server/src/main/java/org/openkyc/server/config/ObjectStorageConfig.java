package org.openkyc.server.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where images and other blobs are kept: a folder ({@code file}, the default) or an S3-compatible
 * object store ({@code s3}: AWS S3, SeaweedFS, MinIO, Ceph RGW...). Blobs are AES-GCM encrypted by the
 * server before they leave it either way. Validated at construction; every message names its variable.
 *
 * <p>Variables: OPENKYC_BLOB_STORE ({@code file} | {@code s3}, default file); for s3: OPENKYC_S3_ENDPOINT
 * (http(s) URL; unset: AWS S3 of the region), OPENKYC_S3_REGION (default us-east-1), OPENKYC_S3_BUCKET
 * (required; the bucket must exist), OPENKYC_S3_PATH_STYLE (default true), AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID_FILE / AWS_SECRET_ACCESS_KEY_FILE, files holding them;
 * required), AWS_SESSION_TOKEN (optional), OPENKYC_S3_CONNECT_TIMEOUT_MS (default 3000) and
 * OPENKYC_S3_TIMEOUT_MS (longest one store call, retries included, default 30000).
 */
public final class ObjectStorageConfig {

    /** The kind of blob store. */
    public enum Kind { FILE, S3 }

    public static final String DEFAULT_REGION = "us-east-1";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    /** The default: blobs in the folder OPENKYC_BLOB_DIR. */
    public static final ObjectStorageConfig FILE = new ObjectStorageConfig(Kind.FILE, Optional.empty(),
            DEFAULT_REGION, null, true, null, null, Optional.empty(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_CALL_TIMEOUT);

    private final Kind kind;
    private final Optional<URI> endpoint;
    private final String region;
    private final String bucket;
    private final boolean pathStyle;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final Optional<String> sessionToken;
    private final Duration connectTimeout;
    private final Duration callTimeout;

    private ObjectStorageConfig(Kind kind, Optional<URI> endpoint, String region, String bucket, boolean pathStyle,
            String accessKeyId, String secretAccessKey, Optional<String> sessionToken, Duration connectTimeout,
            Duration callTimeout) {
        this.kind = Objects.requireNonNull(kind, "OPENKYC_BLOB_STORE");
        this.endpoint = endpoint;
        this.region = region;
        this.bucket = bucket;
        this.pathStyle = pathStyle;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
        this.connectTimeout = connectTimeout;
        this.callTimeout = callTimeout;
        if (kind == Kind.FILE) {
            return;
        }
        endpoint.ifPresent(u -> {
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || u.getQuery() != null || u.getFragment() != null
                    || (u.getPath() != null && !u.getPath().isEmpty() && !"/".equals(u.getPath()))) {
                throw new IllegalArgumentException(
                        "OPENKYC_S3_ENDPOINT must be an http(s) URL without path or query, e.g. http://seaweedfs:8333");
            }
        });
        if (region == null || !region.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("OPENKYC_S3_REGION must be a region name such as us-east-1, was '"
                    + region + "'");
        }
        // S3 bucket naming rules: 3-63 lower-case letters, digits, dots and hyphens.
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("OPENKYC_S3_BUCKET is required with OPENKYC_BLOB_STORE=s3");
        }
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("OPENKYC_S3_BUCKET must be a bucket name (3-63 lower-case letters,"
                    + " digits, dots and hyphens), was '" + bucket + "'");
        }
        if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("OPENKYC_BLOB_STORE=s3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                    + " (or AWS_ACCESS_KEY_ID_FILE and AWS_SECRET_ACCESS_KEY_FILE)");
        }
        if (connectTimeout == null || connectTimeout.toMillis() < 100 || connectTimeout.toSeconds() > 60) {
            throw new IllegalArgumentException("OPENKYC_S3_CONNECT_TIMEOUT_MS must be 100-60000");
        }
        if (callTimeout == null || callTimeout.toMillis() < 1000 || callTimeout.toSeconds() > 600) {
            throw new IllegalArgumentException("OPENKYC_S3_TIMEOUT_MS must be 1000-600000");
        }
    }

    /** An S3 store (tests and tools; the server reads {@link #fromEnvironment}). */
    public static ObjectStorageConfig s3(URI endpoint, String region, String bucket, boolean pathStyle,
            String accessKeyId, String secretAccessKey, Duration connectTimeout, Duration callTimeout) {
        return new ObjectStorageConfig(Kind.S3, Optional.ofNullable(endpoint), region, bucket, pathStyle,
                accessKeyId, secretAccessKey, Optional.empty(), connectTimeout, callTimeout);
    }

    /** Reads the variables listed in the class comment. */
    public static ObjectStorageConfig fromEnvironment(Map<String, String> env) {
        String kind = env.getOrDefault("OPENKYC_BLOB_STORE", "file").strip().toLowerCase(Locale.ROOT);
        switch (kind) {
            case "", "file" -> {
                return FILE;
            }
            case "s3" -> { }
            default -> throw new IllegalArgumentException("OPENKYC_BLOB_STORE must be file or s3, was '"
                    + env.get("OPENKYC_BLOB_STORE") + "'");
        }
        Optional<URI> endpoint = Optional.empty();
        String e = env.get("OPENKYC_S3_ENDPOINT");
        if (e != null && !e.isBlank()) {
            try {
                endpoint = Optional.of(new URI(e.strip()));
            } catch (URISyntaxException x) {
                throw new IllegalArgumentException("OPENKYC_S3_ENDPOINT is not a valid URL");
            }
        }
        String region = env.get("OPENKYC_S3_REGION");
        region = region == null || region.isBlank() ? DEFAULT_REGION : region.strip();
        String bucket = env.get("OPENKYC_S3_BUCKET");
        return new ObjectStorageConfig(Kind.S3, endpoint, region, bucket == null ? null : bucket.strip(),
                EnvVars.boolVar(env, "OPENKYC_S3_PATH_STYLE", true),
                secret(env, "AWS_ACCESS_KEY_ID"), secret(env, "AWS_SECRET_ACCESS_KEY"),
                Optional.ofNullable(secret(env, "AWS_SESSION_TOKEN")),
                Duration.ofMillis(EnvVars.intVar(env, "OPENKYC_S3_CONNECT_TIMEOUT_MS",
                        (int) DEFAULT_CONNECT_TIMEOUT.toMillis())),
                Duration.ofMillis(EnvVars.intVar(env, "OPENKYC_S3_TIMEOUT_MS", (int) DEFAULT_CALL_TIMEOUT.toMillis())));
    }

    /** The variable's value, else the content of the file named by NAME_FILE (a docker secret), else null. */
    private static String secret(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v != null && !v.isBlank()) {
            return v.strip();
        }
        String file = env.get(name + "_FILE");
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            String s = Files.readString(Path.of(file.strip())).strip();
            return s.isEmpty() ? null : s;
        } catch (IOException | RuntimeException x) {
            throw new IllegalArgumentException(name + "_FILE cannot be read: " + file.strip());
        }
    }

    public Kind kind() { return kind; }
    /** The store's URL; empty: AWS S3 of {@link #region()}. */
    public Optional<URI> endpoint() { return endpoint; }
    public String region() { return region; }
    public String bucket() { return bucket; }
    /** Bucket in the path ({@code http://host/bucket/key}) rather than in the host name. */
    public boolean pathStyle() { return pathStyle; }
    public String accessKeyId() { return accessKeyId; }
    public String secretAccessKey() { return secretAccessKey; }
    public Optional<String> sessionToken() { return sessionToken; }
    public Duration connectTimeout() { return connectTimeout; }
    /** Longest one store call may take, retries included. */
    public Duration callTimeout() { return callTimeout; }

    @Override
    public String toString() {
        // No secrets: the access key id is shown (it names the key), the secret and token never are.
        return kind == Kind.FILE ? "file" : "s3{endpoint=" + endpoint.map(URI::toString).orElse("aws")
                + ", region=" + region + ", bucket=" + bucket + ", pathStyle=" + pathStyle
                + ", accessKeyId=" + accessKeyId + "}";
    }
}
