package org.openkyc.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openkyc.api.kyc.v1.GetProfileDetailRequest;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.ListProfilesRequest;
import org.openkyc.api.kyc.v1.UpdateStatusRequest;
import org.openkyc.api.screening.v1.GetScreeningRequest;
import org.openkyc.api.screening.v1.ScreeningServiceGrpc;
import org.openkyc.api.submissions.v2.GetAmlReportRequest;
import org.openkyc.api.submissions.v2.GetImageRequest;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.HttpBody;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.file.FileService;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/**
 * The reviewer console at {@code /console}: the compiled front-end (hashed assets cached for good, the page
 * itself revalidated every time) and its small JSON API under {@code /console/api}. A reviewer signs in with an
 * admin API key, which the gateway keeps in a server-side session ({@link ConsoleSessions}); the browser holds
 * only an HttpOnly session cookie and a CSRF token that every state-changing request repeats in a header. Every
 * console call goes to the same admin services as the REST API, with the session's key, so the server's rules,
 * tenancy and audit apply. Every answer carries a strict Content-Security-Policy.
 */
final class Console {

    private static final Logger logger = LoggerFactory.getLogger(Console.class);

    static final String PATH = "/console";
    static final String API = PATH + "/api";
    static final String COOKIE = "okyc_console";
    static final String CSRF_HEADER = "x-csrf-token";
    /** Where the build puts the compiled front-end in the gateway jar. */
    static final String RESOURCES = "openkyc-console";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:;"
                              + " font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
                              + " form-action 'self'; frame-ancestors 'none'";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
    private static final Pattern CASE = Pattern.compile("/cases/([A-Za-z0-9_-]{1,64})");
    private static final Pattern IMAGE = Pattern.compile("/cases/([A-Za-z0-9_-]{1,64})/images/(idImage|idBackImage|selfieImage|portraitImage)");
    private static final Pattern SUBMISSION = Pattern.compile("/cases/([A-Za-z0-9_-]{1,64})/submission");
    private static final Pattern DECISION = Pattern.compile("/cases/([A-Za-z0-9_-]{1,64})/decision");
    private static final Pattern SCREENING = Pattern.compile("/screenings/([A-Za-z0-9_-]{1,64})");
    private static final Pattern REPORT = Pattern.compile("/screenings/([A-Za-z0-9_-]{1,64})/report\\.pdf");

    private final ConsoleSessions sessions;
    private final ManagedChannel channel;
    private final Duration timeout;
    private final AuthThrottle throttle;

    private Console(ConsoleSessions sessions, ManagedChannel channel, Duration timeout, AuthThrottle throttle) {
        this.sessions = sessions;
        this.channel = channel;
        this.timeout = timeout;
        this.throttle = throttle;
    }

    /** Registers {@code /console} (page, assets, API) on the gateway's server. */
    static void register(ServerBuilder sb, GatewayConfig config, ManagedChannel channel, AuthThrottle throttle) {
        final Console console = new Console(new ConsoleSessions(config.consoleSession(), Clock.systemUTC()),
                                            channel, config.upstreamTimeout(), throttle);
        final ClassLoader cl = Console.class.getClassLoader();
        final HttpService assets = FileService.builder(cl, RESOURCES + "/assets")
                                              .cacheControl("public, max-age=31536000, immutable")
                                              .build();
        final HttpService index = (ctx, req) -> console.index();
        sb.service(PATH, index)
          .service(PATH + "/", index)
          .serviceUnder(PATH + "/assets/", assets.decorate((delegate, ctx, req) -> secured(delegate.serve(ctx, req))))
          .serviceUnder(API + "/", (ctx, req) -> HttpResponse.of(
                  req.aggregate().thenApply(r -> secured(console.api(ctx, r)))));
    }

