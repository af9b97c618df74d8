package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.CreateWebhookRequest;
import org.openkyc.api.kyc.v1.ListWebhooksResponse;
import org.openkyc.api.kyc.v1.UpdateStatusResponse;
import org.openkyc.api.kyc.v1.Webhook;

import com.google.protobuf.Message;

import io.grpc.protobuf.ProtoUtils;

/** Data-only answers of the KYC family read over REST like every other answer of the family. */
class DataEnvelopeTest {

    @Test
    void aWebhookAnswerIsWrappedInTheFamilysEnvelope() throws Exception {
        String json = print(ListWebhooksResponse.newBuilder().addList(Webhook.newBuilder().setWebhookId("w1")
                .setUrl("https://hooks.example/in").addEventTypes("kyc.case.status_changed")).build());
        assertThat(json).isEqualTo("{\"code\":0,\"message\":\"success\",\"data\":{\"list\":[{\"webhookId\":\"w1\","
                + "\"url\":\"https://hooks.example/in\",\"eventTypes\":[\"kyc.case.status_changed\"],"
                + "\"createdAt\":\"\"}]}}");
        assertThat(print(ListWebhooksResponse.getDefaultInstance()))
                .isEqualTo("{\"code\":0,\"message\":\"success\",\"data\":{\"list\":[]}}");
    }

    @Test
    void answersThatCarryTheirOwnEnvelopeAndRequestsAreLeftAlone() throws Exception {
        assertThat(print(UpdateStatusResponse.newBuilder().setCode(0).setMessage("ok").build()))
                .startsWith("{\"code\":0,\"message\":\"ok\"");
        assertThat(DataEnvelope.wraps(CreateWebhookRequest.getDescriptor())).isFalse();
    }

    private static String print(Message message) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtoJsonMarshaller.INSTANCE.serializeMessage(ProtoUtils.marshaller(message), message, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
