package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded property test over every documented REST route of the running product, through the
 * real HTTPS gateway: wrong JSON types, missing and extra fields, 100 KB strings, deeply nested values,
 * invalid UTF-8, bad enum values, odd content types and charsets, truncated and malformed multipart
 * bodies, odd query parameters and odd path ids, wrong methods and keys.
 *
 * <p>Whatever a client sends, the product must answer like a product: never a 5xx (a 503 with
 * {@code Retry-After} is allowed: it tells the client when to come back), every error body JSON in the
 * family's shape ({@code {"code":"REASON","message":...}} for {@code /v2} and {@code /v1},
 * {@code {"code":<non-zero number>,"message":...}} for the KYC web and admin API), and the product still
 * healthy afterwards. Every (route, case) pair is sent at least once, then random cases fill the request
 * budget. The requests are written byte for byte on a TLS socket (HTTP/1.1), so that even a request line
 * a URI class would refuse reaches the gateway.
 *
 * <p>Deterministic: {@code -Dopenkyc.fuzz.seed=...} and {@code -Dopenkyc.fuzz.requests=...} change the
 * seed (default {@value #DEFAULT_SEED}) and the budget (default {@value #DEFAULT_REQUESTS}). A failure
 * lists every (route, case, status) that broke a rule, with a sample request and answer.
 */
class FuzzIT {

    static final long DEFAULT_SEED = 20261206L;
    static final int DEFAULT_REQUESTS = 1500;
    /** A safety bound on the whole run, so that a product that stops answering cannot hang the build. */
    private static final Duration RUN_BOUND = Duration.ofMinutes(6);
    private static final int HUGE = 100 * 1024;

    private final TestProduct p = TestProduct.get();
    private final Random rnd = new Random(Long.getLong("openkyc.fuzz.seed", DEFAULT_SEED));
    private final Map<String, Map<Integer, Integer>> byRoute = new TreeMap<>();
    private final Map<String, Failure> failures = new TreeMap<>();
    private final Map<String, String> samples = new TreeMap<>();
    private SSLContext ssl;
    private int port;
    private String sharedProfileId;
    /** The case id of the request being built. */
    private String profileId;
    private String otherTenantProfileId;
    private byte[] png;
    private byte[] jpeg;

    // ---------------------------------------------------------------------------------------------
    // The routes: README "What works today" and the google.api.http bindings in proto/.

    enum Family {
        /** {@code /v2/...} and {@code /v1/...}: a string reason code. */
        REASON,
        /** {@code /api/web/kycService/...} and {@code /admin/kyc/...}: a non-zero numeric code. */
        NUMERIC
    }

    enum Kind { JSON, QUERY, PATH_ID, MULTIPART, FORM, SIGNED }

    enum T { STR, INT, BOOL, DOUBLE, ENUM, OBJ, STR_LIST, ID, DATE }

    record Field(String name, T type, List<String> values, List<Field> children) {
        static Field of(String name, T type) {
            return new Field(name, type, List.of(), List.of());
        }

        static Field oneOf(String name, String... values) {
            return new Field(name, T.ENUM, List.of(values), List.of());
        }

        static Field obj(String name, Field... children) {
            return new Field(name, T.OBJ, List.of(), List.of(children));
        }
    }

    record Route(String method, String path, Kind kind, boolean admin, List<Field> fields) {
        String name() {
            return method + " " + path;
        }

        Family family() {
            return path.startsWith("/v2/") || path.startsWith("/v1/") ? Family.REASON : Family.NUMERIC;
        }
    }

    private static final String WEB = "/api/web/kycService";

    static List<Route> routes() {
        Field profile = Field.of("profileId", T.ID);
        List<Field> submissionsQuery = List.of(Field.of("submission_id", T.ID), Field.of("userid", T.STR),
                Field.of("email", T.STR), Field.of("start_date", T.DATE), Field.of("end_date", T.DATE),
                Field.oneOf("request_type", "step1", "step2", "kyc", "bogus"),
                Field.oneOf("kyc_result", "approved", "rejected", "pending", "bogus"), Field.of("applicant_id", T.STR),
                Field.of("count", T.INT), Field.of("nextpageKey", T.STR));
        List<Field> listQuery = List.of(Field.of("profileIds", T.STR_LIST), Field.of("page", T.INT),
                Field.of("limit", T.INT));
        List<Field> updateStatus = List.of(profile, Field.oneOf("status", "0", "1", "2", "3", "99", "-1"),
                Field.of("remark", T.STR));
        return List.of(
                // Submissions API (/v2)
                new Route("GET", "/v2/submission", Kind.QUERY, false, submissionsQuery),
                new Route("DELETE", "/v2/submission", Kind.QUERY, false, List.of(Field.of("submission_id", T.ID))),
                new Route("GET", "/v2/submission/applicant", Kind.QUERY, false,
                        List.of(Field.of("applicant_id", T.STR))),
                new Route("POST", "/v2/submission/step1", Kind.MULTIPART, false, List.of(
                        Field.of("issuingCountry", T.STR), Field.of("email", T.STR),
                        Field.oneOf("idType", "passport", "government_id", "drivers_license", "residence_permit"),
                        Field.of("idImage", T.OBJ), Field.of("userid", T.STR), Field.of("cf1", T.STR),
                        Field.of("ip_address", T.STR))),
                new Route("POST", "/v2/submission/step2", Kind.MULTIPART, false, List.of(
                        Field.of("submissionId", T.ID), Field.of("faceImage", T.OBJ), Field.of("name", T.STR),
                        Field.of("date_of_birth", T.DATE), Field.oneOf("gender", "male", "female"),
                        Field.of("nationality", T.STR), Field.of("date_of_expiry", T.DATE),
                        Field.of("document_number", T.STR))),
                new Route("POST", "/v2/address_code", Kind.FORM, false, List.of(Field.of("address", T.STR),
                        Field.oneOf("language", "en", "ko", "ja"))),
                new Route("GET", "/v2/report/aml", Kind.QUERY, false, List.of(Field.of("resourceId", T.ID))),
                new Route("GET", "/v2/image", Kind.QUERY, false, List.of(Field.of("submission_id", T.ID),
                        Field.oneOf("type", "idImage", "idBackImage", "selfieImage"))),
                // Travel-rule verifications API (/v1)
                new Route("GET", "/v1/verifications", Kind.QUERY, false, List.of(Field.of("fromDate", T.DATE),
                        Field.of("toDate", T.DATE), Field.of("symbol", T.STR), Field.of("network", T.STR),
                        Field.of("txHash", T.STR), Field.oneOf("result", "VERIFIED", "DENIED", "UNKNOWN"),
                        Field.oneOf("actionType", "SEND", "RECEIVE"), Field.of("oppositeVaspId", T.STR),
                        Field.of("originatorAccountNumber", T.STR), Field.of("page", T.INT), Field.of("rpp", T.INT))),
                // KYC web API
                new Route("POST", WEB + "/submit", Kind.JSON, false, List.of(Field.of("userId", T.STR),
                        Field.of("country", T.STR))),
                new Route("POST", WEB + "/document", Kind.JSON, false, List.of(profile,
                        Field.oneOf("docType", "PASSPORT", "ID_CARD", "DRIVER_LICENSE", "RESIDENCE_PERMIT"),
                        Field.of("docNumber", T.STR), Field.of("frontImageUrl", T.STR), Field.of("backImageUrl", T.STR),
                        Field.of("expiryDate", T.DATE), Field.of("issueCountry", T.STR))),
                new Route("POST", WEB + "/document/upload", Kind.MULTIPART, false, List.of(profile,
                        Field.oneOf("docType", "PASSPORT", "ID_CARD", "DRIVER_LICENSE", "RESIDENCE_PERMIT"),
                        Field.of("country", T.STR), Field.of("frontImage", T.OBJ), Field.of("backImage", T.OBJ))),
                new Route("POST", WEB + "/document/confirm", Kind.JSON, false, List.of(Field.of("documentId", T.INT),
                        Field.of("name", T.STR), Field.of("idNumber", T.STR), Field.of("birthDate", T.DATE),
                        Field.of("expiryDate", T.DATE), Field.of("issuer", T.STR), Field.of("nationality", T.STR),
                        Field.of("userModified", T.BOOL))),
                new Route("POST", WEB + "/document/submit", Kind.QUERY, false, List.of(Field.of("documentId", T.INT))),
                new Route("GET", WEB + "/status/{id}", Kind.PATH_ID, false, List.of()),
                new Route("POST", WEB + "/callback/liveness", Kind.SIGNED, false, List.of(profile,
                        Field.of("sessionId", T.STR), Field.of("confidence", T.DOUBLE),
                        Field.oneOf("result", "success", "fail"), Field.of("errorMessage", T.STR))),
                new Route("POST", WEB + "/liveness/start", Kind.QUERY, false, List.of(profile)),
                new Route("POST", WEB + "/liveness/verify", Kind.MULTIPART, false, List.of(Field.of("sessionId", T.STR),
                        profile, Field.of("video1", T.OBJ), Field.of("video2", T.OBJ), Field.of("video3", T.OBJ))),
                new Route("GET", WEB + "/liveness/session/{id}", Kind.PATH_ID, false, List.of()),
                // KYC admin API and its mirrors (admin keys)
                new Route("POST", "/admin/kyc/list", Kind.JSON, true, listQuery),
                new Route("POST", WEB + "/list", Kind.JSON, true, listQuery),
                new Route("GET", "/admin/kyc/detail/{id}", Kind.PATH_ID, true, List.of()),
                new Route("GET", WEB + "/detail/{id}", Kind.PATH_ID, true, List.of()),
                new Route("POST", "/admin/kyc/update-status", Kind.JSON, true, updateStatus),
                new Route("POST", WEB + "/status/update", Kind.JSON, true, updateStatus));
    }

    /** The cases of each kind of route; every one is sent at least once per route. */
    static List<String> cases(Kind kind) {
        List<String> common = List.of("valid", "noKey", "wrongKey", "otherTenant", "wrongMethod", "oddQuery",
                "hugeHeader", "badContentEncoding");
        List<String> body = List.of("wrongType", "missingFields", "emptyObject", "extraFields", "hugeString",
                "deep64", "deep20000", "badEnum", "invalidUtf8", "malformedJson", "nonObjectJson", "bigNumbers",
                "escapedControls", "duplicateKeys", "emptyBody", "bom", "oddContentType", "oddCharset");
        List<String> query = List.of("wrongType", "badEnum", "hugeQuery", "repeatedParams", "percentGarbage",
                "invalidUtf8", "unknownParams", "emptyValues", "oddDates", "bodyOnQueryRoute");
        List<String> multipart = List.of("truncated", "noClosingBoundary", "wrongBoundary", "noBoundaryParam",
                "quotedBoundary", "emptyBody", "duplicateFields", "textForFile", "fileForText", "hugeTextField",
                "invalidUtf8", "notAnImage", "oddFilename", "partWithoutName", "garbageBetweenParts",
                "nestedMultipart", "jsonInstead", "formInstead", "oddCharset", "badEnum", "headersOnlyPart",
                "hugeImage");
        List<String> pathId = List.of("oddId", "longId", "hugeId", "invalidUtf8Id", "encodedSlash", "dotDot",
                "emptyId", "otherTenantId");
        List<String> form = List.of("formInvalidUtf8", "formOddCharset", "formRepeated", "formHuge", "formMissing",
                "formGarbage");
        List<String> signed = List.of("unsigned", "badSignature", "staleTimestamp", "garbageTimestamp",
                "oversizedSigned", "signedOdd");
        List<String> all = new ArrayList<>(common);
        switch (kind) {
            case JSON -> all.addAll(body);
            case QUERY -> all.addAll(query);
            case PATH_ID -> all.addAll(pathId);
            case MULTIPART -> all.addAll(multipart);
            case FORM -> {
                all.addAll(form);
                all.addAll(body);
            }
            case SIGNED -> {
                all.addAll(signed);
                all.addAll(body);
            }
            default -> throw new IllegalArgumentException(kind.name());
        }
        return all;
    }

    // ---------------------------------------------------------------------------------------------
    // The run.

    @Test
    void everyRouteAnswersOddInputLikeAProduct() throws Exception {
        ssl = p.http.sslContext();
        port = p.product.gateway().httpsPort();
        sharedProfileId = p.createProfile(p.clientKeyA, "fuzz_user");
        profileId = sharedProfileId;
        otherTenantProfileId = p.createProfile(p.clientKeyB, "fuzz_other");
        png = image("png");
        jpeg = image("jpg");

        List<Route> routes = routes();
        List<String[]> plan = new ArrayList<>();
        for (Route r : routes) {
            for (String c : cases(r.kind())) {
                plan.add(new String[] {Integer.toString(routes.indexOf(r)), c});
            }
        }
        int budget = Math.max(plan.size(), Integer.getInteger("openkyc.fuzz.requests", DEFAULT_REQUESTS));
        while (plan.size() < budget) {
            Route r = routes.get(rnd.nextInt(routes.size()));
            List<String> cs = cases(r.kind());
            plan.add(new String[] {Integer.toString(routes.indexOf(r)), cs.get(rnd.nextInt(cs.size()))});
        }

        Instant deadline = Instant.now().plus(RUN_BOUND);
        int sent = 0;
        for (String[] step : plan) {
            if (Instant.now().isAfter(deadline)) {
                break;
            }
            Route route = routes.get(Integer.parseInt(step[0]));
            Req req = build(route, step[1]);
            Answer a = send(req);
            check(route, step[1], req, a);
            sent++;
        }

        String summary = byRoute.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("; "));
        System.out.println("FUZZ summary: seed=" + Long.getLong("openkyc.fuzz.seed", DEFAULT_SEED) + " requests="
                + sent + "/" + plan.size() + " routes=" + routes.size() + " by route/status: " + summary);
        System.out.println("FUZZ one answer per route/status:\n" + samples.entrySet().stream()
                .map(e -> "  " + e.getKey() + "  " + e.getValue()).collect(Collectors.joining("\n")));
        String report = failures.values().stream().map(Failure::toString).collect(Collectors.joining("\n"));
        if (!failures.isEmpty()) {
            System.out.println("FUZZ failures (" + failures.size() + " route/case/status groups):\n" + report);
        }

        // The product is still healthy: the health check answers and a plain request works.
        Answer health = send(new Req("GET", "/internal/health", headers(null), null));
        Answer submit = send(jsonReq("POST", WEB + "/submit", p.clientKeyA,
                "{\"userId\":\"after_fuzz\",\"country\":\"SG\"}"));
        assertThat(health.status).as("health after the fuzz run: " + health.body).isEqualTo(200);
        assertThat(submit.status).as("a plain submit after the fuzz run: " + submit.body).isEqualTo(200);
        assertThat(sent).as("requests sent within the run bound").isEqualTo(plan.size());
        assertThat(failures).as("route/case/status groups that broke a rule:\n" + report).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // Checking an answer.

    record Failure(String route, String kase, int status, String rule, String request, String answer, int[] count) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "  %-52s %-20s %3d x%-3d %s%n      request: %s%n      answer:  %s",
                    route, kase, status, count[0], rule, request, answer);
        }
    }

    private void check(Route route, String kase, Req req, Answer a) {
        byRoute.computeIfAbsent(route.name(), k -> new TreeMap<>()).merge(a.status, 1, Integer::sum);
        samples.putIfAbsent(route.name() + " " + a.status, kase + " -> " + abbreviate(a.body, 160));
        String rule = violation(route, req, a);
        if (rule != null) {
            String key = route.name() + "|" + kase + "|" + a.status + "|" + rule;
            failures.computeIfAbsent(key, k -> new Failure(route.name(), kase, a.status, rule, req.describe(),
                    abbreviate(a.headersLine() + " " + a.body, 300), new int[1])).count[0]++;
        }
    }

    /** The rule the answer breaks, or null. */
    private static String violation(Route route, Req req, Answer a) {
        if (a.status < 0) {
            return "no HTTP answer (" + a.body + ")";
        }
        if (a.status >= 500 && !(a.status == 503 && a.headers.containsKey("retry-after"))) {
            return "5xx";
        }
        if (a.status < 400 || "HEAD".equals(req.method)) {
            return null;
        }
        String type = a.headers.getOrDefault("content-type", "");
        if (!type.startsWith("application/json")) {
            return "error body is not JSON (content-type '" + type + "')";
        }
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(a.body);
            if (!e.isJsonObject()) {
                return "error body is not a JSON object";
            }
            o = e.getAsJsonObject();
        } catch (RuntimeException e) {
            return "error body does not parse as JSON";
        }
        if (!o.has("message") || !o.get("message").isJsonPrimitive()) {
            return "error body has no message";
        }
        JsonElement code = o.get("code");
        if (code == null || !code.isJsonPrimitive()) {
            return "error body has no code";
        }
        if (a.status == 400 && undecodable(req.target)) {
            // HTTP refuses such a target before any route, so before its family, is known: any JSON error with a
            // code and a message is right (the gateway answers the reason-string shape).
            return null;
        }
        Family family = familyOf(req.target);
        if (family == Family.NUMERIC) {
            if (!code.getAsJsonPrimitive().isNumber() || code.getAsLong() == 0) {
                return "KYC error code is not a non-zero number";
            }
        } else if (!code.getAsJsonPrimitive().isString() || code.getAsString().isBlank()) {
            return "error code is not a reason string";
        }
        return null;
    }

    /**
     * A target the HTTP server refuses before routing: a broken percent-escape, an escaped control character,
     * a dot segment or an encoded slash (path traversal forms).
     */
    static boolean undecodable(String target) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e") || lower.contains("/../")
                || lower.endsWith("/..") || lower.contains("/./") || lower.endsWith("/.")) {
            return true;
        }
        for (int i = target.indexOf('%'); i >= 0; i = target.indexOf('%', i + 1)) {
            if (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0
                    || Character.digit(target.charAt(i + 2), 16) < 0) {
                return true;
            }
            if (Integer.parseInt(target.substring(i + 1, i + 3), 16) < 0x20) {
                return true;
            }
        }
        return false;
    }

    /** The family a request target belongs to, as the gateway decides it from the path. */
    private static Family familyOf(String target) {
        return target.startsWith(WEB + "/") || target.startsWith("/admin/kyc/") ? Family.NUMERIC : Family.REASON;
    }

    // ---------------------------------------------------------------------------------------------
    // Building a request.

    /** A raw request: method, target (each char one byte, ISO-8859-1), headers, body. */
    record Req(String method, String target, Map<String, String> headers, byte[] body) {
        String describe() {
            String b = body == null ? "" : " body[" + body.length + "]=" + abbreviate(
                    new String(body, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?"), 120);
            String ct = headers.containsKey("content-type") ? " ct=" + headers.get("content-type") : "";
            return method + " " + abbreviate(target, 140) + ct + b;
        }
    }

    private Req build(Route r, String kase) {
        // A request on /v2/submission may delete the case it names (DELETE, or a wrong method that is DELETE):
        // give it a case of its own, and keep the shared one for every other route.
        profileId = "/v2/submission".equals(r.path()) ? p.createProfile(p.clientKeyA, "fuzz_deletable")
                : sharedProfileId;
        String key = r.admin() ? p.adminKeyA : p.clientKeyA;
        switch (kase) {
            case "noKey" -> key = null;
            case "wrongKey" -> key = "okyc_" + "x".repeat(40);
            case "otherTenant" -> key = r.admin() ? p.adminKeyB : p.clientKeyB;
            default -> {
                if (rnd.nextInt(20) == 0) {
                    key = r.admin() ? p.clientKeyA : p.adminKeyA; // a client key on an admin route, and back
                }
            }
        }
        Req req = switch (r.kind()) {
            case JSON -> jsonRoute(r, kase, key);
            case QUERY -> queryRoute(r, kase, key);
            case PATH_ID -> pathRoute(r, kase, key);
            case MULTIPART -> multipartRoute(r, kase, key);
            case FORM -> kase.startsWith("form") ? formRoute(r, kase, key) : jsonRoute(r, kase, key);
            case SIGNED -> signedRoute(r, kase, key);
        };
        return common(r, kase, req);
    }

    /** The cases every route shares: wrong method, odd query, odd headers. */
    private Req common(Route r, String kase, Req req) {
        switch (kase) {
            case "wrongMethod" -> {
                String[] methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOO", "HEAD"};
                String m;
                do {
                    m = methods[rnd.nextInt(methods.length)];
                } while (m.equals(r.method()));
                return new Req(m, req.target, req.headers, req.body);
            }
            case "oddQuery" -> {
                String sep = req.target.contains("?") ? "&" : "?";
                return new Req(req.method, req.target + sep + oddQueryPart(), req.headers, req.body);
            }
            case "hugeHeader" -> {
                req.headers.put("x-fuzz", "a".repeat(rnd.nextBoolean() ? 9000 : 70_000));
                return req;
            }
            case "badContentEncoding" -> {
                req.headers.put("content-encoding", pick("gzip", "deflate", "br", "bogus", "gzip, gzip"));
                return req;
            }
            default -> {
                return req;
            }
        }
    }

    private Req jsonRoute(Route r, String kase, String key) {
        String path = r.path();
        Map<String, String> h = headers(key);
        h.put("content-type", "application/json");
        byte[] body = jsonBody(r.fields(), kase, h);
        return new Req(r.method(), path, h, body);
    }

    /** A JSON body for the fields, broken as the case says; may change the headers (content type). */
    private byte[] jsonBody(List<Field> fields, String kase, Map<String, String> h) {
        switch (kase) {
            case "emptyObject" -> {
                return utf8("{}");
            }
            case "emptyBody" -> {
                return new byte[0];
            }
            case "nonObjectJson" -> {
                return utf8(cycle("nonObject", "[]", "[{}]", "\"text\"", "42", "null", "true", "-0", "1e999"));
            }
            case "malformedJson" -> {
                String valid = object(fields, f -> validValue(f));
                return utf8(cycle("malformed", valid.substring(0, Math.max(1, valid.length() / 2)), valid + "}", valid + " garbage",
                        "{", "{\"a\":}", "{'single':'quotes'}", "{\"a\" 1}", "{\"a\":1,}", "{/*c*/}", "{\"a\":NaN}",
                        "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "\u0000",
                        valid.replace(':', '=')));
            }
            case "bom" -> {
                byte[] v = utf8(object(fields, f -> validValue(f)));
                byte[] out = new byte[v.length + 3];
                out[0] = (byte) 0xEF;
                out[1] = (byte) 0xBB;
                out[2] = (byte) 0xBF;
                System.arraycopy(v, 0, out, 3, v.length);
                return out;
            }
            case "invalidUtf8" -> {
                String valid = object(fields, f -> f.type == T.STR || f.type == T.ID ? "\"@@BAD@@\"" : validValue(f));
                return replaceMarker(utf8(valid.contains("@@BAD@@") ? valid : "{\"x\":\"@@BAD@@\"}"));
            }
            case "oddContentType" -> {
                h.put("content-type", cycle("contentType", "text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data", "multipart/form-data; boundary=zzz", "application/octet-stream",
                        "application/json;;;", "*/*", "application/", "", "application/grpc", "application/grpc+proto",
                        "application/json-patch+json", "image/png", "text/html; charset=utf-8"));
                if (h.get("content-type").isEmpty()) {
                    h.remove("content-type");
                }
                return utf8(object(fields, f -> validValue(f)));
            }
            case "oddCharset" -> {
                String cs = cycle("charset", "latin1", "iso-8859-1", "utf-16", "UTF-16BE", "utf-32", "bogus", "\"utf-8\"", "",
                        "utf-8; charset=ascii", "x-user-defined", "shift_jis");
                h.put("content-type", "application/json; charset=" + cs);
                String v = object(fields, f -> f.type == T.STR ? json("Zoë 王 \u00e9") : validValue(f));
                return cs.toLowerCase(Locale.ROOT).startsWith("utf-16") ? v.getBytes(StandardCharsets.UTF_16)
                        : cs.equals("latin1") || cs.equals("iso-8859-1") ? v.getBytes(StandardCharsets.ISO_8859_1)
                        : utf8(v);
            }
            default -> {
                return utf8(jsonText(fields, kase));
            }
        }
    }

    private String jsonText(List<Field> fields, String kase) {
        return switch (kase) {
            case "wrongType" -> object(fields, f -> rnd.nextInt(3) == 0 ? validValue(f) : wrongValue(f));
            case "missingFields" -> {
                List<Field> some = new ArrayList<>(fields);
                if (!some.isEmpty()) {
                    some.remove(rnd.nextInt(some.size()));
                }
                some.removeIf(f -> rnd.nextBoolean());
                yield object(some, f -> validValue(f));
            }
            case "extraFields" -> {
                String base = object(fields, f -> validValue(f));
                String extra = pick("\"unknown\":1", "\"__proto__\":{\"admin\":true}", "\"@type\":\"x\"",
                        "\"tenant\":\"globex\"", "\"profile_id\":\"" + profileId + "\"", "\"\":\"\"",
                        "\"status\":{\"nested\":[1,2,3]}", "\"" + "k".repeat(5000) + "\":1");
                yield base.length() <= 2 ? "{" + extra + "}" : base.substring(0, base.length() - 1) + "," + extra + "}";
            }
            case "hugeString" -> object(fields, f -> rnd.nextInt(3) == 0 || fields.size() == 1
                    ? json(randomText(HUGE)) : validValue(f));
            case "deep64" -> object(fields, f -> rnd.nextBoolean() ? deep(64) : validValue(f));
            case "deep20000" -> rnd.nextBoolean() ? deep(20_000) : object(fields, f -> deep(20_000));
            case "badEnum" -> object(fields, f -> f.type == T.ENUM
                    ? pick("\"BOGUS\"", "99", "-1", "\"\"", "\"passport \"", "1.5", "null", "[\"PASSPORT\"]")
                    : validValue(f));
            case "bigNumbers" -> object(fields, f -> f.type == T.INT || f.type == T.DOUBLE || rnd.nextInt(4) == 0
                    ? pick("9223372036854775808", "-9223372036854775809", "1e400", "-0", "2147483648", "1.5",
                            "0.000000000000000000000000001", "123456789012345678901234567890", "1E+2", "\"12\"")
                    : validValue(f));
            case "escapedControls" -> object(fields, f -> f.type == T.STR || f.type == T.ID
                    ? cycle("controls", "\"\\u0000\"", "\"\\ud800\"", "\"a\\udc00b\"", "\"\\u202e\\u0000\\u001b[31m\"",
                            "\"\\r\\n\\t\"", "\"\\uffff\\ufffe\"", "\"\\u0000x".repeat(1) + "\"")
                    : validValue(f));
            case "duplicateKeys" -> {
                String base = object(fields, f -> validValue(f));
                String dup = fields.isEmpty() ? "\"a\":1,\"a\":2" : "\"" + fields.get(0).name + "\":"
                        + wrongValue(fields.get(0));
                yield base.length() <= 2 ? "{" + dup + "}" : base.substring(0, base.length() - 1) + "," + dup + "}";
            }
            default -> object(fields, f -> validValue(f));
        };
    }

    private Req queryRoute(Route r, String kase, String key) {
        Map<String, String> h = headers(key);
        StringBuilder q = new StringBuilder();
        for (Field f : r.fields()) {
            if (rnd.nextInt(3) == 0 && !"valid".equals(kase)) {
                continue;
            }
            String v = switch (kase) {
                case "wrongType" -> pick("abc", "1.5", "-1", "99999999999999999999", "true", "[1]", "{}", "0x10",
                        "1e3", "%20");
                case "badEnum" -> f.type == T.ENUM ? pick("BOGUS", "99", "-1", "", "SEND%00") : queryValue(f);
                case "oddDates" -> f.type == T.DATE ? pick("2020-13-45", "0000-00-00", "2020-02-30", "99999-01-01",
                        "2020-01-01T99:00:00Z", "yesterday", "1970-01-01", "-1", "2020/01/01", "") : queryValue(f);
                case "emptyValues" -> "";
                case "invalidUtf8" -> cycle("utf8Query", "%C3%28", "%FF%FE", "%ED%A0%80", "%C0%AF", "%F4%90%80%80", "%E2%82");
                case "percentGarbage" -> cycle("percent", "%zz", "%", "%2", "%%", "%00", "a%0d%0aX-Injected:%201", "%u0041");
                case "hugeQuery" -> "q".repeat(rnd.nextBoolean() ? HUGE : 6000);
                default -> queryValue(f);
            };
            q.append(q.length() == 0 ? "" : "&").append(f.name).append('=').append(v);
        }
        switch (kase) {
            case "repeatedParams" -> {
                for (Field f : r.fields()) {
                    q.append(q.length() == 0 ? "" : "&").append(f.name).append('=').append(queryValue(f))
                            .append('&').append(f.name).append('=').append(queryValue(f));
                }
            }
            case "unknownParams" -> q.append(q.length() == 0 ? "" : "&").append(oddQueryPart());
            default -> {
                // nothing more
            }
        }
        byte[] body = null;
        if ("bodyOnQueryRoute".equals(kase)) {
            h.put("content-type", "application/json");
            body = utf8(jsonText(r.fields(), pick("valid", "wrongType", "deep64", "hugeString")));
        } else if ("POST".equals(r.method()) && rnd.nextBoolean()) {
            body = new byte[0];
        }
        return new Req(r.method(), r.path() + (q.length() == 0 ? "" : "?" + q), h, body);
    }

    private Req pathRoute(Route r, String kase, String key) {
        String id = switch (kase) {
            case "valid" -> profileId;
            case "otherTenantId" -> otherTenantProfileId;
            case "longId" -> "p" + "1".repeat(pick(300, 2000, 7000));
            case "hugeId" -> "p" + "1".repeat(HUGE);
            case "invalidUtf8Id" -> cycle("utf8Id", "%C3%28", "%FF", "%ED%A0%80abc", "%C0%AF", "\u00c3\u0028", "\u00ff\u00fe");
            case "encodedSlash" -> cycle("slash", "%2F", "a%2Fb", "%2f..%2f", "a/b", "%5C", "a%3Fb=1", "a%23frag");
            case "dotDot" -> cycle("dotDot", "..", "%2e%2e", ".", "../../v2/submission", "..%2F..%2Fadmin", "%2e");
            case "emptyId" -> "";
            default -> cycle("oddId", "0", "-1", "null", "undefined", "%00", "%20", "'%20OR%20'1'='1", "%F0%9F%98%80",
                    "p" + profileId.toUpperCase(Locale.ROOT), profileId + "x", "%zz", "~", "%7B%7D", "1e9",
                    "9223372036854775808");
        };
        return new Req(r.method(), r.path().replace("{id}", id), headers(key), null);
    }

    private Req formRoute(Route r, String kase, String key) {
        Map<String, String> h = headers(key);
        h.put("content-type", "application/x-www-form-urlencoded");
        String body = switch (kase) {
            case "formInvalidUtf8" -> "address=" + cycle("formUtf8", "%C3%28", "%FF%FESeoul", "%ED%A0%80", "Seoul%E2%82")
                    + "&language=en";
            case "formOddCharset" -> {
                h.put("content-type", "application/x-www-form-urlencoded; charset=" + cycle("formCharset", "latin1", "bogus",
                        "utf-16", "\"utf-8\"", "", "shift_jis", "x-unknown-" + rnd.nextInt(100)));
                yield "address=Seoul%2C+South+Korea&language=" + pick("en", "ko");
            }
            case "formRepeated" -> "address=Seoul&address=Tokyo&language=en&language=ko";
            case "formHuge" -> "address=" + randomText(HUGE).replaceAll("[^A-Za-z0-9]", "+") + "&language=en";
            case "formMissing" -> cycle("formMissing", "", "language=en", "address", "address=", "=Seoul", "&&&", "address=%20");
            case "formGarbage" -> cycle("formGarbage", "%zz=%zz", "address=%", "a=b=c", "address=Seoul&language=" + "x".repeat(500),
                    "address=Seoul&language=%00", "address=37.5,abc", "address=999,999",
                    "address=8Q98HX8H%2BC9ZZZ", "address=+HX8H%2BC9", "address=NaN,NaN");
            default -> "address=Seoul%2C+South+Korea";
        };
        return new Req(r.method(), r.path(), h, body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Req signedRoute(Route r, String kase, String key) {
        Map<String, String> h = headers(key);
        h.put("content-type", "application/json");
        byte[] body;
        if ("oversizedSigned".equals(kase)) {
            body = utf8("{\"profileId\":\"" + profileId + "\",\"errorMessage\":\"" + randomText(pick(9000, 17_000, HUGE))
                    + "\"}");
        } else if (kase.equals("signedOdd") || cases(Kind.JSON).contains(kase) && !"valid".equals(kase)) {
            body = jsonBody(r.fields(), kase.equals("signedOdd") ? pick("wrongType", "deep20000", "invalidUtf8",
                    "hugeString", "badEnum", "malformedJson") : kase, h);
        } else {
            body = utf8("{\"profileId\":\"" + profileId + "\",\"sessionId\":\"s" + rnd.nextInt(1000)
                    + "\",\"confidence\":0.9,\"result\":\"" + pick("success", "fail") + "\"}");
        }
        String ts = Long.toString(Instant.now().getEpochSecond());
        switch (kase) {
            case "unsigned" -> {
                return new Req(r.method(), r.path(), h, body);
            }
            case "staleTimestamp" -> ts = Long.toString(Instant.now().getEpochSecond() - 86_400);
            case "garbageTimestamp" -> ts = cycle("ts", "abc", "", "-1", "99999999999999999999", "1.5", "\u00ff");
            default -> {
                // signed with the shared secret
            }
        }
        h.put("x-openkyc-timestamp", ts);
        h.put("x-openkyc-signature", "badSignature".equals(kase) ? TestProduct.corrupt(sign(ts, body)) : sign(ts, body));
        return new Req(r.method(), r.path(), h, body);
    }

    private Req multipartRoute(Route r, String kase, String key) {
        Map<String, String> h = headers(key);
        String boundary = "fuzz-" + Long.toHexString(rnd.nextLong());
        h.put("content-type", "multipart/form-data; boundary=" + boundary);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field f : r.fields()) {
            if (!"valid".equals(kase) && rnd.nextInt(4) == 0) {
                continue;
            }
            boolean file = f.type == T.OBJ;
            if ("textForFile".equals(kase) && file) {
                textPart(out, boundary, f.name, "not a file");
            } else if ("fileForText".equals(kase) && !file) {
                filePart(out, boundary, f.name, "x.png", "image/png", png);
            } else if (file) {
                byte[] content = switch (kase) {
                    case "notAnImage" -> cycle("notAnImage", utf8("%PDF-1.7 not an image"), new byte[0], randomBytes(2048),
                            utf8("GIF89a"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
                    case "hugeImage" -> rnd.nextBoolean() ? pngDeclaring(pick(50_000, 100_000, 1 << 30), 40_000)
                            : bigPng();
                    default -> f.name.startsWith("video") ? randomBytes(4096) : rnd.nextBoolean() ? png : jpeg;
                };
                String filename = "oddFilename".equals(kase) ? pick("../../etc/passwd", "", "a\"b.png",
                        "\u00c3\u0028.png", "x".repeat(5000), "con.png", "a;b=c.png") : "f.png";
                filePart(out, boundary, f.name, filename, pick("image/png", "image/jpeg", "video/mp4",
                        "application/octet-stream"), content);
            } else {
                String value = switch (kase) {
                    case "hugeTextField" -> randomText(HUGE);
                    case "badEnum" -> f.type == T.ENUM ? pick("BOGUS", "99", "", "passport ") : multipartValue(f);
                    case "invalidUtf8" -> "@@BAD@@";
                    default -> multipartValue(f);
                };
                textPart(out, boundary, f.name, value);
            }
        }
        switch (kase) {
            case "duplicateFields" -> {
                for (Field f : r.fields()) {
                    if (f.type == T.OBJ) {
                        filePart(out, boundary, f.name, "a.png", "image/png", png);
                    } else {
                        textPart(out, boundary, f.name, multipartValue(f));
                    }
                }
            }
            case "partWithoutName" -> write(out, "--" + boundary + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n");
            case "headersOnlyPart" -> write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"a\"\r\n");
            case "garbageBetweenParts" -> write(out, "garbage\r\n--" + boundary.substring(1) + "\r\n\r\n");
            case "nestedMultipart" -> write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\""
                    + "\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n--inner\r\nContent-Disposition: file;"
                    + " filename=\"a.png\"\r\n\r\nxx\r\n--inner--\r\n\r\n");
            default -> {
                // no extra part
            }
        }
        if (!"noClosingBoundary".equals(kase) && !"headersOnlyPart".equals(kase)) {
            write(out, "--" + boundary + "--\r\n");
        }
        byte[] body = "invalidUtf8".equals(kase) ? replaceMarker(out.toByteArray()) : out.toByteArray();
        switch (kase) {
            case "truncated" -> body = java.util.Arrays.copyOf(body, body.length == 0 ? 0 : rnd.nextInt(body.length));
            case "wrongBoundary" -> h.put("content-type", "multipart/form-data; boundary=other-" + rnd.nextInt(1000));
            case "noBoundaryParam" -> h.put("content-type", "multipart/form-data");
            case "quotedBoundary" -> h.put("content-type", "multipart/form-data; boundary=\"" + boundary + "\"");
            case "emptyBody" -> body = new byte[0];
            case "oddCharset" -> h.put("content-type", "multipart/form-data; charset=" + cycle("mpCharset", "latin1", "bogus",
                    "utf-16") + "; boundary=" + boundary);
            case "jsonInstead" -> {
                h.put("content-type", "application/json");
                body = utf8(jsonText(r.fields().stream().filter(f -> f.type != T.OBJ).toList(),
                        pick("valid", "wrongType", "deep64")));
            }
            case "formInstead" -> {
                h.put("content-type", "application/x-www-form-urlencoded");
                body = utf8("a=b&c=%zz");
            }
            default -> {
                // as built
            }
        }
        return new Req(r.method(), r.path(), h, body);
    }

    // ---------------------------------------------------------------------------------------------
    // Values.

    private String object(List<Field> fields, Function<Field, String> value) {
        StringBuilder sb = new StringBuilder("{");
        for (Field f : fields) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(json(f.name)).append(':').append(value.apply(f));
        }
        return sb.append('}').toString();
    }

    private String validValue(Field f) {
        return switch (f.type) {
            case STR -> json(plausible(f.name));
            case ID -> json(rnd.nextInt(4) == 0 ? "p_unknown_" + rnd.nextInt(1000) : profileId);
            case INT -> Integer.toString(rnd.nextInt(5));
            case BOOL -> rnd.nextBoolean() ? "true" : "false";
            case DOUBLE -> "0.9";
            case ENUM -> {
                String v = f.values.get(rnd.nextInt(f.values.size()));
                yield v.matches("-?[0-9]+") && rnd.nextBoolean() ? v : json(v);
            }
            case OBJ -> "{}";
            case STR_LIST -> "[" + json(profileId) + "]";
            case DATE -> json(pick("2024-01-31", "1990-05-17", "2031-12-31"));
        };
    }

    /** A value the route accepts for a string field of this name, so that valid requests get past validation. */
    private String plausible(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("issuingcountry")) {
            return pick("NLD", "KOR", "SGP");
        }
        if (n.contains("country") || n.equals("nationality") || n.equals("issuer")) {
            return pick("SG", "NL", "KR", "NLD", "KOR");
        }
        if (n.equals("email")) {
            return "fuzz" + rnd.nextInt(1000) + "@example.com";
        }
        if (n.contains("number") || n.equals("txhash")) {
            return "X" + (1_000_000 + rnd.nextInt(8_000_000));
        }
        if (n.equals("name")) {
            return pick("Jane Doe", "HONG GILDONG");
        }
        if (n.startsWith("user")) {
            return "user_" + rnd.nextInt(1000);
        }
        if (n.contains("url")) {
            return "https://127.0.0.1:9/doc.png";
        }
        if (n.equals("address")) {
            return pick("Seoul, South Korea", "37.5759,126.9769", "8Q98HX8H+C9");
        }
        if (n.equals("symbol")) {
            return "BTC";
        }
        return pick("x", "abc", "a-1");
    }

    private String wrongValue(Field f) {
        return switch (f.type) {
            case STR, ID, DATE -> pick("123", "true", "[]", "{}", "[\"a\"]", "{\"a\":1}", "1.5", "null");
            case INT -> pick("\"abc\"", "1.5", "true", "[]", "{}", "\"\"", "\"1\"");
            case BOOL -> pick("\"yes\"", "1", "[]", "{}", "\"\"");
            case DOUBLE -> pick("\"high\"", "[]", "{}", "true");
            case ENUM -> pick("[]", "{}", "true", "1.5");
            case OBJ -> pick("1", "\"a\"", "[]", "true");
            case STR_LIST -> pick("\"p1\"", "[1,2]", "[[]]", "{}", "[null]");
        };
    }

    private String queryValue(Field f) {
        return switch (f.type) {
            case ID -> profileId;
            case INT -> Integer.toString(1 + rnd.nextInt(10));
            case DATE -> pick("2024-01-31", "2020-01-01");
            case ENUM -> f.values.get(rnd.nextInt(f.values.size()));
            default -> java.net.URLEncoder.encode(plausible(f.name), StandardCharsets.UTF_8);
        };
    }

    private String multipartValue(Field f) {
        return switch (f.type) {
            case ID -> profileId;
            case ENUM -> f.values.get(rnd.nextInt(f.values.size()));
            case DATE -> "1990-05-17";
            default -> plausible(f.name);
        };
    }

    private String oddQueryPart() {
        return pick("=x", "&", "a", "a=%zz", "a=%00", "a[]=1&a[]=2", "a.b.c=1", "%FF=1", "count=-5", "count=1e9",
                "page=-1&rpp=100000000", "x=" + "y".repeat(3000), ";jsessionid=1", "a=1;b=2", "%E2%80%AE=rtl",
                "submission_id=" + profileId + "&submission_id=other", "nextpageKey=%7B%22a%22%3A1%7D",
                "key=" + p.adminKeyB);
    }

    private String deep(int depth) {
        StringBuilder sb = new StringBuilder(depth * 6 + 8);
        boolean arrays = rnd.nextBoolean();
        for (int i = 0; i < depth; i++) {
            sb.append(arrays ? "[" : "{\"a\":");
        }
        sb.append("1");
        for (int i = 0; i < depth; i++) {
            sb.append(arrays ? "]" : "}");
        }
        return sb.toString();
    }

    private String randomText(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_é王";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** Replaces each {@code @@BAD@@} with a byte sequence that is not UTF-8. */
    private byte[] replaceMarker(byte[] in) {
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
        byte[] marker = utf8("@@BAD@@");
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (i + marker.length <= in.length && java.util.Arrays.equals(in, i, i + marker.length, marker, 0,
                    marker.length)) {
                out.writeBytes(bad[rnd.nextInt(bad.length)]);
                i += marker.length - 1;
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    @SafeVarargs
    private <V> V pick(V... options) {
        return options[rnd.nextInt(options.length)];
    }

    private final Map<String, Integer> cycles = new java.util.HashMap<>();

    /** Each option in turn (per list): every variant of a case is sent once the case comes up often enough. */
    @SafeVarargs
    private <V> V cycle(String list, V... options) {
        int i = cycles.merge(list, 1, Integer::sum) - 1;
        return options[i % options.length];
    }

    private static String json(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(utf8(s));
    }

    private static void textPart(ByteArrayOutputStream out, String boundary, String name, String value) {
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n");
    }

    private static void filePart(ByteArrayOutputStream out, String boundary, String name, String filename,
                                 String type, byte[] bytes) {
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n");
        out.writeBytes(bytes);
        write(out, "\r\n");
    }

    private static byte[] image(String format) throws IOException {
        BufferedImage img = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                img.setRGB(x, y, (x * 5) << 16 | (y * 7) << 8 | 0x40);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    /** A PNG whose header declares {@code width x height} pixels, with almost no pixel data behind it. */
    private static byte[] pngDeclaring(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(new byte[64 * 1024]);
        d.finish();
        byte[] buf = new byte[4096];
        int n = d.deflate(buf);
        chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private byte[] bigPng;

    /** A real, plain 6000 x 4000 picture (24 megapixels; small as a file). */
    private byte[] bigPng() {
        if (bigPng == null) {
            BufferedImage img = new BufferedImage(6000, 4000, BufferedImage.TYPE_BYTE_GRAY);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                ImageIO.write(img, "png", out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            bigPng = out.toByteArray();
        }
        return bigPng;
    }

    private static String sign(String ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(utf8(TestProduct.LIVENESS_CALLBACK_SECRET), "HmacSHA256"));
            mac.update(ts.getBytes(StandardCharsets.ISO_8859_1));
            mac.update((byte) '.');
            byte[] d = mac.doFinal(body);
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b & 0xff));
            }
            return sb.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> headers(String key) {
        Map<String, String> h = new LinkedHashMap<>();
        if (key != null) {
            h.put("x-api-key", key);
        }
        return h;
    }

    private Req jsonReq(String method, String path, String key, String body) {
        Map<String, String> h = headers(key);
        h.put("content-type", "application/json");
        return new Req(method, path, h, utf8(body));
    }

    static String abbreviate(String s, int max) {
        String flat = s.replace('\r', ' ').replace('\n', ' ');
        return flat.length() <= max ? flat : flat.substring(0, max) + "...(" + flat.length() + " chars)";
    }

    // ---------------------------------------------------------------------------------------------
    // HTTP/1.1 over TLS, byte for byte.

    /** An answer: status (-1 when none came), lower-cased headers, body. */
    record Answer(int status, Map<String, String> headers, String body) {
        String headersLine() {
            return "content-type=" + headers.getOrDefault("content-type", "-")
                    + (headers.containsKey("retry-after") ? " retry-after=" + headers.get("retry-after") : "");
        }
    }

    private Answer send(Req req) {
        try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
            SSLParameters params = s.getSSLParameters();
            params.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(params);
            s.setSoTimeout(120_000);
            s.startHandshake();
            StringBuilder head = new StringBuilder();
            head.append(req.method).append(' ').append(req.target).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            for (Map.Entry<String, String> e : req.headers.entrySet()) {
                head.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
            }
            if (req.body != null) {
                head.append("Content-Length: ").append(req.body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            IOException writeFailure = null;
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (req.body != null) {
                    out.write(req.body);
                }
                out.flush();
            } catch (IOException e) {
                writeFailure = e; // the gateway may answer and close before reading a refused body
            }
            Answer a;
            try {
                a = parse(s.getInputStream(), "HEAD".equals(req.method));
            } catch (IOException e) {
                return new Answer(-1, Map.of(), (writeFailure != null ? "write: " + writeFailure.getMessage() + "; " : "")
                        + "read: " + e.getMessage());
            }
            return a;
        } catch (IOException e) {
            return new Answer(-1, Map.of(), "connect: " + e.getMessage());
        }
    }

    /** Reads one answer: status line, headers, then a Content-Length, chunked or read-to-close body. */
    private static Answer parse(InputStream raw, boolean head) throws IOException {
        InputStream in = new java.io.BufferedInputStream(raw);
        String status = readLine(in);
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP answer: " + abbreviate(status, 100));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head || status.startsWith("HTTP/1.1 204") || status.startsWith("HTTP/1.1 304")) {
            // no body follows, whatever the headers say
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        } else {
            try {
                in.transferTo(body);
            } catch (IOException e) {
                // a reset after the answer: keep what arrived
            }
        }
        return new Answer(Integer.parseInt(status.substring(9, 12)), headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        if (c < 0 && sb.length() == 0) {
            throw new IOException("connection closed before an answer");
        }
        return sb.toString();
    }
}
