package org.openkyc.server.api;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openkyc.api.screening.v1.Candidate;
import org.openkyc.api.screening.v1.Decision;
import org.openkyc.api.screening.v1.GetScreeningRequest;
import org.openkyc.api.screening.v1.GetScreeningResponse;
import org.openkyc.api.screening.v1.ListVersion;
import org.openkyc.api.screening.v1.ReloadListsRequest;
import org.openkyc.api.screening.v1.ReloadListsResponse;
import org.openkyc.api.screening.v1.ScoreFeature;
import org.openkyc.api.screening.v1.ScreenRequest;
import org.openkyc.api.screening.v1.ScreenResponse;
import org.openkyc.api.screening.v1.Screening;
import org.openkyc.api.screening.v1.ScreeningServiceGrpc;
import org.openkyc.api.screening.v1.SubjectKind;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.screening.EntityKind;
import org.openkyc.server.screening.ScreeningQuery;
import org.openkyc.server.screening.ScreeningRecord;
import org.openkyc.server.screening.ScreeningService;

/** The screening gRPC service (internal callers, travel-rule checks) over {@link ScreeningService}. */
public final class ScreeningApi extends ScreeningServiceGrpc.ScreeningServiceImplBase {

    private final ScreeningService screenings;

    public ScreeningApi(ScreeningService screenings) {
        this.screenings = screenings;
    }

    @Override
    public void screen(ScreenRequest req, StreamObserver<ScreenResponse> out) {
        Caller caller = Caller.current();
        EntityKind kind = switch (req.getKind()) {
            case SUBJECT_KIND_PERSON -> EntityKind.PERSON;
            case SUBJECT_KIND_ORGANISATION -> EntityKind.ORGANISATION;
            case SUBJECT_KIND_UNSPECIFIED -> EntityKind.UNKNOWN;
            default -> throw DomainException.invalidField("kind", "kind must be person, organisation or unspecified");
        };
        if (req.getName().isBlank()) {
            throw DomainException.invalidField("name", "name is required");
        }
        List<String> names = new ArrayList<>();
        names.add(Inputs.text("name", req.getName(), Inputs.SCREENING_NAME));
        names.addAll(Inputs.texts("aliases", req.getAliasesList(), Inputs.MAX_ALIASES, Inputs.SCREENING_NAME));
        ScreeningQuery q = ScreeningService.query(kind, names, Inputs.text("birthDate", req.getBirthDate(), Inputs.CODE),
                Inputs.text("nationality", req.getNationality(), Inputs.CODE));
        Optional<String> caseId = Inputs.optionalId("caseId", req.getCaseId());
        ScreeningRecord r = screenings.screen(caller, q, caseId);
        out.onNext(ScreenResponse.newBuilder().setScreening(toProto(r)).build());
        out.onCompleted();
    }

    @Override
    public void getScreening(GetScreeningRequest req, StreamObserver<GetScreeningResponse> out) {
        ScreeningRecord r = screenings.get(Caller.current(), Inputs.id("resourceId", req.getResourceId()));
        out.onNext(GetScreeningResponse.newBuilder().setScreening(toProto(r)).build());
        out.onCompleted();
    }

    @Override
    public void reloadLists(ReloadListsRequest req, StreamObserver<ReloadListsResponse> out) {
        ReloadListsResponse.Builder b = ReloadListsResponse.newBuilder();
        screenings.reload(Caller.current()).forEach(v -> b.addLists(version(v)));
        out.onNext(b.build());
        out.onCompleted();
    }

    static Screening toProto(ScreeningRecord r) {
        Screening.Builder b = Screening.newBuilder()
                .setResourceId(r.resourceId())
                .setDecision(switch (r.decision()) {
                    case CLEAR -> Decision.DECISION_CLEAR;
                    case HIT -> Decision.DECISION_HIT;
                    case PENDING_REVIEW -> Decision.DECISION_PENDING_REVIEW;
                })
                .setBestScore(r.bestScore())
                .setThreshold(r.threshold())
                .setReviewFloor(r.reviewFloor())
                .setScreenedAt(timestamp(r.screenedAt()))
                .addAllNormalizedNames(r.normalizedNames());
        r.caseId().ifPresent(b::setCaseId);
        r.lists().forEach(v -> b.addLists(version(v)));
        for (org.openkyc.server.screening.Candidate c : r.candidates()) {
            Candidate.Builder cb = Candidate.newBuilder()
                    .setListSource(c.source())
                    .setEntryId(c.entryId())
                    .setKind(kind(c.kind()))
                    .setListedName(c.listedName())
                    .setMatchedName(c.matchedName())
                    .setQueryName(c.queryName())
                    .setScore(c.score())
                    .addAllPrograms(c.programs());
            c.breakdown().forEach(f -> cb.addBreakdown(ScoreFeature.newBuilder().setFeature(f.feature())
                    .setContribution(f.contribution()).setExplanation(f.explanation())));
            b.addCandidates(cb);
        }
        return b.build();
    }

    private static SubjectKind kind(EntityKind k) {
        return switch (k) {
            case PERSON -> SubjectKind.SUBJECT_KIND_PERSON;
            case ORGANISATION -> SubjectKind.SUBJECT_KIND_ORGANISATION;
            case OTHER -> SubjectKind.SUBJECT_KIND_OTHER;
            case UNKNOWN -> SubjectKind.SUBJECT_KIND_UNSPECIFIED;
        };
    }

    private static ListVersion version(org.openkyc.server.screening.ListVersion v) {
        return ListVersion.newBuilder().setSource(v.source()).setSha256(v.sha256())
                .setLoadedAt(timestamp(v.loadedAt())).setEntryCount(v.entryCount()).build();
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
