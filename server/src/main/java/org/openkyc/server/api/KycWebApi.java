package org.openkyc.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.openkyc.api.kyc.v1.GetStatusData;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.GetStatusResponse;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.GetLivenessSessionRequest;
import org.openkyc.api.kyc.v1.GetLivenessSessionResponse;
import org.openkyc.api.kyc.v1.KycStatus;
import org.openkyc.api.kyc.v1.LivenessAction;
import org.openkyc.api.kyc.v1.LivenessCallbackRequest;
import org.openkyc.api.kyc.v1.LivenessCallbackResponse;
import org.openkyc.api.kyc.v1.StartLivenessData;
import org.openkyc.api.kyc.v1.StartLivenessRequest;
import org.openkyc.api.kyc.v1.StartLivenessResponse;
import org.openkyc.api.kyc.v1.SubmitData;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.kyc.CaseService;
import org.openkyc.server.kyc.KycCase;
import org.openkyc.server.liveness.CallbackSignature;
import org.openkyc.server.liveness.ChallengeAction;
import org.openkyc.server.liveness.LivenessCallbacks;
import org.openkyc.server.liveness.LivenessSession;
import org.openkyc.server.liveness.LivenessSessions;

/**
 * The KYC web API (API.md C1, C2) over the case service. Answers carry
 * code 0 and a message; errors go through the error mapper. RPCs whose issue
 * has not landed answer UNIMPLEMENTED naming the RPC.
 */
public final class KycWebApi extends KycServiceGrpc.KycServiceImplBase {

    private final CaseService cases;
    private final LivenessSessions sessions;
    private final LivenessCallbacks callbacks;

    public KycWebApi(CaseService cases, LivenessSessions sessions, LivenessCallbacks callbacks) {
        this.cases = cases;
        this.sessions = sessions;
        this.callbacks = callbacks;
    }

    @Override
    public void submit(SubmitRequest req, StreamObserver<SubmitResponse> out) {
        KycCase c = cases.createProfile(Caller.current(), req.getUserId(), req.getCountry());
        out.onNext(SubmitResponse.newBuilder().setCode(0).setMessage("success")
                .setData(SubmitData.newBuilder().setProfileId(c.id())).build());
        out.onCompleted();
    }

    @Override
    public void getStatus(GetStatusRequest req, StreamObserver<GetStatusResponse> out) {
        Caller caller = Caller.current();
        KycCase c = cases.get(caller, req.getProfileId().strip(), DomainException::profileNotFound);
        KycStatus.Builder s = status(c).toBuilder();
        callbacks.latest(caller, c.id()).ifPresent(l -> s.setLivenessResult(l.result())
                .setLivenessConfidence(l.confidence()));
        out.onNext(GetStatusResponse.newBuilder().setCode(0).setMessage("query success")
                .setData(GetStatusData.newBuilder().setStatus(s)).build());
        out.onCompleted();
    }

    @Override
    public void startLiveness(StartLivenessRequest req, StreamObserver<StartLivenessResponse> out) {
        LivenessSession s = sessions.start(Caller.current(), req.getProfileId());
        StartLivenessData.Builder d = StartLivenessData.newBuilder().setSessionId(s.id())
                .setExpiresAt(Wire.timestamp(s.expiresAt()));
        s.actions().forEach(a -> d.addActions(action(a)));
        out.onNext(StartLivenessResponse.newBuilder().setCode(0).setMessage("success").setData(d).build());
        out.onCompleted();
    }

    @Override
    public void getLivenessSession(GetLivenessSessionRequest req, StreamObserver<GetLivenessSessionResponse> out) {
        LivenessSession s = sessions.get(Caller.current(), req.getSessionId());
        org.openkyc.api.kyc.v1.LivenessSession.Builder d = org.openkyc.api.kyc.v1.LivenessSession.newBuilder()
                .setSessionId(s.id()).setProfileId(s.profileId()).setStatus(s.status().wireName())
                .setCreatedAt(Wire.timestamp(s.createdAt())).setExpiresAt(Wire.timestamp(s.expiresAt()));
        s.actions().forEach(a -> d.addActions(action(a)));
        out.onNext(GetLivenessSessionResponse.newBuilder().setCode(0).setMessage("success").setData(d).build());
        out.onCompleted();
    }

    @Override
    public void livenessCallback(LivenessCallbackRequest req, StreamObserver<LivenessCallbackResponse> out) {
        byte[] raw = CallbackHeaders.RAW_BODY_CTX.get();
        if (raw != null && !req.equals(signedBody(raw))) {
            // The signature covers the raw body; the fields recorded must be the ones it carries.
            throw DomainException.invalid("The callback fields do not match the signed body");
        }
        callbacks.record(Caller.current(), new CallbackSignature.Fields(req.getProfileId(), req.getSessionId(),
                req.getConfidence(), req.getResult(), req.getErrorMessage()),
                CallbackHeaders.TIMESTAMP_CTX.get(), CallbackHeaders.SIGNATURE_CTX.get(), Optional.ofNullable(raw));
        out.onNext(LivenessCallbackResponse.newBuilder().setCode(0).setMessage("liveness result recorded").build());
        out.onCompleted();
    }

    /** The callback as the signed JSON body states it (unknown fields ignored, as the gateway does). */
    private static LivenessCallbackRequest signedBody(byte[] raw) {
        LivenessCallbackRequest.Builder b = LivenessCallbackRequest.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(new String(raw, StandardCharsets.UTF_8), b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw DomainException.invalid("The callback body is not a valid liveness callback");
        }
        return b.build();
    }

    private static LivenessAction.Value action(ChallengeAction a) {
        return LivenessAction.Value.valueOf(a.name());
    }

    /** The KycStatusDto of a case. */
    static KycStatus status(KycCase c) {
        KycStatus.Builder s = KycStatus.newBuilder()
                .setProfileId(c.id())
                .setOverallStatus(c.status().wireName())
                .setReviewStatus(c.status().reviewCode())
                .setDocumentStatus("none")
                .setCreatedAt(Wire.timestamp(c.createdAt()))
                .setUpdatedAt(Wire.timestamp(c.updatedAt()));
        c.userId().ifPresent(s::setUserId);
        c.reviewedAt().ifPresent(t -> s.setReviewedAt(Wire.timestamp(t)));
        return s.build();
    }
}
