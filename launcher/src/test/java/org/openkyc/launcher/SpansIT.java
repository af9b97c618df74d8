package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry spans through the product, as a tracing backend receives them over OTLP/HTTP: a caller's request
 * with a {@code traceparent} is a gateway span (child of the caller's span), a server span (child of the
 * gateway's), a span per database statement and, for an upload, a span per vision stage, all in the caller's
 * trace and carrying no personal data. With {@code OTEL_SDK_DISABLED=true} nothing is sent.
 */
class SpansIT {

    private static final String WEB = "/api/web/kycService";
    private static final int SERVER_KIND = 2;
    private static final int CLIENT_KIND = 3;

    /** One span as received: service, ids (hex), name, kind and attributes (values as text). */
    record Received(String service, String traceId, String spanId, String parentId, String name, int kind,
            Map<String, String> attributes) {
    }

    /** An OTLP/HTTP traces endpoint on loopback that keeps every span it is sent. */
    static final class Receiver implements AutoCloseable {
        final List<Received> spans = new CopyOnWriteArrayList<>();
        final AtomicInteger exports = new AtomicInteger();
        final Server server;

        Receiver() {
            server = Server.builder()
                    .http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .service("/v1/traces", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
                        exports.incrementAndGet();
                        try {
                            spans.addAll(decode(agg.content().array()));
                        } catch (InvalidProtocolBufferException e) {
                            return HttpResponse.of(HttpStatus.BAD_REQUEST);
                        }
                        return HttpResponse.of(HttpStatus.OK, MediaType.parse("application/x-protobuf"),
                                new byte[0]);
                    })))
                    .build();
            server.start().join();
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.activeLocalPort();
        }

        @Override
        public void close() {
            server.stop().join();
        }

        /** ExportTraceServiceRequest -> ResourceSpans(1: resource, 2: scope spans) -> ScopeSpans(2: spans). */
        static List<Received> decode(byte[] body) throws InvalidProtocolBufferException {
            List<Received> out = new java.util.ArrayList<>();
            for (ByteString rs : UnknownFieldSet.parseFrom(body).getField(1).getLengthDelimitedList()) {
                UnknownFieldSet resourceSpans = UnknownFieldSet.parseFrom(rs);
                String service = null;
                for (ByteString res : resourceSpans.getField(1).getLengthDelimitedList()) {
                    service = attributes(UnknownFieldSet.parseFrom(res).getField(1)).get("service.name");
                }
                for (ByteString ss : resourceSpans.getField(2).getLengthDelimitedList()) {
                    for (ByteString s : UnknownFieldSet.parseFrom(ss).getField(2).getLengthDelimitedList()) {
                        UnknownFieldSet span = UnknownFieldSet.parseFrom(s);
                        out.add(new Received(service, hex(span.getField(1)), hex(span.getField(2)),
                                hex(span.getField(4)), text(span.getField(5)),
                                span.getField(6).getVarintList().isEmpty() ? 0
                                        : span.getField(6).getVarintList().get(0).intValue(),
                                attributes(span.getField(9))));
                    }
                }
            }
            return out;
        }

        /** KeyValue(1: key, 2: AnyValue(1: string, 2: bool, 3: int)). */
        private static Map<String, String> attributes(UnknownFieldSet.Field keyValues)
                throws InvalidProtocolBufferException {
            Map<String, String> m = new LinkedHashMap<>();
            for (ByteString kv : keyValues.getLengthDelimitedList()) {
                UnknownFieldSet f = UnknownFieldSet.parseFrom(kv);
                UnknownFieldSet value = UnknownFieldSet.parseFrom(f.getField(2).getLengthDelimitedList().isEmpty()
                        ? ByteString.EMPTY : f.getField(2).getLengthDelimitedList().get(0));
                String v = !value.getField(1).getLengthDelimitedList().isEmpty() ? text(value.getField(1))
                        : !value.getField(3).getVarintList().isEmpty()
                                ? Long.toString(value.getField(3).getVarintList().get(0))
                                : !value.getField(2).getVarintList().isEmpty()
                                        ? Boolean.toString(value.getField(2).getVarintList().get(0) != 0) : "";
                m.put(text(f.getField(1)), v);
            }
            return m;
        }

        private static String text(UnknownFieldSet.Field f) {
            return f.getLengthDelimitedList().isEmpty() ? "" : f.getLengthDelimitedList().get(0).toStringUtf8();
        }

        private static String hex(UnknownFieldSet.Field f) {
            return f.getLengthDelimitedList().isEmpty() ? ""
                    : HexFormat.of().formatHex(f.getLengthDelimitedList().get(0).toByteArray());
        }
    }

    private static Map<String, String> tracingEnv(Receiver receiver) {
        return Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_BSP_SCHEDULE_DELAY", "100");
    }

    private static java.net.http.HttpResponse<String> submit(TestProduct p, String traceparent, String userId) {
        return p.send(HttpRequest.newBuilder(URI.create(p.url(WEB + "/submit"))).timeout(Duration.ofSeconds(30))
                .header("x-api-key", p.clientKeyA).header("content-type", "application/json")
                .header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + userId + "\",\"country\":\"SG\"}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static java.net.http.HttpResponse<String> upload(TestProduct p, String traceparent, String profileId,
            byte[] jpeg) {
        byte[] body = new Multipart().text("profileId", profileId).text("docType", "PASSPORT").text("country", "NL")
                .file("frontImage", "front.jpg", "image/jpeg", jpeg).build();
        return p.send(HttpRequest.newBuilder(URI.create(p.url(WEB + "/document/upload")))
                .timeout(Duration.ofSeconds(90)).header("x-api-key", p.clientKeyA)
                .header("content-type", Multipart.CONTENT_TYPE).header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static List<Received> inTrace(List<Received> spans, String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    private static Received only(List<Received> spans, String service, int kind, String parentId) {
        List<Received> found = spans.stream().filter(s -> s.service().equals(service) && s.kind() == kind
                && s.parentId().equals(parentId)).toList();
        assertThat(found).as("%s spans of kind %d under %s in %s", service, kind, parentId, spans).hasSize(1);
        return found.get(0);
    }

    @Test
    void aCallersRequestIsOneTreeOfSpansInTheCallersTrace() throws IOException {
        String submitTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String uploadTrace = "5ce03f4688c45eb7b4df030e1f1f5847";
        String callerSpan = "00f067aa0ba902b7";
        String userId = "spans-" + UUID.randomUUID();
        byte[] jpeg = TestPassports.jpeg(41);
        List<Received> spans;
        String profileId;
        try (Receiver receiver = new Receiver()) {
            TestProduct p = TestProduct.start("spans", tracingEnv(receiver));
            try {
                var submitted = submit(p, "00-" + submitTrace + "-" + callerSpan + "-01", userId);
                assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
                profileId = TestProduct.json(submitted).getAsJsonObject("data").get("profileId").getAsString();
                var uploaded = upload(p, "00-" + uploadTrace + "-" + callerSpan + "-01", profileId, jpeg);
                assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
            } finally {
                p.close(); // sends what is still queued
            }
            spans = List.copyOf(receiver.spans);
        }

        // The submit: gateway span under the caller's, server span under the gateway's, statements under that.
        List<Received> submit = inTrace(spans, submitTrace);
        Received gateway = only(submit, "openkyc-gateway", SERVER_KIND, callerSpan);
        assertThat(gateway.name()).isEqualTo("POST " + WEB + "/submit");
        assertThat(gateway.attributes()).containsEntry("http.route", WEB + "/submit")
                .containsEntry("http.request.method", "POST").containsEntry("http.response.status_code", "200");
        Received server = only(submit, "openkyc-server", SERVER_KIND, gateway.spanId());
        assertThat(server.name()).endsWith("/Submit");
        assertThat(server.attributes()).containsEntry("rpc.system", "grpc").containsEntry("rpc.method", "Submit")
                .containsEntry("rpc.grpc.status_code", "0");
        List<Received> statements = submit.stream().filter(s -> s.kind() == CLIENT_KIND).toList();
        assertThat(statements).isNotEmpty().allSatisfy(s -> {
            assertThat(s.service()).isEqualTo("openkyc-server");
            assertThat(s.parentId()).isEqualTo(server.spanId());
            assertThat(s.name()).matches("[A-Za-z0-9]+Mapper\\.[A-Za-z0-9]+");
            assertThat(s.attributes()).containsEntry("db.system", "mysql").containsKey("db.operation.name");
        });
        assertThat(statements).anySatisfy(s -> assertThat(s.attributes()).containsEntry("db.operation.name", "INSERT"));

        // The upload: the document read is a span of its own under the server's span of the call.
        List<Received> upload = inTrace(spans, uploadTrace);
        Received uploadGateway = only(upload, "openkyc-gateway", SERVER_KIND, callerSpan);
        assertThat(uploadGateway.attributes()).containsEntry("http.route", WEB + "/document/upload");
        Received uploadServer = only(upload, "openkyc-server", SERVER_KIND, uploadGateway.spanId());
        assertThat(upload).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("vision document_read");
            assertThat(s.parentId()).isEqualTo(uploadServer.spanId());
            assertThat(s.attributes()).containsEntry("openkyc.vision.stage", "document_read");
        });
        assertThat(upload).anySatisfy(s -> assertThat(s.kind()).isEqualTo(CLIENT_KIND));

        // No personal data or ids in any span: names and attribute values are patterns and method names.
        assertThat(spans).allSatisfy(s -> {
            assertThat(s.name()).doesNotContain(userId).doesNotContain(profileId);
            assertThat(s.attributes().values()).noneMatch(v -> v.contains(userId) || v.contains(profileId));
        });
    }

    @Test
    void withTheSdkDisabledNothingIsSentEvenWithAnEndpointSet() {
        try (Receiver receiver = new Receiver()) {
            Map<String, String> env = new java.util.HashMap<>(tracingEnv(receiver));
            env.put("OTEL_SDK_DISABLED", "true");
            TestProduct p = TestProduct.start("spans-off", env);
            try {
                var r = submit(p, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "spans-off-1");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            } finally {
                p.close(); // would send what is queued, were anything recorded
            }
            assertThat(receiver.exports.get()).isZero();
        }
    }
}
