package org.openkyc.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.GetStatusResponse;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.GetLivenessSessionRequest;
import org.openkyc.api.kyc.v1.GetLivenessSessionResponse;
import org.openkyc.api.kyc.v1.KycStatus;
import org.openkyc.api.kyc.v1.LivenessAction;
import org.openkyc.api.kyc.v1.LivenessCallbackRequest;
import org.openkyc.api.kyc.v1.LivenessCallbackResponse;
import org.openkyc.api.kyc.v1.StartLivenessRequest;
import org.openkyc.api.kyc.v1.StartLivenessResponse;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;
import org.openkyc.api.kyc.v1.ConfirmDocumentRequest;
import org.openkyc.api.kyc.v1.ConfirmDocumentResponse;
import org.openkyc.api.kyc.v1.ConfirmedFields;
import org.openkyc.api.kyc.v1.DocType;
import org.openkyc.api.kyc.v1.ExtractedFields;
import org.openkyc.api.kyc.v1.QualityScores;
import org.openkyc.api.kyc.v1.SubmitDocumentRequest;
import org.openkyc.api.kyc.v1.SubmitDocumentResponse;
import org.openkyc.api.kyc.v1.UploadDocumentMetadataRequest;
import org.openkyc.api.kyc.v1.UploadDocumentMetadataResponse;
import org.openkyc.api.kyc.v1.UploadDocumentRequest;
import org.openkyc.api.kyc.v1.UploadDocumentResponse;
import org.openkyc.api.kyc.v1.ActionResult;
import org.openkyc.api.kyc.v1.VerifyLivenessRequest;
import org.openkyc.api.kyc.v1.VerifyLivenessResponse;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.error.ErrorMapper;
import org.openkyc.server.kyc.DecisionRules;
import org.openkyc.server.kyc.DocumentFields;
import org.openkyc.server.kyc.DocumentRejectedException;
import org.openkyc.server.kyc.DocumentService;
import org.openkyc.server.liveness.LivenessResult;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.kyc.CaseService;
import org.openkyc.server.kyc.KycCase;
import org.openkyc.server.kyc.ProfileStatus;
import org.openkyc.server.liveness.CallbackSignature;
import org.openkyc.server.liveness.ChallengeAction;
import org.openkyc.server.liveness.LivenessCallbacks;
import org.openkyc.server.liveness.LivenessSession;
import org.openkyc.server.liveness.LivenessSessions;
import org.openkyc.server.liveness.LivenessVerification;

/**
 * The KYC web API (docs/API.md C1, C2) over the case, document and liveness services. Answers are the
 * data messages themselves (the gateway adds REST's code and message); errors go through the error
 * mapper, and the two errors that still carry a result (a refused upload, a failed liveness verify)
 * carry it, as the rpc's answer message, in the status details.
 */
public final class KycWebApi extends KycServiceGrpc.KycServiceImplBase {

    private final CaseService cases;
    private final LivenessSessions sessions;
    private final LivenessCallbacks callbacks;
    private final DocumentService documents;
    private final LivenessVerification livenessVerification;

    public KycWebApi(CaseService cases, LivenessSessions sessions, LivenessCallbacks callbacks,
            DocumentService documents, LivenessVerification livenessVerification) {
        this.cases = cases;
        this.sessions = sessions;
        this.callbacks = callbacks;
        this.documents = documents;
        this.livenessVerification = livenessVerification;
    }

    @Override
    public void submit(SubmitRequest req, StreamObserver<SubmitResponse> out) {
        KycCase c = cases.createProfile(Caller.current(), Inputs.text("userId", req.getUserId(), Inputs.USER_ID),
                Inputs.text("country", req.getCountry(), Inputs.CODE));
        out.onNext(SubmitResponse.newBuilder().setProfileId(c.id()).build());
        out.onCompleted();
    }

