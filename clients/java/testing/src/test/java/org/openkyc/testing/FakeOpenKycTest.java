package org.openkyc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.GrpcCleanupRule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;
import org.openkyc.api.kyc.v1.DocType;
import org.openkyc.api.kyc.v1.ExtractedFields;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.StartLivenessRequest;
import org.openkyc.api.kyc.v1.StartLivenessResponse;
import org.openkyc.api.kyc.v1.SubmitDocumentRequest;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.UploadDocumentRequest;
import org.openkyc.api.submissions.v2.DeleteSubmissionRequest;
import org.openkyc.client.ApiErrors;
import org.openkyc.client.OpenKycClient;

/** The fake as an integrator's unit test uses it: through the Java client, over its in-process channel. */
class FakeOpenKycTest {

    private static final ByteString IMAGE = ByteString.copyFromUtf8("not really a JPEG; the fake does not look");

    private static UploadDocumentRequest upload(String profileId) {
        return UploadDocumentRequest.newBuilder().setProfileId(profileId).setDocType(DocType.Value.PASSPORT)
                .setCountry("NL").setFrontImage(IMAGE).build();
    }

    @Test
    void aCaseFromProfileToDeletion() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        try (FakeOpenKyc fake = FakeOpenKyc.start(clock)) {
            fake.kyc().readFields(ExtractedFields.newBuilder().setName("ANNA MARIA ERIKSSON")
                    .setBirthDate("1974-08-12").build());
            OpenKycClient client = OpenKycClient.overChannel(fake.channel(), "test-key");

            String id = client.kyc().submit(SubmitRequest.newBuilder().setUserId("u1").setCountry("SG").build()).getProfileId();
            assertThat(id).isEqualTo("profile-1");
            var status = client.kyc().getStatus(GetStatusRequest.newBuilder().setProfileId(id).build()).getStatus();
            assertThat(status.getOverallStatus()).isEqualTo("incomplete");
            assertThat(status.getDocumentStatus()).isEqualTo("none");
            assertThat(status.getCreatedAt()).isEqualTo("2026-01-02T03:04:05Z");

            var uploaded = client.kyc().uploadDocument(upload(id));
            assertThat(uploaded.getFields().getName()).isEqualTo("ANNA MARIA ERIKSSON");
            status = client.kyc().getStatus(GetStatusRequest.newBuilder().setProfileId(id).build())
                    .getStatus();
            assertThat(status.getDocumentStatus()).isEqualTo("uploaded");
            assertThat(status.getDocumentId()).isEqualTo(uploaded.getDocumentId());

            assertThat(client.kyc().submitDocument(SubmitDocumentRequest.newBuilder()
                    .setDocumentId(uploaded.getDocumentId()).build()).getStatus()).isEqualTo(2);
            fake.kyc().setOverallStatus(id, "approved");
            assertThat(client.kyc().getStatus(GetStatusRequest.newBuilder().setProfileId(id).build())
                    .getStatus().getOverallStatus()).isEqualTo("approved");

            assertThat(client.submissions().deleteSubmission(DeleteSubmissionRequest.newBuilder()
                    .setSubmissionId(id).build()).getContent())
                    .isEqualTo("Submission #profile-1 deleted successfully.");
            assertThatThrownBy(() -> client.kyc().getStatus(GetStatusRequest.newBuilder().setProfileId(id).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        assertThat(ApiErrors.reason(e)).contains("PROFILE_NOT_FOUND");
                    });

            assertThat(fake.kyc().requests(KycServiceGrpc.getSubmitMethod())).singleElement()
                    .satisfies(r -> assertThat(r.getUserId()).isEqualTo("u1"));
            assertThat(fake.apiKeysSeen()).containsOnly("test-key");
        }
    }

    @Test
    void aTestMakesTheNextCallFailOrAnswersACallItself() {
        try (FakeOpenKyc fake = FakeOpenKyc.start()) {
            var kyc = OpenKycClient.overChannel(fake.channel(), "k").kyc();
            fake.kyc().failNext(KycServiceGrpc.getSubmitMethod(), Status.Code.UNAVAILABLE);
            SubmitRequest submit = SubmitRequest.newBuilder().setUserId("u").setCountry("SG").build();
            assertThatThrownBy(() -> kyc.submit(submit)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThat(kyc.submit(submit).getProfileId()).isEqualTo("profile-1");

            fake.kyc().failNext(KycServiceGrpc.getUploadDocumentMethod(),
                    FakeError.of(Status.Code.INVALID_ARGUMENT, "DOCUMENT_REJECTED", 422, "blurry"));
            assertThatThrownBy(() -> kyc.uploadDocument(upload("profile-1")))
                    .satisfies(e -> assertThat(ApiErrors.reason(e)).contains("DOCUMENT_REJECTED"));

            // Liveness is not played by the fake until the test says what it answers.
            assertThatThrownBy(() -> kyc.startLiveness(StartLivenessRequest.newBuilder().setProfileId("profile-1")
                    .build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
            fake.kyc().answer(KycServiceGrpc.getStartLivenessMethod(), r -> StartLivenessResponse.newBuilder()
                    .setSessionId("s-" + r.getProfileId()).build());
            assertThat(kyc.startLiveness(StartLivenessRequest.newBuilder().setProfileId("profile-1").build()).getSessionId()).isEqualTo("s-profile-1");

            assertThatThrownBy(() -> kyc.uploadDocument(upload("nobody")))
                    .satisfies(e -> assertThat(ApiErrors.reason(e)).contains("PROFILE_NOT_FOUND"));
        }
    }

    @Test
    void aRequiredKeyIsCheckedLikeTheRealServer() {
        try (FakeOpenKyc fake = FakeOpenKyc.start().requireApiKey("right")) {
            SubmitRequest submit = SubmitRequest.newBuilder().setUserId("u").setCountry("SG").build();
            assertThatThrownBy(() -> OpenKycClient.overChannel(fake.channel(), "wrong").kyc().submit(submit))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(ApiErrors.reason(e)).contains("UNAUTHENTICATED");
                    });
            assertThatThrownBy(() -> KycServiceGrpc.newBlockingStub(fake.channel()).submit(submit))
                    .satisfies(e -> assertThat(ApiErrors.reason(e)).contains("UNAUTHENTICATED"));
            assertThat(OpenKycClient.overChannel(fake.channel(), "right").kyc().submit(submit)
                    .getProfileId()).isNotEmpty();
            assertThat(fake.kyc().profileIds()).hasSize(1);
        }
    }

    @Test
    void grpcCleanupRuleShutsTheFakeDownAfterAJUnit4Test() throws Throwable {
        GrpcCleanupRule rule = new GrpcCleanupRule();
        AtomicReference<FakeOpenKyc> started = new AtomicReference<>();
        rule.apply(new Statement() {
            @Override
            public void evaluate() {
                FakeOpenKyc fake = FakeOpenKyc.start(rule);
                started.set(fake);
                assertThat(OpenKycClient.overChannel(fake.channel(), "k").kyc()
                        .submit(SubmitRequest.newBuilder().setUserId("u").setCountry("SG").build()).getProfileId()).isEqualTo("profile-1");
            }
        }, Description.EMPTY).evaluate();
        assertThat(started.get().channel().isTerminated()).isTrue();
    }
}
