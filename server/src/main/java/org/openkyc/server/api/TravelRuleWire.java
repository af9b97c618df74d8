package org.openkyc.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.Optional;
import org.openkyc.api.travelrule.v1.ActionType;
import org.openkyc.api.travelrule.v1.AssetInfo;
import org.openkyc.api.travelrule.v1.Verification;
import org.openkyc.api.travelrule.v1.VerificationResult;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.travelrule.TravelRuleService;

/**
 * Maps travel-rule messages to the domain and back. IVMS101 messages become
 * their IVMS101 JSON text (protobuf JSON with the IVMS101 names) and back.
 */
final class TravelRuleWire {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private TravelRuleWire() {
    }

    static String json(Message m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("IVMS101 message cannot be printed", e);
        }
    }

    static <B extends Message.Builder> B parse(String json, B builder, String field) {
        try {
            PARSER.merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw DomainException.invalidField(field, field + " is not IVMS101 JSON");
        }
    }

    static org.openkyc.server.travelrule.Verification.AssetInfo asset(AssetInfo a) {
        return new org.openkyc.server.travelrule.Verification.AssetInfo(a.getSymbol(),
                a.hasNetwork() ? Optional.of(a.getNetwork()) : Optional.empty(), a.getAmount(),
                a.getIsExceedingThreshold(), a.getTradePrice(), a.getTradeCurrency(),
                TravelRuleService.tradeTime(a.getTradeIsoDatetime()));
    }

    static AssetInfo asset(org.openkyc.server.travelrule.Verification.AssetInfo a) {
        AssetInfo.Builder b = AssetInfo.newBuilder().setSymbol(a.symbol()).setAmount(a.amount())
                .setIsExceedingThreshold(a.exceedingThreshold()).setTradePrice(a.tradePrice())
                .setTradeCurrency(a.tradeCurrency()).setTradeIsoDatetime(Wire.timestamp(a.tradeTime()));
        a.network().ifPresent(b::setNetwork);
        return b.build();
    }

    static Verification verification(org.openkyc.server.travelrule.Verification v) {
        Verification.Builder b = Verification.newBuilder()
                .setVerificationId(v.verificationId())
                .setVerificationUuid(v.uuid())
                .setActionType(ActionType.Value.valueOf(v.actionType().name()))
                .setAssetInfo(asset(v.asset()))
                .setOriginatingVaspId(v.originatingVaspId())
                .setOriginatorAccountNumber(v.originatorAccountNumber())
                .setIvms101Originator(v.ivms101Originator())
                .setIvms101OriginatingVasp(v.ivms101OriginatingVasp())
                .setBeneficiaryVaspId(v.beneficiaryVaspId())
                .setBeneficiaryAccountNumber(v.beneficiaryAccountNumber())
                .setIvms101Beneficiary(v.ivms101Beneficiary())
                .setCreatedAt(Wire.timestamp(v.createdAt()));
        v.result().ifPresent(r -> b.setResult(VerificationResult.Value.valueOf(r.name())));
        v.reason().ifPresent(b::setReason);
        v.message().ifPresent(b::setMessage);
        v.txHash().ifPresent(b::setTxHash);
        v.vout().ifPresent(b::setVout);
        v.ivms101BeneficiaryVasp().ifPresent(b::setIvms101BeneficiaryVasp);
        v.verifiedAt().ifPresent(t -> b.setVerifiedAt(Wire.timestamp(t)));
        v.orderedAt().ifPresent(t -> b.setOrderedAt(Wire.timestamp(t)));
        return b.build();
    }
}
