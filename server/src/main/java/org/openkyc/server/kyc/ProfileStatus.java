package org.openkyc.server.kyc;

import java.time.Instant;
import java.util.Optional;
import org.openkyc.server.liveness.LivenessResult;

/**
 * What the status of a profile shows (C1 {@code GET /status}): the case (without its step-2 attempts), its newest
 * document and its newest liveness result.
 */
public record ProfileStatus(KycCase profile, Optional<LatestDocument> document, Optional<LivenessResult> liveness) {

    /** The newest document of a case: its id, status and, once submitted, when. */
    public record LatestDocument(long documentId, DocumentService.Status status, Optional<Instant> submittedAt) {

        public static LatestDocument of(DocumentService.DocumentView d) {
            return new LatestDocument(d.documentId(), d.status(), d.submittedAt());
        }
    }
}
