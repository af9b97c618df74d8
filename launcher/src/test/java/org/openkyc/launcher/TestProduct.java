package org.openkyc.launcher;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.openkyc.server.auth.Role;

/**
 * The whole product started once per test JVM (embedded MariaDB, server,
 * gateway on free ports), with two tenants and their keys, a real HTTPS
 * client trusting the generated dev certificate and a gRPC channel.
 */
public final class TestProduct {

    private static TestProduct instance;

    /** The shared secret the test product's liveness callbacks are signed with. */
    public static final String LIVENESS_CALLBACK_SECRET = "test-liveness-callback-secret-0123456789";

    public final LocalProduct product;
    public final Path home;
    public final String clientKeyA;
    public final String adminKeyA;
    public final String clientKeyB;
    public final String adminKeyB;
    public final HttpClient http;
    public final ManagedChannel channel;

    /** The database this product was started on, when the test owns it (see {@link #withOwnDatabase}). */
    private volatile EmbeddedMariaDb ownDatabase;
    private final int ownDatabasePort;

    private TestProduct(Path home) {
        this(home, Map.of(), null);
    }

    private TestProduct(Path home, Map<String, String> extraEnv, EmbeddedMariaDb database) {
        this.home = home;
        this.ownDatabase = database;
        this.ownDatabasePort = database == null ? -1 : database.port();
        Map<String, String> env = testEnv();
        env.putAll(extraEnv);
        if (database != null) {
            env.put("MYSQL_URL", database.jdbcUrl());
            env.put("MYSQL_USER", database.user());
            env.put("MYSQL_PASSWORD", "");
        }
        this.product = LocalProduct.start(home, env);
        var t = product.server().tenants();
        t.ensureTenant("acme");
        t.ensureTenant("globex");
        clientKeyA = t.issueKey("acme", Role.CLIENT, "test").secret();
        adminKeyA = t.issueKey("acme", Role.ADMIN, "test").secret();
        clientKeyB = t.issueKey("globex", Role.CLIENT, "test").secret();
        adminKeyB = t.issueKey("globex", Role.ADMIN, "test").secret();
        http = httpsClient(product.gateway().certificateFile());
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", product.server().port()).usePlaintext().build();
    }