    @Override
    public void uploadDocumentMetadata(UploadDocumentMetadataRequest req,
            StreamObserver<UploadDocumentMetadataResponse> out) {
        DocumentService.Uploaded u;
        try {
            u = documents.registerMetadata(Caller.current(), new DocumentService.Metadata(
                    Inputs.id("profileId", req.getProfileId()), docType(req.getDocType()),
                    Inputs.text("docNumber", req.getDocNumber(), Inputs.DOCUMENT_NUMBER),
                    req.getFrontImageUrl(), req.getBackImageUrl(), // data: URLs: bounded by the image size limit
                    Inputs.text("expiryDate", req.getExpiryDate(), Inputs.CODE),
                    Inputs.text("issueCountry", req.getIssueCountry(), Inputs.CODE)));
        } catch (DocumentRejectedException e) {
            throw rejected(e);
        }
        out.onNext(UploadDocumentMetadataResponse.newBuilder().setDocumentId(u.documentId())
                .setFields(fields(u.fields())).setQuality(quality(u.quality())).build());
        out.onCompleted();
    }

    @Override
    public void uploadDocument(UploadDocumentRequest req, StreamObserver<UploadDocumentResponse> out) {
        DocumentService.Uploaded u;
        try {
            u = documents.upload(Caller.current(), new DocumentService.Upload(
                    Inputs.id("profileId", req.getProfileId()), docType(req.getDocType()),
                    Inputs.text("country", req.getCountry(), Inputs.CODE), req.getFrontImage().toByteArray(),
                    req.getBackImage().toByteArray()));
        } catch (DocumentRejectedException e) {
            throw rejected(e);
        }
        out.onNext(UploadDocumentResponse.newBuilder().setDocumentId(u.documentId()).setFields(fields(u.fields()))
                .setQuality(quality(u.quality())).build());
        out.onCompleted();
    }

    @Override
    public void confirmDocument(ConfirmDocumentRequest req, StreamObserver<ConfirmDocumentResponse> out) {
        ConfirmedFields f = req.getFields();
        long documentId = Inputs.documentId("documentId", req.getDocumentId());
        DocumentService.Confirmed c = documents.confirm(Caller.current(), documentId,
                new DocumentService.Confirmation(Inputs.text("fields.name", f.getName(), Inputs.NAME),
                        Inputs.text("fields.idNumber", f.getIdNumber(), Inputs.IDENTITY_NUMBER),
                        Inputs.text("fields.birthDate", f.getBirthDate(), Inputs.CODE),
                        Inputs.text("fields.expiryDate", f.getExpiryDate(), Inputs.CODE),
                        Inputs.text("fields.issuer", f.getIssuer(), Inputs.ISSUER),
                        Inputs.text("fields.nationality", f.getNationality(), Inputs.CODE), f.getUserModified()));
        out.onNext(ConfirmDocumentResponse.newBuilder().setDocumentId(c.documentId())
                .setManualReview(c.manualReview()).build());
        out.onCompleted();
    }

    @Override
    public void submitDocument(SubmitDocumentRequest req, StreamObserver<SubmitDocumentResponse> out) {
        DecisionRules.Decision d = documents.submit(Caller.current(),
                Inputs.documentId("documentId", req.getDocumentId()));
        SubmitDocumentResponse.Builder answer = SubmitDocumentResponse.newBuilder()
                .setStatus(d.outcome().statusCode());
        d.reasons().forEach(r -> answer.addReasons(r.code()));
        out.onNext(answer.build());
        out.onCompleted();
    }

    @Override
    public void getStatus(GetStatusRequest req, StreamObserver<GetStatusResponse> out) {
        ProfileStatus p = cases.status(Caller.current(), Inputs.id("profileId", req.getProfileId()),
                DomainException::profileNotFound);
        KycStatus s = status(p, documents.rules());
        out.onNext(GetStatusResponse.newBuilder().setStatus(s).build());
        out.onCompleted();
    }

    /** A refused document: the error with its code, quality scores and reasons as the answer's data. */
    private static RuntimeException rejected(DocumentRejectedException e) {
        UploadDocumentResponse.Builder data = UploadDocumentResponse.newBuilder().setErrorCode(e.errorCode())
                .addAllErrors(e.errors());
        e.quality().ifPresent(q -> data.setQuality(quality(q)));
        return ErrorMapper.withData(e, data.build());
    }

