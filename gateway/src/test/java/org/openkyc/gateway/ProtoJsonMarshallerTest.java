package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.ConfirmDocumentRequest;
import org.openkyc.api.kyc.v1.SubmitResponse;
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
        assertThat(print(SubmitResponse.getDefaultInstance())).isEqualTo("{\"code\":0,\"message\":\"\"}");
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
