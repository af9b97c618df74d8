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
 * services ({@link Caller#current()}). Health is open; reflection, when
 * served, needs a valid key. Each tenant's requests pass a token bucket
 * ({@link RateLimiter}): past it a call is refused as RATE_LIMITED with the time
 * to wait. Well-formed keys the database does not know are remembered for
 * a short time ({@link UnknownKeys}), so a flood of made-up keys does
 * not reach the database on every request; keys it knows are remembered for a
 * few seconds ({@link KnownKeys}), so a busy client does not either, and a
 * revoked key is refused once that time has passed.
 */
public final class AuthInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> API_KEY =
            Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private static final Set<String> OPEN_SERVICES = Set.of("grpc.health.v1.Health");
    /** How many unknown keys are remembered at most, unless configured. */
    public static final int UNKNOWN_KEYS_MAX = 10_000;
    /** How long an unknown key is remembered, unless configured. */
    public static final java.time.Duration UNKNOWN_KEY_TTL = java.time.Duration.ofSeconds(30);
    /** How many known keys are remembered at most, unless configured. */
    public static final int KNOWN_KEYS_MAX = 10_000;
    /** How long a known key is remembered (the longest a revocation takes), unless configured. */
    public static final java.time.Duration KNOWN_KEY_TTL = java.time.Duration.ofSeconds(5);

    private static final Set<String> ADMIN_SERVICES = Set.of(
            "openkyc.kyc.v1.KycAdminService",
            "openkyc.kyc.v1.WebhookAdminService",
            "openkyc.travelrule.v1.VaspAdminService");

    /** Single methods that need an admin key in services open to client keys. */
    private static final Set<String> ADMIN_METHODS = Set.of(
            "openkyc.screening.v1.ScreeningService/ReloadLists");

    private final Function<String, Optional<Caller>> authenticator;
    private final RateLimiter rateLimiter;
    private final UnknownKeys unknownKeys;
    private final KnownKeys knownKeys;

    /** Without a rate limit. */
    public AuthInterceptor(Function<String, Optional<Caller>> authenticator) {
        this(authenticator, RateLimiter.off());
    }

    public AuthInterceptor(Function<String, Optional<Caller>> authenticator, RateLimiter rateLimiter) {
        this(authenticator, rateLimiter, UNKNOWN_KEYS_MAX, UNKNOWN_KEY_TTL, KNOWN_KEYS_MAX, KNOWN_KEY_TTL);
    }

    /**
     * With a cache of at most {@code unknownKeysMax} unknown keys, each remembered for {@code unknownKeyTtl}, and
     * one of at most {@code knownKeysMax} known keys, each remembered for {@code knownKeyTtl}.
     */
    public AuthInterceptor(Function<String, Optional<Caller>> authenticator, RateLimiter rateLimiter,
            int unknownKeysMax, java.time.Duration unknownKeyTtl, int knownKeysMax, java.time.Duration knownKeyTtl) {
        this(authenticator, rateLimiter, new UnknownKeys(unknownKeysMax, unknownKeyTtl, System::nanoTime),
                new KnownKeys(knownKeysMax, knownKeyTtl, System::nanoTime));
    }

    AuthInterceptor(Function<String, Optional<Caller>> authenticator, RateLimiter rateLimiter,
            UnknownKeys unknownKeys, KnownKeys knownKeys) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.unknownKeys = unknownKeys;
        this.knownKeys = knownKeys;
    }

    /**
     * Forgets the valid keys remembered, so that a key revoked through this server is refused from its next
     * request on (revocations made elsewhere are seen once the time to live has passed).
     */
    public void forgetKnownKeys() {
        knownKeys.clear();
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
        Optional<Caller> caller = authenticate(key.trim());
        if (caller.isEmpty()) {
            return refuse(call, new DomainException(ErrorCode.UNAUTHENTICATED, "The API key is not valid"));
        }
        Optional<java.time.Duration> wait = rateLimiter.acquire(caller.get().tenantId());
        if (wait.isPresent()) {
            return refuse(call, new DomainException(ErrorCode.RATE_LIMITED,
                    "Too many requests for this tenant; retry later", wait.get()));
        }
        boolean adminOnly = ADMIN_SERVICES.contains(service)
                || ADMIN_METHODS.contains(call.getMethodDescriptor().getFullMethodName());
        if (adminOnly && caller.get().role() != Role.ADMIN) {
            return refuse(call, new DomainException(ErrorCode.PERMISSION_DENIED, "This route needs an admin key"));
        }
        Context ctx = Context.current().withValue(Caller.KEY, caller.get());
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    /**
     * The caller of a key; malformed keys and recently unknown ones are refused without a look-up, recently
     * confirmed ones are let in without one.
     */
    private Optional<Caller> authenticate(String key) {
        if (!ApiKeys.wellFormed(key)) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(key);
        if (unknownKeys.known(hash)) {
            return Optional.empty();
        }
        Optional<Caller> cached = knownKeys.get(hash);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<Caller> caller = authenticator.apply(key);
        if (caller.isEmpty()) {
            unknownKeys.remember(hash);
        } else {
            knownKeys.remember(hash, caller.get());
        }
        return caller;
    }

    private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, DomainException e) {
        ErrorMapper.close(call, e);
        return new ServerCall.Listener<>() { };
    }
}