    private HttpResponse index() {
        final byte[] page;
        try (InputStream in = Console.class.getClassLoader().getResourceAsStream(RESOURCES + "/index.html")) {
            if (in == null) {
                return secured(HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8,
                                               "The reviewer console was not built into this gateway"));
            }
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return secured(HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                                                      .contentType(MediaType.HTML_UTF_8)
                                                      .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                                                      .build(), HttpData.wrap(page)));
    }

    /** The console's security headers on every answer. */
    static HttpResponse secured(HttpResponse res) {
        return res.mapHeaders(h -> {
            final ResponseHeadersBuilder b = h.toBuilder();
            b.set("content-security-policy", CSP);
            b.set("x-content-type-options", "nosniff");
            b.set("x-frame-options", "DENY");
            b.set("referrer-policy", "no-referrer");
            b.set("cross-origin-opener-policy", "same-origin");
            if (!b.contains(HttpHeaderNames.CACHE_CONTROL)) {
                b.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            }
            return b.build();
        });
    }

    private HttpResponse api(ServiceRequestContext ctx, AggregatedHttpRequest req) {
        final String path = ctx.path().substring(API.length());
        final HttpMethod method = req.method();
        try {
            if ("/session".equals(path)) {
                if (method == HttpMethod.POST) {
                    return signIn(ctx, req);
                }
                final Optional<ConsoleSessions.Session> s = session(req);
                if (method == HttpMethod.GET) {
                    return s.map(Console::sessionAnswer).orElseGet(Console::signedOut);
                }
                if (method == HttpMethod.DELETE) {
                    if (s.isPresent()) {
                        if (!ConsoleSessions.csrfMatches(s.get(), req.headers().get(CSRF_HEADER))) {
                            return error(HttpStatus.FORBIDDEN, "The request lacks the console's CSRF token");
                        }
                        sessions.close(s.get().id());
                    }
                    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.NO_CONTENT)
                                                          .add(HttpHeaderNames.SET_COOKIE, clearCookie()).build());
                }
                return error(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed");
            }
            final Optional<ConsoleSessions.Session> found = session(req);
            if (found.isEmpty()) {
                return signedOut();
            }
            final ConsoleSessions.Session s = found.get();
            if (method != HttpMethod.GET && method != HttpMethod.HEAD
                && !ConsoleSessions.csrfMatches(s, req.headers().get(CSRF_HEADER))) {
                return error(HttpStatus.FORBIDDEN, "The request lacks the console's CSRF token");
            }
            Matcher m;
            if ("/cases".equals(path) && method == HttpMethod.POST) {
                return blocking(ctx, () -> listCases(s, body(req)));
            }
            if ((m = CASE.matcher(path)).matches() && method == HttpMethod.GET) {
                final String id = m.group(1);
                return blocking(ctx, () -> json(HttpStatus.OK, print(admin(s).getProfileDetail(
                        GetProfileDetailRequest.newBuilder().setProfileId(id).build()))));
            }
            if ((m = SUBMISSION.matcher(path)).matches() && method == HttpMethod.GET) {
                final String id = m.group(1);
                return blocking(ctx, () -> submission(s, id));
            }
            if ((m = DECISION.matcher(path)).matches() && method == HttpMethod.POST) {
                final String id = m.group(1);
                final JsonNode body = body(req);
                return blocking(ctx, () -> decide(s, id, body));
            }
            if ((m = IMAGE.matcher(path)).matches() && method == HttpMethod.GET) {
                final String id = m.group(1);
                final String type = m.group(2);
                return blocking(ctx, () -> file(submissions(s).getImage(
                        GetImageRequest.newBuilder().setSubmissionId(id).setType(type).build()), null));
            }
            if ((m = REPORT.matcher(path)).matches() && method == HttpMethod.GET) {
                final String id = m.group(1);
                return blocking(ctx, () -> file(submissions(s).getAmlReport(
                        GetAmlReportRequest.newBuilder().setResourceId(id).build()), "aml-report-" + id + ".pdf"));
            }
            if ((m = SCREENING.matcher(path)).matches() && method == HttpMethod.GET) {
                final String id = m.group(1);
                return blocking(ctx, () -> json(HttpStatus.OK, print(screening(s).getScreening(
                        GetScreeningRequest.newBuilder().setResourceId(id).build()).getScreening())));
            }
            return error(HttpStatus.NOT_FOUND, "No such console route");
        } catch (BadRequest e) {
            return error(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private HttpResponse signIn(ServiceRequestContext ctx, AggregatedHttpRequest req) {
        if (!sameOrigin(req)) {
            return error(HttpStatus.FORBIDDEN, "Sign in from the console page of this gateway");
        }
        final InetAddress client = ctx.clientAddress();
        final long wait = throttle.retryAfterSeconds(client, null);
        if (wait > 0) {
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS)
                                                  .contentType(MediaType.JSON_UTF_8)
                                                  .set(HttpHeaderNames.RETRY_AFTER, Long.toString(wait)).build(),
                                   HttpData.ofUtf8(errorBody("Too many failed sign-ins: try again in " + wait
                                                             + " seconds")));
        }
        final JsonNode body = body(req);
        final String key = body.path("apiKey").asText("").trim();
        if (!ApiKeyFormat.wellFormed(key)) {
            throttle.failed(client);
            return error(HttpStatus.UNAUTHORIZED, "This is not an OpenKYC API key");
        }
        return blocking(ctx, () -> {
            try {
                // The key must be an admin key: the admin list answers only those.
                stub(KycAdminServiceGrpc.newBlockingStub(channel), key, ctx)
                        .listProfiles(ListProfilesRequest.newBuilder().setLimit(1).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.PERMISSION_DENIED) {
                    return error(HttpStatus.FORBIDDEN,
                                 "This is a client key: the reviewer console needs an admin key");
                }
                if (e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
                    throttle.failed(client);
                    return error(HttpStatus.UNAUTHORIZED, "Unknown or revoked API key");
                }
                throw e;
            }
            throttle.succeeded(key);
            final ConsoleSessions.Session s = sessions.open(key);
            logger.info("Reviewer console sign-in key={}", s.keyId());
            final Cookie cookie = Cookie.secureBuilder(COOKIE, s.id()).path(PATH).httpOnly(true).secure(true)
                                        .sameSite("Strict").maxAge(sessions.ttl().getSeconds()).build();
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                                                  .contentType(MediaType.JSON_UTF_8)
                                                  .add(HttpHeaderNames.SET_COOKIE, cookie.toSetCookieHeader())
                                                  .build(),
                                   HttpData.ofUtf8(sessionJson(s)));
        });
    }

    private HttpResponse listCases(ConsoleSessions.Session s, JsonNode body) {
        final ListProfilesRequest.Builder q = ListProfilesRequest.newBuilder()
                .setPage(Math.max(1, body.path("page").asInt(1)))
                .setLimit(Math.min(200, Math.max(1, body.path("limit").asInt(20))))
                .setOldestFirst(body.path("oldestFirst").asBoolean(false));
        text(body, "status").ifPresent(q::setStatus);
        text(body, "userId").ifPresent(q::setUserId);
        text(body, "createdFrom").ifPresent(q::setCreatedFrom);
        text(body, "createdTo").ifPresent(q::setCreatedTo);
        // The reviewer queue's filters and keyset paging (the next page after nextCursor).
        text(body, "unmetRule").ifPresent(q::setUnmetRule);
        text(body, "screening").ifPresent(q::setScreening);
        text(body, "cursor").ifPresent(q::setCursor);
        return json(HttpStatus.OK, print(admin(s).listProfiles(q.build())));
    }

    /** The case as the submissions API holds it (attempts with their scores, screening), or {} when none. */
    private HttpResponse submission(ConsoleSessions.Session s, String id) {
        final var items = submissions(s).getSubmissions(
                org.openkyc.api.submissions.v2.GetSubmissionsRequest.newBuilder().setSubmissionId(id).build())
                .getItemsList();
        return json(HttpStatus.OK, items.isEmpty() ? "{}" : print(items.get(0)));
    }

    private HttpResponse decide(ConsoleSessions.Session s, String id, JsonNode body) {
        final String decision = body.path("decision").asText("");
        final String remark = body.path("remark").asText("").strip();
        final String reason = body.path("reason").asText("").strip();
        final String basedOn = body.path("basedOn").asText("").strip();
        if (remark.isEmpty()) {
            return error(HttpStatus.BAD_REQUEST, "A remark is required for every decision");
        }
        if (basedOn.isEmpty()) {
            return error(HttpStatus.BAD_REQUEST, "The decision must say which version of the case it was based on");
        }
        final int status;
        final String text;
        switch (decision) {
            case "approve" -> {
                status = 2;
                text = remark;
            }
            case "reject" -> {
                if (reason.isEmpty()) {
                    return error(HttpStatus.BAD_REQUEST, "A rejection needs a reason");
                }
                status = -1;
                text = "Rejected (" + reason + "): " + remark;
            }
            case "resubmit" -> {
                // Its own decision: the case goes back to its user (incomplete, resubmission_requested).
                status = 1;
                text = remark;
            }
            default -> {
                return error(HttpStatus.BAD_REQUEST, "decision must be approve, reject or resubmit");
            }
        }
        return json(HttpStatus.OK, print(admin(s).updateStatus(UpdateStatusRequest.newBuilder()
                .setProfileId(id).setStatus(status).setRemark(text).setExpectedUpdatedAt(basedOn).build())));
    }

    private HttpResponse blocking(ServiceRequestContext ctx, java.util.function.Supplier<HttpResponse> call) {
        return HttpResponse.of(CompletableFuture.supplyAsync(() -> {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                return upstreamError(e);
            }
        }, ctx.blockingTaskExecutor()));
    }

    private static HttpResponse upstreamError(StatusRuntimeException e) {
        final Status st = e.getStatus();
        final String description = st.getDescription() == null ? "" : st.getDescription();
        return switch (st.getCode()) {
            case UNAUTHENTICATED -> error(HttpStatus.UNAUTHORIZED, "The session's key is no longer valid: sign in again");
            case PERMISSION_DENIED -> error(HttpStatus.FORBIDDEN, description);
            case NOT_FOUND -> error(HttpStatus.NOT_FOUND, description);
            case INVALID_ARGUMENT, OUT_OF_RANGE -> error(HttpStatus.BAD_REQUEST, description);
            case FAILED_PRECONDITION, ABORTED, ALREADY_EXISTS -> error(HttpStatus.CONFLICT, description);
            case RESOURCE_EXHAUSTED -> error(HttpStatus.TOO_MANY_REQUESTS, description);
            default -> {
                logger.warn("Reviewer console upstream call failed: {} {}", st.getCode(), description);
                yield error(HttpStatus.SERVICE_UNAVAILABLE, "The service is unavailable: try again");
            }
        };
    }

    private <S extends AbstractStub<S>> S stub(S stub, String apiKey, ServiceRequestContext ctx) {
        final Metadata md = UpstreamForwarder.outgoingHeaders(ctx);
        md.put(UpstreamForwarder.API_KEY, apiKey);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                   .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private KycAdminServiceGrpc.KycAdminServiceBlockingStub admin(ConsoleSessions.Session s) {
        return stub(KycAdminServiceGrpc.newBlockingStub(channel), s.apiKey(), ServiceRequestContext.current());
    }

    private SubmissionServiceGrpc.SubmissionServiceBlockingStub submissions(ConsoleSessions.Session s) {
        return stub(SubmissionServiceGrpc.newBlockingStub(channel), s.apiKey(), ServiceRequestContext.current());
    }

    private ScreeningServiceGrpc.ScreeningServiceBlockingStub screening(ConsoleSessions.Session s) {
        return stub(ScreeningServiceGrpc.newBlockingStub(channel), s.apiKey(), ServiceRequestContext.current());
    }

    private Optional<ConsoleSessions.Session> session(AggregatedHttpRequest req) {
        for (Cookie c : req.headers().cookies()) {
            if (COOKIE.equals(c.name())) {
                return sessions.find(c.value());
            }
        }
        return Optional.empty();
    }

    /** A sign-in must come from a page of this gateway: a cross-site form cannot sign a browser in. */
    private static boolean sameOrigin(AggregatedHttpRequest req) {
        final MediaType type = req.contentType();
        if (type == null || !type.is(MediaType.JSON)) {
            return false;
        }
        final String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return true;
        }
        try {
            final URI o = URI.create(origin);
            final String host = req.headers().authority();
            return host != null && "https".equals(o.getScheme()) && host.equalsIgnoreCase(o.getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static HttpResponse file(HttpBody body, String downloadName) {
        final ResponseHeadersBuilder h = ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.parse(body.getContentType().isEmpty() ? "application/octet-stream"
                                                                              : body.getContentType()))
                .set(HttpHeaderNames.CACHE_CONTROL, "private, no-store");
        if (downloadName != null) {
            h.set(HttpHeaderNames.CONTENT_DISPOSITION,
                  "attachment; filename=\"" + downloadName.replaceAll("[^A-Za-z0-9.-]", "") + '"');
        }
        return HttpResponse.of(h.build(), HttpData.wrap(body.getData().toByteArray()));
    }

    private static HttpResponse sessionAnswer(ConsoleSessions.Session s) {
        return json(HttpStatus.OK, sessionJson(s));
    }

    private static String sessionJson(ConsoleSessions.Session s) {
        final ObjectNode o = JSON.createObjectNode();
        o.put("keyId", s.keyId());
        o.put("csrfToken", s.csrfToken());
        o.put("expiresAt", s.expiresAt().toString());
        return o.toString();
    }

    private static HttpResponse signedOut() {
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.UNAUTHORIZED).contentType(MediaType.JSON_UTF_8)
                                              .add(HttpHeaderNames.SET_COOKIE, clearCookie()).build(),
                               HttpData.ofUtf8(errorBody("Not signed in, or the session has expired: sign in")));
    }

    private static String clearCookie() {
        return Cookie.secureBuilder(COOKIE, "").path(PATH).httpOnly(true).secure(true).sameSite("Strict")
                     .maxAge(0).build().toSetCookieHeader();
    }

    private static JsonNode body(AggregatedHttpRequest req) {
        final String text = req.contentUtf8();
        if (text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            final JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject()) {
                throw new BadRequest("The body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new BadRequest("The body is not valid JSON");
        }
    }

    private static Optional<String> text(JsonNode body, String field) {
        final String v = body.path(field).asText("").strip();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private static String print(MessageOrBuilder m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse json(HttpStatus status, String body) {
        return HttpResponse.of(status, MediaType.JSON_UTF_8, body);
    }

    static HttpResponse error(HttpStatus status, String message) {
        return json(status, errorBody(message));
    }

    private static String errorBody(String message) {
        final ObjectNode o = JSON.createObjectNode();
        o.put("error", message);
        return o.toString();
    }

    /** A console request the gateway refuses before calling upstream. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
