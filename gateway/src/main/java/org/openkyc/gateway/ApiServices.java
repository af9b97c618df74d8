package org.openkyc.gateway;

import java.util.List;

import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.WebhookAdminServiceGrpc;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.travelrule.v1.VerificationServiceGrpc;

import io.grpc.ServiceDescriptor;

/**
 * The one list of gRPC services the gateway serves over HTTP: each is transcoded from its
 * {@code google.api.http} rules and forwarded to the upstream servers. Add a service here and
 * its REST routes appear, nothing else to change.
 */
final class ApiServices {

    /** The HTTP-facing services, in the order their routes are registered. */
    static List<ServiceDescriptor> httpFacing() {
        return List.of(
                SubmissionServiceGrpc.getServiceDescriptor(),
                KycServiceGrpc.getServiceDescriptor(),
                KycAdminServiceGrpc.getServiceDescriptor(),
                VerificationServiceGrpc.getServiceDescriptor(),
                // Webhooks
                WebhookAdminServiceGrpc.getServiceDescriptor());
    }

    private ApiServices() {}
}
