package org.openkyc.server.observe;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.openkyc.api.submissions.v2.RetryReason;
import org.openkyc.api.submissions.v2.SubmitStep2Response;

/**
 * Every gRPC call of the server as {@code openkyc_grpc_server_requests_seconds} (histogram) by service, method
 * and status code, and the outcome of each step 2 of a submission as {@code openkyc_step2_outcomes_total} by
 * KYC status and retry reason.
 */
public final class CallMetrics implements ServerInterceptor {

    private final MeterRegistry registry;

    public CallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        long start = System.nanoTime();
        String service = call.getMethodDescriptor().getServiceName();
        String method = call.getMethodDescriptor().getBareMethodName();
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(RespT message) {
                if (message instanceof SubmitStep2Response r) {
                    step2Outcome(r);
                }
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                Timer.builder(Telemetry.PREFIX + "grpc.server.requests")
                        .description("gRPC calls served, by service, method and status code")
                        .tag("service", service == null ? "unknown" : service)
                        .tag("method", method == null ? "unknown" : method)
                        .tag("code", status.getCode().name())
                        .register(registry)
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                super.close(status, trailers);
            }
        }, headers);
    }

    private void step2Outcome(SubmitStep2Response r) {
        String status = r.getKycStatus().name().toLowerCase(java.util.Locale.ROOT);
        if (r.getRetry7List().isEmpty()) {
            count(status, "none");
            return;
        }
        for (RetryReason reason : r.getRetry7List()) {
            count(status, reason.getRetryCode().matches("[a-z_]{1,40}") ? reason.getRetryCode() : "other");
        }
    }

    private void count(String status, String reason) {
        Counter.builder(Telemetry.PREFIX + "step2.outcomes")
                .description("Step 2 answers, by KYC status and retry reason (none: no retry asked)")
                .tag("status", status)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
