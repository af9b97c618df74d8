package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.ConfirmDocumentRequest;
import org.openkyc.api.kyc.v1.DocumentDetail;
import org.openkyc.api.kyc.v1.GetProfileDetailResponse;
import org.openkyc.api.kyc.v1.KycStatus;
import org.openkyc.api.kyc.v1.SubmitDocumentRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;
import org.openkyc.api.kyc.v1.UploadDocumentMetadataResponse;
import org.openkyc.api.submissions.v2.Attempt;
import org.openkyc.api.submissions.v2.GetSubmissionsResponse;
import org.openkyc.api.submissions.v2.KycInfo;
import org.openkyc.api.submissions.v2.Submission;
import org.openkyc.api.travelrule.v1.ActionType;
import org.openkyc.api.travelrule.v1.ListVerificationsRequest;

import com.google.protobuf.Message;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;

class ProtoJsonMarshallerTest {

    @Test
    void printsJsonNamesDefaultsButNotUnsetOptionals() throws Exception {
        final GetSubmissionsResponse response = GetSubmissionsResponse.newBuilder()
                .addItems(Submission.newBuilder().setSubmissionId("s-1")
                                    .setKyc(KycInfo.newBuilder().addAttempts(Attempt.newBuilder().setAttemptCnt(1))))
                .build();
        final String json = print(response);
        assertThat(json).startsWith("{\"Items\":[").contains("\"Count\":0").contains("\"submission_id\":\"s-1\"")
                        .contains("\"comment\":[]").contains("\"attemptCnt\":1")
                        .doesNotContain("livenessScore").doesNotContain("nextpageKey").doesNotContain("email");
        assertThat(print(SubmitResponse.getDefaultInstance())).isEqualTo("{\"profileId\":\"\"}");
    }

    @Test
    void parsesBothNameStylesIgnoresUnknownFieldsAndKeepsBigNumbers() throws Exception {
        final ListVerificationsRequest request = parse(ListVerificationsRequest.getDefaultInstance(),
                "{\"action_type\":\"SEND\",\"oppositeVaspId\":\"v-1\",\"unknown\":{\"deep\":1}}");
        assertThat(request.getActionType()).isEqualTo(ActionType.Value.SEND);
        assertThat(request.getOppositeVaspId()).isEqualTo("v-1");

        final ConfirmDocumentRequest confirm = parse(ConfirmDocumentRequest.getDefaultInstance(),
                "{\"documentId\":\"9007199254740993\",\"fields\":{\"name\":\"A\",\"extra\":true}}");
        assertThat(confirm.getDocumentId()).isEqualTo(9007199254740993L);
        final ConfirmDocumentRequest numeric = parse(ConfirmDocumentRequest.getDefaultInstance(),
                "{\"documentId\":9007199254740993,\"x\":1}");
        assertThat(numeric.getDocumentId()).isEqualTo(9007199254740993L);
        assertThat(numeric.getFields().getName()).isEmpty();
    }

