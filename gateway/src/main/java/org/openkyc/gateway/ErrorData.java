package org.openkyc.gateway;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;

import org.openkyc.api.kyc.v1.KycProto;
import org.openkyc.api.submissions.v2.SubmissionsProto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result an error still carries (docs/API.md C2: a failed liveness verify answers code 20001 with the
 * result in {@code data.list}; C1: a refused upload answers the quality scores and errors). The server
 * packs that result as an extra {@code Any} detail of the gRPC status; this prints it as JSON with the
 * documented field names. Only messages of the product's own API packages are printed; anything else
 * is dropped.
 */
final class ErrorData {

    private static final Logger logger = LoggerFactory.getLogger(ErrorData.class);

    private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(KycProto.getDescriptor().getMessageTypes())
            .add(SubmissionsProto.getDescriptor().getMessageTypes())
            .build();

    /** The detail as a JSON object, or null when it is not one of ours or cannot be read. */
    static String json(Any detail) {
        final String url = detail.getTypeUrl();
        final String name = url.substring(url.lastIndexOf('/') + 1);
        final Descriptor type = TYPES.find(name);
        if (type == null) {
            return null;
        }
        try {
            return ProtoJsonMarshaller.print(DynamicMessage.parseFrom(type, detail.getValue()));
        } catch (java.io.IOException e) {
            logger.debug("Unreadable error detail {}", name, e);
            return null;
        }
    }

    private ErrorData() {}
}
