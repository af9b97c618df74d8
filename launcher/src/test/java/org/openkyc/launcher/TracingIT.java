package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * W3C Trace Context through the product: a caller's {@code traceparent} at the HTTPS gateway reaches the server
 * over gRPC, and the server's log lines of that call carry the caller's trace id (and the request id the
 * gateway answers with). A call without one gets a trace of its own.
 */
class TracingIT {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private final TestProduct p = TestProduct.get();

    private HttpResponse<String> submit(String traceparent, String userId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.url("/api/web/kycService/submit")))
                .timeout(Duration.ofSeconds(30)).header("x-api-key", p.clientKeyA)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + userId + "\",\"country\":\"SG\"}"));
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        return p.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonObject> caseCreated(List<JsonObject> lines) {
        return lines.stream().filter(l -> l.get("formattedMessage").getAsString().startsWith("case created"))
                .toList();
    }

    @Test
    void theCallersTraceIdIsInTheServersLogLinesOfTheCall() {
        HttpResponse<String> traced;
        List<JsonObject> lines;
        try (CapturedLogs logs = CapturedLogs.start("json")) {
            traced = submit("00-" + TRACE_ID + "-00f067aa0ba902b7-01", "traced-1");
            lines = logs.jsonLines();
        }
        assertThat(traced.statusCode()).as(traced.body()).isEqualTo(200);
        String requestId = traced.headers().firstValue("x-request-id").orElseThrow();
        List<JsonObject> created = caseCreated(lines);
        assertThat(created).hasSize(1);
        JsonObject mdc = created.get(0).getAsJsonObject("mdc");
        assertThat(mdc.get("trace_id").getAsString()).isEqualTo(TRACE_ID);
        assertThat(mdc.get("request_id").getAsString()).isEqualTo(requestId);
        // The gateway is a span of its own in the caller's trace: not the caller's parent span id.
        assertThat(mdc.get("span_id").getAsString()).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
    }

    @Test
    void aCallWithoutTraceContextOrWithAnInvalidOneGetsANewTrace() {
        List<JsonObject> lines;
        try (CapturedLogs logs = CapturedLogs.start("json")) {
            assertThat(submit(null, "untraced-1").statusCode()).isEqualTo(200);
            assertThat(submit("00-00000000000000000000000000000000-00f067aa0ba902b7-01", "untraced-2").statusCode())
                    .isEqualTo(200);
            assertThat(submit("not a traceparent", "untraced-3").statusCode()).isEqualTo(200);
            lines = logs.jsonLines();
        }
        List<JsonObject> created = caseCreated(lines);
        assertThat(created).hasSize(3).allSatisfy(l -> assertThat(l.getAsJsonObject("mdc").get("trace_id")
                .getAsString()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32)));
        assertThat(created.stream().map(l -> l.getAsJsonObject("mdc").get("trace_id").getAsString()).distinct())
                .hasSize(3);
    }
}
