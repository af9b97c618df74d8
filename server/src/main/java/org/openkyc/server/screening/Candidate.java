package org.openkyc.server.screening;

import java.util.List;

/**
 * A listed entry that resembles the screened subject: the entry, the listed
 * name (or alias) that matched best, the query name it matched, the score in
 * [0, 1] and its per-feature breakdown.
 */
public record Candidate(String source, String entryId, EntityKind kind, String listedName, String matchedName,
        String queryName, double score, List<ScoreFeature> breakdown, List<String> programs) {

    public Candidate {
        breakdown = List.copyOf(breakdown);
        programs = List.copyOf(programs);
    }
}