    private static DocumentService.DocType docType(DocType.Value v) {
        return switch (v) {
            case PASSPORT -> DocumentService.DocType.PASSPORT;
            case ID_CARD -> DocumentService.DocType.ID_CARD;
            case DRIVER_LICENSE -> DocumentService.DocType.DRIVER_LICENSE;
            case RESIDENCE_PERMIT -> DocumentService.DocType.RESIDENCE_PERMIT;
            default -> throw DomainException.invalidField("docType",
                    "docType is required: PASSPORT, ID_CARD, DRIVER_LICENSE or RESIDENCE_PERMIT");
        };
    }

    static DocType.Value docType(DocumentService.DocType t) {
        return DocType.Value.valueOf(t.name());
    }

    /** Fields as the wire shows them (numbers already masked by the service). */
    static ExtractedFields fields(DocumentFields f) {
        ExtractedFields.Builder b = ExtractedFields.newBuilder();
        f.name().ifPresent(b::setName);
        f.idNumber().ifPresent(b::setIdNumber);
        f.birthDate().ifPresent(d -> b.setBirthDate(d.toString()));
        f.expiryDate().ifPresent(d -> b.setExpiryDate(d.toString()));
        f.issuer().ifPresent(b::setIssuer);
        f.nationality().ifPresent(b::setNationality);
        f.gender().ifPresent(b::setGender);
        f.docNumber().ifPresent(b::setDocNumber);
        f.issueDate().ifPresent(d -> b.setIssueDate(d.toString()));
        return b.build();
    }

    static QualityScores quality(DocumentService.Quality q) {
        QualityScores.Builder b = QualityScores.newBuilder().setDocumentFound(q.documentFound());
        q.score("resolution").ifPresent(b::setResolution);
        q.score("sharpness").ifPresent(b::setSharpness);
        q.score("exposure").ifPresent(b::setBrightness);
        q.score("glare").ifPresent(b::setGlare);
        return b.build();
    }

    @Override
    public void startLiveness(StartLivenessRequest req, StreamObserver<StartLivenessResponse> out) {
        LivenessSession s = sessions.start(Caller.current(), Inputs.id("profileId", req.getProfileId()));
        StartLivenessResponse.Builder d = StartLivenessResponse.newBuilder().setSessionId(s.id())
                .setExpiresAt(Wire.timestamp(s.expiresAt()));
        s.actions().forEach(a -> d.addActions(action(a)));
        out.onNext(d.build());
        out.onCompleted();
    }

    @Override
    public void getLivenessSession(GetLivenessSessionRequest req, StreamObserver<GetLivenessSessionResponse> out) {
        LivenessSession s = sessions.get(Caller.current(), Inputs.id("sessionId", req.getSessionId()));
        GetLivenessSessionResponse.Builder d = GetLivenessSessionResponse.newBuilder()
                .setSessionId(s.id()).setProfileId(s.profileId()).setStatus(s.status().wireName())
                .setCreatedAt(Wire.timestamp(s.createdAt())).setExpiresAt(Wire.timestamp(s.expiresAt()));
        s.actions().forEach(a -> d.addActions(action(a)));
        out.onNext(d.build());
        out.onCompleted();
    }

    @Override
    public void livenessCallback(LivenessCallbackRequest req, StreamObserver<LivenessCallbackResponse> out) {
        // REST callbacks: the gateway puts the exact signed body in raw_body. gRPC callers leave it empty.
        byte[] raw = req.getRawBody().isEmpty() ? null : req.getRawBody().toByteArray();
        LivenessCallbackRequest fields = req.toBuilder().clearRawBody().build();
        if (raw != null && !fields.equals(signedBody(raw))) {
            // The signature covers the raw body; the fields recorded must be the ones it carries.
            throw DomainException.invalid("The callback fields do not match the signed body");
        }
        callbacks.record(Caller.current(), new CallbackSignature.Fields(req.getProfileId(), req.getSessionId(),
                req.getConfidence(), req.getResult(), req.getErrorMessage()),
                CallbackHeaders.TIMESTAMP_CTX.get(), CallbackHeaders.SIGNATURE_CTX.get(), Optional.ofNullable(raw));
        out.onNext(LivenessCallbackResponse.getDefaultInstance());
        out.onCompleted();
    }

