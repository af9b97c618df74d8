package org.openkyc.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.openkyc.gateway.Gateway;
import org.openkyc.gateway.GatewayConfig;
import org.openkyc.server.OpenKycServer;
import org.openkyc.server.auth.Role;
import org.openkyc.server.config.ServerConfig;
import org.openkyc.server.tenant.TenantAdmin;

/**
 * The whole product on one machine: an embedded MariaDB (unless MYSQL_URL
 * points at an external MySQL 8 / MariaDB), the gRPC server and the HTTPS
 * gateway. Data (database, encrypted blobs, data key, dev certificate) stays
 * in one folder between runs. Each start issues fresh demo keys for the
 * tenant "demo" and revokes the previous ones.
 */
public final class LocalProduct implements AutoCloseable {

    public static final String DEMO_TENANT = "demo";
    private static final String DEMO_LABEL = "local-demo";

    private final Optional<EmbeddedMariaDb> mariaDb;
    private final OpenKycServer server;
    private final Gateway gateway;

    private LocalProduct(Optional<EmbeddedMariaDb> mariaDb, OpenKycServer server, Gateway gateway) {
        this.mariaDb = mariaDb;
        this.server = server;
        this.gateway = gateway;
    }

    /**
     * Starts everything. {@code env} is the process environment (or a test's);
     * {@code home} holds the data.
     */
    public static LocalProduct start(Path home, Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        Optional<EmbeddedMariaDb> maria = Optional.empty();
        if (!e.containsKey("MYSQL_URL")) {
            Duration startTimeout = dbStartTimeout(e);
            EmbeddedMariaDb m = EmbeddedMariaDb.start(home.resolve("mariadb"), localDbPort(e), startTimeout,
                    localDbBufferPool(e));
            maria = Optional.of(m);
            e.put("MYSQL_URL", m.jdbcUrl());
            e.put("MYSQL_USER", m.user());
            e.put("MYSQL_PASSWORD", "");
        }
        OpenKycServer server = null;
        boolean started = false;
        try {
            e.putAll(serverEnvironment(home, e));
            server = OpenKycServer.start(ServerConfig.fromEnvironment(e));
            e.put("OPENKYC_UPSTREAMS", "127.0.0.1:" + server.port());
            e.putIfAbsent("OPENKYC_DEV_CERT_DIR", home.resolve("tls").toString());
            // The gateway reaches the server in this JVM without a socket; the port stays for gRPC callers.
            Gateway gateway = Gateway.start(GatewayConfig.fromEnvironment(e).toBuilder()
                    .inProcessUpstream(server.inProcessName()).build());
            started = true;
            return new LocalProduct(maria, server, gateway);
        } finally {
            if (!started) {
                // Whatever failed, leave no database process or port behind.
                if (server != null) {
                    server.close();
                }
                maria.ifPresent(EmbeddedMariaDb::close);
            }
        }
    }

    /**
     * The server's settings as the local product gives them, on top of {@code env}: blobs and the data key in
     * {@code home}, gRPC on loopback, the sample sanctions lists. Every server replica started on the same
     * {@code home} and database shares them.
     */
    public static Map<String, String> serverEnvironment(Path home, Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("OPENKYC_BLOB_DIR", home.resolve("blobs").toString());
        e.putIfAbsent("OPENKYC_GRPC_HOST", "127.0.0.1");
        if (!e.containsKey("OPENKYC_SANCTIONS_DIR")) {
            sampleSanctions().ifPresent(d -> e.put("OPENKYC_SANCTIONS_DIR", d.toString()));
        }
        if (!e.containsKey("OPENKYC_DATA_KEY")) {
            e.putIfAbsent("OPENKYC_DATA_KEY_FILE", dataKeyFile(home.resolve("keys")).toString());
        }
        return e;
    }

