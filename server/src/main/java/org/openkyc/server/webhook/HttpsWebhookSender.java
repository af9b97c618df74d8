package org.openkyc.server.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Sends webhooks over HTTPS with the JDK's client: certificates checked against the JVM's trusted roots and,
 * when configured, the extra certificates of OPENKYC_WEBHOOK_CA_FILE; redirects are not followed (a 3xx is a
 * failed attempt); at most {@value #EXCERPT_BYTES} bytes of the answer are read.
 */
public final class HttpsWebhookSender implements WebhookSender {

    static final int EXCERPT_BYTES = 512;
    private final HttpClient client;

    public HttpsWebhookSender(Duration connectTimeout, Optional<Path> extraCa) {
        HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1);
        if (extraCa.isPresent()) {
            b.sslContext(sslContext(extraCa.get()));
        }
        this.client = b.build();
    }

    @Override
    public Answer post(URI url, Map<String, String> headers, byte[] body, Duration timeout) throws IOException {
        HttpRequest.Builder r = HttpRequest.newBuilder(url).timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", "OpenKYC-Webhooks/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(r::header);
        CompletableFuture<HttpResponse<InputStream>> f = client.sendAsync(r.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try {
            HttpResponse<InputStream> answer = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            try (InputStream in = answer.body()) {
                byte[] start = in.readNBytes(EXCERPT_BYTES);
                return new Answer(answer.statusCode(), printable(new String(start, StandardCharsets.UTF_8)));
            }
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new HttpTimeoutException("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(c == null ? "failed" : c.getMessage(), c);
        }
    }

    /** Control characters out, so an excerpt is safe to show and log. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(c < 0x20 || c == 0x7f || c == 0xfffd ? ' ' : c));
        return b.toString().strip();
    }

    /** Trusts the JVM's roots and the certificates in the PEM file. */
    private static SSLContext sslContext(Path pem) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            try (InputStream in = Files.newInputStream(pem)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("extra-" + i++, c);
                }
            }
            if (i == 0) {
                throw new IllegalArgumentException("OPENKYC_WEBHOOK_CA_FILE holds no PEM certificate: " + pem);
            }
            X509TrustManager extra = trustManager(ks);
            X509TrustManager system = trustManager(null);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new EitherTrustManager(system, extra)}, null);
            return ssl;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("OPENKYC_WEBHOOK_CA_FILE cannot be used: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager trustManager(KeyStore ks) throws java.security.GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X509 trust manager");
    }

    /** A server is trusted when either the system roots or the extra certificates vouch for it. */
    private record EitherTrustManager(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = first.getAcceptedIssuers();
            X509Certificate[] b = second.getAcceptedIssuers();
            X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}
