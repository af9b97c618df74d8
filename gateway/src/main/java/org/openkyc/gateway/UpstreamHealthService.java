package org.openkyc.gateway;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;

/**
 * {@code /internal/health}: 200 {@code {"status":"SERVING"}} when an upstream replica answers
 * the standard gRPC health check with SERVING, 503 otherwise. Needs no API key.
 */
final class UpstreamHealthService implements HttpService {

    private static final Logger logger = LoggerFactory.getLogger(UpstreamHealthService.class);

    private final Channel upstream;
    private final long deadlineMillis;

    UpstreamHealthService(Channel upstream, Duration upstreamTimeout) {
        this.upstream = upstream;
        deadlineMillis = Math.min(upstreamTimeout.toMillis(), 5_000);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        final CompletableFuture<HttpResponse> future = new CompletableFuture<>();
        HealthGrpc.newStub(upstream)
                  .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                  .check(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
                      @Override
                      public void onNext(HealthCheckResponse value) {
                          final boolean serving =
                                  value.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
                          future.complete(answer(serving ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE,
                                                 value.getStatus().name()));
                      }

                      @Override
                      public void onError(Throwable t) {
                          final Status status = Status.fromThrowable(t);
                          logger.warn("Upstream health check failed: {} {}", status.getCode(),
                                      status.getDescription());
                          future.complete(answer(HttpStatus.SERVICE_UNAVAILABLE, "NOT_SERVING"));
                      }

                      @Override
                      public void onCompleted() {
                          future.complete(answer(HttpStatus.SERVICE_UNAVAILABLE, "NOT_SERVING"));
                      }
                  });
        return HttpResponse.of(future);
    }

    private static HttpResponse answer(HttpStatus status, String servingStatus) {
        final ResponseHeadersBuilder headers = ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8);
        ResponseHeadersSupport.addNoStore(headers);
        final StringBuilder body = new StringBuilder("{\"status\":");
        Json.appendString(body, servingStatus);
        return HttpResponse.of(headers.build(), HttpData.ofUtf8(body.append('}')));
    }
}
