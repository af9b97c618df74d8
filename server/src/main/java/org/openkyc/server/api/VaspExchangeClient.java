package org.openkyc.server.api;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openkyc.api.ivms101.v1.Beneficiary;
import org.openkyc.api.ivms101.v1.OriginatingVasp;
import org.openkyc.api.ivms101.v1.Originator;
import org.openkyc.api.ivms101.v1.Person;
import org.openkyc.api.travelrule.v1.ReportTransactionRequest;
import org.openkyc.api.travelrule.v1.RequestVerificationRequest;
import org.openkyc.api.travelrule.v1.RequestVerificationResponse;
import org.openkyc.api.travelrule.v1.VaspExchangeServiceGrpc;
import org.openkyc.server.travelrule.CounterpartClient;
import org.openkyc.server.travelrule.VaspRegistry.CounterpartVasp;
import org.openkyc.server.travelrule.Verification;
import org.openkyc.server.travelrule.VerificationAnswer;
import org.openkyc.server.travelrule.VerificationRequest;

/**
 * Calls other VASPs' exchange over gRPC with mutual TLS: this VASP's
 * certificate as client certificate, the counterpart's registered CA as the
 * only trust anchor for its server certificate, and a deadline per call.
 * Channels are kept per counterpart registration.
 */
public final class VaspExchangeClient implements CounterpartClient, AutoCloseable {

    private final Path certFile;
    private final Path keyFile;
    private final long timeoutMillis;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public VaspExchangeClient(Path certFile, Path keyFile, long timeoutMillis) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public VerificationAnswer requestVerification(CounterpartVasp to, VerificationRequest r)
            throws CounterpartException {
        RequestVerificationRequest.Builder b = RequestVerificationRequest.newBuilder()
                .setVerificationUuid(r.uuid())
                .setOriginatingVaspId(r.originatingVaspId())
                .setAssetInfo(TravelRuleWire.asset(r.asset()))
                .setOriginatorAccountNumber(r.originatorAccountNumber())
                .setBeneficiaryAccountNumber(r.beneficiaryAccountNumber())
                .setOriginator(TravelRuleWire.parse(r.originatorJson(), Originator.newBuilder(), "originator"))
                .setBeneficiary(TravelRuleWire.parse(r.beneficiaryJson(), Beneficiary.newBuilder(), "beneficiary"))
                .setOriginatingVasp(OriginatingVasp.newBuilder().setOriginatingVasp(
                        TravelRuleWire.parse(r.originatingVaspJson(), Person.newBuilder(), "originatingVasp")));
        r.beneficiaryVaspId().ifPresent(b::setBeneficiaryVaspId);
        RequestVerificationResponse a;
        try {
            a = stub(to).requestVerification(b.build());
        } catch (StatusRuntimeException e) {
            throw failure(e);
        }
        Verification.Result result;
        try {
            result = Verification.Result.valueOf(a.getResult().name());
        } catch (IllegalArgumentException e) {
            throw new CounterpartException(CounterpartException.Kind.REFUSED,
                    "the beneficiary VASP answered without a result", e);
        }
        Instant verifiedAt;
        try {
            verifiedAt = Instant.parse(a.getVerifiedAt());
        } catch (RuntimeException e) {
            verifiedAt = Instant.now();
        }
        return new VerificationAnswer(result, a.getReason(),
                a.hasMessage() ? Optional.of(a.getMessage()) : Optional.empty(),
                a.getBeneficiaryAccountNumber(),
                a.hasBeneficiary() ? Optional.of(TravelRuleWire.json(a.getBeneficiary())) : Optional.empty(),
                a.hasBeneficiaryVasp() && a.getBeneficiaryVasp().hasBeneficiaryVasp()
                        ? Optional.of(TravelRuleWire.json(a.getBeneficiaryVasp().getBeneficiaryVasp()))
                        : Optional.empty(),
                a.getBeneficiaryVaspId(), verifiedAt);
    }

    @Override
    public void reportTransaction(CounterpartVasp to, String uuid, String txHash, Optional<String> vout)
            throws CounterpartException {
        ReportTransactionRequest.Builder b = ReportTransactionRequest.newBuilder().setVerificationUuid(uuid)
                .setTxHash(txHash);
        vout.ifPresent(b::setVout);
        try {
            stub(to).reportTransaction(b.build());
        } catch (StatusRuntimeException e) {
            throw failure(e);
        }
    }

    private static CounterpartException failure(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.DEADLINE_EXCEEDED) {
            return new CounterpartException(CounterpartException.Kind.TIMEOUT, "no answer in time", e);
        }
        if (code == Status.Code.UNAVAILABLE) {
            return new CounterpartException(CounterpartException.Kind.UNREACHABLE, "not reachable", e);
        }
        return new CounterpartException(CounterpartException.Kind.REFUSED,
                "the beneficiary VASP refused the request: " + code, e);
    }

    private VaspExchangeServiceGrpc.VaspExchangeServiceBlockingStub stub(CounterpartVasp to) {
        String key = to.id() + "|" + to.endpoint() + "|" + to.caPem().hashCode() + "|" + to.registeredAt();
        ManagedChannel ch = channels.get(key);
        if (ch == null) {
            synchronized (channels) {
                ch = channels.get(key);
                if (ch == null) {
                    // A replaced registration (new endpoint or CA) gets a new channel; the old one goes.
                    channels.entrySet().removeIf(e -> {
                        boolean stale = e.getKey().startsWith(to.id() + "|");
                        if (stale) {
                            e.getValue().shutdown();
                        }
                        return stale;
                    });
                    ch = open(to);
                    channels.put(key, ch);
                }
            }
        }
        return VaspExchangeServiceGrpc.newBlockingStub(ch).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private ManagedChannel open(CounterpartVasp to) {
        try {
            ChannelCredentials creds = TlsChannelCredentials.newBuilder()
                    .keyManager(certFile.toFile(), keyFile.toFile())
                    .trustManager(new ByteArrayInputStream(to.caPem().getBytes(StandardCharsets.US_ASCII)))
                    .build();
            return Grpc.newChannelBuilder(to.endpoint(), creds).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the VASP TLS certificate or key", e);
        }
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
