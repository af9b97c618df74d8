package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;

import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The OpenAPI document: a valid OpenAPI 3.1 document, one operation for every REST route the gateway transcodes
 * (additional bindings included) with unique operation ids, the names and shapes the gateway really uses, served
 * at /openapi.json without a key and linked from /docs, and equal to {@code docs/openapi.json} in the repository.
 */
class OpenApiDocumentTest {

    /** Set to true ({@code -Dopenkyc.openapi.write=true}) to rewrite docs/openapi.json from the protos. */
    static final String WRITE_PROPERTY = "openkyc.openapi.write";
    static final String REGENERATE = "mvn -o -B -q -pl gateway -am test -Dtest=OpenApiDocumentTest "
                                     + "-Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE_PROPERTY + "=true";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final GatewayUnderTest g = new GatewayUnderTest("openapi", b -> b);

    private static JsonNode doc() throws Exception {
        return MAPPER.readTree(OpenApiDocument.json());
    }

    @Test
    void theCommittedDocumentIsTheGeneratedOne() throws Exception {
        final Path committed = repositoryRoot().resolve("docs/openapi.json");
        final String generated = OpenApiDocument.json();
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.writeString(committed, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(committed))
                .as("docs/openapi.json is missing; write it with: " + REGENERATE).isTrue();
        assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                .as("docs/openapi.json differs from the document generated from the protos; regenerate it with: "
                    + REGENERATE + " (then review and commit the diff)")
                .isEqualTo(generated);
    }

    @Test
    void isAValidOpenApi31Document() {
        final ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        final SwaggerParseResult result = new OpenAPIV3Parser().readContents(OpenApiDocument.json(), null, options);
        assertThat(result.getMessages()).as("validation messages").isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
    }

