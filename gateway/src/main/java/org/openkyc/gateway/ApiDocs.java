package org.openkyc.gateway;

import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.docs.DocService;

/**
 * The API documentation page ({@link Gateway#DOCS_PATH}): Armeria's DocService over the forwarded services,
 * with the proto comments (read from the descriptor set the proto module writes into
 * {@code META-INF/armeria/grpc/}), an {@code x-api-key} example header on every method so that the page's
 * "debug" form sends a key, and a note at the top of the page saying how to authenticate. The note is an
 * injected script the page loads from the gateway itself ({@code /docs/injected.js}), so the strict
 * Content-Security-Policy of {@link DocsDecorator} holds. The note links the OpenAPI document of the REST routes
 * ({@link OpenApiDocument#PATH}).
 */
final class ApiDocs {

    /** The placeholder the example header carries: the reader replaces it with a key. */
    static final String KEY_PLACEHOLDER = "okyc_REPLACE_WITH_YOUR_API_KEY";

    /** What the note at the top of the page says. */
    static final String NOTE = "Every call needs an API key in the x-api-key header (REST) or the x-api-key "
                               + "metadata (gRPC and gRPC-Web, served on this same HTTPS port). "
                               + "A missing or invalid key is answered 401 (REST) or UNAUTHENTICATED (gRPC); "
                               + "admin methods need an admin key (403 or PERMISSION_DENIED otherwise). "
                               + "Replace the example x-api-key header before sending a request from this page.";

    /** The text of the note's link to the REST routes' OpenAPI document. */
    static final String OPENAPI_LINK = "The REST routes as an OpenAPI 3.1 document: " + OpenApiDocument.PATH;

    private static final String SCRIPT =
            "(function () {\n"
            + "  function addNote() {\n"
            + "    if (document.getElementById('openkyc-api-key-note')) { return; }\n"
            + "    var note = document.createElement('div');\n"
            + "    note.id = 'openkyc-api-key-note';\n"
            + "    note.setAttribute('role', 'note');\n"
            + "    note.textContent = " + jsString(NOTE) + " + ' ';\n"
            + "    var spec = document.createElement('a');\n"
            + "    spec.id = 'openkyc-openapi-link';\n"
            + "    spec.href = " + jsString(OpenApiDocument.PATH) + ";\n"
            + "    spec.textContent = " + jsString(OPENAPI_LINK) + ";\n"
            + "    note.appendChild(spec);\n"
            + "    note.style.cssText = 'padding:8px 16px;background:#fff8e1;color:#3e2723;"
            + "border-bottom:1px solid #e0c97f;font:14px/1.4 sans-serif';\n"
            + "    document.body.insertBefore(note, document.body.firstChild);\n"
            + "  }\n"
            + "  if (document.readyState === 'loading') {\n"
            + "    document.addEventListener('DOMContentLoaded', addNote);\n"
            + "  } else {\n"
            + "    addNote();\n"
            + "  }\n"
            + "})();\n";

    /** The documentation service, under its Content-Security-Policy. */
    static HttpService service() {
        return DocService.builder()
                         .exampleHeaders(HttpHeaders.of(UpstreamForwarder.API_KEY_HEADER, KEY_PLACEHOLDER))
                         .injectedScripts(SCRIPT)
                         .build()
                         .decorate(new DocsDecorator());
    }

    private static String jsString(String text) {
        final StringBuilder sb = new StringBuilder(text.length() + 2);
        Json.appendString(sb, text);
        return sb.toString();
    }

    private ApiDocs() {}
}
