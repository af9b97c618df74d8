package org.openkyc.testing;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.openkyc.api.kyc.v1.ConfirmDocumentRequest;
import org.openkyc.api.kyc.v1.ConfirmDocumentResponse;
import org.openkyc.api.kyc.v1.ExtractedFields;
import org.openkyc.api.kyc.v1.GetLivenessSessionRequest;
import org.openkyc.api.kyc.v1.GetLivenessSessionResponse;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.GetStatusResponse;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.KycStatus;
import org.openkyc.api.kyc.v1.LivenessCallbackRequest;
import org.openkyc.api.kyc.v1.LivenessCallbackResponse;
import org.openkyc.api.kyc.v1.QualityScores;
import org.openkyc.api.kyc.v1.StartLivenessRequest;
import org.openkyc.api.kyc.v1.StartLivenessResponse;
import org.openkyc.api.kyc.v1.SubmitDocumentRequest;
import org.openkyc.api.kyc.v1.SubmitDocumentResponse;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;
import org.openkyc.api.kyc.v1.UploadDocumentMetadataRequest;
import org.openkyc.api.kyc.v1.UploadDocumentMetadataResponse;
import org.openkyc.api.kyc.v1.UploadDocumentRequest;
import org.openkyc.api.kyc.v1.UploadDocumentResponse;
import org.openkyc.api.kyc.v1.VerifyLivenessRequest;
import org.openkyc.api.kyc.v1.VerifyLivenessResponse;
import org.openkyc.api.submissions.v2.DeleteSubmissionRequest;
import org.openkyc.api.submissions.v2.DeleteSubmissionResponse;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;

/**
 * A minimal, in-memory KYC web service (docs/API.md C1) with configurable answers, served by {@link FakeOpenKyc}.
 *
 * <p>What it does by itself: {@code Submit} creates a profile ({@code profile-1}, {@code profile-2} ...);
 * {@code UploadDocument} and {@code UploadDocumentMetadata} store a document of a known profile and answer the
 * fields set by {@link #readFields} (none by default); {@code ConfirmDocument} and {@code SubmitDocument} move
 * the document on ({@code SubmitDocument} answers {@link #submitDocumentAnswers}, 2 "manual review" by default);
 * {@code GetStatus} answers the profile's status; the submissions API's {@code DeleteSubmission} deletes a
 * profile. An unknown profile or document answers {@code NOT_FOUND} with the real server's reason. The liveness
 * calls answer {@code UNIMPLEMENTED} unless given an {@link #answer}.
 *
 * <p>What a test can change: {@link #answer} replaces any call's answer, {@link #failNext} makes the next call
 * of a method fail with a given error, {@link #setOverallStatus} plays a reviewer's decision, and
 * {@link #requests} returns what each method received.
 */
public final class FakeKycService extends KycServiceGrpc.KycServiceImplBase {

    private final Clock clock;
    private final Map<String, Profile> profiles = new LinkedHashMap<>();
    private final Map<Long, String> documents = new LinkedHashMap<>();
    private final Map<String, List<Object>> requests = new ConcurrentHashMap<>();
    private final Map<String, Deque<StatusRuntimeException>> failures = new ConcurrentHashMap<>();
    private final Map<String, Function<Object, Object>> answers = new ConcurrentHashMap<>();
    private final Submissions submissions = new Submissions();
    private long nextProfile = 1;
    private long nextDocument = 1;
    private volatile ExtractedFields readFields = ExtractedFields.getDefaultInstance();
    private volatile SubmitDocumentResponse submitDocumentAnswer = SubmitDocumentResponse.newBuilder().setStatus(2)
            .addReasons("manual_review").build();

    FakeKycService(Clock clock) {
        this.clock = clock;
    }

    /** The fields every later document upload "reads" from the images. */
    public FakeKycService readFields(ExtractedFields fields) {
        this.readFields = Objects.requireNonNull(fields, "fields");
        return this;
    }

    /** What every later {@code SubmitDocument} decides (1 approved, 2 manual review, 3 review of user edits). */
    public FakeKycService submitDocumentAnswers(SubmitDocumentResponse answer) {
        this.submitDocumentAnswer = Objects.requireNonNull(answer, "answer");
        return this;
    }

    /**
     * Plays a decision on a profile: its overall status becomes {@code approved}, {@code rejected},
     * {@code pending} or {@code incomplete}.
     */
    public synchronized FakeKycService setOverallStatus(String profileId, String overallStatus) {
        Profile p = profile(profileId);
        p.overall = switch (overallStatus) {
            case "approved", "rejected", "pending", "incomplete" -> overallStatus;
            default -> throw new IllegalArgumentException("not an overall status: " + overallStatus);
        };
        p.review = switch (overallStatus) {
            case "approved" -> 2;
            case "rejected" -> -1;
            case "pending" -> 0;
            default -> 1;
        };
        p.updated = now();
        if (!"incomplete".equals(overallStatus)) {
            p.reviewed = p.updated;
        }
        return this;
    }

