package org.openkyc.server.document.devset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.server.document.OpenCvDocumentReader;
import org.openkyc.server.vision.TestVision;

/**
 * Precision on a slice of the document development set: the first documents (the ICAO specimen, a
 * passport, an ID card's back) under every real-world condition, read through the document reader as the
 * API reads them. Whatever the reader answers must be right: a field it cannot read surely is left out
 * (unsure) or the zone is not answered at all, never shown wrong. How often it reads is reported by
 * bench/devset.sh, not asserted here, except on the clean baseline, which must read in full.
 */
class DevSetPrecisionTest {

    private static final int DOCUMENTS = 3;

    private static OpenCvDocumentReader reader;
    private static final List<DevSetEvaluator.Row> rows = new ArrayList<>();

    @BeforeAll
    static void readTheSlice() {
        reader = new OpenCvDocumentReader(TestVision.config(), Clock.fixed(DevSetEvaluator.NOW, ZoneOffset.UTC));
        DevSet.forEach(DevSet.SEED, DOCUMENTS, s -> rows.add(DevSetEvaluator.read(reader, s, s.image().bytes())));
    }

    @AfterAll
    static void close() {
        reader.close();
    }

    /**
     * Images on which the reader still answers a field wrongly: none. A name whose letters a glare spot
     * hid (holographic-glare/01-TD3: DRNA for DRAGANA) comes out unsure. Any wrong answer fails.
     */
    private static final Set<String> KNOWN_WRONG = Set.of();

    @Test
    void noAnsweredFieldIsWrongUnderAnyCondition() {
        assertThat(rows).hasSize(DOCUMENTS * Condition.values().length);
        List<String> wrong = rows.stream().filter(r -> r.outcome() == Scoring.Outcome.WRONG)
                .filter(r -> !KNOWN_WRONG.contains(r.file()))
                .map(r -> r.file() + " " + r.wrong() + " answered " + r.answered()).toList();
        assertThat(wrong).as("answered fields that differ from the document").isEmpty();
    }

    @Test
    void theCleanBaselineReadsInFull() {
        List<String> clean = rows.stream().filter(r -> r.condition().equals(Condition.CLEAN.label()))
                .map(r -> r.file() + " " + r.outcome()).toList();
        assertThat(clean).hasSize(DOCUMENTS).allSatisfy(r -> assertThat(r).endsWith(" READ"));
    }

    @Test
    void theSetIsTheSameOnEveryRun() {
        List<byte[]> first = new ArrayList<>();
        DevSet.forEach(DevSet.SEED, 1, s -> first.add(s.image().bytes()));
        List<byte[]> again = new ArrayList<>();
        DevSet.forEach(DevSet.SEED, 1, s -> again.add(s.image().bytes()));
        assertThat(again).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i)).isEqualTo(first.get(i));
        }
    }
}
