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

/** The travel-rule verifications API (API.md B1) and the internal calls that start outgoing verifications. */
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
                text(req.hasSymbol(), req.getSymbol()),
                text(req.hasNetwork(), req.getNetwork()),
                text(req.hasTxHash(), req.getTxHash()),
                req.hasResult() && req.getResult() != VerificationResult.Value.RESULT_UNSPECIFIED
                        ? Optional.of(result(req.getResult())) : Optional.empty(),
                req.hasActionType() && req.getActionType() != ActionType.Value.ACTION_TYPE_UNSPECIFIED
                        ? Optional.of(action(req.getActionType())) : Optional.empty(),
                text(req.hasOppositeVaspId(), req.getOppositeVaspId()),
                text(req.hasOriginatorAccountNumber(), req.getOriginatorAccountNumber()),
                text(req.hasBeneficiaryAccountNumber(), req.getBeneficiaryAccountNumber()),
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
            throw DomainException.invalid("assetInfo is required");
        }
        if (!req.hasOriginator() || !req.hasBeneficiary()) {
            throw DomainException.invalid("originator and beneficiary are required");
        }
        Verification v = travelRule.requestOutgoing(Caller.current(),
                req.hasVerificationUuid() ? Optional.of(req.getVerificationUuid()) : Optional.empty(),
                req.getBeneficiaryVaspId(), TravelRuleWire.asset(req.getAssetInfo()),
                req.getOriginatorAccountNumber(), req.getBeneficiaryAccountNumber(),
                TravelRuleWire.json(req.getOriginator()), TravelRuleWire.json(req.getBeneficiary()));
        out.onNext(RequestOutgoingVerificationResponse.newBuilder()
                .setVerification(TravelRuleWire.verification(v)).build());
        out.onCompleted();
    }

    @Override
    public void reportOutgoingTransaction(ReportOutgoingTransactionRequest req,
            StreamObserver<ReportOutgoingTransactionResponse> out) {
        Verification v = travelRule.reportOutgoing(Caller.current(), req.getVerificationUuid(), req.getTxHash(),
                req.hasVout() ? Optional.of(req.getVout()) : Optional.empty());
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
            throw DomainException.invalid("result must be VERIFIED, DENIED, UNKNOWN or ERROR");
        }
    }

    private static Verification.ActionType action(ActionType.Value v) {
        try {
            return Verification.ActionType.valueOf(v.name());
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("actionType must be SEND or RECEIVE");
        }
    }
}
