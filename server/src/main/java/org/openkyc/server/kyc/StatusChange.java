package org.openkyc.server.kyc;

import java.time.Instant;
import java.util.Optional;

/**
 * One recorded change of a case's status: who, when, from, to, remark, and the reviewer's decision when a
 * reviewer made it.
 */
public record StatusChange(String actor, Instant at, Optional<CaseStatus> from, CaseStatus to,
        Optional<String> remark, Optional<ReviewDecision> decision) {

    public StatusChange(String actor, Instant at, Optional<CaseStatus> from, CaseStatus to, Optional<String> remark) {
        this(actor, at, from, to, remark, Optional.empty());
    }
}
