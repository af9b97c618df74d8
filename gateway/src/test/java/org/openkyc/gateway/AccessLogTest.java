package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The access log records what the operator asked for: every request ({@code all}), every error answer and a
 * sample of the successes ({@code sampled}, the default), or nothing ({@code off}). Lines name method, path,
 * status and request id, never the query string or the key.
 */
class AccessLogTest {

    @RegisterExtension
    static final GatewayUnderTest all = new GatewayUnderTest("log-all", b -> b.accessLog(GatewayConfig.AccessLog.ALL));
    @RegisterExtension
    static final GatewayUnderTest sampled = new GatewayUnderTest("log-sampled",
            b -> b.accessLog(GatewayConfig.AccessLog.SAMPLED).accessLogSample(1_000_000));
    @RegisterExtension
    static final GatewayUnderTest off = new GatewayUnderTest("log-off", b -> b.accessLog(GatewayConfig.AccessLog.OFF));

    static final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeAll
    static void capture() {
        lines.start();
        ((Logger) LoggerFactory.getLogger("org.openkyc.gateway.access")).addAppender(lines);
    }

    @AfterAll
    static void release() {
        ((Logger) LoggerFactory.getLogger("org.openkyc.gateway.access")).detachAppender(lines);
    }

    @Test
    void allLogsEverySuccessWithoutQueryOrKey() throws Exception {
        assertThat(get(all, "/v2/submission?submission_id=s-1", UpstreamDouble.KEY, "all-ok-1").statusCode())
                .isEqualTo(200);
        final String line = awaitLine("all-ok-1");
        assertThat(line).startsWith("GET /v2/submission 200 ").endsWith("request_id=all-ok-1")
                        .doesNotContain("s-1").doesNotContain(UpstreamDouble.KEY);
    }

    @Test
    void sampledLogsEveryErrorButNotEverySuccess() throws Exception {
        assertThat(get(sampled, "/v2/submission?submission_id=s-1", UpstreamDouble.KEY, "sampled-ok-1").statusCode())
                .isEqualTo(200);
        assertThat(get(sampled, "/v2/submission?submission_id=s-1", UpstreamDouble.BAD_KEY, "sampled-401")
                           .statusCode()).isEqualTo(401);
        assertThat(awaitLine("sampled-401")).startsWith("GET /v2/submission 401 ");
        assertThat(logged("sampled-ok-1")).isEmpty();
    }

    @Test
    void offLogsNothing() throws Exception {
        assertThat(get(off, "/v2/submission?submission_id=s-1", UpstreamDouble.KEY, "off-ok-1").statusCode())
                .isEqualTo(200);
        assertThat(get(off, "/v2/submission?submission_id=s-1", UpstreamDouble.BAD_KEY, "off-401").statusCode())
                .isEqualTo(401);
        // A request on the "all" gateway after them: once its line is there, theirs would have been too.
        get(all, "/v2/submission?submission_id=s-1", UpstreamDouble.KEY, "all-ok-2");
        awaitLine("all-ok-2");
        assertThat(logged("off-ok-1")).isEmpty();
        assertThat(logged("off-401")).isEmpty();
    }

    private static HttpResponse<String> get(GatewayUnderTest g, String path, String key, String requestId)
            throws Exception {
        return g.http.send(g.http.request(path).header("x-api-key", key).header("x-request-id", requestId)
                                 .GET().build());
    }

    private static List<String> logged(String requestId) {
        synchronized (lines) { // the lock ListAppender appends under
            return lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                             .filter(m -> m.endsWith("request_id=" + requestId)).toList();
        }
    }

    /** The line of the request: written when the answer is complete, so possibly just after it arrived. */
    private static String awaitLine(String requestId) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            final List<String> found = logged(requestId);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access log line for request " + requestId);
    }
}
