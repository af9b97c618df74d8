package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openkyc.api.submissions.v2.GetAddressCodeRequest;
import org.openkyc.api.submissions.v2.GetAddressCodeResponse;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;

/** docs/API.md A5 end to end: form-encoded REST over HTTPS through the gateway, and gRPC, on the real gazetteer. */
class AddressCodeIT {

    private final TestProduct p = TestProduct.get();

    /** POST /v2/address_code with a form body built from alternating names and values. */
    private HttpResponse<String> form(String key, String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(fields[i]).append('=').append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.url("/v2/address_code")))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (key != null) {
            b.header("x-api-key", key);
        }
        return p.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub grpc(String key) {
        return p.withKey(SubmissionServiceGrpc.newBlockingStub(p.channel), key);
    }

    @Test
    void theDocumentedAddressGivesASeoulPlusCodeAtCityPrecision() {
        HttpResponse<String> r = form(p.clientKeyA, "address", "1 Sejongno, Jongno-gu, Seoul, South Korea", "language", "en");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonObject body = TestProduct.json(r);
        assertThat(body.keySet()).containsExactlyInAnyOrder("formatted_address", "compound_code", "global_code");
        assertThat(body.get("formatted_address").getAsString()).isEqualTo("Seoul, South Korea");
        String global = body.get("global_code").getAsString();
        assertThat(global).startsWith("8Q98HX").hasSize(11);
        assertThat(body.get("compound_code").getAsString()).isEqualTo(global.substring(4) + " Seoul, South Korea");

        GetAddressCodeResponse viaGrpc = grpc(p.clientKeyB).getAddressCode(GetAddressCodeRequest.newBuilder()
                .setAddress("1 Sejongno, Jongno-gu, Seoul, South Korea").setLanguage("en").build());
        assertThat(viaGrpc.getGlobalCode()).isEqualTo(global);
        assertThat(viaGrpc.getCompoundCode()).isEqualTo(body.get("compound_code").getAsString());
    }

    @Test
    void coordinatesAreEncodedDirectly() {
        JsonObject body = TestProduct.json(form(p.clientKeyA, "address", "37.5759,126.9769"));
        assertThat(body.get("global_code").getAsString()).isEqualTo("8Q98HXGG+9Q");
        assertThat(body.get("compound_code").getAsString()).isEqualTo("HXGG+9Q Seoul, South Korea");
        assertThat(body.get("formatted_address").getAsString()).isEqualTo("37.5759,126.9769");

        GetAddressCodeResponse viaGrpc = grpc(p.clientKeyA).getAddressCode(
                GetAddressCodeRequest.newBuilder().setAddress("37.5759, 126.9769").setLanguage("ko").build());
        assertThat(viaGrpc.getCompoundCode()).isEqualTo("HXGG+9Q Seoul, 대한민국");
    }

    @Test
    void theDocumentedPlusCodeIsAcceptedAndAnsweredAsDocumented() {
        JsonObject body = TestProduct.json(form(p.clientKeyA, "address", "8Q98HXPG+MP"));
        assertThat(body.get("global_code").getAsString()).isEqualTo("8Q98HXPG+MP");
        assertThat(body.get("compound_code").getAsString()).isEqualTo("HXPG+MP Seoul, South Korea");

        GetAddressCodeResponse viaGrpc = grpc(p.clientKeyA).getAddressCode(
                GetAddressCodeRequest.newBuilder().setAddress("HXPG+MP Seoul, South Korea").build());
        assertThat(viaGrpc.getGlobalCode()).isEqualTo("8Q98HXPG+MP");
    }

    @Test
    void anUnresolvableAddressIsA422WithAClearMessage() {
        HttpResponse<String> r = form(p.clientKeyA, "address", "Nowhere Street 1, Xyzzyville, Qwertyland");
        assertThat(r.statusCode()).isEqualTo(422);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsString()).isEqualTo("ADDRESS_NOT_FOUND");
        assertThat(body.get("message").getAsString()).contains("could not be resolved");

        assertThatThrownBy(() -> grpc(p.clientKeyA).getAddressCode(
                GetAddressCodeRequest.newBuilder().setAddress("Nowhere Street 1, Xyzzyville, Qwertyland").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(reason(e)).isEqualTo("ADDRESS_NOT_FOUND");
                });
    }

    @Test
    void aMissingAddressIs400() {
        HttpResponse<String> r = form(p.clientKeyA, "language", "en");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(body.get("message").getAsString()).isEqualTo("address is required");

        assertThatThrownBy(() -> grpc(p.clientKeyA).getAddressCode(GetAddressCodeRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void aKeyIsNeeded() {
        HttpResponse<String> r = form(null, "address", "Seoul");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(TestProduct.json(r).get("code").getAsString()).isEqualTo("UNAUTHENTICATED");
        assertThat(form("okyc_not_a_real_key", "address", "Seoul").statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> SubmissionServiceGrpc.newBlockingStub(p.channel).getAddressCode(
                GetAddressCodeRequest.newBuilder().setAddress("Seoul").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    private static String reason(StatusRuntimeException e) {
        com.google.rpc.Status s = StatusProto.fromThrowable(e);
        for (Any any : s.getDetailsList()) {
            if (any.is(ErrorInfo.class)) {
                try {
                    return any.unpack(ErrorInfo.class).getReason();
                } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return null;
    }
}
