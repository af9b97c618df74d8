package org.openkyc.server.api;

import io.grpc.stub.StreamObserver;
import org.openkyc.api.kyc.v1.GetProfileDetailRequest;
import org.openkyc.api.kyc.v1.GetProfileDetailResponse;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.ListProfilesRequest;
import org.openkyc.api.kyc.v1.ListProfilesResponse;
import org.openkyc.api.kyc.v1.ProfileSummary;
import org.openkyc.api.kyc.v1.StatusChange;
import org.openkyc.api.kyc.v1.UpdateStatusRequest;
import org.openkyc.api.kyc.v1.UpdateStatusResponse;
import java.util.List;
import java.util.Optional;
import org.openkyc.api.kyc.v1.DocumentDetail;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.kyc.DocumentService;
import org.openkyc.server.liveness.LivenessCallbacks;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.kyc.CaseService;
import org.openkyc.server.kyc.CaseStatus;
import org.openkyc.server.kyc.KycCase;
import org.openkyc.server.kyc.ReviewDecision;
import org.openkyc.api.kyc.v1.LivenessCheck;

/**
 * The KYC admin API and its mirrors (docs/API.md C3). The admin role is enforced
 * for the whole service by the authentication interceptor.
 */
public final class KycAdminApi extends KycAdminServiceGrpc.KycAdminServiceImplBase {

    private static final int DEFAULT_LIMIT = 20;
    private final CaseService cases;
    private final DocumentService documents;
    private final LivenessCallbacks liveness;

    public KycAdminApi(CaseService cases, DocumentService documents, LivenessCallbacks liveness) {
        this.cases = cases;
        this.documents = documents;
        this.liveness = liveness;
    }

    @Override
    public void listProfiles(ListProfilesRequest req, StreamObserver<ListProfilesResponse> out) {
        int page = req.getPage() == 0 ? 1 : req.getPage();
        int limit = req.getLimit() == 0 ? DEFAULT_LIMIT : req.getLimit();
        Optional<CaseStatus> status = Optional.empty();
        if (req.hasStatus() && !req.getStatus().isBlank()) {
            status = Optional.of(CaseStatus.fromWireName(req.getStatus().strip()).orElseThrow(() -> DomainException
                    .invalid("status must be approved, rejected, pending or incomplete")));
        }
        Optional<String> userId = req.hasUserId() && !req.getUserId().isBlank()
                ? Optional.of(Inputs.text("userId", req.getUserId(), Inputs.REMARK).strip()) : Optional.empty();
        CaseService.AdminFilter filter = new CaseService.AdminFilter(status, userId,
                req.hasCreatedFrom() ? Wire.optionalDate(req.getCreatedFrom(), "createdFrom") : Optional.empty(),
                req.hasCreatedTo() ? Wire.optionalDate(req.getCreatedTo(), "createdTo") : Optional.empty(),
                req.getOldestFirst(), present(req.hasUnmetRule(), req.getUnmetRule()),
                present(req.hasScreening(), req.getScreening()));
        CaseService.AdminPage p = cases.adminPage(Caller.current(),
                Inputs.ids("profileIds", req.getProfileIdsList()), filter, page, limit,
                present(req.hasCursor(), req.getCursor()));
        ListProfilesResponse.Builder data = ListProfilesResponse.newBuilder().setTotal((int) Math.min(Integer.MAX_VALUE, p.total())).setPage(page).setLimit(limit)
                .putAllStatusCounts(p.statusCounts())
                .setCountedAt(Wire.timestamp(p.countedAt()));
        p.nextCursor().ifPresent(data::setNextCursor);
        p.items().forEach(c -> data.addList(summary(c)));
        out.onNext(data.build());
        out.onCompleted();
    }

    @Override
    public void getProfileDetail(GetProfileDetailRequest req, StreamObserver<GetProfileDetailResponse> out) {
        Caller caller = Caller.current();
        String id = Inputs.id("profileId", req.getProfileId());
        KycCase c = cases.get(caller, id, DomainException::profileNotFound);
        List<DocumentService.DocumentView> docs = documents.documents(caller, c.id());
        Optional<org.openkyc.server.liveness.LivenessResult> latestLiveness = liveness.latest(caller, c.id());
        GetProfileDetailResponse.Builder d = GetProfileDetailResponse.newBuilder()
                .setProfile(summary(c))
                .setStatus(KycWebApi.status(c, docs.isEmpty() ? Optional.empty() : Optional.of(docs.get(docs.size() - 1)),
                        latestLiveness, documents.rules()));
        docs.forEach(doc -> d.addDocuments(document(doc)));
        // A submission (A3) read its document in step 1: shown as a document too, read beside confirmed.
        documents.submissionDocument(caller, c.id()).ifPresent(doc -> d.addDocuments(document(doc)));
        liveness.latestCheck(caller, c.id()).ifPresent(l -> d.setLiveness(livenessCheck(l)));
        d.setPortraitAvailable(cases.portraitAvailable(caller, c,
                latestLiveness.flatMap(l -> l.faceMatchScore()).isPresent()));
        for (org.openkyc.server.kyc.StatusChange ch : cases.history(caller, id, DomainException::profileNotFound)) {
            d.addHistory(change(ch));
        }
        d.setFaceMatchThreshold(documents.rules().settings().faceMatchThreshold())
                .setLivenessThreshold(documents.rules().settings().livenessThreshold());
        c.amlResult().ifPresent(d::setScreeningResult);
        c.amlResourceId().ifPresent(d::setScreeningResourceId);
        out.onNext(d.build());
        out.onCompleted();
    }

