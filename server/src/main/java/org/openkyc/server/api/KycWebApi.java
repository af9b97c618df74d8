package org.openkyc.server.api;

import io.grpc.stub.StreamObserver;
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
import org.openkyc.api.kyc.v1.ActionResult;
import org.openkyc.api.kyc.v1.VerifyLivenessData;
import org.openkyc.api.kyc.v1.VerifyLivenessRequest;
import org.openkyc.api.kyc.v1.VerifyLivenessResponse;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.error.ErrorMapper;
import org.openkyc.server.kyc.CaseService;
import org.openkyc.server.kyc.KycCase;
import org.openkyc.server.liveness.CallbackSignature;
import org.openkyc.server.liveness.ChallengeAction;
import org.openkyc.server.liveness.LivenessCallbacks;
import org.openkyc.server.liveness.LivenessSession;
import org.openkyc.server.liveness.LivenessSessions;
import org.openkyc.server.liveness.LivenessVerification;

/**
 * The KYC web API (API.md C1, C2) over the case service. Answers carry
 * code 0 and a message; errors go through the error mapper. RPCs whose issue
 * has not landed answer UNIMPLEMENTED naming the RPC.
 */
public final class KycWebApi extends KycServiceGrpc.KycServiceImplBase {

    private final CaseService cases;
    private final LivenessSessions sessions;
    private final LivenessCallbacks callbacks;
    private final LivenessVerification livenessVerification;

    public KycWebApi(CaseService cases, LivenessSessions sessions, LivenessCallbacks callbacks,
            LivenessVerification livenessVerification) {
        this.cases = cases;
        this.sessions = sessions;
        this.callbacks = callbacks;
        this.livenessVerification = livenessVerification;
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
        callbacks.record(Caller.current(), new CallbackSignature.Fields(req.getProfileId(), req.getSessionId(),
                req.getConfidence(), req.getResult(), req.getErrorMessage()),
                CallbackHeaders.TIMESTAMP_CTX.get(), CallbackHeaders.SIGNATURE_CTX.get());
        out.onNext(LivenessCallbackResponse.newBuilder().setCode(0).setMessage("liveness result recorded").build());
        out.onCompleted();
    }

    /**
     * C2 verify: code 0 with the result when it passed; LIVENESS_FAILED (20001) carrying the same result as
     * its data when it did not (the result is recorded either way and the session is used).
     */
    @Override
    public void verifyLiveness(VerifyLivenessRequest req, StreamObserver<VerifyLivenessResponse> out) {
        LivenessVerification.Outcome o = livenessVerification.verify(Caller.current(), req.getSessionId(),
                req.getProfileId(), java.util.List.of(req.getVideo1().toByteArray(), req.getVideo2().toByteArray(),
                        req.getVideo3().toByteArray()));
        VerifyLivenessData data = verifyData(o);
        if (!o.passed()) {
            out.onError(ErrorMapper.withData(new DomainException(ErrorCode.LIVENESS_FAILED, o.message()), data));
            return;
        }
        out.onNext(VerifyLivenessResponse.newBuilder().setCode(0).setMessage("success").setData(data).build());
        out.onCompleted();
    }

    private static VerifyLivenessData verifyData(LivenessVerification.Outcome o) {
        VerifyLivenessData.Builder d = VerifyLivenessData.newBuilder().setPassed(o.passed())
                .setConfidence(o.confidence()).setReason(o.reason().name());
        o.faceMatchScore().ifPresent(d::setFaceMatchScore);
        for (LivenessVerification.ActionOutcome a : o.actions()) {
            ActionResult.Builder r = ActionResult.newBuilder().setAction(action(a.action())).setPassed(a.passed())
                    .setScore(a.score());
            if (!a.passed()) {
                r.setReason(a.reason().name());
            }
            d.addList(r);
        }
        return d.build();
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