    @Test
    void wrongTypesAndUnknownEnumValuesNameTheField() {
        assertThatThrownBy(() -> parse(ListVerificationsRequest.getDefaultInstance(), "{\"page\":\"two\"}"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("Field 'page' has a wrong type or value");
                });
        assertThatThrownBy(() -> parse(ListVerificationsRequest.getDefaultInstance(), "{\"result\":\"MAYBE\"}"))
                .hasMessageContaining("Field 'result'");
        assertThatThrownBy(() -> parse(ConfirmDocumentRequest.getDefaultInstance(),
                                       "{\"fields\":{\"user_modified\":\"yes\"},\"y\":2}"))
                .hasMessageContaining("Field 'fields.user_modified'");
        assertThatThrownBy(() -> parse(ConfirmDocumentRequest.getDefaultInstance(), "[1]"))
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void int64FieldsWithinTwoToThe53ArePrintedAsNumbersOthersStayStrings() throws Exception {
        // Top level, nested, optional and repeated messages alike.
        assertThat(print(UploadDocumentMetadataResponse.newBuilder().setDocumentId(123456789L).build()))
                .isEqualTo("{\"documentId\":123456789}");
        assertThat(print(ConfirmDocumentRequest.newBuilder().setDocumentId(9007199254740991L).build()))
                .isEqualTo("{\"documentId\":9007199254740991}");
        assertThat(print(ConfirmDocumentRequest.newBuilder().setDocumentId(-9007199254740991L).build()))
                .isEqualTo("{\"documentId\":-9007199254740991}");
        // Past 2^53 a JSON number would be rounded by JavaScript clients: proto3's string stays.
        assertThat(print(ConfirmDocumentRequest.newBuilder().setDocumentId(9007199254740992L).build()))
                .isEqualTo("{\"documentId\":\"9007199254740992\"}");
        assertThat(print(ConfirmDocumentRequest.newBuilder().setDocumentId(Long.MIN_VALUE).build()))
                .isEqualTo("{\"documentId\":\"-9223372036854775808\"}");
        // Defaults are printed as numbers too, optional int64 only when set.
        assertThat(print(SubmitDocumentRequest.getDefaultInstance())).isEqualTo("{\"documentId\":0}");
        assertThat(print(KycStatus.newBuilder().setProfileId("p").build())).doesNotContain("documentId");
        assertThat(print(KycStatus.newBuilder().setDocumentId(42).build())).contains("\"documentId\":42");
        final String detail = print(GetProfileDetailResponse.newBuilder()
                .addDocuments(DocumentDetail.newBuilder().setDocumentId(7))
                .addDocuments(DocumentDetail.newBuilder().setDocumentId(Long.MAX_VALUE))
                .setStatus(KycStatus.newBuilder().setDocumentId(8).setLivenessConfidence(96.2)).build());
        assertThat(detail).contains("\"documentId\":7,").contains("\"documentId\":\"9223372036854775807\"")
                          .contains("\"documentId\":8").contains("\"livenessConfidence\":96.2");
        // Other numbers of a rewritten answer keep their printed form (100.0, not 1E+2).
        assertThat(print(KycStatus.newBuilder().setDocumentId(9).setLivenessConfidence(100).setFaceMatchScore(0.5)
                .build())).contains("\"livenessConfidence\":100.0").contains("\"faceMatchScore\":0.5");
        // Only answers that print a 64-bit integer are read back and rewritten: a status without a document id
        // is printed as protobuf prints it.
        assertThat(ProtoJsonMarshaller.printsInt64(KycStatus.newBuilder().setProfileId("p").build())).isFalse();
        assertThat(ProtoJsonMarshaller.printsInt64(GetProfileDetailResponse.newBuilder()
                .setStatus(KycStatus.newBuilder().setDocumentId(8)).build())).isTrue();
        assertThat(ProtoJsonMarshaller.printsInt64(GetProfileDetailResponse.newBuilder()
                .addDocuments(DocumentDetail.getDefaultInstance()).build())).isTrue();
        assertThat(ProtoJsonMarshaller.printsInt64(SubmitDocumentRequest.getDefaultInstance())).isTrue();
        // Messages without 64-bit fields are printed untouched.
        assertThat(print(SubmitResponse.getDefaultInstance())).isEqualTo("{\"profileId\":\"\"}");
        // What is printed parses back to the same message.
        final ConfirmDocumentRequest back = parse(ConfirmDocumentRequest.getDefaultInstance(),
                print(ConfirmDocumentRequest.newBuilder().setDocumentId(123456789L).build()));
        assertThat(back.getDocumentId()).isEqualTo(123456789L);
    }

    @Test
    void readsWholeBodiesWhateverTheStreamSaysIsAvailableAndPrintsLargeAnswersWhole() throws Exception {
        final String json = "{\"oppositeVaspId\":\"v-\u00e9\u4e2d" + "x".repeat(20_000) + "\"}";
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        for (int reported : new int[] {0, 5, bytes.length}) {
            final java.io.InputStream stream = new java.io.FilterInputStream(new ByteArrayInputStream(bytes)) {
                @Override
                public int available() {
                    return Math.min(reported, bytes.length);
                }
            };
            final ListVerificationsRequest request = ProtoJsonMarshaller.INSTANCE.deserializeMessage(
                    ProtoUtils.marshaller(ListVerificationsRequest.getDefaultInstance()), stream);
            assertThat(request.getOppositeVaspId()).as("available() = %d", reported)
                    .isEqualTo("v-\u00e9\u4e2d" + "x".repeat(20_000));
        }
        // An answer larger than the kept buffer, then a small one on the same thread: each printed whole.
        final GetSubmissionsResponse.Builder big = GetSubmissionsResponse.newBuilder();
        for (int i = 0; i < 4_000; i++) {
            big.addItems(Submission.newBuilder().setSubmissionId("s-" + i));
        }
        final String printed = print(big.build());
        assertThat(printed).startsWith("{\"Items\":[").contains("\"submission_id\":\"s-3999\"").endsWith("}");
        assertThat(printed.length()).isGreaterThan(64 * 1024);
        assertThat(print(SubmitResponse.getDefaultInstance())).isEqualTo("{\"profileId\":\"\"}");
    }

    private static String print(Message message) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtoJsonMarshaller.INSTANCE.serializeMessage(ProtoUtils.marshaller(message), message, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static <T extends Message> T parse(T prototype, String json) throws Exception {
        return ProtoJsonMarshaller.INSTANCE.deserializeMessage(
                ProtoUtils.marshaller(prototype), new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
