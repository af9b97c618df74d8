package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openkyc.api.submissions.v2.IdType;
import org.openkyc.api.submissions.v2.SubmitStep1Request;

import com.fasterxml.jackson.databind.JsonNode;

/** The generic multipart route, registered for docs/API.md A3 step 1, against an upstream double over HTTPS. */
class MultipartRouteTest {

    private static final String BOUNDARY = "openkyc-test-boundary-7f3a";

    @RegisterExtension
    static final GatewayUnderTest g = new GatewayUnderTest("multipart", b -> b.maxBodyBytes(64 * 1024).maxUploadBytes(64 * 1024));

    @BeforeEach
    void reset() {
        g.upstream.reset();
    }

    /** A multipart/form-data body: text fields, then one file part. */
    static byte[] body(String[][] texts, String fileField, byte[] file) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] t : texts) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + t[0] + "\"\r\n\r\n"
                            + t[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (fileField != null) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fileField
                            + "\"; filename=\"doc.png\"\r\nContent-Type: image/png\r\n\r\n")
                                   .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static HttpResponse<String> post(byte[] body) throws Exception {
        return g.http.send(g.http.request(Gateway.STEP1_PATH).header("x-api-key", UpstreamDouble.KEY)
                             .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
                             .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    @Test
    void textPartsFillStringAndEnumFieldsAndFilePartsFillBytesByJsonOrFieldName() throws Exception {
        final byte[] image = new byte[3000];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) i;
        }
        final HttpResponse<String> response = post(body(new String[][] {
                {"issuingCountry", "UTO"}, {"email", "anna@example.com"}, {"idType", "passport"},
                {"userid", "u-1"}, {"ip_address", "203.0.113.9"}, {"unknown", "ignored"}}, "idImage", image));
        assertThat(response.statusCode()).isEqualTo(200);
        final UpstreamDouble.Call call = g.upstream.lastCall();
        assertThat(call.method()).isEqualTo("SubmitStep1");
        assertThat(call.header("x-api-key")).isEqualTo(UpstreamDouble.KEY);
        final SubmitStep1Request sent = (SubmitStep1Request) call.request();
        assertThat(sent.getIssuingCountry()).isEqualTo("UTO");
        assertThat(sent.getEmail()).isEqualTo("anna@example.com");
        assertThat(sent.getIdType()).isEqualTo(IdType.Value.passport);
        assertThat(sent.getUserid()).isEqualTo("u-1");
        // The submitter's address is the one the gateway sees, whatever the form claims.
        assertThat(sent.getIpAddress()).isEqualTo("127.0.0.1");
        assertThat(sent.getIdImage().toByteArray()).isEqualTo(image);

        final JsonNode json = TestHttp.json(response);
        assertThat(json.get("submissionId").asText()).isEqualTo("anna@example.com");
        assertThat(json.get("file_upload").asBoolean()).isTrue();
        assertThat(json.get("reviewOCRData").get("ocr_name").asText()).isEqualTo("bytes=3000");
    }

    @Test
    void anUnknownEnumValueIs400WithoutCallingUpstream() throws Exception {
        final HttpResponse<String> response = post(body(new String[][] {{"idType", "library_card"}}, "idImage",
                                                        new byte[10]));
        assertThat(response.statusCode()).isEqualTo(400);
        final JsonNode json = TestHttp.json(response);
        assertThat(json.get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(json.get("message").asText()).contains("idType must be one of").contains("passport");
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void upstreamErrorsAreRenderedAsTheFamilysErrorBody() throws Exception {
        final HttpResponse<String> response = post(body(new String[][] {{"email", "a@example.com"}}, null, null));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(response).get("message").asText()).isEqualTo("idImage is required");
    }

    @Test
    void aBodyOverTheLimitIs413WithoutCallingUpstream() throws Exception {
        final HttpResponse<String> response = post(body(new String[][] {{"email", "a@example.com"}}, "idImage",
                                                        new byte[128 * 1024]));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(TestHttp.json(response).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(g.upstream.callCount()).isZero();
    }

    @Test
    void otherMediaTypesAre415() throws Exception {
        final HttpResponse<String> response = g.http.post(Gateway.STEP1_PATH, UpstreamDouble.KEY, "{\"email\":\"a@b.c\"}");
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(TestHttp.json(response).get("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(g.upstream.callCount()).isZero();
    }
}