    /** The shared instance; stopped when the JVM exits. */
    public static synchronized TestProduct get() {
        if (instance == null) {
            instance = new TestProduct(freshHome("shared"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                instance.channel.shutdownNow();
                instance.product.close();
            }));
        }
        return instance;
    }

    /**
     * A product of its own with extra settings (e.g. a low rate limit), for a test class that must not
     * share them; the caller closes it.
     */
    public static TestProduct start(String name, Map<String, String> extraEnv) {
        return new TestProduct(freshHome(name), extraEnv, null);
    }

    /**
     * A product of its own on the given home (its embedded database, blobs and keys there), so that a test can
     * stop it and start it again with other settings on the same data; the caller closes it.
     */
    public static TestProduct startAt(Path home, Map<String, String> extraEnv) {
        return new TestProduct(home, extraEnv, null);
    }

    /**
     * A product of its own on a database the test can stop and start again on the same port and data folder
     * ({@link #stopDatabase()}, {@link #startDatabase()}); the caller closes it.
     */
    public static TestProduct withOwnDatabase(String name, Map<String, String> extraEnv) {
        Path home = freshHome(name);
        EmbeddedMariaDb db = EmbeddedMariaDb.start(home.resolve("mariadb"), 0);
        try {
            return new TestProduct(home, extraEnv, db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Stops the database of {@link #withOwnDatabase} (the server keeps running). */
    public synchronized void stopDatabase() {
        if (ownDatabase == null) {
            throw new IllegalStateException("this product does not own its database, or it is stopped");
        }
        ownDatabase.close();
        ownDatabase = null;
    }

    /** Starts the database of {@link #withOwnDatabase} again, on the same port with the same data. */
    public synchronized void startDatabase() {
        if (ownDatabasePort < 0 || ownDatabase != null) {
            throw new IllegalStateException("this product does not own its database, or it runs");
        }
        ownDatabase = EmbeddedMariaDb.start(home.resolve("mariadb"), ownDatabasePort);
    }

    /** How many rows of {@code table} (one with a {@code case_id}) belong to the case with this public id. */
    public long caseRows(String table, String publicId) {
        String sql = "SELECT COUNT(*) FROM " + table + " x JOIN kyc_cases c ON c.id = x.case_id WHERE c.public_id = ?";
        return product.server().database().read(s -> {
            try (java.sql.PreparedStatement st = s.getConnection().prepareStatement(sql)) {
                st.setString(1, publicId);
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * A connection of its own to the database of {@link #withOwnDatabase}, outside the product's pool (e.g. to
     * read the server's status counters); the caller closes it.
     */
    public java.sql.Connection openOwnDatabaseConnection() {
        EmbeddedMariaDb db = ownDatabase;
        if (db == null) {
            throw new IllegalStateException("this product does not own its database, or it is stopped");
        }
        try {
            return java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops a product of {@link #start} or {@link #withOwnDatabase}. */
    public synchronized void close() {
        channel.shutdownNow();
        product.close();
        if (ownDatabase != null) {
            ownDatabase.close();
            ownDatabase = null;
        }
    }

    static Map<String, String> testEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("OPENKYC_GATEWAY_PORT", "0");
        env.put("OPENKYC_GRPC_PORT", "0");
        env.put("OPENKYC_GATEWAY_HOST", "127.0.0.1");
        env.put("OPENKYC_LIVENESS_CALLBACK_SECRET", LIVENESS_CALLBACK_SECRET);
        // Management ports (health, metrics) on free loopback ports: many products may run on one machine.
        env.put("OPENKYC_MANAGEMENT_PORT", "0");
        env.put("OPENKYC_GATEWAY_MANAGEMENT_PORT", "0");
        // Every test class calls from 127.0.0.1, many with bad keys on purpose: the shared product does not
        // throttle failed authentications (HostileHttpIT tests the throttle on a product of its own).
        env.put("OPENKYC_GATEWAY_AUTH_FAILURES_PER_WINDOW", "0");
        // Data installed by bin/setup (surefire passes the checkout's cache folder).
        env.put("OPENKYC_CACHE_DIR", System.getProperty("openkyc.cacheDir", ".cache"));
        env.put("OPENKYC_GAZETTEER_DIR",
                Path.of(System.getProperty("openkyc.cacheDir", ".cache"), "gazetteer").toString());
        return env;
    }

    static Path freshHome(String name) {
        try {
            Path base = Path.of("target", "e2e").toAbsolutePath();
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTP client that trusts exactly the given PEM certificate. */
    static HttpClient httpsClient(Path certPem) {
        try (InputStream in = Files.newInputStream(certPem)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("openkyc-dev", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot trust the dev certificate", e);
        }
    }

    public String url(String path) {
        return product.baseUrl() + path;
    }

    /** A REST call; key may be null (no header); body null means no body. */
    public HttpResponse<String> call(String method, String path, String key, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("x-api-key", key);
        }
        if (jsonBody != null) {
            b.header("content-type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A multipart/form-data POST over HTTPS, as {@code curl -F} sends it. */
    HttpResponse<String> postMultipart(String path, String key, Multipart form) {
        return postMultipart(path, key, form.build());
    }

    HttpResponse<String> postMultipart(String path, String key, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(90))
                .header("content-type", Multipart.CONTENT_TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("x-api-key", key);
        }
        return send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a request over HTTPS, trusting the product's certificate. */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Encrypted image files in the product's blob store. */
    long blobFiles() {
        Path dir = home.resolve("blobs");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** A stub sending the API key. */
    public <S extends AbstractStub<S>> S withKey(S stub, String key) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), key);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    /** Creates a profile through REST and returns its id. */
    public String createProfile(String key, String userId) {
        HttpResponse<String> r = call("POST", "/api/web/kycService/submit", key,
                "{\"userId\":\"" + userId + "\",\"country\":\"SG\"}");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("submit failed: " + r.statusCode() + " " + r.body());
        }
        return json(r).getAsJsonObject("data").get("profileId").getAsString();
    }

    /** The {@code google.rpc.ErrorInfo} a gRPC error carries (every error of the server has one). */
    public static com.google.rpc.ErrorInfo errorInfo(io.grpc.StatusRuntimeException e) {
        return io.grpc.protobuf.StatusProto.fromThrowable(e).getDetailsList().stream()
                .filter(a -> a.is(com.google.rpc.ErrorInfo.class))
                .map(a -> {
                    try {
                        return a.unpack(com.google.rpc.ErrorInfo.class);
                    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                        throw new IllegalStateException(ex);
                    }
                })
                .findFirst().orElseThrow();
    }

    /** A signature with its first character changed, so it never verifies (not even by chance). */
    public static String corrupt(String signature) {
        return (signature.charAt(0) == '0' ? '1' : '0') + signature.substring(1);
    }
}
