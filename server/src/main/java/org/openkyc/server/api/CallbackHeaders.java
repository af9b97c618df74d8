package org.openkyc.server.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Puts the liveness callback's signature headers ({@code x-openkyc-timestamp},
 * {@code x-openkyc-signature}) and, for REST callbacks, the raw body the gateway forwards
 * ({@code x-openkyc-raw-body-bin}) into the gRPC
 * {@link Context} so the callback RPC can verify them.
 */
public final class CallbackHeaders implements ServerInterceptor {

    static final Metadata.Key<String> TIMESTAMP =
            Metadata.Key.of("x-openkyc-timestamp", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> SIGNATURE =
            Metadata.Key.of("x-openkyc-signature", Metadata.ASCII_STRING_MARSHALLER);
    /** The exact HTTP body the provider signed, forwarded by the gateway for REST callbacks. */
    static final Metadata.Key<byte[]> RAW_BODY =
            Metadata.Key.of("x-openkyc-raw-body-bin", Metadata.BINARY_BYTE_MARSHALLER);
    static final Context.Key<byte[]> RAW_BODY_CTX = Context.key("openkyc-callback-raw-body");
    static final Context.Key<String> TIMESTAMP_CTX = Context.key("openkyc-callback-timestamp");
    static final Context.Key<String> SIGNATURE_CTX = Context.key("openkyc-callback-signature");

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        Context ctx = Context.current()
                .withValue(TIMESTAMP_CTX, headers.get(TIMESTAMP))
                .withValue(SIGNATURE_CTX, headers.get(SIGNATURE))
                .withValue(RAW_BODY_CTX, headers.get(RAW_BODY));
        return Contexts.interceptCall(ctx, call, headers, next);
    }
}
