package org.openkyc.server.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Puts the liveness callback's signature headers ({@code x-openkyc-timestamp},
 * {@code x-openkyc-signature}) into the gRPC {@link Context} so the callback RPC can verify them.
 * The exact body a REST callback signed travels in the request message itself
 * ({@code LivenessCallbackRequest.raw_body}, filled by the gateway), never in a header: a header is
 * bounded by the transport's metadata limit, a message is not.
 */
public final class CallbackHeaders implements ServerInterceptor {

    static final Metadata.Key<String> TIMESTAMP =
            Metadata.Key.of("x-openkyc-timestamp", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> SIGNATURE =
            Metadata.Key.of("x-openkyc-signature", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<String> TIMESTAMP_CTX = Context.key("openkyc-callback-timestamp");
    static final Context.Key<String> SIGNATURE_CTX = Context.key("openkyc-callback-signature");

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        Context ctx = Context.current()
                .withValue(TIMESTAMP_CTX, headers.get(TIMESTAMP))
                .withValue(SIGNATURE_CTX, headers.get(SIGNATURE));
        return Contexts.interceptCall(ctx, call, headers, next);
    }
}
