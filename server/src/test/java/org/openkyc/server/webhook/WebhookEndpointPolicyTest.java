package org.openkyc.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

/** Which endpoint URLs may be registered and contacted (the document URL rules, plus *.domain). */
class WebhookEndpointPolicyTest {

    private static final Map<String, String> DNS = Map.of(
            "hooks.example.com", "203.0.113.7",
            "inside.example.com", "10.1.2.3",
            "loop.example.com", "127.0.0.1",
            "meta.example.com", "169.254.169.254");

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String ip = DNS.get(host);
        if (ip == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(ip)};
    }

    private final EndpointPolicy policy = new EndpointPolicy(
            List.of("receiver.internal", "localhost:8443", "10.0.0.5", "*.example.com"), 200,
            WebhookEndpointPolicyTest::resolve);

    @Test
    void listedHostsAndPortsAreAllowedWhereverTheyPoint() {
        assertThat(policy.check("https://receiver.internal/hooks")).isEqualTo(URI.create("https://receiver.internal/hooks"));
        assertThat(policy.check("https://RECEIVER.internal:443/hooks?token=1")).isNotNull();
        assertThat(policy.check("https://localhost:8443/hooks")).isNotNull();
        assertThat(policy.check("https://10.0.0.5/hooks")).isNotNull();
    }

    @Test
    void hostsUnderAListedDomainMustResolveToPublicAddresses() {
        assertThat(policy.check("https://hooks.example.com/in")).isNotNull();
        refused("https://inside.example.com/in", "private or local address");
        refused("https://loop.example.com/in", "private or local address");
        refused("https://meta.example.com/in", "private or local address");
        refused("https://nowhere.example.com/in", "does not resolve");
        refused("https://example.com/in", "not allowed");
        refused("https://hooks.example.com:8443/in", "not allowed");
    }

    @Test
    void everythingElseIsRefusedBeforeAnyConnection() {
        refused("http://receiver.internal/hooks", "must be an https URL");
        refused("ftp://receiver.internal/hooks", "must be an https URL");
        refused("https://receiver.internal:8443/hooks", "not allowed");
        refused("https://localhost/hooks", "not allowed");
        refused("https://127.0.0.1/hooks", "not allowed");
        refused("https://10.0.0.6/hooks", "not allowed");
        refused("https://[::1]/hooks", "not allowed");
        refused("https://user:pw@receiver.internal/hooks", "plain host");
        refused("https://receiver.internal/hooks#x", "plain host");
        refused("https://unknown.invalid/hooks", "not allowed");
        refused("https://receiver.internal/" + "a".repeat(200), "longer than 200");
        refused("not-a-url", "must be an https URL");
        refused("not a url at all", "not a valid URL");
        refused("https://exa mple.com/", "not a valid URL");
        refused("", "required");
        refused(null, "required");
    }

    @Test
    void anEmptyListAllowsNothing() {
        EndpointPolicy none = new EndpointPolicy(List.of(), 2048, WebhookEndpointPolicyTest::resolve);
        assertThatThrownBy(() -> none.check("https://hooks.example.com/in")).isInstanceOf(DomainException.class);
    }

    @Test
    void internalAddressesAreRecognised() throws Exception {
        for (String ip : new String[] {"127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1", "224.0.0.1"}) {
            assertThat(EndpointPolicy.internal(InetAddress.getByName(ip))).as(ip).isTrue();
        }
        for (String ip : new String[] {"203.0.113.7", "8.8.8.8", "2001:4860:4860::8888"}) {
            assertThat(EndpointPolicy.internal(InetAddress.getByName(ip))).as(ip).isFalse();
        }
    }

    private void refused(String url, String why) {
        assertThatThrownBy(() -> policy.check(url)).as(url).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(why);
        });
    }
}