    /**
     * Replaces the answer of a method (of the KYC web API or the submissions API) for every later call: the
     * function receives the request and returns the response, or throws a {@code StatusRuntimeException}
     * (see {@link FakeError#of}).
     */
    @SuppressWarnings("unchecked")
    public <Q, R> FakeKycService answer(MethodDescriptor<Q, R> method, Function<? super Q, ? extends R> answer) {
        Objects.requireNonNull(answer, "answer");
        answers.put(method.getFullMethodName(), q -> answer.apply((Q) q));
        return this;
    }

    /** The next call of {@code method} fails with {@code error}; later calls are answered again. */
    public FakeKycService failNext(MethodDescriptor<?, ?> method, StatusRuntimeException error) {
        failures.computeIfAbsent(method.getFullMethodName(), k -> new ArrayDeque<>()).add(error);
        return this;
    }

    /** The next call of {@code method} fails with this gRPC code (e.g. UNAVAILABLE). */
    public FakeKycService failNext(MethodDescriptor<?, ?> method, Status.Code code) {
        return failNext(method, code.toStatus().withDescription("failed by the test").asRuntimeException());
    }

    /** Every request {@code method} received, oldest first. */
    @SuppressWarnings("unchecked")
    public <Q> List<Q> requests(MethodDescriptor<Q, ?> method) {
        List<Object> got = requests.getOrDefault(method.getFullMethodName(), List.of());
        synchronized (got) {
            return (List<Q>) List.copyOf(got);
        }
    }

    /** The ids of the profiles that exist now, oldest first. */
    public synchronized List<String> profileIds() {
        return List.copyOf(profiles.keySet());
    }

    /** The submissions API half of the fake (deletion of a case). */
    SubmissionServiceGrpc.SubmissionServiceImplBase submissions() {
        return submissions;
    }

    @Override
    public void submit(SubmitRequest q, StreamObserver<SubmitResponse> out) {
        handle(KycServiceGrpc.getSubmitMethod(), q, out, r -> {
            if (r.getUserId().isBlank() || r.getCountry().isBlank()) {
                throw FakeError.invalid("userId and country are required");
            }
            synchronized (this) {
                String id = "profile-" + nextProfile++;
                profiles.put(id, new Profile(id, r.getUserId(), now()));
                return SubmitResponse.newBuilder().setProfileId(id).build();
            }
        });
    }

    @Override
    public void uploadDocument(UploadDocumentRequest q, StreamObserver<UploadDocumentResponse> out) {
        handle(KycServiceGrpc.getUploadDocumentMethod(), q, out, r -> {
            if (r.getFrontImage().isEmpty()) {
                throw FakeError.invalid("frontImage is required");
            }
            long id = addDocument(r.getProfileId());
            return UploadDocumentResponse.newBuilder().setDocumentId(id).setFields(readFields)
                    .setQuality(QualityScores.getDefaultInstance()).build();
        });
    }

    @Override
    public void uploadDocumentMetadata(UploadDocumentMetadataRequest q,
            StreamObserver<UploadDocumentMetadataResponse> out) {
        handle(KycServiceGrpc.getUploadDocumentMetadataMethod(), q, out, r -> {
            long id = addDocument(r.getProfileId());
            return UploadDocumentMetadataResponse.newBuilder().setDocumentId(id).setFields(readFields).build();
        });
    }

    @Override
    public void confirmDocument(ConfirmDocumentRequest q, StreamObserver<ConfirmDocumentResponse> out) {
        handle(KycServiceGrpc.getConfirmDocumentMethod(), q, out, r -> {
            synchronized (this) {
                Profile p = document(r.getDocumentId());
                p.document = "confirmed";
                p.userModified = r.getFields().getUserModified();
                p.updated = now();
                return ConfirmDocumentResponse.newBuilder().setDocumentId(r.getDocumentId())
                        .setManualReview(p.userModified).build();
            }
        });
    }

    @Override
    public void submitDocument(SubmitDocumentRequest q, StreamObserver<SubmitDocumentResponse> out) {
        handle(KycServiceGrpc.getSubmitDocumentMethod(), q, out, r -> {
            synchronized (this) {
                Profile p = document(r.getDocumentId());
                SubmitDocumentResponse answer = submitDocumentAnswer;
                p.document = "submitted";
                p.overall = answer.getStatus() == 1 ? "approved" : "pending";
                p.review = answer.getStatus() == 1 ? 2 : 0;
                p.updated = now();
                return answer;
            }
        });
    }

