package org.openkyc.gateway;

import java.util.Set;

import com.google.protobuf.Descriptors.Descriptor;

/**
 * The KYC family's REST envelope for gRPC answers that are plain data messages: over REST such an answer reads
 * {@code {"code":0,"message":"success","data":{...}}}, as every answer of the family does (docs/API.md C), while
 * gRPC callers get the data message itself.
 */
final class DataEnvelope {

    /** The proto files whose answers ({@code ...Response} messages) are data-only. */
    private static final Set<String> DATA_ONLY_FILES = Set.of("openkyc/kyc/v1/webhooks.proto");

    static final String OPEN = "{\"code\":0,\"message\":\"success\",\"data\":";
    static final String CLOSE = "}";

    /** True when an answer of this type is wrapped in the envelope over REST. */
    static boolean wraps(Descriptor type) {
        return type.getName().endsWith("Response") && DATA_ONLY_FILES.contains(type.getFile().getName());
    }

    private DataEnvelope() {}
}
