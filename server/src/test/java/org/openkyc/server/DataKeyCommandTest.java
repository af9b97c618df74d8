package org.openkyc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** What {@code data-key status} and {@code rotate} tell the operator about each previous master key. */
class DataKeyCommandTest {

    private static final String OLD = "1111111111111111";
    private static final String NEW = "2222222222222222";

    private static String out(IntSupplier run, int[] exit) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            exit[0] = run.getAsInt();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPreviousKeyThatSealsNothingCanGoAndEveryKindShowsItsZero() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put(MasterKeyRotation.CASE_KEYS, Map.of(NEW, 3L));
        counts.put("documents", Map.of(NEW, 2L));
        counts.put(MasterKeyRotation.REGISTRIES, Map.of());
        int[] exit = new int[1];
        String text = out(() -> DataKeyCommand.print(counts, NEW, List.of(OLD)), exit);
        assertThat(exit[0]).isZero();
        assertThat(text).contains("case keys                " + OLD + "   0\n")
                .contains("case keys                " + NEW + "   3 (current)")
                .contains("documents                " + OLD + "   0\n")
                .contains("master key " + OLD + " seals nothing any more: it can be removed from"
                        + " OPENKYC_DATA_KEY_PREVIOUS")
                .doesNotContain("unreadable");
    }

    @Test
    void whatAnOldKeyStillSealsIsCountedAndRegistriesAreToBeLoadedAgain() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put(MasterKeyRotation.BLOBS, Map.of(OLD, 4L, NEW, 1L));
        counts.put(MasterKeyRotation.REGISTRIES, Map.of(OLD, 7L, MasterKeyRotation.UNRECORDED, 2L));
        int[] exit = new int[1];
        String text = out(() -> DataKeyCommand.print(counts, NEW, List.of(OLD)), exit);
        assertThat(exit[0]).isZero();
        assertThat(text).contains("master key " + OLD + " still seals 4 values: run data-key rotate")
                .contains("master key " + OLD + " still hashes 7 identity registry entries")
                .contains("2 identity registry entries were loaded before their master key was recorded")
                .doesNotContain("can be removed");
    }

    @Test
    void valuesNoConfiguredKeyOpensFailTheCommand() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("webhook secrets", Map.of(MasterKeyRotation.UNREADABLE, 1L, NEW, 1L));
        int[] exit = new int[1];
        String text = out(() -> DataKeyCommand.print(counts, NEW, List.of()), exit);
        assertThat(exit[0]).isEqualTo(1);
        assertThat(text).contains("webhook secrets          unreadable         1")
                .contains("1 values open with no configured master key");
    }
}
