package org.openkyc.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
    private final VisionConfig vision;

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
        this.vision = Objects.requireNonNull(b.vision, "vision configuration");
    }

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
     * (PEM, optional), OPENKYC_GRPC_MAX_MESSAGE_BYTES (default 64 MiB), and the
     * document/face/liveness engines' variables read by {@link VisionConfig#fromEnvironment}.
     */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        Builder b = builder()
                .grpcHost(env.getOrDefault("OPENKYC_GRPC_HOST", "0.0.0.0"))
                .grpcPort(intVar(env, "OPENKYC_GRPC_PORT", 9090))
                .database(env.get("MYSQL_URL"), env.get("MYSQL_USER"), env.get("MYSQL_PASSWORD"))
                .dbPoolSize(intVar(env, "OPENKYC_DB_POOL_SIZE", 10))
                .blobDir(Path.of(env.getOrDefault("OPENKYC_BLOB_DIR", "data/blobs")))
                .maxMessageBytes(intVar(env, "OPENKYC_GRPC_MAX_MESSAGE_BYTES", 64 * 1024 * 1024))
                .vision(VisionConfig.fromEnvironment(env));
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
        String cert = env.get("OPENKYC_GRPC_TLS_CERT");
        String tlsKey = env.get("OPENKYC_GRPC_TLS_KEY");
        b.tls(cert == null ? null : Path.of(cert), tlsKey == null ? null : Path.of(tlsKey));
        return b.build();
    }

    private static int intVar(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, was '" + v + "'");
        }
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
                .tls(tlsCert.orElse(null), tlsKey.orElse(null)).maxMessageBytes(maxMessageBytes).vision(vision);
    }

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
    public VisionConfig vision() { return vision; }

    @Override
    public String toString() {
        // No secrets: the data key and the database password are left out.
        return "ServerConfig{grpc=" + grpcHost + ":" + grpcPort + ", db=" + dbUrl.replaceAll("\\?.*", "")
                + ", user=" + dbUser + ", blobDir=" + blobDir + ", tls=" + tlsCert.isPresent() + "}";
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
        private VisionConfig vision = VisionConfig.builder().build();

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
        public Builder vision(VisionConfig v) { this.vision = v; return this; }
        public ServerConfig build() { return new ServerConfig(this); }
    }
}
