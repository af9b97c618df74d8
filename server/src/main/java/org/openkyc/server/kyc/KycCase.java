package org.openkyc.server.kyc;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One KYC case: the submission of the submissions API and the profile of the
 * KYC web API. Identity numbers appear here only masked. Absent values are
 * empty Optionals.
 */
public record KycCase(
        String id,
        Optional<String> userId,
        Optional<String> email,
        Optional<String> country,
        Optional<String> fullName,
        Optional<String> gender,
        Optional<String> nationality,
        Optional<LocalDate> dateOfBirth,
        Optional<String> cf1,
        Optional<String> ipAddress,
        Optional<String> idType,
        Optional<String> issuingCountry,
        Optional<LocalDate> issueDate,
        Optional<String> identityNumberMasked,
        CaseStatus status,
        List<String> comments,
        List<String> commentCodes,
        Optional<String> applicantId,
        int retryCount,
        Optional<String> amlResult,
        Optional<String> amlResourceId,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> reviewedAt,
        List<Attempt> attempts) {

    /**
     * One step-2 attempt. Scores that were not measured are empty; registryCheck is what the identity
     * registry said (match, mismatch, not_found, skipped), empty when the attempt stopped before it.
     */
    public record Attempt(
            int number,
            Optional<Integer> livenessScore,
            Optional<Integer> faceSimilarityScore,
            Optional<String> fullName,
            Optional<String> idType,
            Optional<LocalDate> issueDate,
            Optional<String> identityNumberMasked,
            Optional<String> verificationResult,
            Optional<String> retryMsg,
            Optional<String> registryCheck) {
    }
}