    @Override
    public void getStatus(GetStatusRequest q, StreamObserver<GetStatusResponse> out) {
        handle(KycServiceGrpc.getGetStatusMethod(), q, out, r -> {
            synchronized (this) {
                Profile p = profile(r.getProfileId());
                KycStatus.Builder s = KycStatus.newBuilder().setProfileId(p.id).setUserId(p.userId)
                        .setOverallStatus(p.overall).setReviewStatus(p.review).setDocumentStatus(p.document)
                        .setCreatedAt(p.created).setUpdatedAt(p.updated);
                if (p.documentId != null) {
                    s.setDocumentId(p.documentId);
                }
                if (p.reviewed != null) {
                    s.setReviewedAt(p.reviewed);
                }
                return GetStatusResponse.newBuilder().setStatus(s).build();
            }
        });
    }

    @Override
    public void livenessCallback(LivenessCallbackRequest q, StreamObserver<LivenessCallbackResponse> out) {
        handle(KycServiceGrpc.getLivenessCallbackMethod(), q, out, null);
    }

    @Override
    public void startLiveness(StartLivenessRequest q, StreamObserver<StartLivenessResponse> out) {
        handle(KycServiceGrpc.getStartLivenessMethod(), q, out, null);
    }

    @Override
    public void verifyLiveness(VerifyLivenessRequest q, StreamObserver<VerifyLivenessResponse> out) {
        handle(KycServiceGrpc.getVerifyLivenessMethod(), q, out, null);
    }

    @Override
    public void getLivenessSession(GetLivenessSessionRequest q, StreamObserver<GetLivenessSessionResponse> out) {
        handle(KycServiceGrpc.getGetLivenessSessionMethod(), q, out, null);
    }

    private final class Submissions extends SubmissionServiceGrpc.SubmissionServiceImplBase {
        @Override
        public void deleteSubmission(DeleteSubmissionRequest q, StreamObserver<DeleteSubmissionResponse> out) {
            handle(SubmissionServiceGrpc.getDeleteSubmissionMethod(), q, out, r -> {
                synchronized (FakeKycService.this) {
                    Profile p = profiles.remove(r.getSubmissionId());
                    if (p == null) {
                        throw FakeError.of(Status.Code.NOT_FOUND, "SUBMISSION_NOT_FOUND", 404,
                                "Submission not found: " + r.getSubmissionId());
                    }
                    documents.values().removeIf(p.id::equals);
                    return DeleteSubmissionResponse.newBuilder().setMessage("success")
                            .setContent("Submission #" + p.id + " deleted successfully.").build();
                }
            });
        }
    }

    @SuppressWarnings("unchecked")
    private <Q, R> void handle(MethodDescriptor<Q, R> method, Q request, StreamObserver<R> out,
            Function<Q, R> byDefault) {
        String name = method.getFullMethodName();
        List<Object> got = requests.computeIfAbsent(name, k -> new ArrayList<>());
        synchronized (got) {
            got.add(request);
        }
        try {
            Deque<StatusRuntimeException> queued = failures.get(name);
            StatusRuntimeException failure;
            synchronized (failures) {
                failure = queued == null ? null : queued.poll();
            }
            if (failure != null) {
                throw failure;
            }
            Function<Object, Object> given = answers.get(name);
            R response;
            if (given != null) {
                response = (R) given.apply(request);
            } else if (byDefault != null) {
                response = byDefault.apply(request);
            } else {
                throw Status.UNIMPLEMENTED.withDescription("the fake answers " + method.getBareMethodName()
                        + " only when the test gives it an answer (FakeKycService.answer)").asRuntimeException();
            }
            out.onNext(response);
            out.onCompleted();
        } catch (StatusRuntimeException e) {
            out.onError(e);
        }
    }

    private synchronized long addDocument(String profileId) {
        Profile p = profile(profileId);
        long id = nextDocument++;
        documents.put(id, p.id);
        p.documentId = id;
        p.document = "uploaded";
        p.updated = now();
        return id;
    }

    private Profile profile(String id) {
        Profile p = profiles.get(id);
        if (p == null) {
            throw FakeError.profileNotFound(id);
        }
        return p;
    }

    private Profile document(long documentId) {
        String owner = documents.get(documentId);
        if (owner == null) {
            throw FakeError.documentNotFound(documentId);
        }
        return profile(owner);
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static final class Profile {
        final String id;
        final String userId;
        final String created;
        String updated;
        String reviewed;
        String overall = "incomplete";
        int review = 1;
        String document = "none";
        Long documentId;
        boolean userModified;

        Profile(String id, String userId, String now) {
            this.id = id;
            this.userId = userId;
            this.created = now;
            this.updated = now;
        }
    }
}
