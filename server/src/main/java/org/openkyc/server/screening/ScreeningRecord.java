package org.openkyc.server.screening;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A stored screening: its resource id, the case it belongs to (if any), the
 * query as given and as normalised, the list versions, every candidate at or
 * above the review floor, the decision and when it ran.
 */
public record ScreeningRecord(String resourceId, Optional<String> caseId, ScreeningQuery query,
        List<String> normalizedNames, List<ListVersion> lists, List<Candidate> candidates, Decision decision,
        double threshold, double reviewFloor, Instant screenedAt) {

    public ScreeningRecord {
        normalizedNames = List.copyOf(normalizedNames);
        lists = List.copyOf(lists);
        candidates = List.copyOf(candidates);
    }

    public double bestScore() {
        return candidates.isEmpty() ? 0 : candidates.get(0).score();
    }
}