    @Override
    public void updateStatus(UpdateStatusRequest req, StreamObserver<UpdateStatusResponse> out) {
        ReviewDecision decision = ReviewDecision.fromAdminCode(req.getStatus()).orElseThrow(() -> DomainException
                .invalidField("status", "status must be -1 (reject), 0 (reset to pending), 1 (request resubmission)"
                        + " or 2 (approve)"));
        String id = Inputs.id("profileId", req.getProfileId());
        Optional<java.time.Instant> basedOn = Optional.empty();
        if (req.hasExpectedUpdatedAt() && !req.getExpectedUpdatedAt().isBlank()) {
            try {
                basedOn = Optional.of(java.time.Instant.parse(req.getExpectedUpdatedAt().strip()));
            } catch (java.time.format.DateTimeParseException e) {
                throw DomainException.invalid("expectedUpdatedAt must be the profile's updatedAt (ISO-8601 UTC)");
            }
        }
        org.openkyc.server.kyc.StatusChange ch = cases.decide(Caller.current(), id, decision,
                Inputs.text("remark", req.getRemark(), Inputs.REMARK), basedOn,
                DomainException::profileNotFound);
        out.onNext(UpdateStatusResponse.newBuilder().setProfileId(id)
                .setFromStatus(ch.from().map(CaseStatus::wireName).orElse(""))
                .setToStatus(ch.to().wireName())
                .setDecision(decision.wireName())
                .build());
        out.onCompleted();
    }

    /** The newest challenge-video check, action by action with the timestamps of the deciding frames. */
    private static LivenessCheck livenessCheck(org.openkyc.server.liveness.LivenessCheck l) {
        LivenessCheck.Builder b = LivenessCheck.newBuilder().setSessionId(l.sessionId()).setResult(l.result())
                .setConfidence(l.confidence()).setCheckedAt(Wire.timestamp(l.at()));
        l.faceMatchScore().ifPresent(b::setFaceMatchScore);
        l.actions().forEach(a -> b.addActions(KycWebApi.actionResult(a)));
        return b.build();
    }

    /** An optional text field: absent when not given or blank. */
    private static Optional<String> present(boolean has, String value) {
        return has && !value.isBlank() ? Optional.of(value.strip()) : Optional.empty();
    }

    private static ProfileSummary summary(KycCase c) {
        ProfileSummary.Builder s = ProfileSummary.newBuilder()
                .setProfileId(c.id())
                .setStatus(c.status().wireName())
                .setReviewStatus(c.status().reviewCode())
                .setCreatedAt(Wire.timestamp(c.createdAt()))
                .setUpdatedAt(Wire.timestamp(c.updatedAt()));
        c.userId().ifPresent(s::setUserId);
        c.country().ifPresent(s::setCountry);
        return s.build();
    }

    /** A document as a reviewer sees it: OCR and confirmed fields (numbers masked), quality, status. */
    private static DocumentDetail document(DocumentService.DocumentView v) {
        DocumentDetail.Builder b = DocumentDetail.newBuilder()
                .setDocumentId(v.documentId())
                .setDocType(KycWebApi.docType(v.type()))
                .setOcrFields(KycWebApi.fields(v.ocr()))
                .setUserModified(v.userModified())
                .setQuality(KycWebApi.quality(v.quality()))
                .setCreatedAt(Wire.timestamp(v.createdAt()))
                .setStatus(v.status().wireName())
                .setMrzStatus(v.mrzStatus().name())
                .setSource(v.source());
        v.country().ifPresent(b::setCountry);
        v.confirmed().ifPresent(f -> b.setConfirmedFields(KycWebApi.fields(f)));
        v.decision().ifPresent(b::setDecision);
        return b.build();
    }

    private static StatusChange change(org.openkyc.server.kyc.StatusChange ch) {
        StatusChange.Builder b = StatusChange.newBuilder()
                .setActor(ch.actor())
                .setChangedAt(Wire.timestamp(ch.at()))
                .setFromStatus(ch.from().map(CaseStatus::wireName).orElse(""))
                .setToStatus(ch.to().wireName());
        ch.remark().ifPresent(b::setRemark);
        ch.decision().ifPresent(dd -> b.setDecision(dd.wireName()));
        return b.build();
    }
}
