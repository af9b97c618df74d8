package org.openkyc.server.webhook;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.openkyc.server.error.DomainException;

/**
 * Which URLs webhooks may be sent to (OPENKYC_WEBHOOK_URL_HOSTS), by the rules of document image URLs:
 * <ul>
 *   <li>only {@code https://} URLs with a plain host (no user info, no fragment), at most a configured length;</li>
 *   <li>the host and port must be listed: {@code host} allows port 443, {@code host:port} that port, an IP literal
 *       only when listed as such. A listed host is trusted wherever it points, private networks included: the
 *       operator named it;</li>
 *   <li>{@code *.domain} allows any host under the domain on port 443, but only while it resolves to public
 *       addresses: a name that points to a loopback, private, link-local or otherwise internal address is refused,
 *       at registration and again before every attempt (so a name changed later cannot reach inside).</li>
 * </ul>
 * An empty list allows nothing. Refusals are INVALID_ARGUMENT with a message saying which rule.
 */
public final class EndpointPolicy {

    /** Resolves host names (a test may answer without a DNS). */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Set<String> exact;
    private final List<String> suffixes;
    private final int maxLength;
    private final Resolver resolver;

    public EndpointPolicy(List<String> hosts, int maxLength) {
        this(hosts, maxLength, InetAddress::getAllByName);
    }

    public EndpointPolicy(List<String> hosts, int maxLength, Resolver resolver) {
        this.exact = Set.copyOf(hosts.stream().filter(h -> !h.startsWith("*."))
                .map(h -> h.toLowerCase(Locale.ROOT)).map(h -> h.contains(":") ? h : h + ":443").toList());
        this.suffixes = hosts.stream().filter(h -> h.startsWith("*."))
                .map(h -> h.substring(1).toLowerCase(Locale.ROOT)).toList();
        this.maxLength = maxLength;
        this.resolver = resolver;
    }

    /** The URL as a URI when an endpoint may be registered with it; refuses it otherwise. */
    public URI check(String url) {
        if (url == null || url.isBlank()) {
            throw DomainException.invalid("url is required");
        }
        if (url.length() > maxLength) {
            throw DomainException.invalid("url is longer than " + maxLength + " characters");
        }
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw DomainException.invalid("url is not a valid URL");
        }
        if (!"https".equalsIgnoreCase(u.getScheme())) {
            throw DomainException.invalid("url must be an https URL");
        }
        if (u.getRawUserInfo() != null || u.getHost() == null || u.getRawFragment() != null) {
            throw DomainException.invalid("url must be an https URL with a plain host name, without user"
                    + " information or fragment");
        }
        refusal(u).ifPresent(why -> {
            throw DomainException.invalid(why);
        });
        return u;
    }

    /** Why the URL may not be contacted now, or empty when it may (checked again before every attempt). */
    public Optional<String> refusal(URI u) {
        if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            return Optional.of("url must be an https URL");
        }
        String host = host(u);
        int port = u.getPort() < 0 ? 443 : u.getPort();
        if (exact.contains(host + ":" + port)) {
            return Optional.empty();
        }
        boolean underListedDomain = port == 443 && !literal(host)
                && suffixes.stream().anyMatch(s -> host.endsWith(s) && host.length() > s.length());
        if (!underListedDomain) {
            return Optional.of("url points to a host that is not allowed for webhooks (OPENKYC_WEBHOOK_URL_HOSTS)");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("url points to a host name that does not resolve");
        }
        for (InetAddress a : addresses) {
            if (internal(a)) {
                return Optional.of("url points to a host that resolves to a private or local address, which is"
                        + " allowed only when the host is listed by name in OPENKYC_WEBHOOK_URL_HOSTS");
            }
        }
        return Optional.empty();
    }

    /** True for addresses that are not on the public internet. */
    static boolean internal(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || (first == 198 && (second & 0xfe) == 18)
                    || first >= 240;
        }
        // IPv6 unique local (fc00::/7) and IPv4-mapped addresses of internal IPv4 ones.
        if ((b[0] & 0xfe) == 0xfc) {
            return true;
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            try {
                return internal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
            } catch (UnknownHostException e) {
                return true;
            }
        }
        return false;
    }

    private static boolean literal(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static String host(URI u) {
        String host = u.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            host = IDN.toASCII(host);
        } catch (IllegalArgumentException e) {
            // left as is: it will not match a listed host
        }
        return host;
    }
}
