package org.openkyc.server.auth;

import io.grpc.Context;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

/**
 * The authenticated caller of a request: its tenant, the key it used and that
 * key's role. Put into the gRPC {@link Context} by {@link AuthInterceptor}.
 */
public record Caller(long tenantId, String keyId, Role role) {

    static final Context.Key<Caller> KEY = Context.key("openkyc-caller");

    /** The caller of the current call; fails as unauthenticated when there is none. */
    public static Caller current() {
        Caller c = KEY.get();
        if (c == null) {
            throw new DomainException(ErrorCode.UNAUTHENTICATED, "An API key is required");
        }
        return c;
    }

    /** The name recorded in audit rows: the key id, never the key. */
    public String actor() {
        return "key:" + keyId;
    }
}
