package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;

class DownloadsTest {

    private static ResponseHeaders pdf(HttpStatus status) {
        return ResponseHeaders.of(status, HttpHeaderNames.CONTENT_TYPE, MediaType.PDF);
    }

    private static String disposition(String pathAndQuery, HttpStatus status) {
        ServiceRequestContext ctx = ServiceRequestContext.of(HttpRequest.of(HttpMethod.GET, pathAndQuery));
        return Downloads.withDisposition(ctx, pdf(status)).get(HttpHeaderNames.CONTENT_DISPOSITION);
    }

    @Test
    void theAmlReportIsAnAttachmentNamedByItsResourceId() {
        assertThat(disposition("/v2/report/aml?resourceId=abc123", HttpStatus.OK))
                .isEqualTo("attachment; filename=\"aml-report-abc123.pdf\"");
        assertThat(disposition("/v2/report/aml?resource_id=abc123", HttpStatus.OK))
                .isEqualTo("attachment; filename=\"aml-report-abc123.pdf\"");
    }

    @Test
    void onlyLettersAndDigitsReachTheHeader() {
        assertThat(disposition("/v2/report/aml?resourceId=a%22b%0D%0Ac", HttpStatus.OK))
                .isEqualTo("attachment; filename=\"aml-report-abc.pdf\"");
        assertThat(disposition("/v2/report/aml", HttpStatus.OK)).isEqualTo("attachment; filename=\"aml-report.pdf\"");
    }

    @Test
    void errorsAndOtherRoutesGetNoDisposition() {
        assertThat(disposition("/v2/report/aml?resourceId=abc", HttpStatus.NOT_FOUND)).isNull();
        assertThat(disposition("/v2/submission?submission_id=abc", HttpStatus.OK)).isNull();
    }
}
