package org.openkyc.server.document;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches image URLs over HTTPS from an allow-list of hosts (OPENKYC_DOCUMENT_URL_HOSTS) only.
 *
 * <ul>
 *   <li>Only {@code https://} URLs whose host and port are on the list are contacted. An entry
 *       {@code cdn.example} allows port 443 only; {@code cdn.example:8443} allows that port only. IP
 *       literals are contacted only when listed as such. Anything else (http, file, data, other hosts,
 *       user info in the URL) is refused before any connection.</li>
 *   <li>Redirects are not followed by the HTTP client. Up to {@value #MAX_REDIRECTS} are followed here,
 *       and only to https on the same host and port as the first URL; any other target is refused.</li>
 *   <li>One deadline covers the connection, every redirect and reading the body; the body is counted
 *       while it is read and the transfer is cut off at the byte limit, whatever Content-Length says.</li>
 * </ul>
 * Logs name the host, never the path or query (which may carry tokens or personal data).
 */
public final class HttpsImageFetcher implements ImageFetcher {

    static final int MAX_REDIRECTS = 2;
    private static final Logger log = LoggerFactory.getLogger(HttpsImageFetcher.class);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final Set<String> allowed;
    private final HttpClient client;
    private final Duration totalTimeout;
    private final long maxBytes;

    /**
     * @param hosts        lower-case host names, optionally with ":port"
     * @param ssl          the TLS context (null: the JVM's default trust)
     * @param timeout      connect timeout and total time for a fetch, redirects and body included
     * @param maxBytes     the most bytes an image may have
     */
    public HttpsImageFetcher(List<String> hosts, SSLContext ssl, Duration timeout, long maxBytes) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.allowed = Set.copyOf(hosts.stream().map(h -> h.toLowerCase(Locale.ROOT))
                .map(h -> h.contains(":") ? h : h + ":443").toList());
        HttpClient.Builder b = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.client = b.build();
        this.totalTimeout = timeout;
        this.maxBytes = maxBytes;
    }

    @Override
    public byte[] fetch(String url, String field) {
        URI first = allowedUri(url, field);
        String origin = authority(first);
        long deadline = System.nanoTime() + totalTimeout.toNanos();
        URI current = first;
        for (int hop = 0; ; hop++) {
            HttpResponse<Optional<byte[]>> r = get(current, field, deadline);
            int status = r.statusCode();
            if (REDIRECTS.contains(status)) {
                if (hop >= MAX_REDIRECTS) {
                    throw unusable(field, "redirected more than " + MAX_REDIRECTS + " times");
                }
                String location = r.headers().firstValue("location").orElseThrow(
                        () -> unusable(field, "redirected without a location"));
                URI next;
                try {
                    next = current.resolve(new URI(location.strip()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw DomainException.invalidField(field, field + " redirects to a malformed URL");
                }
                URI checked = allowedUri(next.toString(), field);
                if (!authority(checked).equals(origin)) {
                    log.info("image URL refused: redirect from host {} to another host", first.getHost());
                    throw DomainException.invalidField(field, field + " redirects to another host, which is not allowed");
                }
                current = checked;
                continue;
            }
            if (status != 200) {
                throw unusable(field, "answered HTTP " + status);
            }
            return r.body().orElseThrow(() -> unusable(field, "answered no body"));
        }
    }

    /** The URL as a URI when it may be contacted; refuses everything else without contacting it. */
    URI allowedUri(String url, String field) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw DomainException.invalidField(field, field + " is not a valid URL");
        }
        if (!"https".equalsIgnoreCase(u.getScheme())) {
            throw DomainException.invalidField(field, field + " must be an https URL on the allowed hosts, a data: URL or base64");
        }
        if (u.getRawUserInfo() != null || u.getHost() == null) {
            throw DomainException.invalidField(field, field + " must be an https URL with a plain host name");
        }
        if (!allowed.contains(authority(u))) {
            log.info("image URL refused: host {} is not allowed", u.getHost());
            throw DomainException.invalidField(field, field + " points to a host that is not allowed for image URLs"
                    + " (OPENKYC_DOCUMENT_URL_HOSTS)");
        }
        return u;
    }

    private static String authority(URI u) {
        String host = u.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            host = IDN.toASCII(host);
        } catch (IllegalArgumentException e) {
            // left as is: it will not match a listed host
        }
        return host + ":" + (u.getPort() < 0 ? 443 : u.getPort());
    }

    private HttpResponse<Optional<byte[]>> get(URI u, String field, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw unusable(field, "took too long");
        }
        HttpRequest req = HttpRequest.newBuilder(u).GET().timeout(Duration.ofNanos(left))
                .header("accept", "image/jpeg, image/png, image/webp").build();
        CompletableFuture<HttpResponse<Optional<byte[]>>> f = client.sendAsync(req, info -> {
            if (info.statusCode() != 200) {
                return new LimitedBody(0, true);
            }
            OptionalLong declared = info.headers().firstValueAsLong("content-length");
            if (declared.isPresent() && declared.getAsLong() > maxBytes) {
                return LimitedBody.tooLarge();
            }
            return new LimitedBody(maxBytes, false);
        });
        try {
            return f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            log.info("image URL fetch timed out host={}", u.getHost());
            throw unusable(field, "took too long");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw unusable(field, "was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TooLarge || (e.getCause() != null && e.getCause().getCause() instanceof TooLarge)) {
                throw new DomainException(ErrorCode.PAYLOAD_TOO_LARGE, field + " is larger than " + maxBytes
                        + " bytes");
            }
            if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
                throw unusable(field, "took too long");
            }
            log.info("image URL fetch failed host={} error={}", u.getHost(), e.getCause() == null ? "?"
                    : e.getCause().getClass().getSimpleName());
            throw unusable(field, "could not be reached");
        }
    }

    private static DomainException unusable(String field, String why) {
        return new DomainException(ErrorCode.UNPROCESSABLE_IMAGE, field + " could not be fetched: the server " + why);
    }

    /** The body size was over the limit. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("too large", null, false, false);
        }
    }

    /** Collects at most a number of bytes, cancelling the transfer past it; or discards the body at once. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<Optional<byte[]>> {
        private final long max;
        private final boolean discard;
        private final CompletableFuture<Optional<byte[]>> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        LimitedBody(long max, boolean discard) {
            this.max = max;
            this.discard = discard;
        }

        static LimitedBody tooLarge() {
            LimitedBody b = new LimitedBody(0, false);
            b.result.completeExceptionally(new TooLarge());
            return b;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (result.isDone()) {
                s.cancel();
            } else if (discard) {
                s.cancel();
                result.complete(Optional.empty());
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if (out.size() + (long) b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(Optional.of(out.toByteArray()));
        }

        @Override
        public CompletionStage<Optional<byte[]>> getBody() {
            return result;
        }
    }
}
