package org.openkyc.gateway;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * File downloads served from {@code google.api.HttpBody} answers: HttpBody has
 * no headers, so the gateway names the file. The AML report (docs/API.md A7) comes
 * as {@code Content-Disposition: attachment; filename="aml-report-<resourceId>.pdf"}.
 */
final class Downloads {

    static final String AML_REPORT_PATH = "/v2/report/aml";

    /** The headers with a Content-Disposition when the successful answer is a download. */
    static ResponseHeaders withDisposition(ServiceRequestContext ctx, ResponseHeaders headers) {
        if (!AML_REPORT_PATH.equals(ctx.path()) || headers.status().isError()) {
            return headers;
        }
        String id = ctx.queryParams().get("resourceId");
        if (id == null) {
            id = ctx.queryParams().get("resource_id");
        }
        // Only letters and digits reach the header (resource ids are lower-case letters and digits).
        String safe = id == null ? "" : id.replaceAll("[^A-Za-z0-9]", "");
        String name = safe.isEmpty() ? "aml-report.pdf" : "aml-report-" + safe + ".pdf";
        ResponseHeadersBuilder b = headers.toBuilder();
        b.set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
        return b.build();
    }

    private Downloads() {}
}
