package org.openkyc.client;

import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.screening.v1.ScreeningServiceGrpc;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.travelrule.v1.VerificationServiceGrpc;

/**
 * Which calls the client retries, and how: the gRPC service config it installs on its channel.
 *
 * <p>Only the calls that read and change nothing are retried ({@link #READ_ONLY_METHODS}), and only when the
 * call never reached a server that could answer ({@code UNAVAILABLE}): a retried read returns what the first
 * would have. Calls that create or change something (a profile, a document, a status) are never retried by the
 * client: the caller decides, and sends an {@code idempotency-key} ({@link OpenKycClient#withIdempotencyKey})
 * so that a repeat does not act twice.
 */
public final class RetryPolicy {

    /** The read-only calls: retried on UNAVAILABLE. */
    public static final List<MethodDescriptor<?, ?>> READ_ONLY_METHODS = List.of(
            KycServiceGrpc.getGetStatusMethod(),
            KycServiceGrpc.getGetLivenessSessionMethod(),
            KycAdminServiceGrpc.getListProfilesMethod(),
            KycAdminServiceGrpc.getGetProfileDetailMethod(),
            SubmissionServiceGrpc.getGetSubmissionsMethod(),
            SubmissionServiceGrpc.getGetApplicantSubmissionsMethod(),
            SubmissionServiceGrpc.getGetAmlReportMethod(),
            SubmissionServiceGrpc.getGetImageMethod(),
            ScreeningServiceGrpc.getGetScreeningMethod(),
            VerificationServiceGrpc.getListVerificationsMethod());

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        if (maxAttempts < 1 || maxAttempts > 5) {
            throw new IllegalArgumentException("maxAttempts must be 1 to 5 (gRPC caps retries at 5), not "
                    + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must be positive, the maximum at least the initial one");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** The default: three attempts, 0.2 s then 0.4 s apart (with jitter), at most 2 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    /** No retry at all. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    /** Up to {@code maxAttempts} attempts in all (1 to 5), exponential backoff between the given bounds. */
    public static RetryPolicy of(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The service config (as {@code ManagedChannelBuilder.defaultServiceConfig} takes it). */
    public Map<String, Object> serviceConfig() {
        if (maxAttempts == 1) {
            return Map.of();
        }
        List<Object> names = new ArrayList<>();
        for (MethodDescriptor<?, ?> m : READ_ONLY_METHODS) {
            names.add(Map.of("service", m.getServiceName(), "method", m.getBareMethodName()));
        }
        Map<String, Object> retry = Map.of(
                "maxAttempts", (double) maxAttempts,
                "initialBackoff", seconds(initialBackoff),
                "maxBackoff", seconds(maxBackoff),
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE"));
        return Map.of("methodConfig", List.of(Map.of("name", names, "retryPolicy", retry)));
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }
}
