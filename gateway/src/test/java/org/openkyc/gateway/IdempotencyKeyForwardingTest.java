package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Metadata;
import org.junit.jupiter.api.Test;

/** The REST Idempotency-Key header travels upstream as idempotency-key metadata. */
class IdempotencyKeyForwardingTest {

    private static final Metadata.Key<String> KEY =
            Metadata.Key.of("idempotency-key", Metadata.ASCII_STRING_MARSHALLER);

    private static Metadata forwarded(String... header) {
        RequestHeaders headers = header.length == 0 ? RequestHeaders.of(HttpMethod.POST, "/x")
                : RequestHeaders.of(HttpMethod.POST, "/x", "Idempotency-Key", header[0]);
        return UpstreamForwarder.outgoingHeaders(ServiceRequestContext.of(HttpRequest.of(headers)));
    }

    @Test
    void aPrintableKeyIsForwardedAsIs() {
        assertThat(forwarded("order-42 retry~1").get(KEY)).isEqualTo("order-42 retry~1");
    }

    @Test
    void noHeaderNoMetadata() {
        assertThat(forwarded().containsKey(KEY)).isFalse();
    }

    @Test
    void aKeyThatIsNotPrintableAsciiTravelsEmptySoTheServerRefusesIt() {
        // Sent as is, a non-ASCII key would reach the server with its letters replaced, and be accepted.
        assertThat(forwarded("caf\u00e9").get(KEY)).isEmpty();
    }
}
