package org.openkyc.server.api;

import io.grpc.stub.StreamObserver;
import java.util.Optional;
import org.openkyc.api.ivms101.v1.Beneficiary;
import org.openkyc.api.ivms101.v1.BeneficiaryVasp;
import org.openkyc.api.ivms101.v1.Person;
import org.openkyc.api.travelrule.v1.ReportTransactionRequest;
import org.openkyc.api.travelrule.v1.ReportTransactionResponse;
import org.openkyc.api.travelrule.v1.RequestVerificationRequest;
import org.openkyc.api.travelrule.v1.RequestVerificationResponse;
import org.openkyc.api.travelrule.v1.VaspExchangeServiceGrpc;
import org.openkyc.api.travelrule.v1.VerificationResult;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.travelrule.TravelRuleService;
import org.openkyc.server.travelrule.VerificationAnswer;
import org.openkyc.server.travelrule.VerificationRequest;

/**
 * The exchange other VASPs call, served on the mutual-TLS port only. The
 * caller is the VASP of the client certificate ({@link VaspPeerAuth}).
 */
public final class VaspExchangeApi extends VaspExchangeServiceGrpc.VaspExchangeServiceImplBase {

    private final TravelRuleService travelRule;

    public VaspExchangeApi(TravelRuleService travelRule) {
        this.travelRule = travelRule;
    }

    @Override
    public void requestVerification(RequestVerificationRequest req, StreamObserver<RequestVerificationResponse> out) {
        String caller = VaspPeerAuth.currentVasp();
        if (!req.hasAssetInfo()) {
            throw DomainException.invalidField("asset_info", "asset_info is required");
        }
        VerificationRequest r = new VerificationRequest(req.getVerificationUuid(), req.getOriginatingVaspId(),
                req.hasBeneficiaryVaspId() ? Optional.of(req.getBeneficiaryVaspId()) : Optional.empty(),
                TravelRuleWire.asset(req.getAssetInfo()), req.getOriginatorAccountNumber(),
                req.getBeneficiaryAccountNumber(), TravelRuleWire.json(req.getOriginator()),
                TravelRuleWire.json(req.getBeneficiary()),
                TravelRuleWire.json(req.getOriginatingVasp().getOriginatingVasp()));
        VerificationAnswer a = travelRule.receive(caller, r);
        out.onNext(answer(a));
        out.onCompleted();
    }

    @Override
    public void reportTransaction(ReportTransactionRequest req, StreamObserver<ReportTransactionResponse> out) {
        var at = travelRule.receiveReport(VaspPeerAuth.currentVasp(), req.getVerificationUuid(), req.getTxHash(),
                req.hasVout() ? Optional.of(req.getVout()) : Optional.empty());
        out.onNext(ReportTransactionResponse.newBuilder().setOrderedAt(Wire.timestamp(at)).build());
        out.onCompleted();
    }

    static RequestVerificationResponse answer(VerificationAnswer a) {
        RequestVerificationResponse.Builder b = RequestVerificationResponse.newBuilder()
                .setResult(VerificationResult.Value.valueOf(a.result().name()))
                .setReason(a.reason())
                .setBeneficiaryAccountNumber(a.beneficiaryAccountNumber())
                .setBeneficiaryVaspId(a.beneficiaryVaspId())
                .setVerifiedAt(Wire.timestamp(a.verifiedAt()));
        a.message().ifPresent(b::setMessage);
        a.beneficiaryJson().ifPresent(j ->
                b.setBeneficiary(TravelRuleWire.parse(j, Beneficiary.newBuilder(), "beneficiary")));
        a.beneficiaryVaspJson().ifPresent(j -> b.setBeneficiaryVasp(BeneficiaryVasp.newBuilder()
                .setBeneficiaryVasp(TravelRuleWire.parse(j, Person.newBuilder(), "beneficiaryVasp"))));
        return b.build();
    }
}
