package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Failed-authentication throttling per client address: over the limit, 429 with Retry-After before the body
 * is read or a server is asked, in the family's error shape; keys that succeeded keep working; memory stays
 * bounded whatever the number of addresses.
 */
class AuthThrottleTest {

    @RegisterExtension
    static final GatewayUnderTest g = new GatewayUnderTest("throttle", b -> b.authFailuresPerWindow(5));

    @Test
    void overTheLimitAnAddressGets429WithRetryAfterButAKeyThatWorkedKeepsWorking() throws Exception {
        // A key that works, used before the guessing starts.
        assertThat(g.http.get("/v2/submission?submission_id=s-1", UpstreamDouble.KEY).statusCode()).isEqualTo(200);

        // Five failures: three malformed or missing keys refused at the edge, two refused upstream.
        assertThat(g.http.get("/v2/submission?submission_id=s-1", "guess-1").statusCode()).isEqualTo(401);
        assertThat(g.http.post("/admin/kyc/list", null, "{}").statusCode()).isEqualTo(401);
        assertThat(g.http.post("/v2/address_code", "okyc_bad", "{}").statusCode()).isEqualTo(401);
        assertThat(g.http.get("/v2/submission?submission_id=s-1", UpstreamDouble.BAD_KEY).statusCode()).isEqualTo(401);
        assertThat(g.http.post("/admin/kyc/list", UpstreamDouble.BAD_KEY, "{}").statusCode()).isEqualTo(401);
        final int upstreamCalls = g.upstream.callCount();

        // Now every guess from this address is 429 in its family's shape, without asking upstream.
        HttpResponse<String> r = g.http.get("/v2/submission?submission_id=s-1", UpstreamDouble.BAD_KEY);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        JsonNode body = TestHttp.json(r);
        assertThat(body.get("code").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(body.get("message").asText()).contains("failed authentications");
        r = g.http.post("/api/web/kycService/submit", "guess-2", "{\"userId\":\"u\"}");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(TestHttp.json(r).get("code").asInt()).isEqualTo(42900);
        assertThat(g.http.post("/v2/address_code", null, "{}").statusCode()).isEqualTo(429);
        assertThat(g.upstream.callCount()).isEqualTo(upstreamCalls);

        // The key that succeeded is not throttled.
        assertThat(g.http.get("/v2/submission?submission_id=s-2", UpstreamDouble.KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void theWindowEndsAndSuccessesDoNotCount() {
        final AtomicLong now = new AtomicLong();
        final AuthThrottle t = new AuthThrottle(3, Duration.ofSeconds(60), 100, now::get);
        final InetAddress a = InetAddress.getLoopbackAddress();
        t.succeeded("okyc_whatever");
        for (int i = 0; i < 3; i++) {
            assertThat(t.retryAfterSeconds(a, null)).isZero();
            t.failed(a);
        }
        assertThat(t.retryAfterSeconds(a, null)).isEqualTo(60);
        now.addAndGet(Duration.ofSeconds(45).toNanos());
        assertThat(t.retryAfterSeconds(a, "okyc_other")).isEqualTo(15);
        assertThat(t.retryAfterSeconds(a, "okyc_whatever")).isZero();
        now.addAndGet(Duration.ofSeconds(15).toNanos());
        assertThat(t.retryAfterSeconds(a, null)).isZero();
        // Off: never throttles.
        final AuthThrottle off = new AuthThrottle(0, Duration.ofSeconds(60), 100, now::get);
        for (int i = 0; i < 100; i++) {
            off.failed(a);
        }
        assertThat(off.retryAfterSeconds(a, null)).isZero();
    }

    @Test
    void memoryIsBoundedAndIpv6CountsPer64() throws Exception {
        final AtomicLong now = new AtomicLong();
        final AuthThrottle t = new AuthThrottle(2, Duration.ofSeconds(60), 16, now::get);
        for (int i = 0; i < 10_000; i++) {
            t.failed(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
        }
        assertThat(t.trackedAddresses()).isEqualTo(16);

        // Two addresses of one /64 share a counter; another /64 does not.
        t.failed(InetAddress.getByName("2001:db8:1:2::1"));
        t.failed(InetAddress.getByName("2001:db8:1:2:ffff::9"));
        assertThat(t.retryAfterSeconds(InetAddress.getByName("2001:db8:1:2::77"), null)).isPositive();
        assertThat(t.retryAfterSeconds(InetAddress.getByName("2001:db8:1:3::1"), null)).isZero();
    }

    @Test
    void theKeyFormatIsTheServers() {
        assertThat(ApiKeyFormat.wellFormed("okyc_" + "aZ09-_".repeat(7) + "x")).isTrue();
        assertThat(ApiKeyFormat.wellFormed("okyc_" + "a".repeat(42))).isFalse();
        assertThat(ApiKeyFormat.wellFormed("okyc_" + "a".repeat(44))).isFalse();
        assertThat(ApiKeyFormat.wellFormed("OKYC_" + "a".repeat(43))).isFalse();
        assertThat(ApiKeyFormat.wellFormed("okyc_" + "a".repeat(42) + "=")).isFalse();
        assertThat(ApiKeyFormat.wellFormed("okyc_" + "a".repeat(42) + "é")).isFalse();
        assertThat(ApiKeyFormat.wellFormed(null)).isFalse();
    }
}
