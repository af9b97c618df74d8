package org.openkyc.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;

import io.grpc.protobuf.ProtoServiceDescriptorSupplier;

/**
 * The OpenAPI 3.1 document of every REST route, generated from the same descriptors the gateway transcodes: each
 * method's {@code google.api.http} rules (additional bindings included) give the paths, the messages give the
 * schemas and the proto comments their descriptions. Where the gateway answers differently from plain
 * transcoding, the document follows the gateway:
 * <ul>
 *   <li>JSON names as {@link ProtoJsonMarshaller} prints them ({@code json_name}s); every field without
 *       presence is printed, so it is {@code required} in answers; 64-bit integers are JSON numbers (ids
 *       below 2^53);</li>
 *   <li>query parameters under their documented names: the submissions API ({@code /v2}) speaks the proto
 *       names ({@code submission_id}) unless a field declares its own {@code json_name} ({@code resourceId}),
 *       the other families the JSON names ({@code fromDate}, {@code profileId});</li>
 *   <li>the four {@link MultipartRoute} uploads take {@code multipart/form-data}, {@code POST /v2/address_code}
 *       a form ({@link AddressCodeRoute}), the liveness callback its signature headers ({@link CallbackRoute});
 *       fields the gateway fills itself are left out;</li>
 *   <li>downloads ({@code google.api.HttpBody}) are the file itself;</li>
 *   <li>each family's error body ({@link ApiFamily}): {@code {"code":"REASON","message":...}} for {@code /v2}
 *       and {@code /v1}, {@code {"code":40400,"message":...,"data":...}} for the KYC web family, whose answers
 *       are {@code {"code":0,"message":"success","data":X}}.</li>
 * </ul>
 * The document is the same bytes at every start; {@code docs/openapi.json} in the repository is checked to
 * equal it by a test.
 */
final class OpenApiDocument {

    /** Where the gateway serves the document, without an API key. */
    static final String PATH = "/openapi.json";
    static final String OPENAPI_VERSION = "3.1.0";
    static final String SECURITY_SCHEME = "ApiKey";
    static final String REASON_ERROR = "ReasonError";
    static final String WEB_ERROR = "WebError";