    /** {@code OPENKYC_LOCAL_DB_PORT}: the embedded database's port (0 picks a free one). */
    static int localDbPort(Map<String, String> env) {
        String v = env.getOrDefault("OPENKYC_LOCAL_DB_PORT", "0").trim();
        try {
            int port = Integer.parseInt(v);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("OPENKYC_LOCAL_DB_PORT must be a port number from 0 to 65535, was '" + v
                + "'");
    }

    /** {@code OPENKYC_LOCAL_DB_BUFFER_POOL}: the embedded database's InnoDB buffer pool ({@code 64M}, {@code 1G}). */
    static String localDbBufferPool(Map<String, String> env) {
        String v = env.get("OPENKYC_LOCAL_DB_BUFFER_POOL");
        if (v == null || v.isBlank()) {
            return EmbeddedMariaDb.DEFAULT_BUFFER_POOL;
        }
        String size = v.trim().toUpperCase(java.util.Locale.ROOT);
        if (!size.matches("[0-9]{1,9}[KMG]?")) {
            throw new IllegalArgumentException("OPENKYC_LOCAL_DB_BUFFER_POOL must be a size such as 64M or 1G, was '"
                    + v + "'");
        }
        return size;
    }

    /** {@code OPENKYC_LOCAL_DB_START_SECONDS}: how long the embedded database may take to start. */
    static Duration dbStartTimeout(Map<String, String> env) {
        String v = env.get("OPENKYC_LOCAL_DB_START_SECONDS");
        if (v == null || v.isBlank()) {
            return EmbeddedMariaDb.DEFAULT_START_TIMEOUT;
        }
        try {
            long seconds = Long.parseLong(v.trim());
            if (seconds >= 1 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("OPENKYC_LOCAL_DB_START_SECONDS must be a whole number of seconds from 1 to"
                + " 3600, was '" + v + "'");
    }

    /**
     * The sample sanctions lists shipped in the checkout ({@code sanctions-sample/}, found from the
     * working directory or its parent), so that the local product screens out of the box.
     */
    static Optional<Path> sampleSanctions() {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path base : new Path[] {cwd, cwd.getParent()}) {
            if (base != null && Files.isRegularFile(base.resolve("sanctions-sample").resolve("sdn.csv"))) {
                return Optional.of(base.resolve("sanctions-sample"));
            }
        }
        return Optional.empty();
    }

    /** The data key file, created with a random 256-bit key on first run (owner-only). */
    static Path dataKeyFile(Path dir) {
        Path file = dir.resolve("data.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Path tmp = Files.createTempFile(dir, "data", ".key");
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                Files.writeString(tmp, Base64.getEncoder().encodeToString(key));
                Files.move(tmp, file);
            }
            return file;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot create the data key in " + dir, ex);
        }
    }

    public OpenKycServer server() {
        return server;
    }

    public Gateway gateway() {
        return gateway;
    }

    /** The JDBC URL and user of the embedded database, when this product started one. */
    public Optional<String[]> embeddedDatabase() {
        return mariaDb.map(m -> new String[] {m.jdbcUrl(), m.user()});
    }

    public String baseUrl() {
        return "https://localhost:" + gateway.httpsPort();
    }

    /** Fresh demo keys: the previous local demo keys are revoked. */
    public TenantAdmin.IssuedKey[] issueDemoKeys() {
        TenantAdmin t = server.tenants();
        t.ensureTenant(DEMO_TENANT);
        t.revokeKeysLabelled(DEMO_TENANT, DEMO_LABEL);
        return new TenantAdmin.IssuedKey[] {
            t.issueKey(DEMO_TENANT, Role.CLIENT, DEMO_LABEL),
            t.issueKey(DEMO_TENANT, Role.ADMIN, DEMO_LABEL)
        };
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            try {
                server.close();
            } finally {
                mariaDb.ifPresent(EmbeddedMariaDb::close);
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Path home = Path.of(System.getenv().getOrDefault("OPENKYC_HOME", "data")).toAbsolutePath();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("OPENKYC_GATEWAY_PORT", "8443");
        env.putIfAbsent("OPENKYC_GRPC_PORT", "9090");
        env.putIfAbsent("OPENKYC_LOCAL_DB_PORT", "3307");
        LocalProduct product = start(home, env);
        Runtime.getRuntime().addShutdownHook(new Thread(product::close, "openkyc-local-shutdown"));
        TenantAdmin.IssuedKey[] keys = product.issueDemoKeys();
        String url = product.baseUrl();
        System.out.println();
        System.out.println("OpenKYC is running.");
        System.out.println("  REST API (HTTPS):  " + url);
        System.out.println("  API docs:          " + url + "/docs");
        System.out.println("  gRPC:              127.0.0.1:" + product.server().port() + " (plaintext, loopback only)");
        System.out.println("  dev certificate:   " + product.gateway().certificateFile());
        product.server().managementPort().ifPresent(port -> System.out.println(
                "  server metrics:    http://localhost:" + port + "/metrics  (also /readyz, /healthz)"));
        if (product.gateway().managementPort() > 0) {
            System.out.println("  gateway metrics:   http://localhost:" + product.gateway().managementPort()
                    + "/metrics  (also /readyz, /healthz)");
        }
        System.out.println("  data folder:       " + home);
        System.out.println("  demo client key:   " + keys[0].secret());
        System.out.println("  demo admin key:    " + keys[1].secret());
        System.out.println();
        System.out.println("Try:");
        System.out.println("  curl --cacert " + product.gateway().certificateFile() + " -H 'x-api-key: "
                + keys[0].secret() + "' -H 'content-type: application/json' -d '{\"userId\":\"user_1\","
                + "\"country\":\"SG\"}' " + url + "/api/web/kycService/submit");
        if (!System.getenv().containsKey("MYSQL_URL")) {
            System.out.println("Administer tenants and keys (while this runs) with:");
            System.out.println("  MYSQL_URL=jdbc:mysql://127.0.0.1:" + env.get("OPENKYC_LOCAL_DB_PORT")
                    + "/openkyc MYSQL_USER=root OPENKYC_DATA_KEY_FILE=" + home.resolve("keys/data.key")
                    + " bin/openkyc admin key issue demo admin");
        }
        System.out.println("Press Ctrl-C to stop.");
        Thread.currentThread().join();
    }
}
