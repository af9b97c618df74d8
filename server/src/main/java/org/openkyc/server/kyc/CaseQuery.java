package org.openkyc.server.kyc;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A listing of cases: every present filter applies (AND), newest first, at
 * most {@code limit} items after the cursor.
 */
public record CaseQuery(
        Optional<String> userId,
        Optional<String> email,
        Optional<LocalDate> startDate,
        Optional<LocalDate> endDate,
        Optional<CaseStatus> status,
        Optional<String> applicantId,
        int limit,
        Optional<Cursor> after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 2000;

    /** Position after the last item of a page: its id and creation time. */
    public record Cursor(String id, Instant createdAt) {
    }
}