    /** The multipart upload routes and the fields the gateway fills itself (never a part). */
    static final Map<String, Set<String>> MULTIPART_ROUTES = Map.of(
            Gateway.STEP1_PATH, Set.of("ip_address"),
            Gateway.STEP2_PATH, Set.of(),
            Gateway.DOCUMENT_UPLOAD_PATH, Set.of(),
            Gateway.VERIFY_LIVENESS_PATH, Set.of());
    /** JSON body fields the gateway fills itself, by route. */
    private static final Map<String, Set<String>> GATEWAY_FIELDS = Map.of(CallbackRoute.PATH, Set.of("raw_body"));
    /** Headers the signed callback carries (docs/API.md C1). */
    private static final List<String> CALLBACK_HEADERS = List.of("x-openkyc-timestamp", "x-openkyc-signature");
    private static final String IDEMPOTENCY_KEY = "IdempotencyKey";
    private static final String HTTP_BODY = "google.api.HttpBody";
    /** Download media types by path: HttpBody answers carry their own. */
    private static final Map<String, String> DOWNLOAD_TYPES = Map.of(
            Downloads.AML_REPORT_PATH, "application/pdf",
            "/v2/image", "image/*");
    private static final Pattern REQUIRED = Pattern.compile("\\bRequired\\b");
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}=]+)(=[^}]*)?}");

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final OpenApiComments comments;
    /** Short, unique component names by full proto name. */
    private final Map<String, String> componentNames = new HashMap<>();
    private final Map<String, ObjectNode> components = new TreeMap<>();
    private final Set<String> requestTypes = new HashSet<>();
    private final Set<String> responseTypes = new HashSet<>();
    private final Set<String> operationIds = new HashSet<>();

    private OpenApiDocument(OpenApiComments comments) {
        this.comments = comments;
    }

    /** The document of the gateway's REST routes, as the pretty-printed JSON the gateway serves. */
    static String json() {
        return json(ApiServices.httpFacing(), OpenApiComments.load());
    }

    static String json(List<io.grpc.ServiceDescriptor> services, OpenApiComments comments) {
        final ObjectNode document = new OpenApiDocument(comments).build(services);
        final DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(printer).writeValueAsString(document) + '\n';
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The document's bytes (UTF-8). */
    static byte[] bytes() {
        return json().getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode build(List<io.grpc.ServiceDescriptor> grpcServices) {
        final List<ServiceDescriptor> services = new ArrayList<>();
        for (io.grpc.ServiceDescriptor service : grpcServices) {
            services.add(((ProtoServiceDescriptorSupplier) service.getSchemaDescriptor()).getServiceDescriptor());
        }
        nameComponents(services);

        final ObjectNode doc = NODES.objectNode();
        doc.put("openapi", OPENAPI_VERSION);
        final ObjectNode info = doc.putObject("info");
        info.put("title", "OpenKYC REST API");
        info.put("version", "1.0.0");
        info.put("summary", "Identity verification: submissions (/v2), travel-rule verifications (/v1), "
                            + "the KYC web and admin API (/api/web/kycService, /admin/kyc).");
        info.put("description", "Generated from the gRPC services the gateway transcodes (proto/, the single source "
                                + "of truth) and their comments; see docs/API.md for the contract. Every call "
                                + "needs an API key in the x-api-key header; admin routes need an admin key. "
                                + "Every POST accepts an optional Idempotency-Key header.");
        doc.putArray("security").addObject().putArray(SECURITY_SCHEME);

        final ArrayNode tags = doc.putArray("tags");
        final ObjectNode paths = doc.putObject("paths");
        for (ServiceDescriptor service : services) {
            final ObjectNode tag = tags.addObject();
            tag.put("name", service.getName());
            putDescription(tag, comments.of(service.getFullName()));
            for (MethodDescriptor method : service.getMethods()) {
                if (!method.getOptions().hasExtension(AnnotationsProto.http)) {
                    continue;
                }
                final HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
                addOperation(paths, service, method, rule, true);
                for (HttpRule additional : rule.getAdditionalBindingsList()) {
                    addOperation(paths, service, method, additional, false);
                }
            }
        }

        final ObjectNode componentsNode = doc.putObject("components");
        final ObjectNode schemas = componentsNode.putObject("schemas");
        schemas.set(REASON_ERROR, reasonError());
        schemas.set(WEB_ERROR, webError());
        // Types are described once all their uses are known: answers-only types list their required fields.
        final Deque<Descriptor> pending = new ArrayDeque<>();
        final Set<String> described = new HashSet<>();
        for (String fullName : new ArrayList<>(referenced.keySet())) {
            pending.add(referenced.get(fullName));
        }
        while (!pending.isEmpty()) {
            final Descriptor type = pending.poll();
            if (!described.add(type.getFullName())) {
                continue;
            }
            components.put(componentNames.get(type.getFullName()), messageSchema(type));
            for (FieldDescriptor f : type.getFields()) {
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !isWellKnown(f.getMessageType())) {
                    final Descriptor sub = f.isMapField() ? mapValueType(f) : f.getMessageType();
                    if (sub != null) {
                        pending.add(sub);
                    }
                }
            }
        }
        for (Map.Entry<String, EnumDescriptor> e : referencedEnums.entrySet()) {
            components.put(componentNames.get(e.getKey()), enumSchema(e.getValue()));
        }
        components.forEach(schemas::set);

        final ObjectNode parameters = componentsNode.putObject("parameters");
        final ObjectNode idempotency = parameters.putObject(IDEMPOTENCY_KEY);
        idempotency.put("name", "Idempotency-Key");
        idempotency.put("in", "header");
        idempotency.put("required", false);
        idempotency.put("description", "1-255 printable ASCII characters. The first answer to a key is kept for the "
                                       + "tenant (24 hours by default) and returned unchanged for the same request "
                                       + "sent again; the key with a different body or route answers 422.");
        final ObjectNode idemSchema = idempotency.putObject("schema");
        idemSchema.put("type", "string");
        idemSchema.put("minLength", 1);
        idemSchema.put("maxLength", 255);
        // Printable ASCII, space included, but not only spaces.
        idemSchema.put("pattern", "^[\\x20-\\x7e]*[\\x21-\\x7e][\\x20-\\x7e]*$");

        final ObjectNode scheme = componentsNode.putObject("securitySchemes").putObject(SECURITY_SCHEME);
        scheme.put("type", "apiKey");
        scheme.put("in", "header");
        scheme.put("name", UpstreamForwarder.API_KEY_HEADER);
        scheme.put("description", "The tenant's API key. A missing, malformed or unknown key answers 401; "
                                  + "admin routes need an admin key (403 otherwise).");
        return doc;
    }

    // ---------------------------------------------------------------------------------------------- operations

    private final Map<String, Descriptor> referenced = new LinkedHashMap<>();
    private final Map<String, EnumDescriptor> referencedEnums = new TreeMap<>();

    private void addOperation(ObjectNode paths, ServiceDescriptor service, MethodDescriptor method, HttpRule rule,
                              boolean primary) {
        final String verb;
        final String template;
        switch (rule.getPatternCase()) {
            case GET -> { verb = "get"; template = rule.getGet(); }
            case POST -> { verb = "post"; template = rule.getPost(); }
            case PUT -> { verb = "put"; template = rule.getPut(); }
            case DELETE -> { verb = "delete"; template = rule.getDelete(); }
            case PATCH -> { verb = "patch"; template = rule.getPatch(); }
            default -> { return; }
        }
        final ApiFamily family = ApiFamily.of(template);
        final Descriptor input = method.getInputType();
        final Descriptor output = method.getOutputType();

        // Path variables, named as the family names its parameters.
        final List<FieldDescriptor> pathFields = new ArrayList<>();
        final StringBuilder path = new StringBuilder();
        final Matcher m = PATH_VARIABLE.matcher(template);
        int last = 0;
        while (m.find()) {
            final FieldDescriptor f = input.findFieldByName(m.group(1));
            if (f == null) {
                throw new IllegalStateException(method.getFullName() + ": no field " + m.group(1));
            }
            pathFields.add(f);
            path.append(template, last, m.start()).append('{').append(paramName(family, f)).append('}');
            last = m.end();
        }
        path.append(template.substring(last));

        final ObjectNode pathItem = paths.has(path.toString()) ? (ObjectNode) paths.get(path.toString())
                                                               : paths.putObject(path.toString());
        final ObjectNode op = pathItem.putObject(verb);
        op.putArray("tags").add(service.getName());
        op.put("operationId", operationId(method, template, primary));
        final String description = comments.of(method.getFullName());
        if (description != null) {
            final String summary = firstSentence(description);
            op.put("summary", summary);
            if (!summary.equals(description)) {
                op.put("description", description);
            }
        }

        final ArrayNode params = NODES.arrayNode();
        for (FieldDescriptor f : pathFields) {
            params.add(parameter(family, f, "path", true));
        }
        final boolean multipart = MULTIPART_ROUTES.containsKey(template) && "post".equals(verb);
        final boolean form = AddressCodeRoute.PATH.equals(template) && "post".equals(verb);
        final String body = rule.getBody();
        if (!multipart && !form && !"*".equals(body)) {
            for (FieldDescriptor f : input.getFields()) {
                if (pathFields.contains(f) || f.getName().equals(body)) {
                    continue;
                }
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    continue; // not bound from the query by the gateway's rules
                }
                params.add(parameter(family, f, "query", isRequired(f)));
            }
        }
        if (CallbackRoute.PATH.equals(template)) {
            for (String header : CALLBACK_HEADERS) {
                final ObjectNode h = params.addObject();
                h.put("name", header);
                h.put("in", "header");
                h.put("required", true);
                h.put("description", header.endsWith("timestamp")
                        ? "Unix time in seconds when the provider signed the body."
                        : "Lower-case hex HMAC-SHA256 of the timestamp, a dot and the raw body, with the shared "
                          + "callback secret.");
                h.putObject("schema").put("type", "string");
            }
        }
        if ("post".equals(verb)) {
            params.addObject().put("$ref", "#/components/parameters/" + IDEMPOTENCY_KEY);
        }
        if (!params.isEmpty()) {
            op.set("parameters", params);
        }

        if (multipart) {
            final ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
            content.putObject("multipart/form-data").set("schema",
                    formSchema(input, MULTIPART_ROUTES.get(template), true));
        } else if (form) {
            final ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
            content.putObject("application/x-www-form-urlencoded").set("schema", formSchema(input, Set.of(), false));
            content.putObject("application/json").set("schema", ref(input, true));
        } else if ("*".equals(body)) {
            final ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
            final Set<String> skip = new HashSet<>(GATEWAY_FIELDS.getOrDefault(template, Set.of()));
            pathFields.forEach(f -> skip.add(f.getName()));
            content.putObject("application/json").set("schema",
                    skip.isEmpty() ? ref(input, true) : inlineSchema(input, skip));
        } else if (!body.isEmpty()) {
            final FieldDescriptor f = input.findFieldByName(body);
            final ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
            content.putObject("application/json").set("schema", fieldSchema(f, true));
        }

        final ObjectNode responses = op.putObject("responses");
        final ObjectNode ok = responses.putObject("200");
        if (HTTP_BODY.equals(output.getFullName())) {
            ok.put("description", "The file.");
            final ObjectNode file = ok.putObject("content").putObject(DOWNLOAD_TYPES.getOrDefault(template, "*/*"))
                                      .putObject("schema");
            file.put("type", "string");
            file.put("format", "binary");
            if (Downloads.AML_REPORT_PATH.equals(template)) {
                final ObjectNode disposition = ok.putObject("headers").putObject("Content-Disposition");
                disposition.put("description", "attachment; filename=\"aml-report-<resourceId>.pdf\"");
                disposition.putObject("schema").put("type", "string");
            }
        } else {
            ok.put("description", family == ApiFamily.KYC ? "Success: code 0, the result in data." : "Success.");
            ok.putObject("content").putObject("application/json").set("schema",
                    family == ApiFamily.KYC ? kycEnvelope(output) : ref(output, false));
        }
        final String error = family == ApiFamily.KYC ? WEB_ERROR : REASON_ERROR;
        for (String range : List.of("4XX", "5XX")) {
            final ObjectNode r = responses.putObject(range);
            r.put("description", range.startsWith("4")
                    ? "A client mistake (400 bad input, 401 no valid key, 403, 404, 409, 413 too large, "
                      + "415, 422 unusable input, 429 too many requests, with Retry-After)."
                    : "A server fault (503 with Retry-After when temporarily unable to answer).");
            final ObjectNode retryAfter = r.putObject("headers").putObject("Retry-After");
            retryAfter.put("description", "Seconds after which a retry may succeed (429, 503, and 409 while the "
                                          + "first request of an Idempotency-Key is still running).");
            retryAfter.putObject("schema").put("type", "integer").put("minimum", 0);
            r.putObject("content").putObject("application/json").putObject("schema")
             .put("$ref", "#/components/schemas/" + error);
        }
    }

    /**
     * The KYC web family's success answer {@code {"code":0,"message":"...","data":X}}, as {@link KycEnvelope} writes
     * it around the data-only gRPC answer X; an answer type without fields (the liveness callback's) has no
     * {@code data}.
     */
    private ObjectNode kycEnvelope(Descriptor output) {
        final ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        final ObjectNode props = schema.putObject("properties");
        props.putObject("code").put("type", "integer").put("const", 0);
        props.putObject("message").put("type", "string");
        final ArrayNode required = schema.putArray("required").add("code").add("message");
        if (!output.getFields().isEmpty()) {
            props.set("data", ref(output, false));
            required.add("data");
        }
        return schema;
    }

    private String operationId(MethodDescriptor method, String template, boolean primary) {
        final String base = Character.toLowerCase(method.getName().charAt(0)) + method.getName().substring(1);
        String id = base;
        if (!primary) {
            id = base + (template.startsWith("/api/web/") ? "Web" : template.startsWith("/admin/") ? "Admin" : "Alt");
        }
        String unique = id;
        for (int i = 2; !operationIds.add(unique); i++) {
            unique = id + i;
        }
        return unique;
    }

    private ObjectNode parameter(ApiFamily family, FieldDescriptor f, String in, boolean required) {
        final ObjectNode p = NODES.objectNode();
        p.put("name", paramName(family, f));
        p.put("in", in);
        p.put("required", required);
        putDescription(p, comments.of(f.getFullName()));
        final ObjectNode schema = fieldSchema(f, true);
        schema.remove("description");
        p.set("schema", schema);
        return p;
    }

    /**
     * The name a parameter is documented under. The gateway binds proto names, lowerCamel names and JSON names
     * alike; the documented names are the proto names in the submissions API (unless a field declares its own
     * {@code json_name}) and the JSON names elsewhere.
     */
    static String paramName(ApiFamily family, FieldDescriptor f) {
        if (family == ApiFamily.SUBMISSIONS && !f.toProto().hasJsonName()) {
            return f.getName();
        }
        return f.getJsonName();
    }

    // ---------------------------------------------------------------------------------------------- schemas

    private void nameComponents(List<ServiceDescriptor> services) {
        final Map<String, Set<String>> fullNamesByShort = new TreeMap<>();
        final Set<String> seen = new HashSet<>();
        final Deque<Object> pending = new ArrayDeque<>();
        for (ServiceDescriptor s : services) {
            for (MethodDescriptor m : s.getMethods()) {
                pending.add(m.getInputType());
                pending.add(m.getOutputType());
            }
        }
        while (!pending.isEmpty()) {
            final Object next = pending.poll();
            if (next instanceof Descriptor d) {
                if (!seen.add(d.getFullName())) {
                    continue;
                }
                fullNamesByShort.computeIfAbsent(shortName(d.getFullName(), d.getFile().getPackage()),
                                                 k -> new HashSet<>()).add(d.getFullName());
                for (FieldDescriptor f : d.getFields()) {
                    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                        pending.add(f.getMessageType());
                    } else if (f.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                        pending.add(f.getEnumType());
                    }
                }
            } else if (next instanceof EnumDescriptor e) {
                if (seen.add(e.getFullName())) {
                    fullNamesByShort.computeIfAbsent(shortName(e.getFullName(), e.getFile().getPackage()),
                                                     k -> new HashSet<>()).add(e.getFullName());
                }
            }
        }
        for (Map.Entry<String, Set<String>> e : fullNamesByShort.entrySet()) {
            for (String fullName : e.getValue()) {
                componentNames.put(fullName, e.getValue().size() == 1 ? e.getKey() : camel(fullName));
            }
        }
    }

    private static String shortName(String fullName, String pkg) {
        final String local = pkg.isEmpty() ? fullName : fullName.substring(pkg.length() + 1);
        return local.replace(".", "");
    }

    /** A name qualified by its package, without the common {@code openkyc.} prefix. */
    private static String camel(String fullName) {
        final StringBuilder sb = new StringBuilder();
        for (String part : fullName.replaceFirst("^openkyc\\.", "").split("\\.")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }

    /** A reference to a message's component, noting whether it is sent (request) or received (answer). */
    private ObjectNode ref(Descriptor type, boolean request) {
        markUses(type, request, new HashSet<>());
        referenced.putIfAbsent(type.getFullName(), type);
        final ObjectNode node = NODES.objectNode();
        node.put("$ref", "#/components/schemas/" + componentNames.get(type.getFullName()));
        return node;
    }

    private void markUses(Descriptor type, boolean request, Set<String> seen) {
        if (!seen.add(type.getFullName())) {
            return;
        }
        (request ? requestTypes : responseTypes).add(type.getFullName());
        for (FieldDescriptor f : type.getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !isWellKnown(f.getMessageType())) {
                final Descriptor sub = f.isMapField() ? mapValueType(f) : f.getMessageType();
                if (sub != null) {
                    markUses(sub, request, seen);
                }
            }
        }
    }

    private ObjectNode messageSchema(Descriptor type) {
        final ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        putDescription(schema, comments.of(type.getFullName()));
        final ObjectNode props = schema.putObject("properties");
        final ArrayNode required = NODES.arrayNode();
        final boolean answerOnly = responseTypes.contains(type.getFullName())
                                   && !requestTypes.contains(type.getFullName());
        final boolean requestOnly = requestTypes.contains(type.getFullName())
                                    && !responseTypes.contains(type.getFullName());
        for (FieldDescriptor f : type.getFields()) {
            props.set(f.getJsonName(), fieldSchema(f, requestOnly));
            if (answerOnly ? !f.hasPresence() : requestOnly && isRequired(f)) {
                required.add(f.getJsonName());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    /** The message's schema without some fields (filled from the path, or by the gateway). */
    private ObjectNode inlineSchema(Descriptor type, Set<String> skip) {
        markUses(type, true, new HashSet<>());
        final ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        putDescription(schema, comments.of(type.getFullName()));
        final ObjectNode props = schema.putObject("properties");
        final ArrayNode required = NODES.arrayNode();
        for (FieldDescriptor f : type.getFields()) {
            if (skip.contains(f.getName())) {
                continue;
            }
            props.set(f.getJsonName(), fieldSchema(f, true));
            if (isRequired(f)) {
                required.add(f.getJsonName());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    /** A form's fields: the scalar fields of the message, files as binary parts. */
    private ObjectNode formSchema(Descriptor type, Set<String> skip, boolean files) {
        final ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        putDescription(schema, comments.of(type.getFullName()));
        final ObjectNode props = schema.putObject("properties");
        final ArrayNode required = NODES.arrayNode();
        for (FieldDescriptor f : type.getFields()) {
            if (skip.contains(f.getName()) || f.isRepeated() || f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                || (!files && f.getJavaType() == FieldDescriptor.JavaType.BYTE_STRING)) {
                continue;
            }
            final ObjectNode p;
            if (f.getJavaType() == FieldDescriptor.JavaType.BYTE_STRING) {
                p = NODES.objectNode();
                p.put("type", "string");
                p.put("format", "binary");
                putDescription(p, comments.of(f.getFullName()));
            } else {
                p = fieldSchema(f, true);
            }
            props.set(f.getJsonName(), p);
            if (isRequired(f)) {
                required.add(f.getJsonName());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    /** The schema of one field's JSON value, with the field's comment as description. */
    private ObjectNode fieldSchema(FieldDescriptor f, boolean request) {
        final ObjectNode schema;
        if (f.isMapField()) {
            schema = NODES.objectNode();
            schema.put("type", "object");
            final FieldDescriptor value = f.getMessageType().findFieldByName("value");
            schema.set("additionalProperties", valueSchema(value, request));
        } else if (f.isRepeated()) {
            schema = NODES.objectNode();
            schema.put("type", "array");
            schema.set("items", valueSchema(f, request));
        } else {
            schema = valueSchema(f, request);
        }
        final String description = comments.of(f.getFullName());
        if (description != null) {
            if (schema.has("$ref")) {
                // A description beside $ref is allowed in 3.1; kept for readers.
                schema.put("description", description);
            } else {
                putDescription(schema, description);
            }
        }
        return schema;
    }

    /** The schema of one value of a field (an element, when repeated). */
    private ObjectNode valueSchema(FieldDescriptor f, boolean request) {
        final ObjectNode s = NODES.objectNode();
        switch (f.getType()) {
            case INT32, SINT32, SFIXED32 -> s.put("type", "integer").put("format", "int32");
            case UINT32, FIXED32 -> s.put("type", "integer").put("format", "int64").put("minimum", 0);
            case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> int64(s);
            case FLOAT -> s.put("type", "number").put("format", "float");
            case DOUBLE -> s.put("type", "number").put("format", "double");
            case BOOL -> s.put("type", "boolean");
            case STRING -> s.put("type", "string");
            case BYTES -> s.put("type", "string").put("format", "byte").put("contentEncoding", "base64");
            case ENUM -> {
                referencedEnums.put(f.getEnumType().getFullName(), f.getEnumType());
                s.put("$ref", "#/components/schemas/" + componentNames.get(f.getEnumType().getFullName()));
            }
            case MESSAGE, GROUP -> {
                final Descriptor type = f.getMessageType();
                if (isWellKnown(type)) {
                    wellKnown(type, s);
                } else {
                    markUses(type, request, new HashSet<>());
                    referenced.putIfAbsent(type.getFullName(), type);
                    s.put("$ref", "#/components/schemas/" + componentNames.get(type.getFullName()));
                }
            }
            default -> throw new IllegalStateException("Unknown field type " + f.getType());
        }
        return s;
    }

    /**
     * 64-bit integers. The gateway prints them as JSON numbers within ±2^53 (strings beyond, as proto3 JSON does);
     * the 64-bit fields of this API are ids kept below 2^53, so they are always numbers, bounded here to say so.
     */
    private static void int64(ObjectNode s) {
        s.put("type", "integer");
        s.put("format", "int64");
        s.put("minimum", -MAX_EXACT_INTEGER);
        s.put("maximum", MAX_EXACT_INTEGER);
    }

    /** The largest integer a JSON number (an IEEE double) holds exactly. */
    private static final long MAX_EXACT_INTEGER = (1L << 53) - 1;

    private static boolean isWellKnown(Descriptor type) {
        return type.getFullName().startsWith("google.protobuf.");
    }

    private static void wellKnown(Descriptor type, ObjectNode s) {
        switch (type.getFullName()) {
            case "google.protobuf.Timestamp" -> s.put("type", "string").put("format", "date-time");
            case "google.protobuf.Duration" -> s.put("type", "string").put("pattern", "^-?[0-9]+(\\.[0-9]+)?s$");
            case "google.protobuf.StringValue" -> s.put("type", "string");
            case "google.protobuf.BoolValue" -> s.put("type", "boolean");
            case "google.protobuf.Int32Value", "google.protobuf.UInt32Value" -> s.put("type", "integer");
            case "google.protobuf.Int64Value", "google.protobuf.UInt64Value" -> int64(s);
            case "google.protobuf.DoubleValue", "google.protobuf.FloatValue" -> s.put("type", "number");
            case "google.protobuf.BytesValue" -> s.put("type", "string").put("contentEncoding", "base64");
            case "google.protobuf.Struct" -> s.put("type", "object");
            case "google.protobuf.ListValue" -> s.put("type", "array");
            case "google.protobuf.Empty" -> s.put("type", "object").put("additionalProperties", false);
            default -> { } // Value, Any, FieldMask...: any JSON
        }
    }

    private static Descriptor mapValueType(FieldDescriptor mapField) {
        final FieldDescriptor value = mapField.getMessageType().findFieldByName("value");
        return value.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !isWellKnown(value.getMessageType())
               ? value.getMessageType() : null;
    }

    private ObjectNode enumSchema(EnumDescriptor type) {
        final ObjectNode schema = NODES.objectNode();
        schema.put("type", "string");
        final StringBuilder description = new StringBuilder();
        final String comment = comments.of(type.getFullName());
        if (comment != null) {
            description.append(comment);
        }
        final ArrayNode values = schema.putArray("enum");
        for (EnumValueDescriptor v : type.getValues()) {
            values.add(v.getName());
            final String valueComment = comments.of(type.getFullName() + '.' + v.getName());
            if (valueComment != null) {
                description.append(description.length() > 0 ? "\n" : "").append("- `").append(v.getName())
                           .append("`: ").append(valueComment);
            }
        }
        if (description.length() > 0) {
            schema.put("description", description.toString());
        }
        return schema;
    }

    private static ObjectNode reasonError() {
        final ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        schema.put("description", "An error of the submissions (/v2) and verifications (/v1) APIs, sent with the "
                                  + "HTTP status.");
        final ObjectNode props = schema.putObject("properties");
        props.putObject("code").put("type", "string")
             .put("description", "Machine-readable reason, e.g. NOT_FOUND, INVALID_ARGUMENT.");
        props.putObject("message").put("type", "string").put("description", "A readable message.");
        props.putObject("data").put("description", "A result the error still carries, when there is one.");
        schema.putArray("required").add("code").add("message");
        return schema;
    }

    private static ObjectNode webError() {
        final ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        schema.put("description", "An error of the KYC web and admin API, sent with the HTTP status.");
        final ObjectNode props = schema.putObject("properties");
        final ObjectNode code = props.putObject("code");
        code.put("type", "integer");
        code.put("description", "Non-zero web code, e.g. 40400, 20001.");
        code.putObject("not").put("const", 0);
        props.putObject("message").put("type", "string").put("description", "A readable message.");
        props.putObject("data").put("description", "A result the error still carries, when there is one.");
        schema.putArray("required").add("code").add("message");
        return schema;
    }

    private boolean isRequired(FieldDescriptor f) {
        final String comment = comments.of(f.getFullName());
        return comment != null && REQUIRED.matcher(comment).find();
    }

    private static void putDescription(ObjectNode node, String description) {
        if (description != null && !description.isEmpty()) {
            node.put("description", description);
        }
    }

    private static String firstSentence(String text) {
        final String firstParagraph = text.split("\n", 2)[0];
        final int dot = firstParagraph.indexOf(". ");
        final String sentence = dot > 0 ? firstParagraph.substring(0, dot + 1) : firstParagraph;
        return sentence.length() <= 120 ? sentence : sentence.substring(0, 117) + "...";
    }
}
