package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

/**
 * The image URL allow-list of /document against a real local HTTPS server with a self-signed
 * certificate (made with the JDK's keytool) that only the fetcher under test trusts. The server counts
 * every request, so "never contacted" is checked, not assumed.
 */
class HttpsImageFetcherTest {

    private static final byte[] IMAGE = "\u0089PNG pretend image bytes".getBytes(StandardCharsets.ISO_8859_1);
    private static final long MAX_BYTES = 64 * 1024;

    @TempDir
    static Path dir;
    static HttpsServer server;
    static SSLContext clientTls;
    static int port;
    static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        Path ks = dir.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "test", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("test", store.getCertificate("test"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.setExecutor(Executors.newCachedThreadPool());
        port = server.getAddress().getPort();
        server.createContext("/", HttpsImageFetcherTest::handle);
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @BeforeEach
    void resetCount() {
        requests.set(0);
    }

    private static void handle(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        String path = x.getRequestURI().getPath();
        try (x) {
            switch (path) {
                case "/image.png" -> send(x, 200, IMAGE);
                case "/redirect-same" -> redirect(x, "/image.png");
                case "/redirect-absolute-same" -> redirect(x, "https://localhost:" + port + "/image.png");
                case "/redirect-other-host" -> redirect(x, "https://127.0.0.1:" + port + "/image.png");
                case "/redirect-http" -> redirect(x, "http://localhost:" + port + "/image.png");
                case "/redirect-loop" -> redirect(x, "/redirect-loop");
                case "/missing" -> send(x, 404, "nope".getBytes(StandardCharsets.UTF_8));
                case "/huge-chunked" -> {
                    // No Content-Length: the limit must hold while reading.
                    x.sendResponseHeaders(200, 0);
                    OutputStream out = x.getResponseBody();
                    byte[] chunk = new byte[8192];
                    for (int i = 0; i < 64; i++) {
                        out.write(chunk);
                    }
                }
                case "/lying-length" -> {
                    // Claims a small body, sends a big one.
                    x.sendResponseHeaders(200, 10);
                    x.getResponseBody().write(new byte[(int) MAX_BYTES * 2]);
                }
                case "/declared-huge" -> {
                    x.sendResponseHeaders(200, MAX_BYTES * 10);
                    x.getResponseBody().write(new byte[1024]);
                }
                case "/slow" -> {
                    try {
                        Thread.sleep(4000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    send(x, 200, IMAGE);
                }
                case "/slow-body" -> {
                    x.sendResponseHeaders(200, 0);
                    OutputStream out = x.getResponseBody();
                    for (int i = 0; i < 40; i++) {
                        out.write(1);
                        out.flush();
                        Thread.sleep(100);
                    }
                }
                default -> send(x, 404, new byte[0]);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away (cut off on purpose)
        }
    }

    private static void send(HttpExchange x, int status, byte[] body) throws IOException {
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            x.getResponseBody().write(body);
        }
    }

    private static void redirect(HttpExchange x, String location) throws IOException {
        x.getResponseHeaders().add("Location", location);
        x.sendResponseHeaders(302, -1);
    }

    private static HttpsImageFetcher fetcher(String... hosts) {
        return new HttpsImageFetcher(List.of(hosts), clientTls, Duration.ofMillis(1500), MAX_BYTES);
    }

    private String url(String path) {
        return "https://localhost:" + port + path;
    }

    @Test
    void anAllowListedHostAndPortIsFetched() {
        assertThat(fetcher("localhost:" + port).fetch(url("/image.png"), "frontImageUrl")).isEqualTo(IMAGE);
        assertThat(requests).hasValue(1);
    }

    @Test
    void redirectsAreFollowedOnlyOnTheSameHost() {
        HttpsImageFetcher f = fetcher("localhost:" + port, "127.0.0.1:" + port);
        assertThat(f.fetch(url("/redirect-same"), "f")).isEqualTo(IMAGE);
        assertThat(f.fetch(url("/redirect-absolute-same"), "f")).isEqualTo(IMAGE);
        requests.set(0);
        // Even when the other host is on the list itself: a redirect must stay on the host first asked.
        assertRefused(() -> f.fetch(url("/redirect-other-host"), "frontImageUrl"), ErrorCode.INVALID_ARGUMENT,
                "frontImageUrl redirects to another host");
        assertThat(requests).as("the other host is never contacted").hasValue(1);
        requests.set(0);
        assertRefused(() -> f.fetch(url("/redirect-http"), "f"), ErrorCode.INVALID_ARGUMENT, "https");
        assertThat(requests).hasValue(1);
        requests.set(0);
        assertRefused(() -> f.fetch(url("/redirect-loop"), "f"), ErrorCode.UNPROCESSABLE_IMAGE, "redirected more");
        assertThat(requests).hasValue(1 + HttpsImageFetcher.MAX_REDIRECTS);
    }

    @Test
    void urlsOffTheListAreRefusedWithoutAnyConnection() {
        HttpsImageFetcher f = fetcher("localhost:" + port);
        for (String u : List.of(
                "http://localhost:" + port + "/image.png",          // not https
                "https://127.0.0.1:" + port + "/image.png",          // IP literal not listed
                "https://localhost/image.png",                        // listed with another port only
                "https://localhost:" + (port == 1 ? 2 : port - 1) + "/image.png",
                "https://user:pw@localhost:" + port + "/image.png",  // credentials in the URL
                "https://other.example/image.png",
                "file:///etc/passwd",
                "ftp://localhost:" + port + "/image.png",
                "gopher://localhost:" + port + "/",
                "not a url at all")) {
            assertThatThrownBy(() -> f.fetch(u, "frontImageUrl")).as(u)
                    .isInstanceOfSatisfying(DomainException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThat(requests).as("nothing was contacted").hasValue(0);
        // A host listed without a port means port 443 only.
        assertRefused(() -> fetcher("localhost").fetch(url("/image.png"), "f"), ErrorCode.INVALID_ARGUMENT,
                "not allowed");
        assertThat(requests).hasValue(0);
    }

    @Test
    void bodiesOverTheLimitAreCutOffWhateverContentLengthSays() {
        HttpsImageFetcher f = fetcher("localhost:" + port);
        assertRefused(() -> f.fetch(url("/huge-chunked"), "f"), ErrorCode.PAYLOAD_TOO_LARGE, "larger than");
        assertRefused(() -> f.fetch(url("/declared-huge"), "f"), ErrorCode.PAYLOAD_TOO_LARGE, "larger than");
        assertThatThrownBy(() -> f.fetch(url("/lying-length"), "f")).isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(((DomainException) e).code()).isIn(ErrorCode.PAYLOAD_TOO_LARGE,
                        ErrorCode.UNPROCESSABLE_IMAGE));
    }

    @Test
    void aSlowServerTimesOut() {
        HttpsImageFetcher f = fetcher("localhost:" + port);
        long start = System.nanoTime();
        assertRefused(() -> f.fetch(url("/slow"), "f"), ErrorCode.UNPROCESSABLE_IMAGE, "too long");
        assertRefused(() -> f.fetch(url("/slow-body"), "f"), ErrorCode.UNPROCESSABLE_IMAGE, "too long");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3 * 1500 + 1000));
    }

    @Test
    void errorStatusesAreUnprocessable() {
        assertRefused(() -> fetcher("localhost:" + port).fetch(url("/missing"), "f"), ErrorCode.UNPROCESSABLE_IMAGE,
                "HTTP 404");
    }

    @Test
    void dataUrlsAndBase64AreDecodedWithoutTheFetcher() {
        AtomicInteger fetched = new AtomicInteger();
        ImageReferences refs = new ImageReferences((u, field) -> {
            fetched.incrementAndGet();
            return IMAGE;
        }, MAX_BYTES);
        String b64 = Base64.getEncoder().encodeToString(IMAGE);
        assertThat(refs.resolve("data:image/png;base64," + b64, "f")).isEqualTo(IMAGE);
        assertThat(refs.resolve("DATA:image/jpeg;name=x.jpg;base64,\n" + b64, "f")).isEqualTo(IMAGE);
        assertThat(refs.resolve(b64, "f")).isEqualTo(IMAGE);
        assertThat(refs.resolve(Base64.getUrlEncoder().encodeToString(IMAGE), "f")).isEqualTo(IMAGE);
        assertThat(fetched).hasValue(0);
        assertThat(refs.resolve("https://cdn.example/front.jpg", "f")).isEqualTo(IMAGE);
        assertThat(fetched).hasValue(1);
        assertRefused(() -> refs.resolve("data:text/html;base64," + b64, "frontImageUrl"), ErrorCode.INVALID_ARGUMENT,
                "frontImageUrl");
        assertRefused(() -> refs.resolve("not base64 !", "f"), ErrorCode.INVALID_ARGUMENT, "base64");
        assertRefused(() -> refs.resolve(" ", "frontImageUrl"), ErrorCode.INVALID_ARGUMENT, "frontImageUrl is required");
        assertRefused(() -> refs.resolve(Base64.getEncoder().encodeToString(new byte[(int) MAX_BYTES + 100]), "f"),
                ErrorCode.PAYLOAD_TOO_LARGE, "larger than");
        assertRefused(() -> ImageFetcher.NONE.fetch("https://cdn.example/a.jpg", "frontImageUrl"),
                ErrorCode.INVALID_ARGUMENT, "OPENKYC_DOCUMENT_URL_HOSTS");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code,
            String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