    /**
     * C2 verify: the result when it passed; LIVENESS_FAILED (20001) carrying the same result in its status
     * details when it did not (the result is recorded either way and the session is used).
     */
    @Override
    public void verifyLiveness(VerifyLivenessRequest req, StreamObserver<VerifyLivenessResponse> out) {
        LivenessVerification.Outcome o = livenessVerification.verify(Caller.current(),
                Inputs.id("sessionId", req.getSessionId()), Inputs.id("profileId", req.getProfileId()), java.util.List.of(req.getVideo1().toByteArray(), req.getVideo2().toByteArray(),
                        req.getVideo3().toByteArray()));
        VerifyLivenessResponse data = verifyData(o);
        if (!o.passed()) {
            out.onError(ErrorMapper.withData(new DomainException(ErrorCode.LIVENESS_FAILED, o.message()), data));
            return;
        }
        out.onNext(data);
        out.onCompleted();
    }

    private static VerifyLivenessResponse verifyData(LivenessVerification.Outcome o) {
        VerifyLivenessResponse.Builder d = VerifyLivenessResponse.newBuilder().setPassed(o.passed())
                .setConfidence(o.confidence()).setReason(o.reason().name());
        o.faceMatchScore().ifPresent(d::setFaceMatchScore);
        for (LivenessVerification.ActionOutcome a : o.actions()) {
            d.addList(actionResult(a));
        }
        return d.build();
    }

    /** One action's verdict: the reason when it failed, and the timestamps of the frames that decided it. */
    static ActionResult actionResult(LivenessVerification.ActionOutcome a) {
        ActionResult.Builder r = ActionResult.newBuilder().setAction(action(a.action())).setPassed(a.passed())
                .setScore(a.score());
        if (!a.passed()) {
            r.setReason(a.reason().name());
        }
        a.decidingFramesMs().forEach(ms -> r.addDecidingFramesMs((int) Math.min(Integer.MAX_VALUE, ms)));
        return r.build();
    }

    /** The callback as the signed JSON body states it (unknown fields ignored, as the gateway does). */
    private static LivenessCallbackRequest signedBody(byte[] raw) {
        LivenessCallbackRequest.Builder b = LivenessCallbackRequest.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(new String(raw, StandardCharsets.UTF_8), b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw DomainException.invalid("The callback body is not a valid liveness callback");
        }
        return b.clearRawBody().build();
    }

    private static LivenessAction.Value action(ChallengeAction a) {
        return LivenessAction.Value.valueOf(a.name());
    }

    /**
     * The full KycStatusDto: the case, its newest document and its newest liveness result. The face match
     * is the one measured by the video liveness check against the document portrait; the decision rules
     * say whether it is a match.
     */
    static KycStatus status(KycCase c, Optional<DocumentService.DocumentView> document,
            Optional<LivenessResult> liveness, DecisionRules rules) {
        return status(new ProfileStatus(c, document.map(ProfileStatus.LatestDocument::of), liveness), rules);
    }

    /** The full KycStatusDto of a profile status as one read gives it. */
    static KycStatus status(ProfileStatus p, DecisionRules rules) {
        KycCase c = p.profile();
        KycStatus.Builder s = status(c).toBuilder().addAllReviewReasons(c.commentCodes());
        p.document().ifPresent(d -> {
            s.setDocumentStatus(d.status().wireName()).setDocumentId(d.documentId());
            d.submittedAt().ifPresent(t -> s.setDocumentSubmittedAt(Wire.timestamp(t)));
        });
        p.liveness().ifPresent(l -> {
            s.setLivenessResult(l.result()).setLivenessConfidence(l.confidence()).setLivenessAt(Wire.timestamp(l.at()));
            l.faceMatchScore().ifPresent(f -> s.setFaceMatchScore(f)
                    .setFaceMatchDecision(rules.faceMatches(f) ? "match" : "no_match"));
        });
        return s.build();
    }

    /** The KycStatusDto of a case, without its documents and liveness results. */
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
