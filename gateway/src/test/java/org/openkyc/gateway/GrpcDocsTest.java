package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The documentation page tells the truth: every gRPC method is listed with its proto comment and the
 * formats the gateway serves, an {@code x-api-key} example header is offered, a note explains the key,
 * and the strict Content-Security-Policy stays on every part of the page.
 */
class GrpcDocsTest {

    @RegisterExtension
    static final GatewayUnderTest g = new GatewayUnderTest("grpc-docs", b -> b);

    @Test
    void theSpecificationCarriesProtoCommentsFormatsAndTheKeyHeader() throws Exception {
        final HttpResponse<String> response = g.http.get("/docs/specification.json", null);
        assertThat(response.statusCode()).isEqualTo(200);
        final String spec = response.body();
        // A comment of kyc.proto, read from the descriptor set the proto module writes.
        assertThat(spec).contains("server-to-server callback recording a liveness result");
        assertThat(spec).contains("/openkyc.kyc.v1.KycService/Submit");
        assertThat(spec).contains("application/grpc+proto", "application/grpc-web+proto",
                                  "application/grpc-web-text+proto");
        assertThat(spec).doesNotContain("application/grpc-web+json");
        assertThat(spec).contains("x-api-key").contains(ApiDocs.KEY_PLACEHOLDER);
    }

    @Test
    void theKeyNoteIsAScriptOfTheGatewayUnderTheSamePolicy() throws Exception {
        final HttpResponse<String> script = g.http.get("/docs/injected.js", null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("x-api-key metadata (gRPC and gRPC-Web");
        assertThat(script.headers().firstValue("content-security-policy")).hasValue(DocsDecorator.CSP);

        final HttpResponse<String> page = g.http.get("/docs/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-security-policy")).hasValue(DocsDecorator.CSP);
    }
}
