package org.openkyc.server.kyc;

import java.time.Instant;
import java.util.Optional;

/** One recorded change of a case's status: who, when, from, to, remark. */
public record StatusChange(String actor, Instant at, Optional<CaseStatus> from, CaseStatus to,
        Optional<String> remark) {
}
