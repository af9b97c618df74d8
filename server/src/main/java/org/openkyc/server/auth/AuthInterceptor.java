package org.openkyc.server.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.error.ErrorMapper;

/**
 * Authenticates every call by its {@code x-api-key} header and enforces the
 * role a service needs. The caller goes into the gRPC {@link Context} for the
 * services ({@link Caller#current()}). Health and reflection are open.
 */
public final class AuthInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> API_KEY =
            Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private static final Set<String> OPEN_SERVICES = Set.of(
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");

    private static final Set<String> ADMIN_SERVICES = Set.of(
            "openkyc.kyc.v1.KycAdminService",
            "openkyc.travelrule.v1.VaspAdminService");

    /** Single methods that need an admin key in services open to client keys. */
    private static final Set<String> ADMIN_METHODS = Set.of(
            "openkyc.screening.v1.ScreeningService/ReloadLists");

    private final Function<String, Optional<Caller>> authenticator;

    public AuthInterceptor(Function<String, Optional<Caller>> authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        String service = call.getMethodDescriptor().getServiceName();
        if (OPEN_SERVICES.contains(service)) {
            return next.startCall(call, headers);
        }
        String key = headers.get(API_KEY);
        if (key == null || key.isBlank()) {
            return refuse(call, new DomainException(ErrorCode.UNAUTHENTICATED, "An API key is required (x-api-key)"));
        }
        Optional<Caller> caller = authenticator.apply(key.trim());
        if (caller.isEmpty()) {
            return refuse(call, new DomainException(ErrorCode.UNAUTHENTICATED, "The API key is not valid"));
        }
        boolean adminOnly = ADMIN_SERVICES.contains(service)
                || ADMIN_METHODS.contains(call.getMethodDescriptor().getFullMethodName());
        if (adminOnly && caller.get().role() != Role.ADMIN) {
            return refuse(call, new DomainException(ErrorCode.PERMISSION_DENIED, "This route needs an admin key"));
        }
        Context ctx = Context.current().withValue(Caller.KEY, caller.get());
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, DomainException e) {
        ErrorMapper.close(call, e);
        return new ServerCall.Listener<>() { };
    }
}
