package org.openkyc.client.example;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openkyc.api.kyc.v1.DocType;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.UploadDocumentRequest;
import org.openkyc.api.submissions.v2.DeleteSubmissionRequest;
import org.openkyc.client.ApiErrors;
import org.openkyc.client.OpenKycClient;

/**
 * One KYC case through the Java client: create a profile, upload a passport image, read the status, delete
 * the case.
 *
 * <pre>
 * OPENKYC_TARGET=localhost:8443 OPENKYC_API_KEY=... OPENKYC_CA_FILE=data/tls/cert.pem \
 *   java -cp ... org.openkyc.client.example.KycExample passport.png
 * </pre>
 * {@code OPENKYC_CA_FILE} is optional (default: the system's CAs).
 */
public final class KycExample {

    private KycExample() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KycExample IMAGE (with OPENKYC_TARGET, OPENKYC_API_KEY and optionally "
                    + "OPENKYC_CA_FILE set)");
            System.exit(2);
        }
        byte[] image = Files.readAllBytes(Path.of(args[0]));
        OpenKycClient.Builder builder = OpenKycClient.forTarget(env("OPENKYC_TARGET")).apiKey(env("OPENKYC_API_KEY"))
                .userAgent("openkyc-java-example/0.1");
        String ca = System.getenv("OPENKYC_CA_FILE");
        if (ca != null && !ca.isEmpty()) {
            builder.trustCertificates(Path.of(ca));
        }
        try (OpenKycClient client = builder.build()) {
            String profileId = client.kyc().submit(SubmitRequest.newBuilder()
                    .setUserId("example-java").setCountry("NL").build()).getProfileId();
            System.out.println("created profile " + profileId);

            var uploaded = client.kyc().uploadDocument(UploadDocumentRequest.newBuilder()
                    .setProfileId(profileId).setDocType(DocType.Value.PASSPORT).setCountry("NL")
                    .setFrontImage(ByteString.copyFrom(image)).build());
            System.out.println("uploaded document " + uploaded.getDocumentId() + ": name read \""
                    + uploaded.getFields().getName() + "\"");

            var status = client.kyc().getStatus(GetStatusRequest.newBuilder().setProfileId(profileId).build())
                    .getStatus();
            System.out.println("status: overall=" + status.getOverallStatus() + " document="
                    + status.getDocumentStatus());

            var deleted = client.submissions().deleteSubmission(DeleteSubmissionRequest.newBuilder()
                    .setSubmissionId(profileId).build());
            System.out.println("deleted: " + deleted.getContent());
        } catch (StatusRuntimeException e) {
            System.err.println("OpenKYC answered " + e.getStatus().getCode() + " "
                    + ApiErrors.reason(e).orElse("") + ": " + e.getStatus().getDescription());
            System.exit(1);
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            System.err.println(name + " is not set");
            System.exit(2);
        }
        return value;
    }
}