    @Test
    void everyRestRouteIsAnOperationWithAUniqueId() throws Exception {
        final JsonNode paths = doc().get("paths");
        final Set<String> ids = new HashSet<>();
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            final Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<String> verbs = path.getValue().fieldNames(); verbs.hasNext();) {
                final JsonNode op = path.getValue().get(verbs.next());
                assertThat(ids.add(op.get("operationId").asText())).as("unique " + op.get("operationId")).isTrue();
                operations++;
            }
        }
        final List<String> routes = new ArrayList<>();
        for (ServiceDescriptor service : ApiServices.httpFacing()) {
            for (MethodDescriptor m : ((ProtoServiceDescriptorSupplier) service.getSchemaDescriptor())
                    .getServiceDescriptor().getMethods()) {
                if (m.getOptions().hasExtension(AnnotationsProto.http)) {
                    final HttpRule rule = m.getOptions().getExtension(AnnotationsProto.http);
                    routes.add(m.getName());
                    rule.getAdditionalBindingsList().forEach(b -> routes.add(m.getName()));
                }
            }
        }
        assertThat(operations).isEqualTo(routes.size());
        // The admin routes and their mirrors under the web base path.
        assertThat(paths.at("/~1admin~1kyc~1list/post/operationId").asText()).isEqualTo("listProfiles");
        assertThat(paths.at("/~1api~1web~1kycService~1list/post/operationId").asText()).isEqualTo("listProfilesWeb");
        assertThat(paths.has("/admin/kyc/detail/{profileId}")).isTrue();
        assertThat(paths.has("/api/web/kycService/detail/{profileId}")).isTrue();
    }

    @Test
    void theUploadsAreMultipartAndTheAddressCodeAForm() throws Exception {
        final JsonNode paths = doc().get("paths");
        for (String path : OpenApiDocument.MULTIPART_ROUTES.keySet()) {
            final JsonNode content = paths.get(path).get("post").get("requestBody").get("content");
            assertThat(content.has("multipart/form-data")).as(path).isTrue();
            assertThat(content.has("application/json")).as(path).isFalse();
        }
        final JsonNode step1 = paths.at("/~1v2~1submission~1step1/post/requestBody/content/multipart~1form-data/schema");
        assertThat(step1.at("/properties/idImage/format").asText()).isEqualTo("binary");
        assertThat(step1.at("/properties/issuingCountry/type").asText()).isEqualTo("string");
        assertThat(step1.get("properties").has("ip_address")).as("filled by the gateway").isFalse();
        assertThat(step1.get("required").toString()).contains("idImage", "email", "idType", "issuingCountry");
        final JsonNode verify = paths.at("/~1api~1web~1kycService~1liveness~1verify/post/requestBody/content/"
                                         + "multipart~1form-data/schema/properties");
        assertThat(verify.has("video1") && verify.has("video2") && verify.has("video3")).isTrue();

        assertThat(paths.at("/~1v2~1address_code/post/requestBody/content")
                        .has("application/x-www-form-urlencoded")).isTrue();
        assertThat(paths.at("/~1api~1web~1kycService~1callback~1liveness/post/requestBody/content/"
                            + "application~1json/schema/properties").has("rawBody")).isFalse();
    }

    @Test
    void queryParametersHaveTheirDocumentedNames() throws Exception {
        final JsonNode paths = doc().get("paths");
        assertThat(paramNames(paths.at("/~1v2~1submission/get")))
                .contains("submission_id", "start_date", "nextpage_id", "nextpage_date", "kyc_result", "count");
        assertThat(paramNames(paths.at("/~1v2~1submission/delete"))).contains("submission_id");
        assertThat(paramNames(paths.at("/~1v2~1report~1aml/get"))).contains("resourceId");
        assertThat(paramNames(paths.at("/~1v2~1image/get"))).contains("submission_id", "type");
        assertThat(paramNames(paths.at("/~1v1~1verifications/get")))
                .contains("fromDate", "toDate", "txHash", "actionType", "oppositeVaspId", "page", "rpp");
        assertThat(paramNames(paths.at("/~1api~1web~1kycService~1document~1confirm/post"))).contains("documentId");
        assertThat(paramNames(paths.at("/~1api~1web~1kycService~1liveness~1start/post"))).contains("profileId");
        assertThat(paramNames(paths.at("/~1api~1web~1kycService~1status~1{profileId}/get"))).contains("profileId");
    }

    @Test
    void jsonNamesErrorBodiesEnvelopeAndKeyAreTheGatewaysOwn() throws Exception {
        final JsonNode doc = doc();
        final JsonNode schemas = doc.at("/components/schemas");
        assertThat(schemas.at("/GetSubmissionsResponse/properties").has("Items")).isTrue();
        assertThat(schemas.at("/GetSubmissionsResponse/properties").has("Count")).isTrue();
        assertThat(schemas.at("/SubmissionData/properties").has("idcard_issuingCountry")).isTrue();
        // Families A and B: the reason string; family C: the integer web code.
        assertThat(doc.at("/paths/~1v2~1submission/get/responses/4XX/content/application~1json/schema/$ref").asText())
                .endsWith("/ReasonError");
        assertThat(doc.at("/paths/~1v1~1verifications/get/responses/5XX/content/application~1json/schema/$ref")
                      .asText()).endsWith("/ReasonError");
        assertThat(doc.at("/paths/~1api~1web~1kycService~1submit/post/responses/4XX/content/application~1json/"
                          + "schema/$ref").asText()).endsWith("/WebError");
        assertThat(schemas.at("/ReasonError/properties/code/type").asText()).isEqualTo("string");
        assertThat(schemas.at("/WebError/properties/code/type").asText()).isEqualTo("integer");
        // The KYC family's success envelope.
        final JsonNode submit = doc.at("/paths/~1api~1web~1kycService~1submit/post/responses/200/content/"
                                       + "application~1json/schema");
        assertThat(submit.at("/properties/code/type").asText()).isEqualTo("integer");
        assertThat(submit.at("/properties/message/type").asText()).isEqualTo("string");
        assertThat(submit.at("/properties/data/$ref").asText()).endsWith("/SubmitResponse");
        assertThat(doc.at("/paths/~1api~1web~1kycService~1callback~1liveness/post/responses/200/content/"
                          + "application~1json/schema/properties").has("data")).isFalse();
        // The downloads are files.
        assertThat(doc.at("/paths/~1v2~1report~1aml/get/responses/200/content").has("application/pdf")).isTrue();
        // The key.
        assertThat(doc.at("/components/securitySchemes/ApiKey/name").asText()).isEqualTo("x-api-key");
        assertThat(doc.at("/components/securitySchemes/ApiKey/in").asText()).isEqualTo("header");
        assertThat(doc.at("/security/0").has("ApiKey")).isTrue();
        // Proto comments as descriptions.
        final JsonNode callback = doc.at("/paths/~1api~1web~1kycService~1callback~1liveness/post");
        assertThat(callback.path("summary").asText() + callback.path("description").asText())
                .contains("server-to-server callback");
        assertThat(doc.at("/components/schemas/SubmitRequest/properties/userId/description").asText())
                .isEqualTo("The client's own user identifier. Required.");
    }

    @Test
    void servedWithoutAKeyAndLinkedFromTheDocs() throws Exception {
        final HttpResponse<String> response = g.http.get(OpenApiDocument.PATH, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo(OpenApiDocument.json());

        final HttpResponse<String> script = g.http.get("/docs/injected.js", null);
        assertThat(script.body()).contains("'/openapi.json'".replace('\'', '"')).contains(ApiDocs.OPENAPI_LINK);
    }

    private static List<String> paramNames(JsonNode op) {
        final List<String> names = new ArrayList<>();
        for (JsonNode p : op.path("parameters")) {
            if (p.has("name")) {
                names.add(p.get("name").asText());
            }
        }
        return names;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("proto").resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("Cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
