package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
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

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A real HTTPS client of a gateway, trusting only the gateway's certificate file. */
final class TestHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final String base;

    TestHttp(Gateway gateway) throws Exception {
        client = HttpClient.newBuilder()
                           .sslContext(trusting(gateway.certificateFile()))
                           .connectTimeout(Duration.ofSeconds(5))
                           .followRedirects(HttpClient.Redirect.NORMAL)
                           .build();
        base = "https://127.0.0.1:" + gateway.httpsPort();
    }

    static SSLContext trusting(Path certPem) throws Exception {
        final X509Certificate cert;
        try (InputStream in = Files.newInputStream(certPem)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        final KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("gateway", cert);
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        final SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(20));
    }

    HttpResponse<String> get(String pathAndQuery, String apiKey) throws Exception {
        final HttpRequest.Builder b = request(pathAndQuery).GET();
        if (apiKey != null) {
            b.header("x-api-key", apiKey);
        }
        return send(b.build());
    }

    HttpResponse<String> post(String pathAndQuery, String apiKey, String json) throws Exception {
        final HttpRequest.Builder b = request(pathAndQuery)
                .header("content-type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody()
                                   : HttpRequest.BodyPublishers.ofString(json));
        if (apiKey != null) {
            b.header("x-api-key", apiKey);
        }
        return send(b.build());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertNoGrpcHeaders(response);
        return response;
    }

    HttpResponse<byte[]> sendForBytes(HttpRequest request) throws Exception {
        final HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertNoGrpcHeaders(response);
        return response;
    }

    static void assertNoGrpcHeaders(HttpResponse<?> response) {
        assertThat(response.headers().map().keySet())
                .as("response headers of %s", response.uri())
                .noneMatch(name -> name.toLowerCase().startsWith("grpc-"));
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        return JSON.readTree(response.body());
    }
}
