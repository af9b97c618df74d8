package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.ConfirmDocumentResponse;
import org.openkyc.api.kyc.v1.GetStatusResponse;
import org.openkyc.api.kyc.v1.KycStatus;
import org.openkyc.api.kyc.v1.LivenessCallbackResponse;
import org.openkyc.api.kyc.v1.SubmitDocumentResponse;
import org.openkyc.api.kyc.v1.SubmitResponse;
import org.openkyc.api.kyc.v1.UploadDocumentMetadataResponse;

import com.google.protobuf.Message;

/** The REST envelope the gateway puts around the KYC family's data-only gRPC answers. */
class KycEnvelopeTest {

    @Test
    void theDataMessageBecomesDataWithCodeZeroAndTheDocumentedMessage() throws Exception {
        assertThat(rest(SubmitResponse.newBuilder().setProfileId("p1").build()))
                .isEqualTo("{\"code\":0,\"message\":\"success\",\"data\":{\"profileId\":\"p1\"}}");
        // 64-bit ids stay JSON numbers inside data.
        assertThat(rest(UploadDocumentMetadataResponse.newBuilder().setDocumentId(123456789L).build()))
                .isEqualTo("{\"code\":0,\"message\":\"Document saved\",\"data\":{\"documentId\":123456789}}");
        assertThat(rest(GetStatusResponse.newBuilder().setStatus(KycStatus.newBuilder().setProfileId("p2")).build()))
                .startsWith("{\"code\":0,\"message\":\"query success\",\"data\":{\"status\":{\"profileId\":\"p2\"");
    }

    @Test
    void messagesThatDependOnTheAnswerAreTheOnesTheApiAlwaysShowed() throws Exception {
        assertThat(rest(ConfirmDocumentResponse.newBuilder().setDocumentId(5).setManualReview(false).build()))
                .isEqualTo("{\"code\":0,\"message\":\"Document confirmed\",\"data\":{\"documentId\":5,"
                           + "\"manualReview\":false}}");
        assertThat(rest(ConfirmDocumentResponse.newBuilder().setDocumentId(5).setManualReview(true).build()))
                .contains("\"message\":\"Document confirmed; the fields were modified, so the record will go to"
                          + " manual review\"");
        assertThat(rest(SubmitDocumentResponse.newBuilder().setStatus(1).build()))
                .contains("\"message\":\"Document submitted: auto-approved\"");
        assertThat(rest(SubmitDocumentResponse.newBuilder().setStatus(2).addReasons("face_not_matched").build()))
                .contains("\"message\":\"Document submitted: the record goes to manual review\"");
        assertThat(rest(SubmitDocumentResponse.newBuilder().setStatus(3).build()))
                .contains("\"message\":\"Document submitted: the fields were modified by the user, so the record"
                          + " goes to manual review\"");
    }

    @Test
    void anAnswerWithoutFieldsHasNoData() throws Exception {
        assertThat(rest(LivenessCallbackResponse.getDefaultInstance()))
                .isEqualTo("{\"code\":0,\"message\":\"liveness result recorded\"}");
    }

    private static String rest(Message answer) throws Exception {
        return KycEnvelope.envelope(answer, ProtoJsonMarshaller.print(answer));
    }
}
