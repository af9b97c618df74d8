package org.openkyc.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

import org.openkyc.api.kyc.v1.ConfirmDocumentResponse;
import org.openkyc.api.kyc.v1.GetLivenessSessionResponse;
import org.openkyc.api.kyc.v1.GetProfileDetailResponse;
import org.openkyc.api.kyc.v1.GetStatusResponse;
import org.openkyc.api.kyc.v1.ListProfilesResponse;
import org.openkyc.api.kyc.v1.LivenessCallbackResponse;
import org.openkyc.api.kyc.v1.StartLivenessResponse;
import org.openkyc.api.kyc.v1.SubmitDocumentResponse;
import org.openkyc.api.kyc.v1.SubmitResponse;
import org.openkyc.api.kyc.v1.UpdateStatusResponse;
import org.openkyc.api.kyc.v1.UploadDocumentMetadataResponse;
import org.openkyc.api.kyc.v1.UploadDocumentResponse;
import org.openkyc.api.kyc.v1.VerifyLivenessResponse;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.netty.util.AttributeKey;

/**
 * The REST envelope of the KYC web and admin API (docs/API.md C1-C3). Over gRPC their rpcs answer the data
 * message itself; a REST caller gets {@code {"code":0,"message":"...","data":{...}}}, with the data message's
 * JSON as {@code data} byte for byte and the message the API has always shown for that answer.
 *
 * <p>The forwarder {@linkplain #remember remembers} each upstream answer on the request's context; the REST
 * decorator ({@link ApiDecorator}) then {@linkplain #wrap wraps} a successful JSON body whose answer is one of
 * this family's. gRPC, gRPC-JSON and gRPC-Web callers never pass that decorator: they get the data message.
 * Errors keep their own body ({@link ApiFamily#errorBody}).
 */
final class KycEnvelope {

    /** The upstream answer of this request, when it is one of the KYC family's data messages. */
    static final AttributeKey<Message> ANSWER = AttributeKey.valueOf(KycEnvelope.class, "ANSWER");

    /** The REST message of each answer type: what the API showed before gRPC answers lost their envelope. */
    private static final Map<Descriptor, Function<Message, String>> MESSAGES = Map.ofEntries(
            fixed(SubmitResponse.getDescriptor(), "success"),
            fixed(UploadDocumentMetadataResponse.getDescriptor(), "Document saved"),
            fixed(UploadDocumentResponse.getDescriptor(), "Document uploaded successfully"),
            Map.entry(ConfirmDocumentResponse.getDescriptor(),
                      m -> ((ConfirmDocumentResponse) m).getManualReview()
                           ? "Document confirmed; the fields were modified, so the record will go to manual review"
                           : "Document confirmed"),
            Map.entry(SubmitDocumentResponse.getDescriptor(),
                      m -> switch (((SubmitDocumentResponse) m).getStatus()) {
                          case 1 -> "Document submitted: auto-approved";
                          case 3 -> "Document submitted: the fields were modified by the user, so the record"
                                    + " goes to manual review";
                          default -> "Document submitted: the record goes to manual review";
                      }),
            fixed(GetStatusResponse.getDescriptor(), "query success"),
            fixed(LivenessCallbackResponse.getDescriptor(), "liveness result recorded"),
            fixed(StartLivenessResponse.getDescriptor(), "success"),
            fixed(VerifyLivenessResponse.getDescriptor(), "success"),
            fixed(GetLivenessSessionResponse.getDescriptor(), "success"),
            fixed(ListProfilesResponse.getDescriptor(), "query success"),
            fixed(GetProfileDetailResponse.getDescriptor(), "query success"),
            fixed(UpdateStatusResponse.getDescriptor(), "success"));

    private static Map.Entry<Descriptor, Function<Message, String>> fixed(Descriptor type, String message) {
        return Map.entry(type, m -> message);
    }

    /** Notes the upstream answer of the request in {@code ctx} when it is one of this family's. */
    static void remember(ServiceRequestContext ctx, Object answer) {
        if (ctx != null && answer instanceof Message m && MESSAGES.containsKey(m.getDescriptorForType())) {
            ctx.setAttr(ANSWER, m);
        }
    }

    /**
     * The REST response with the family's envelope around a successful answer's JSON; any other response
     * (an error, another family's answer, a download) unchanged.
     */
    static AggregatedHttpResponse wrap(ServiceRequestContext ctx, AggregatedHttpResponse response) {
        final Message answer = ctx.attr(ANSWER);
        final ResponseHeaders headers = response.headers();
        if (answer == null || headers.status() != HttpStatus.OK || headers.contentType() == null
            || !headers.contentType().isJson()) {
            return response;
        }
        final byte[] body = envelope(answer, response.content().toStringUtf8()).getBytes(StandardCharsets.UTF_8);
        response.content().close();
        return AggregatedHttpResponse.of(headers.toBuilder().contentLength(body.length).build(),
                                         HttpData.wrap(body), response.trailers());
    }

    /**
     * {@code {"code":0,"message":"...","data":DATA}} for the answer whose JSON is {@code dataJson}; without
     * {@code data} when the answer type has no field (the liveness callback answers a message only).
     */
    static String envelope(Message answer, String dataJson) {
        final String message = MESSAGES.getOrDefault(answer.getDescriptorForType(), m -> "success").apply(answer);
        final StringBuilder sb = new StringBuilder(dataJson.length() + message.length() + 40);
        sb.append("{\"code\":0,\"message\":");
        Json.appendString(sb, message);
        if (!answer.getDescriptorForType().getFields().isEmpty()) {
            sb.append(",\"data\":").append(dataJson);
        }
        return sb.append('}').toString();
    }

    private KycEnvelope() {}
}
