package org.openkyc.server.api;

import io.grpc.stub.StreamObserver;
import org.openkyc.api.kyc.v1.GetStatusData;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.GetStatusResponse;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.KycStatus;
import org.openkyc.api.kyc.v1.SubmitData;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.kyc.CaseService;
import org.openkyc.server.kyc.KycCase;

/**
 * The KYC web API (API.md C1, C2) over the case service. Answers carry
 * code 0 and a message; errors go through the error mapper. RPCs whose issue
 * has not landed answer UNIMPLEMENTED naming the RPC.
 */
public final class KycWebApi extends KycServiceGrpc.KycServiceImplBase {

    private final CaseService cases;

    public KycWebApi(CaseService cases) {
        this.cases = cases;
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
        KycCase c = cases.get(Caller.current(), req.getProfileId().strip(), DomainException::profileNotFound);
        out.onNext(GetStatusResponse.newBuilder().setCode(0).setMessage("query success")
                .setData(GetStatusData.newBuilder().setStatus(status(c))).build());
        out.onCompleted();
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
