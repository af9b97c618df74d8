package org.openkyc.server.api;

import io.grpc.stub.StreamObserver;
import java.util.Optional;
import org.openkyc.api.travelrule.v1.ActionType;
import org.openkyc.api.travelrule.v1.ListVerificationsRequest;
import org.openkyc.api.travelrule.v1.ListVerificationsResponse;
import org.openkyc.api.travelrule.v1.ReportOutgoingTransactionRequest;
import org.openkyc.api.travelrule.v1.ReportOutgoingTransactionResponse;
import org.openkyc.api.travelrule.v1.RequestOutgoingVerificationRequest;
import org.openkyc.api.travelrule.v1.RequestOutgoingVerificationResponse;
import org.openkyc.api.travelrule.v1.VerificationResult;
import org.openkyc.api.travelrule.v1.VerificationServiceGrpc;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.travelrule.TravelRuleService;
import org.openkyc.server.travelrule.Verification;
import org.openkyc.server.travelrule.VerificationQuery;

/** The travel-rule verifications API (docs/API.md B1) and the internal calls that start outgoing verifications. */
public final class VerificationsApi extends VerificationServiceGrpc.VerificationServiceImplBase {

    private final TravelRuleService travelRule;

    public VerificationsApi(TravelRuleService travelRule) {
        this.travelRule = travelRule;
    }

    @Override
    public void listVerifications(ListVerificationsRequest req, StreamObserver<ListVerificationsResponse> out) {
        VerificationQuery q = new VerificationQuery(
                Wire.optionalDate(req.getFromDate(), "fromDate"),
                Wire.optionalDate(req.getToDate(), "toDate"),
                text(req.hasSymbol(), Inputs.text("symbol", req.getSymbol(), Inputs.SYMBOL)),
                text(req.hasNetwork(), Inputs.text("network", req.getNetwork(), Inputs.NETWORK)),
                text(req.hasTxHash(), Inputs.text("txHash", req.getTxHash(), Inputs.TX_HASH)),
                req.hasResult() && req.getResult() != VerificationResult.Value.RESULT_UNSPECIFIED
                        ? Optional.of(result(req.getResult())) : Optional.empty(),
                req.hasActionType() && req.getActionType() != ActionType.Value.ACTION_TYPE_UNSPECIFIED
                        ? Optional.of(action(req.getActionType())) : Optional.empty(),
                req.hasOppositeVaspId() ? Inputs.optionalToken("oppositeVaspId", req.getOppositeVaspId())
                        : Optional.empty(),
                text(req.hasOriginatorAccountNumber(), Inputs.text("originatorAccountNumber",
                        req.getOriginatorAccountNumber(), Inputs.ACCOUNT_NUMBER)),
                text(req.hasBeneficiaryAccountNumber(), Inputs.text("beneficiaryAccountNumber",
                        req.getBeneficiaryAccountNumber(), Inputs.ACCOUNT_NUMBER)),
                req.hasPage() ? req.getPage() : 1,
                req.hasRpp() ? req.getRpp() : VerificationQuery.DEFAULT_RPP);
        VerificationQuery.Page page = travelRule.list(Caller.current(), q);
        ListVerificationsResponse.Builder b = ListVerificationsResponse.newBuilder()
                .setCount((int) Math.min(Integer.MAX_VALUE, page.count())).setPage(page.page()).setRpp(page.rpp());
        page.items().forEach(v -> b.addVerifications(TravelRuleWire.verification(v)));
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void requestOutgoingVerification(RequestOutgoingVerificationRequest req,
            StreamObserver<RequestOutgoingVerificationResponse> out) {
        if (!req.hasAssetInfo()) {
            throw DomainException.invalidField("assetInfo", "assetInfo is required");
        }
        if (!req.hasOriginator() || !req.hasBeneficiary()) {
            throw DomainException.invalid("originator and beneficiary are required");
        }
        Verification v = travelRule.requestOutgoing(Caller.current(),
                req.hasVerificationUuid() ? Inputs.optionalToken("verificationUuid", req.getVerificationUuid())
                        : Optional.empty(),
                Inputs.token("beneficiaryVaspId", req.getBeneficiaryVaspId()), TravelRuleWire.asset(req.getAssetInfo()),
                Inputs.text("originatorAccountNumber", req.getOriginatorAccountNumber(), Inputs.ACCOUNT_NUMBER),
                Inputs.text("beneficiaryAccountNumber", req.getBeneficiaryAccountNumber(), Inputs.ACCOUNT_NUMBER),
                TravelRuleWire.json(req.getOriginator()), TravelRuleWire.json(req.getBeneficiary()));
        out.onNext(RequestOutgoingVerificationResponse.newBuilder()
                .setVerification(TravelRuleWire.verification(v)).build());
        out.onCompleted();
    }

    @Override
    public void reportOutgoingTransaction(ReportOutgoingTransactionRequest req,
            StreamObserver<ReportOutgoingTransactionResponse> out) {
        Verification v = travelRule.reportOutgoing(Caller.current(),
                Inputs.token("verificationUuid", req.getVerificationUuid()),
                Inputs.text("txHash", req.getTxHash(), Inputs.TX_HASH),
                req.hasVout() ? Optional.of(Inputs.text("vout", req.getVout(), Inputs.VOUT)) : Optional.empty());
        out.onNext(ReportOutgoingTransactionResponse.newBuilder()
                .setVerification(TravelRuleWire.verification(v)).build());
        out.onCompleted();
    }

    private static Optional<String> text(boolean has, String value) {
        return has ? Wire.optionalText(value) : Optional.empty();
    }

    private static Verification.Result result(VerificationResult.Value v) {
        try {
            return Verification.Result.valueOf(v.name());
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidField("result", "result must be VERIFIED, DENIED, UNKNOWN or ERROR");
        }
    }

    private static Verification.ActionType action(ActionType.Value v) {
        try {
            return Verification.ActionType.valueOf(v.name());
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidField("actionType", "actionType must be SEND or RECEIVE");
        }
    }
}
