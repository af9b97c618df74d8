package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openkyc.api.submissions.v2.GetAddressCodeRequest;

import com.fasterxml.jackson.databind.JsonNode;

/** The plain form-encoded route of docs/API.md A5 against an upstream double, over real HTTPS. */
class AddressCodeRouteTest {

    @RegisterExtension
    static final GatewayUnderTest g = new GatewayUnderTest("geo", b -> b.maxBodyBytes(64 * 1024));

    @BeforeEach
    void reset() {
        g.upstream.reset();
    }

    private static HttpResponse<String> form(String apiKey, String body) throws Exception {
        final HttpRequest.Builder b = g.http.request(AddressCodeRoute.PATH)
                                          .header("content-type", "application/x-www-form-urlencoded")
                                          .header("x-request-id", "rid-geo-1")
                                          .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            b.header("x-api-key", apiKey);
        }
        return g.http.send(b.build());
    }

    @Test
    void aFormIsParsedForwardedWithTheCallersHeadersAndAnsweredAsDocumentedJson() throws Exception {
        final HttpResponse<String> response =
                form(UpstreamDouble.KEY, "address=1+Sejongno%2C+Jongno-gu%2C+Seoul&language=ko&unknown=x");
        assertThat(response.statusCode()).isEqualTo(200);
        final UpstreamDouble.Call call = g.upstream.lastCall();
        assertThat(call.method()).isEqualTo("GetAddressCode");
        final GetAddressCodeRequest sent = (GetAddressCodeRequest) call.request();
        assertThat(sent.getAddress()).isEqualTo("1 Sejongno, Jongno-gu, Seoul");
        assertThat(sent.getLanguage()).isEqualTo("ko");
        assertThat(call.header("x-api-key")).isEqualTo(UpstreamDouble.KEY);
        assertThat(call.header("x-request-id")).isEqualTo("rid-geo-1");
        assertThat(call.header("x-forwarded-for")).isEqualTo("127.0.0.1");

        final JsonNode body = TestHttp.json(response);
        assertThat(body.get("formatted_address").asText()).isEqualTo("1 Sejongno, Jongno-gu, Seoul [ko]");
        assertThat(body.get("compound_code").asText()).isEqualTo("HXPG+MP Seoul, South Korea");
        assertThat(body.get("global_code").asText()).isEqualTo("8Q98HXPG+MP");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(response.headers().firstValue("x-request-id")).hasValue("rid-geo-1");
    }

    @Test
    void anEncodedPlusSignStaysAPlusSign() throws Exception {
        form(UpstreamDouble.KEY, "address=8Q98HXPG%2BMP");
        assertThat(((GetAddressCodeRequest) g.upstream.lastCall().request()).getAddress()).isEqualTo("8Q98HXPG+MP");
    }

    @Test
    void aJsonBodyWorksToo() throws Exception {
        final HttpResponse<String> response = g.http.post(AddressCodeRoute.PATH, UpstreamDouble.KEY,
                                                        "{\"address\":\"Seoul\",\"language\":\"en\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(response).get("formatted_address").asText()).isEqualTo("Seoul [en]");
    }

    @Test
    void withoutAKeyTheEdgeAnswers401WithoutCallingUpstream() throws Exception {
        final HttpResponse<String> response = form(null, "address=Seoul");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(response).get("code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void upstreamErrorsKeepTheirReasonAndHttpStatus() throws Exception {
        HttpResponse<String> response = form(UpstreamDouble.KEY, "address=nowhere");
        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode body = TestHttp.json(response);
        assertThat(body.get("code").asText()).isEqualTo("ADDRESS_NOT_FOUND");
        assertThat(body.get("message").asText()).isEqualTo("The address could not be resolved");

        response = form(UpstreamDouble.KEY, "language=en");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(response).get("message").asText()).isEqualTo("address is required");

        response = form(UpstreamDouble.BAD_KEY, "address=Seoul");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(response).get("code").asText()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void otherMediaTypesAreRefusedWith415() throws Exception {
        final HttpResponse<String> response = g.http.send(
                g.http.request(AddressCodeRoute.PATH).header("x-api-key", UpstreamDouble.KEY).header("content-type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("Seoul")).build());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(TestHttp.json(response).get("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void malformedJsonIs400() throws Exception {
        final HttpResponse<String> response = g.http.post(AddressCodeRoute.PATH, UpstreamDouble.KEY, "{\"address\":");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(response).get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(g.upstream.callCount()).isZero();
    }
}
