package org.openkyc.server.observe;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Puts the request id ({@code x-request-id}, set by the gateway) and the trace id (W3C {@code traceparent})
 * of a call into the logging context while the call's code runs, so every log line of the call carries them.
 * Values that are not short plain tokens are ignored: a caller cannot write into the logs through them.
 */
public final class CallContext implements ServerInterceptor {

    public static final String MDC_REQUEST_ID = "request_id";
    public static final String MDC_TRACE_ID = "trace_id";
    public static final String MDC_SPAN_ID = "span_id";

    static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** version-traceid-parentid-flags; an all-zero trace or parent id is invalid. */
    private static final Pattern TRACEPARENT_FORMAT =
            Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?");

    /** The trace and parent span id of a valid {@code traceparent}, else null. */
    public static String[] parseTraceparent(String value) {
        if (value == null) {
            return null;
        }
        var m = TRACEPARENT_FORMAT.matcher(value.strip());
        if (!m.matches() || value.startsWith("ff")) {
            return null;
        }
        String traceId = m.group(1);
        String parentId = m.group(2);
        return allZeros(traceId) || allZeros(parentId) ? null : new String[] {traceId, parentId};
    }

    private static boolean allZeros(String hex) {
        return hex.chars().allMatch(c -> c == '0');
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        String given = headers.get(REQUEST_ID);
        String requestId = given != null && SANE_ID.matcher(given).matches() ? given : null;
        String[] trace = parseTraceparent(headers.get(TRACEPARENT));
        if (requestId == null && trace == null) {
            return next.startCall(call, headers);
        }
        ServerCall.Listener<ReqT> delegate;
        try (Scope ignored = Scope.open(requestId, trace)) {
            delegate = next.startCall(call, headers);
        }
        return new SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(ReqT message) {
                try (Scope ignored = Scope.open(requestId, trace)) {
                    super.onMessage(message);
                }
            }

            @Override
            public void onHalfClose() {
                try (Scope ignored = Scope.open(requestId, trace)) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onCancel() {
                try (Scope ignored = Scope.open(requestId, trace)) {
                    super.onCancel();
                }
            }

            @Override
            public void onComplete() {
                try (Scope ignored = Scope.open(requestId, trace)) {
                    super.onComplete();
                }
            }

            @Override
            public void onReady() {
                try (Scope ignored = Scope.open(requestId, trace)) {
                    super.onReady();
                }
            }
        };
    }

    /** The ids in the logging context until closed; what was there before comes back. */
    private record Scope(String previousRequest, String previousTrace, String previousSpan)
            implements AutoCloseable {

        static Scope open(String requestId, String[] trace) {
            Scope s = new Scope(MDC.get(MDC_REQUEST_ID), MDC.get(MDC_TRACE_ID), MDC.get(MDC_SPAN_ID));
            put(MDC_REQUEST_ID, requestId);
            put(MDC_TRACE_ID, trace == null ? null : trace[0]);
            put(MDC_SPAN_ID, trace == null ? null : trace[1]);
            return s;
        }

        @Override
        public void close() {
            put(MDC_REQUEST_ID, previousRequest);
            put(MDC_TRACE_ID, previousTrace);
            put(MDC_SPAN_ID, previousSpan);
        }

        private static void put(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }
}
