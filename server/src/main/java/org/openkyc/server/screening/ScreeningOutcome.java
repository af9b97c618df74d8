package org.openkyc.server.screening;

import java.util.List;

/**
 * The answer of the screener: the list versions it used, the query names as
 * normalised for matching, every candidate at or above the review floor (best
 * first), the decision, and the threshold and floor applied.
 */
public record ScreeningOutcome(List<ListVersion> lists, List<String> normalizedNames, List<Candidate> candidates,
        Decision decision, double threshold, double reviewFloor) {

    public ScreeningOutcome {
        lists = List.copyOf(lists);
        normalizedNames = List.copyOf(normalizedNames);
        candidates = List.copyOf(candidates);
    }

    public double bestScore() {
        return candidates.isEmpty() ? 0 : candidates.get(0).score();
    }
}
