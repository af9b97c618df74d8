package org.openkyc.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openkyc.api.kyc.v1.ActionResult;
import org.openkyc.api.kyc.v1.GetProfileDetailRequest;
import org.openkyc.api.kyc.v1.GetProfileDetailResponse;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.LivenessAction;
import org.openkyc.api.kyc.v1.ListProfilesRequest;
import org.openkyc.api.kyc.v1.ListProfilesResponse;
import org.openkyc.api.kyc.v1.StartLivenessRequest;
import org.openkyc.api.kyc.v1.StartLivenessResponse;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;
import org.openkyc.api.kyc.v1.VerifyLivenessRequest;
import org.openkyc.api.kyc.v1.VerifyLivenessResponse;
import org.openkyc.api.submissions.v2.Attempt;
import org.openkyc.api.submissions.v2.GetAddressCodeRequest;
import org.openkyc.api.submissions.v2.GetAddressCodeResponse;
import org.openkyc.api.submissions.v2.GetApplicantSubmissionsRequest;
import org.openkyc.api.submissions.v2.GetApplicantSubmissionsResponse;
import org.openkyc.api.submissions.v2.GetImageRequest;
import org.openkyc.api.submissions.v2.GetSubmissionsRequest;
import org.openkyc.api.submissions.v2.GetSubmissionsResponse;
import org.openkyc.api.submissions.v2.KycInfo;
import org.openkyc.api.submissions.v2.KycResult;
import org.openkyc.api.submissions.v2.Submission;
import org.openkyc.api.submissions.v2.SubmissionData;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.travelrule.v1.ListVerificationsRequest;
import org.openkyc.api.travelrule.v1.ListVerificationsResponse;
import org.openkyc.api.travelrule.v1.VerificationServiceGrpc;

import com.google.api.HttpBody;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.rpc.ErrorInfo;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;

/**
 * A test double of one upstream OpenKYC server replica: a real grpc-java server on
 * 127.0.0.1 with small canned implementations of the HTTP-facing services, recording every
 * request message and its headers. The real server is tested end to end elsewhere.
 *
 * <p>Conventions: the id {@code missing} answers NOT_FOUND with an {@code ErrorInfo}; the API key
 * {@link #BAD_KEY} answers UNAUTHENTICATED and {@link #READONLY_KEY} PERMISSION_DENIED, both with
 * an {@code ErrorInfo}; DeleteSubmission is not implemented (UNIMPLEMENTED).
 */
final class UpstreamDouble implements AutoCloseable {

    /** A well-formed key the double accepts. */
    static final String KEY = "okyc_key1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    /** A well-formed key the double answers UNAUTHENTICATED. */
    static final String BAD_KEY = "okyc_badkey_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    /** A well-formed key the double answers PERMISSION_DENIED. */
    static final String READONLY_KEY = "okyc_readonly_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2, (byte) 0xff};

    /** One call as the upstream saw it. */
    record Call(String method, Message request, Metadata headers) {
        String header(String name) {
            return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        }
    }

    private static final Context.Key<Metadata> HEADERS = Context.key("headers");

    private final String name;
    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger callCount = new AtomicInteger();

