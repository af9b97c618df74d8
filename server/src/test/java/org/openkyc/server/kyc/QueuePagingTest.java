package org.openkyc.server.kyc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openkyc.server.error.DomainException;

/** The reviewer queue's cursor and its counts kept per filter combination. */
class QueuePagingTest {

    private static final Instant T = Instant.parse("2026-12-06T10:15:30.123Z");

    @Test
    void aCursorComesBackAsItWasGivenAndAnythingElseIsRefusedNamingTheField() {
        QueueCursor c = new QueueCursor(T, 42L, true);
        assertThat(QueueCursor.decode(c.encode())).isEqualTo(c);
        assertThat(c.encode()).matches("[A-Za-z0-9_-]+");
        for (String bad : new String[] {"", "not-a-cursor", "%%%", "cTEueC4xLjI", "x".repeat(200)}) {
            assertThatThrownBy(() -> QueueCursor.decode(bad)).as(bad).isInstanceOf(DomainException.class)
                    .hasMessageContaining("cursor");
        }
    }

    @Test
    void largeCountsAreKeptForTheirTimeSmallOnesNever() {
        QueueCounts counts = new QueueCounts(Duration.ofSeconds(10), 100, 2);
        QueueCounts.Counted large = new QueueCounts.Counted(Map.of("pending", 80L, "approved", 40L), T);
        counts.put("a", large);
        counts.put("b", new QueueCounts.Counted(Map.of("pending", 99L), T));
        assertThat(counts.get("a", T.plusSeconds(9))).contains(large);
        assertThat(counts.get("b", T)).isEmpty();
        assertThat(counts.get("a", T.plusSeconds(10))).isEmpty();
        // At most the given number of filter combinations, the least recently used leaving first.
        counts.put("a", large);
        counts.put("c", large);
        counts.get("a", T);
        counts.put("d", large);
        assertThat(counts.get("c", T)).isEmpty();
        assertThat(counts.get("a", T)).isPresent();
        assertThat(QueueCounts.off().get("a", T)).isEmpty();
    }

    @Test
    void expiredCountsAreCountedAgainByOneCallerWhileTheOthersGetTheExpiredOnes() {
        QueueCounts counts = new QueueCounts(Duration.ofSeconds(10), 100, 10);
        QueueCounts.Counted old = new QueueCounts.Counted(Map.of("pending", 500L), T);
        counts.put("a", old);
        // The first caller after expiry counts; the callers meanwhile get the expired counts with their time.
        assertThat(counts.get("a", T.plusSeconds(11))).isEmpty();
        assertThat(counts.get("a", T.plusSeconds(12))).contains(old);
        assertThat(counts.get("a", T.plusSeconds(20))).contains(old);
        QueueCounts.Counted fresh = new QueueCounts.Counted(Map.of("pending", 501L), T.plusSeconds(21));
        counts.put("a", fresh);
        assertThat(counts.get("a", T.plusSeconds(22))).contains(fresh);
        // A recount that never reports back holds the others back for a minute at most.
        assertThat(counts.get("a", T.plusSeconds(40))).isEmpty();
        assertThat(counts.get("a", T.plusSeconds(41))).contains(fresh);
        assertThat(counts.get("a", T.plusSeconds(101))).isEmpty();
        // Counts that became small are no longer kept.
        counts.put("a", new QueueCounts.Counted(Map.of("pending", 5L), T.plusSeconds(102)));
        assertThat(counts.get("a", T.plusSeconds(103))).isEmpty();
    }
}
