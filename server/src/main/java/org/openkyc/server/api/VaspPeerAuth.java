package org.openkyc.server.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.error.ErrorMapper;
import org.openkyc.server.travelrule.VaspRegistry;

/**
 * Authentication of other VASPs on the exchange port by their TLS client
 * certificate: the TLS handshake itself only accepts a client certificate
 * that chains to the CA certificate of a registered counterpart VASP
 * ({@link #trustManager()}), and each call then carries the id of that VASP
 * ({@link #currentVasp()}). No API key is involved.
 */
public final class VaspPeerAuth implements ServerInterceptor {

    private static final Context.Key<String> VASP = Context.key("openkyc-vasp-peer");

    private final VaspRegistry registry;
    private final long tenantId;

    public VaspPeerAuth(VaspRegistry registry, long tenantId) {
        this.registry = registry;
        this.tenantId = tenantId;
    }

    /** The id of the calling VASP. */
    static String currentVasp() {
        String id = VASP.get();
        if (id == null) {
            throw new DomainException(ErrorCode.UNAUTHENTICATED, "A client certificate of a registered VASP is required");
        }
        return id;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        Optional<String> vasp = peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (vasp.isEmpty()) {
            ErrorMapper.close(call, new DomainException(ErrorCode.UNAUTHENTICATED,
                    "A client certificate of a registered VASP is required"));
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValue(VASP, vasp.get()), call, headers, next);
    }

    private Optional<String> peer(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] certs = session.getPeerCertificates();
            X509Certificate[] chain = Arrays.stream(certs).filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            return registry.vaspOfCertificate(tenantId, chain);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /**
     * Trusts exactly the client certificates of registered counterpart VASPs,
     * read from the registry at each handshake so a registration takes effect
     * at once on every replica.
     */
    public X509TrustManager trustManager() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (registry.vaspOfCertificate(tenantId, chain).isEmpty()) {
                    throw new CertificateException("the client certificate is not one of a registered VASP");
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("this trust manager only checks clients");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return registry.vasps(tenantId).stream()
                        .flatMap(v -> VaspRegistry.parseCertificates(v.caPem()).stream())
                        .toArray(X509Certificate[]::new);
            }
        };
    }
}
