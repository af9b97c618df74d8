package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openkyc.launcher.People.Person;
import org.openkyc.server.liveness.CallbackSignature;
import org.openkyc.server.liveness.ChallengeAction;

/**
 * The OpenAPI document tells the truth: every REST route it lists is called through the real HTTPS gateway once
 * with a success and once with an error, and each real answer (status, content type, body) is checked against the
 * document the gateway serves at /openapi.json. Answer bodies are held to the document strictly: an object may
 * carry only the properties the document lists, so a field under another name than documented fails. The last
 * check is that no route of the document was left uncalled.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiConformanceIT {

    private static final String WEB = "/api/web/kycService";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final CallbackSignature SIGNER = new CallbackSignature(TestProduct.LIVENESS_CALLBACK_SECRET);

    private static final TestProduct p = TestProduct.get();
    private static JsonNode document;
    /** The components, every object schema with properties closed to others. */
    private static ObjectNode strictComponents;
    /** What was seen per operation ("post /v2/submission/step1"): "success", "error". */
    private static final Map<String, Set<String>> seen = new TreeMap<>();

    // State carried from one family's calls to the next.
    private static final Person PERSON = People.person("HALVORSEN", "ASTRID", "JX7788990", LocalDate.of(1988, 4, 21));
    private static String submissionId;
    private static String profileId;
    private static long documentId;

    @BeforeAll
    static void readTheServedDocument() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/openapi.json", null, null, null, Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(mediaType(r)).isEqualTo("application/json");
        document = MAPPER.readTree(r.body());
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        strictComponents = (ObjectNode) document.get("components").deepCopy();
        for (JsonNode schema : strictComponents.get("schemas")) {
            close(schema);
        }
        // The checker itself catches what it must: a wrong type, a missing field and an undocumented field behind
        // a reference into the components.
        assertThat(errors(MAPPER.readTree("{\"$ref\":\"#/components/schemas/GetSubmissionsResponse\"}"),
                MAPPER.readTree("{\"Items\":[],\"Count\":\"two\"}"))).isNotEmpty();
        assertThat(errors(MAPPER.readTree("{\"$ref\":\"#/components/schemas/ReasonError\"}"),
                MAPPER.readTree("{\"code\":40400,\"message\":\"x\"}"))).isNotEmpty();
        assertThat(errors(MAPPER.readTree("{\"$ref\":\"#/components/schemas/ReasonError\"}"),
                MAPPER.readTree("{\"code\":\"NOT_FOUND\",\"message\":\"x\",\"submission_id\":\"1\"}")))
                .isNotEmpty();
        assertThat(errors(MAPPER.readTree("{\"$ref\":\"#/components/schemas/ReasonError\"}"),
                MAPPER.readTree("{\"code\":\"NOT_FOUND\",\"message\":\"x\"}"))).isEmpty();
    }

    /** What is wrong with a body against a schema of the document (references resolved in its components). */
    private static Set<ValidationMessage> errors(JsonNode schema, JsonNode body) {
        ObjectNode root = (ObjectNode) schema.deepCopy();
        close(root);
        root.set("components", strictComponents);
        JsonSchema validator = SCHEMAS.getSchema(root);
        return validator.validate(body);
    }

    @AfterAll
    static void everyRouteWasCalledWithASuccessAndAnError() {
        List<String> missing = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> verbs = path.getValue().fieldNames(); verbs.hasNext();) {
                String op = verbs.next() + " " + path.getKey();
                // Webhook routes that need a registered endpoint succeed only against a receiver (WebhooksIT).
                List<String> outcomes = op.startsWith("get /admin/kyc/webhooks") && !op.equals("get /admin/kyc/webhooks")
                        || op.startsWith("post /admin/kyc/webhooks") || op.startsWith("delete /admin/kyc/webhooks")
                        ? List.of("error") : List.of("success", "error");
                for (String outcome : outcomes) {
                    if (!seen.getOrDefault(op, Set.of()).contains(outcome)) {
                        missing.add(op + " (" + outcome + ")");
                    }
                }
            }
        }
        assertThat(missing).as("routes of the document not called").isEmpty();
    }

    // ------------------------------------------------------------------------------ submissions API (/v2)

    @Test
    @Order(1)
    void submissions() throws Exception {
        // A3 step 1: a readable passport; a form without the image.
        HttpResponse<byte[]> r = multipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "NLD").text("idType", "passport")
                .text("email", "oa" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                .file("idImage", "passport.png", "image/png", PERSON.passport()));
        JsonNode step1 = check("post", "/v2/submission/step1", r, 200);
        submissionId = step1.get("submissionId").asText();
        check("post", "/v2/submission/step1", multipart("/v2/submission/step1", p.clientKeyA, new Multipart()
                .text("issuingCountry", "NLD").text("idType", "passport").text("email", "x@example.com")), 400);

        // A4 step 2: the matching selfie; an unknown submission.
        check("post", "/v2/submission/step2", multipart("/v2/submission/step2", p.clientKeyA,
                step2Form(submissionId)), 200);
        check("post", "/v2/submission/step2", multipart("/v2/submission/step2", p.clientKeyA,
                step2Form("unknown0submission")), 404);

        // A1 one submission, and all of them; an unknown one.
        JsonNode list = check("get", "/v2/submission", get("/v2/submission?submission_id=" + submissionId), 200);
        check("get", "/v2/submission", get("/v2/submission?count=2"), 200);
        check("get", "/v2/submission", get("/v2/submission?submission_id=unknown0submission"), 404);
        JsonNode item = list.get("Items").get(0);

        // A2 the applicant; an unknown one.
        check("get", "/v2/submission/applicant",
                get("/v2/submission/applicant?applicant_id=" + item.get("applicant_id").asText()), 200);
        check("get", "/v2/submission/applicant", get("/v2/submission/applicant?applicant_id=nobody0here"), 404);

        // A7 the AML report; an unknown one.
        check("get", "/v2/report/aml", get("/v2/report/aml?resourceId=" + item.get("aml").get("resourceId").asText()),
                200);
        check("get", "/v2/report/aml", get("/v2/report/aml?resourceId=unknown0report"), 404);

        // A8 the document image; an unknown type.
        check("get", "/v2/image", get("/v2/image?submission_id=" + submissionId + "&type=idImage"), 200);
        check("get", "/v2/image", get("/v2/image?submission_id=" + submissionId + "&type=portrait"), 400);

        // A5 a Plus Code (form body); no address.
        check("post", "/v2/address_code", form("/v2/address_code", "address=" + URLEncoder.encode("37.5759,126.9769",
                StandardCharsets.UTF_8)), 200);
        check("post", "/v2/address_code", form("/v2/address_code", "language=en"), 400);
    }

    // ---------------------------------------------------------------------------- KYC web API (C1, C2)

    @Test
    @Order(2)
    void kycWeb() throws Exception {
        // Submit: a profile; without a key.
        JsonNode submitted = check("post", WEB + "/submit", post(WEB + "/submit", p.clientKeyA,
                "{\"userId\":\"oa-" + UUID.randomUUID() + "\",\"country\":\"NL\"}"), 200);
        profileId = submitted.get("data").get("profileId").asText();
        check("post", WEB + "/submit", post(WEB + "/submit", null, "{\"userId\":\"u\",\"country\":\"NL\"}"), 401);

        // Document metadata with a data: URL; a URL off the allow-list.
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(PERSON.passport());
        check("post", WEB + "/document", post(WEB + "/document", p.clientKeyA, "{\"profileId\":\"" + profileId
                + "\",\"docType\":\"PASSPORT\",\"frontImageUrl\":\"" + dataUrl + "\"}"), 200);
        HttpResponse<byte[]> refused = post(WEB + "/document", p.clientKeyA, "{\"profileId\":\"" + profileId
                + "\",\"docType\":\"PASSPORT\",\"frontImageUrl\":\"https://cdn.example/front.jpg\"}");
        check("post", WEB + "/document", refused, refused.statusCode());
        assertThat(refused.statusCode()).isBetween(400, 499);

        // Document upload (multipart); no image.
        JsonNode uploaded = check("post", WEB + "/document/upload", multipart(WEB + "/document/upload", p.clientKeyA,
                new Multipart().text("profileId", profileId).text("docType", "PASSPORT").text("country", "NL")
                        .file("frontImage", "passport.png", "image/png", PERSON.passport())), 200);
        documentId = uploaded.get("data").get("documentId").asLong();
        HttpResponse<byte[]> noImage = multipart(WEB + "/document/upload", p.clientKeyA,
                new Multipart().text("profileId", profileId).text("docType", "PASSPORT").text("country", "NL"));
        check("post", WEB + "/document/upload", noImage, noImage.statusCode());
        assertThat(noImage.statusCode()).isBetween(400, 499);

        // Confirm; an unknown document.
        check("post", WEB + "/document/confirm", post(WEB + "/document/confirm?documentId=" + documentId,
                p.clientKeyA, "{\"userModified\":false}"), 200);
        check("post", WEB + "/document/confirm", post(WEB + "/document/confirm?documentId=987654321",
                p.clientKeyA, "{\"userModified\":false}"), 404);

        // Liveness: start, session, verify; an unknown profile, session, and a session of nobody.
        JsonNode session = check("post", WEB + "/liveness/start",
                post(WEB + "/liveness/start?profileId=" + profileId, p.clientKeyA, null), 200).get("data");
        check("post", WEB + "/liveness/start", post(WEB + "/liveness/start?profileId=nobody0here", p.clientKeyA,
                null), 404);
        String sessionId = session.get("sessionId").asText();
        check("get", WEB + "/liveness/session/{sessionId}", get(WEB + "/liveness/session/" + sessionId), 200);
        check("get", WEB + "/liveness/session/{sessionId}", get(WEB + "/liveness/session/nosuchsession"), 404);
        List<ChallengeAction> actions = new ArrayList<>();
        session.get("actions").forEach(a -> actions.add(ChallengeAction.valueOf(a.asText())));
        Multipart videos = new Multipart().text("sessionId", sessionId).text("profileId", profileId);
        List<byte[]> clips = People.videos("astronaut", actions);
        for (int i = 0; i < clips.size(); i++) {
            videos.file("video" + (i + 1), actions.get(i) + ".mp4", "video/mp4", clips.get(i));
        }
        byte[] videoForm = videos.build();
        JsonNode verified = check("post", WEB + "/liveness/verify", send("POST", WEB + "/liveness/verify",
                p.clientKeyA, Multipart.CONTENT_TYPE, videoForm, Map.of()), 200);
        assertThat(verified.get("data").get("passed").asBoolean()).isTrue();
        HttpResponse<byte[]> used = send("POST", WEB + "/liveness/verify", p.clientKeyA, Multipart.CONTENT_TYPE,
                videoForm, Map.of());
        check("post", WEB + "/liveness/verify", used, used.statusCode());
        assertThat(used.statusCode()).as("a used session is refused").isBetween(400, 499);

        // Submit the document; an unknown one.
        check("post", WEB + "/document/submit", post(WEB + "/document/submit?documentId=" + documentId, p.clientKeyA,
                null), 200);
        check("post", WEB + "/document/submit", post(WEB + "/document/submit?documentId=987654321", p.clientKeyA,
                null), 404);

        // Status; an unknown profile.
        check("get", WEB + "/status/{profileId}", get(WEB + "/status/" + profileId), 200);
        check("get", WEB + "/status/{profileId}", get(WEB + "/status/nobody0here"), 404);

        // The signed liveness callback; a wrong signature.
        String body = "{\"profileId\":\"" + profileId + "\",\"sessionId\":\"provider-1\",\"confidence\":93,"
                + "\"result\":\"success\"}";
        String ts = Long.toString(Instant.now().getEpochSecond());
        String signature = SIGNER.sign(ts, body.getBytes(StandardCharsets.UTF_8));
        check("post", WEB + "/callback/liveness", send("POST", WEB + "/callback/liveness", p.clientKeyA,
                "application/json", body.getBytes(StandardCharsets.UTF_8),
                Map.of("x-openkyc-timestamp", ts, "x-openkyc-signature", signature)), 200);
        HttpResponse<byte[]> forged = send("POST", WEB + "/callback/liveness", p.clientKeyA, "application/json",
                body.getBytes(StandardCharsets.UTF_8),
                Map.of("x-openkyc-timestamp", ts, "x-openkyc-signature", TestProduct.corrupt(signature)));
        check("post", WEB + "/callback/liveness", forged, forged.statusCode());
        assertThat(forged.statusCode()).isBetween(400, 499);
    }

    // --------------------------------------------------------------------------- admin API and its mirrors

    @Test
    @Order(3)
    void admin() throws Exception {
        for (String base : List.of("/admin/kyc", WEB)) {
            String list = base.equals(WEB) ? WEB + "/list" : "/admin/kyc/list";
            String update = base.equals(WEB) ? WEB + "/status/update" : "/admin/kyc/update-status";
            check("post", list, post(list, p.adminKeyA, "{\"page\":1,\"limit\":5}"), 200);
            check("post", list, post(list, p.clientKeyA, "{\"page\":1,\"limit\":5}"), 403);
            check("get", base + "/detail/{profileId}", send("GET", base + "/detail/" + profileId, p.adminKeyA, null,
                    null, Map.of()), 200);
            check("get", base + "/detail/{profileId}", send("GET", base + "/detail/nobody0here", p.adminKeyA, null,
                    null, Map.of()), 404);
            check("post", update, post(update, p.adminKeyA, "{\"profileId\":\"" + profileId
                    + "\",\"status\":0,\"remark\":\"Looked again\"}"), 200);
            check("post", update, post(update, p.adminKeyA, "{\"profileId\":\"nobody0here\",\"status\":2,"
                    + "\"remark\":\"x\"}"), 404);
        }
    }

    /**
     * Webhooks (C5). The shared product allows no webhook host, so a registration is refused (400) here and the
     * routes that need a registered endpoint answer their documented 404; their successes are exercised against a
     * real receiver by WebhooksIT.
     */
    @Test
    @Order(3)
    void webhooks() throws Exception {
        String hooks = "/admin/kyc/webhooks";
        check("get", hooks, send("GET", hooks, p.adminKeyA, null, null, Map.of()), 200);
        check("get", hooks, send("GET", hooks, p.clientKeyA, null, null, Map.of()), 403);
        check("post", hooks, post(hooks, p.adminKeyA,
                "{\"url\":\"http://hooks.example/in\",\"eventTypes\":[\"kyc.case.status_changed\"]}"), 400);
        check("delete", hooks + "/{webhookId}", send("DELETE", hooks + "/nohook0here", p.adminKeyA, null, null,
                Map.of()), 404);
        check("get", hooks + "/{webhookId}/deliveries", send("GET", hooks + "/nohook0here/deliveries", p.adminKeyA,
                null, null, Map.of()), 404);
        check("post", hooks + "/{webhookId}/deliveries/{eventId}/replay", post(hooks
                + "/nohook0here/deliveries/noevent0here/replay", p.adminKeyA, "{}"), 404);
    }

    // ------------------------------------------------------------------ travel-rule verifications API (/v1)

    @Test
    @Order(4)
    void verifications() throws Exception {
        check("get", "/v1/verifications", get("/v1/verifications?page=1&rpp=5"), 200);
        check("get", "/v1/verifications", send("GET", "/v1/verifications", "okyc_not_a_real_key", null, null,
                Map.of()), 401);
    }

    // ------------------------------------------------------------------------------- deletion (A6), last

    @Test
    @Order(5)
    void deletion() throws Exception {
        check("delete", "/v2/submission", send("DELETE", "/v2/submission?submission_id=" + submissionId, p.clientKeyA,
                null, null, Map.of()), 200);
        check("delete", "/v2/submission", send("DELETE", "/v2/submission?submission_id=" + submissionId, p.clientKeyA,
                null, null, Map.of()), 404);
    }

    // ------------------------------------------------------------------------------------------ checking

    /**
     * Checks a real answer against the document: the status is the expected one and documented for the operation
     * (exactly or by its range), the content type is one the document lists, and a JSON body matches its schema.
     *
     * @return the JSON body (null for a file)
     */
    private static JsonNode check(String verb, String path, HttpResponse<byte[]> r, int status) throws Exception {
        String what = verb.toUpperCase() + " " + path + " -> " + r.statusCode() + " "
                + new String(r.body(), 0, Math.min(r.body().length, 400), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(what).isEqualTo(status);
        JsonNode op = document.path("paths").path(path).path(verb);
        assertThat(op.isObject()).as("documented: " + verb + " " + path).isTrue();
        JsonNode responses = op.get("responses");
        String code = Integer.toString(r.statusCode());
        JsonNode response = responses.has(code) ? responses.get(code)
                : responses.has(code.charAt(0) + "XX") ? responses.get(code.charAt(0) + "XX") : responses.get("default");
        assertThat(response).as("status documented: " + what).isNotNull();
        String type = mediaType(r);
        JsonNode media = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = response.get("content").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (matches(e.getKey(), type)) {
                media = e.getValue();
            }
        }
        assertThat(media).as("content type " + type + " documented for " + what).isNotNull();
        JsonNode body = null;
        if (type.equals("application/json")) {
            body = MAPPER.readTree(r.body());
            assertThat(errors(media.get("schema"), body)).as("body of " + what).isEmpty();
        } else {
            assertThat(r.body()).as("a file: " + what).isNotEmpty();
        }
        seen.computeIfAbsent(verb + " " + path, k -> new TreeSet<>()).add(r.statusCode() < 400 ? "success" : "error");
        return body;
    }

    /** Closes every object schema that lists properties: no other property may appear. */
    private static void close(JsonNode schema) {
        if (schema instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties")) {
                o.put("additionalProperties", false);
            }
            for (JsonNode child : o) {
                close(child);
            }
        } else if (schema != null && schema.isArray()) {
            for (JsonNode child : schema) {
                close(child);
            }
        }
    }

    private static boolean matches(String documented, String actual) {
        if (documented.equals(actual) || documented.equals("*/*")) {
            return true;
        }
        return documented.endsWith("/*") && actual.startsWith(documented.substring(0, documented.length() - 1));
    }

    private static String mediaType(HttpResponse<?> r) {
        String type = r.headers().firstValue("content-type").orElse("");
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase();
    }

    // ------------------------------------------------------------------------------------------- calls

    private static Multipart step2Form(String id) {
        return new Multipart().text("submissionId", id)
                .file("faceImage", "selfie.png", "image/png", People.ASTRONAUT)
                .text("name", PERSON.name()).text("date_of_birth", PERSON.id().birth().toString())
                .text("gender", PERSON.gender()).text("nationality", PERSON.id().nationality());
    }

    private static HttpResponse<byte[]> get(String pathAndQuery) {
        return send("GET", pathAndQuery, p.clientKeyA, null, null, Map.of());
    }

    private static HttpResponse<byte[]> post(String pathAndQuery, String key, String json) {
        return send("POST", pathAndQuery, key, json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static HttpResponse<byte[]> form(String path, String body) {
        return send("POST", path, p.clientKeyA, "application/x-www-form-urlencoded",
                body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static HttpResponse<byte[]> multipart(String path, String key, Multipart form) {
        return send("POST", path, key, Multipart.CONTENT_TYPE, form.build(), Map.of());
    }

    private static HttpResponse<byte[]> send(String method, String pathAndQuery, String key, String contentType,
            byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.url(pathAndQuery))).timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("x-api-key", key);
        }
        if (contentType != null) {
            b.header("content-type", contentType);
        }
        Map<String, String> all = new HashMap<>(headers);
        all.forEach(b::header);
        return p.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