    private UpstreamDouble(String name, ServerCredentials credentials) throws IOException {
        this.name = name;
        final ServerInterceptor captureHeaders = new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                         ServerCallHandler<ReqT, RespT> next) {
                final Context ctx = Context.current().withValue(HEADERS, headers);
                return Contexts.interceptCall(ctx, call, headers, next);
            }
        };
        // Bound to 127.0.0.1 only, like a replica on a private network.
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                                               credentials)
                     .addService(ServerInterceptors.intercept(new Submissions(), captureHeaders))
                     .addService(ServerInterceptors.intercept(new Kyc(), captureHeaders))
                     .addService(ServerInterceptors.intercept(new KycAdmin(), captureHeaders))
                     .addService(ServerInterceptors.intercept(new Verifications(), captureHeaders))
                     .addService(health.getHealthService())
                     .build();
        server.start();
    }

    static UpstreamDouble start(String name) throws IOException {
        return new UpstreamDouble(name, InsecureServerCredentials.create());
    }

    /** A replica serving TLS with the given PEM certificate chain and key. */
    static UpstreamDouble startTls(String name, Path certChain, Path key) throws IOException {
        return new UpstreamDouble(name, TlsServerCredentials.create(certChain.toFile(), key.toFile()));
    }

    int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    String name() {
        return name;
    }

    List<Call> calls() {
        return calls;
    }

    int callCount() {
        return callCount.get();
    }

    Call lastCall() {
        return calls.isEmpty() ? null : calls.get(calls.size() - 1);
    }

    void reset() {
        calls.clear();
        callCount.set(0);
    }

    void setServing(boolean serving) {
        health.setStatus("", serving ? io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING
                                     : io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Records the call; throws the canned auth errors for the conventional keys. */
    private void record(String method, Message request) {
        final Metadata headers = HEADERS.get();
        calls.add(new Call(method, request, headers));
        callCount.incrementAndGet();
        final String key = headers.get(UpstreamForwarder.API_KEY);
        if (BAD_KEY.equals(key)) {
            throw error(Status.Code.UNAUTHENTICATED, "Unknown API key", "UNAUTHENTICATED", "401", "40100");
        }
        if (READONLY_KEY.equals(key)) {
            throw error(Status.Code.PERMISSION_DENIED, "This key may only read", "PERMISSION_DENIED", "403",
                        "40300");
        }
    }

    /** An error as the real server's error mapper makes it: Status + ErrorInfo in the details. */
    static StatusRuntimeException error(Status.Code code, String message, String reason, String httpStatus,
                                        String webCode) {
        final ErrorInfo info = ErrorInfo.newBuilder().setReason(reason).setDomain("openkyc")
                                        .putMetadata("http_status", httpStatus)
                                        .putMetadata("web_code", webCode).build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                                                                         .setCode(code.value())
                                                                         .setMessage(message)
                                                                         .addDetails(Any.pack(info))
                                                                         .build());
    }

    private final class Submissions extends SubmissionServiceGrpc.SubmissionServiceImplBase {
        @Override
        public void getSubmissions(GetSubmissionsRequest request, StreamObserver<GetSubmissionsResponse> out) {
            try {
                record("GetSubmissions", request);
                if ("missing".equals(request.getSubmissionId())) {
                    throw error(Status.Code.NOT_FOUND, "Submission not found", "SUBMISSION_NOT_FOUND", "404",
                                "40400");
                }
                final Submission submission = Submission.newBuilder()
                        .setSubmissionId(request.getSubmissionId())
                        .setEmail("a@example.com")
                        .setData(SubmissionData.newBuilder().setName("ANNA").setIdcardIssuingCountry("UTO"))
                        .setKyc(KycInfo.newBuilder().setResult(KycResult.Value.pending)
                                       .addAttempts(Attempt.newBuilder().setAttemptCnt(1)
                                                           .setFaceSimilarityScore(97)))
                        .build();
                out.onNext(GetSubmissionsResponse.newBuilder().addItems(submission).setCount(1).build());
                out.onCompleted();
            } catch (StatusRuntimeException e) {
                out.onError(e);
            }
        }

        /** Echoes the address and language; "nowhere" is ADDRESS_NOT_FOUND, a blank address INVALID_ARGUMENT. */
        @Override
        public void getAddressCode(GetAddressCodeRequest request, StreamObserver<GetAddressCodeResponse> out) {
            try {
                record("GetAddressCode", request);
                if (request.getAddress().isBlank()) {
                    throw error(Status.Code.INVALID_ARGUMENT, "address is required", "INVALID_ARGUMENT", "400",
                                "40000");
                }
                if ("nowhere".equals(request.getAddress())) {
                    throw error(Status.Code.INVALID_ARGUMENT, "The address could not be resolved",
                                "ADDRESS_NOT_FOUND", "422", "42201");
                }
                out.onNext(GetAddressCodeResponse.newBuilder()
                                                 .setFormattedAddress(request.getAddress() + " [" + request.getLanguage() + "]")
                                                 .setCompoundCode("HXPG+MP Seoul, South Korea")
                                                 .setGlobalCode("8Q98HXPG+MP").build());
                out.onCompleted();
            } catch (StatusRuntimeException e) {
                out.onError(e);
            }
        }

        /** Never answers: the caller's deadline has to end the call. */
        @Override
        public void getApplicantSubmissions(GetApplicantSubmissionsRequest request,
                                            StreamObserver<GetApplicantSubmissionsResponse> out) {
            record("GetApplicantSubmissions", request);
        }

        /** Echoes what arrived: the e-mail as the submission id, the image size as the OCR name. */
        @Override
        public void submitStep1(org.openkyc.api.submissions.v2.SubmitStep1Request request,
                                StreamObserver<org.openkyc.api.submissions.v2.SubmitStep1Response> out) {
            try {
                record("SubmitStep1", request);
                if (request.getIdImage().isEmpty()) {
                    throw error(Status.Code.INVALID_ARGUMENT, "idImage is required", "INVALID_ARGUMENT", "400",
                                "40000");
                }
                out.onNext(org.openkyc.api.submissions.v2.SubmitStep1Response.newBuilder()
                        .setSubmissionId(request.getEmail()).setFileUpload(true)
                        .setReviewOcrData(org.openkyc.api.submissions.v2.ReviewOcrData.newBuilder()
                                .setOcrName("bytes=" + request.getIdImage().size()))
                        .build());
                out.onCompleted();
            } catch (StatusRuntimeException e) {
                out.onError(e);
            }
        }

        @Override
        public void getImage(GetImageRequest request, StreamObserver<HttpBody> out) {
            try {
                record("GetImage", request);
                out.onNext(HttpBody.newBuilder().setContentType("image/png").setData(ByteString.copyFrom(PNG))
                                   .build());
                out.onCompleted();
            } catch (StatusRuntimeException e) {
                out.onError(e);
            }
        }
    }

    private final class Kyc extends KycServiceGrpc.KycServiceImplBase {
        @Override
        public void submit(SubmitRequest request, StreamObserver<SubmitResponse> out) {
            try {
                record("Submit", request);
                if (request.getUserId().length() > 1000) {
                    // Echoes the id in the status: trailers far larger than gRPC's default 8 KiB limit.
                    throw error(Status.Code.NOT_FOUND, "No user " + request.getUserId(), "NOT_FOUND", "404",
                                "40400");
                }
                out.onNext(SubmitResponse.newBuilder().setProfileId("p-" + request.getUserId()).build());
                out.onCompleted();
            } catch (StatusRuntimeException e) {
                out.onError(e);
            }
        }

        @Override
        public void livenessCallback(org.openkyc.api.kyc.v1.LivenessCallbackRequest request,
                                     StreamObserver<org.openkyc.api.kyc.v1.LivenessCallbackResponse> out) {
            try {
                record("LivenessCallback", request);
                out.onNext(org.openkyc.api.kyc.v1.LivenessCallbackResponse.getDefaultInstance());
                out.onCompleted();
            } catch (StatusRuntimeException e) {
                out.onError(e);
            }
        }

        @Override
        public void verifyLiveness(VerifyLivenessRequest request, StreamObserver<VerifyLivenessResponse> out) {
            record("VerifyLiveness", request);
            UpstreamDouble.verifyLiveness(request, out);
        }

        @Override
        public void startLiveness(StartLivenessRequest request, StreamObserver<StartLivenessResponse> out) {
            try {
                record("StartLiveness", request);
                out.onNext(StartLivenessResponse.newBuilder().setSessionId("s-1").build());
                out.onCompleted();
            } catch (StatusRuntimeException e) {
                out.onError(e);
            }
        }
    }

    /**
     * Liveness verify: answers passed with one result per video whose score is the video's size in KiB;
     * the session id {@code fail} answers LIVENESS_FAILED (20001) with the same result as a detail.
     */
    private static void verifyLiveness(VerifyLivenessRequest request, StreamObserver<VerifyLivenessResponse> out) {
        final boolean fail = "fail".equals(request.getSessionId());
        final VerifyLivenessResponse.Builder data = VerifyLivenessResponse.newBuilder().setPassed(!fail).setConfidence(80)
                                                                  .setFaceMatchScore(fail ? 12.5 : 97);
        for (ByteString video : List.of(request.getVideo1(), request.getVideo2(), request.getVideo3())) {
            final ActionResult.Builder r = ActionResult.newBuilder().setAction(LivenessAction.Value.BLINK)
                                                       .setPassed(!fail).setScore(video.size() / 1024);
            if (fail) {
                r.setReason("ACTION_NOT_SEEN");
            }
            data.addList(r);
        }
        if (fail) {
            final ErrorInfo info = ErrorInfo.newBuilder().setReason("LIVENESS_FAILED").setDomain("openkyc")
                                            .putMetadata("http_status", "422")
                                            .putMetadata("web_code", "20001").build();
            out.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                    .setCode(Status.Code.INVALID_ARGUMENT.value()).setMessage("Liveness failed")
                    .addDetails(Any.pack(info)).addDetails(Any.pack(data.build())).build()));
            return;
        }
        out.onNext(data.build());
        out.onCompleted();
    }

    private final class KycAdmin extends KycAdminServiceGrpc.KycAdminServiceImplBase {
        @Override
        public void listProfiles(ListProfilesRequest request, StreamObserver<ListProfilesResponse> out) {
            try {
                record("ListProfiles", request);
                out.onNext(ListProfilesResponse.newBuilder().setPage(request.getPage())
                                               .setLimit(request.getLimit()).build());
                out.onCompleted();
            } catch (StatusRuntimeException e) {
                out.onError(e);
            }
        }

        @Override
        public void getProfileDetail(GetProfileDetailRequest request, StreamObserver<GetProfileDetailResponse> out) {
            try {
                record("GetProfileDetail", request);
                if ("missing".equals(request.getProfileId())) {
                    throw error(Status.Code.NOT_FOUND, "Profile not found", "PROFILE_NOT_FOUND", "404", "40400");
                }
                out.onNext(GetProfileDetailResponse.getDefaultInstance());
                out.onCompleted();
            } catch (StatusRuntimeException e) {
                out.onError(e);
            }
        }
    }

    private final class Verifications extends VerificationServiceGrpc.VerificationServiceImplBase {
        @Override
        public void listVerifications(ListVerificationsRequest request,
                                      StreamObserver<ListVerificationsResponse> out) {
            try {
                record("ListVerifications", request);
                out.onNext(ListVerificationsResponse.newBuilder().setPage(1).setRpp(10).build());
                out.onCompleted();
            } catch (StatusRuntimeException e) {
                out.onError(e);
            }
        }
    }
}
