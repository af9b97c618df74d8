package org.openkyc.server.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

/** Loading, refusing and reloading lists from a folder. */
class ListReloadTest {

    @TempDir
    Path dir;

    private IndexedSanctionsScreener screener(Path folder) {
        return new IndexedSanctionsScreener(Optional.of(folder), 0.92, 0.80, Clock.systemUTC());
    }

    @Test
    void eachListHasAVersion() throws Exception {
        SampleLists.copy(dir, "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv", "csl.csv");
        List<ListVersion> v = screener(dir).reload();
        assertThat(v).extracting(ListVersion::source).containsExactly(OfacSdnParser.SOURCE,
                ConsolidatedScreeningListParser.SOURCE);
        assertThat(v.get(0).entryCount()).isEqualTo(7379);
        assertThat(v.get(1).entryCount()).isEqualTo(115);
        assertThat(v.get(0).sha256()).matches("[0-9a-f]{64}");
        assertThat(v.get(0).loadedAt()).isNotNull();
    }

    @Test
    void parsersReadDatesOfBirthNationalitiesAndAliases() throws Exception {
        SampleLists.copy(dir, "sdn.csv", "alt.csv", "UN_consolidated.xml", "csl.csv");
        ListEntry soleimani = new OfacSdnParser().parse(dir, java.time.Instant.now()).entries().stream()
                .filter(e -> e.entryId().equals("10481")).findFirst().orElseThrow();
        assertThat(soleimani.kind()).isEqualTo(EntityKind.PERSON);
        assertThat(soleimani.birthDates()).containsExactly(new BirthDate(1957, 3, 11));
        assertThat(soleimani.nationalities()).containsExactly("IRN");
        assertThat(soleimani.programs()).contains("SDGT", "IRGC");
        ListEntry bank = new OfacSdnParser().parse(dir, java.time.Instant.now()).entries().stream()
                .filter(e -> e.entryId().equals("306")).findFirst().orElseThrow();
        assertThat(bank.kind()).isEqualTo(EntityKind.ORGANISATION);
        assertThat(bank.aliases()).contains("NATIONAL BANK OF CUBA");
        ListEntry un = new UnConsolidatedParser().parse(dir, java.time.Instant.now()).entries().get(0);
        assertThat(un.name()).isEqualTo("ERIC BADEGE");
        assertThat(un.birthDates()).containsExactly(new BirthDate(1971, 0, 0));
        assertThat(un.nationalities()).containsExactly("COD");
        ListEntry zboun = new ConsolidatedScreeningListParser().parse(dir, java.time.Instant.now()).entries()
                .stream().filter(e -> e.name().equals("ZBOUN, Anwar Mohammed")).findFirst().orElseThrow();
        assertThat(zboun.aliases()).containsExactly("AL-ZBOUN, Anwar Muhammad");
        assertThat(zboun.birthDates()).containsExactly(new BirthDate(1968, 0, 0));
    }

    @Test
    void withoutAFolderScreeningIsUnavailable() {
        IndexedSanctionsScreener s = new IndexedSanctionsScreener(Optional.empty(), 0.92, 0.8, Clock.systemUTC())
                .loadAtStart();
        assertThatThrownBy(() -> s.screen(ScreeningQuery.person("Anyone")))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("OPENKYC_SANCTIONS_DIR");
                });
    }

    @Test
    void anEmptyFolderIsRefused() {
        assertThatThrownBy(() -> screener(dir).reload()).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SANCTIONS_LIST_REJECTED));
    }

    @Test
    void aMalformedFileIsRefusedAndThePreviousVersionStays() throws Exception {
        SampleLists.copy(dir, "sdn.csv", "alt.csv", "csl.csv");
        IndexedSanctionsScreener s = screener(dir);
        List<ListVersion> before = s.reload();

        // A truncated SDN file: a quoted field that never closes.
        byte[] sdn = Files.readAllBytes(dir.resolve("sdn.csv"));
        String text = new String(sdn, StandardCharsets.UTF_8);
        String broken = text.substring(0, text.indexOf('\n', 5000) + 1) + "99999,\"UNCLOSED NAME,-0- \n";
        Files.writeString(dir.resolve("sdn.csv"), broken);
        assertThatThrownBy(s::reload).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SANCTIONS_LIST_REJECTED);
            assertThat(e.getMessage()).contains("sdn.csv line").contains("never closed");
        });
        assertThat(s.versions()).isEqualTo(before);
        assertThat(s.screen(ScreeningQuery.person("Arkady Rotenberg")).decision()).isEqualTo(Decision.HIT);

        // A row with the wrong number of fields.
        Files.writeString(dir.resolve("sdn.csv"), "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\n");
        assertThatThrownBy(s::reload).hasMessageContaining("sdn.csv line 1: expected 12 fields, found 4");

        // Not XML at all, and XML of another kind.
        Files.write(dir.resolve("sdn.csv"), sdn);
        Files.writeString(dir.resolve("UN_consolidated.xml"), "<CONSOLIDATED_LIST><INDIVIDUALS>");
        assertThatThrownBy(s::reload).hasMessageContaining("UN_consolidated.xml: not well-formed XML");
        Files.writeString(dir.resolve("UN_consolidated.xml"), "<html><body/></html>");
        assertThatThrownBy(s::reload).hasMessageContaining("not CONSOLIDATED_LIST");
        Files.writeString(dir.resolve("UN_consolidated.xml"),
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><CONSOLIDATED_LIST>&e;</CONSOLIDATED_LIST>");
        assertThatThrownBy(s::reload).hasMessageContaining("not well-formed XML");
        Files.delete(dir.resolve("UN_consolidated.xml"));

        // A CSL without its header.
        Files.writeString(dir.resolve("csl.csv"), "a,b,c\n1,2,3\n");
        assertThatThrownBy(s::reload).hasMessageContaining("csl.csv line 1: the header has no 'source' column");
        assertThat(s.versions()).isEqualTo(before);
    }

    @Test
    void reloadIfChangedSwapsOnlyWhenTheFolderChanged() throws Exception {
        SampleLists.copy(dir, "csl.csv");
        IndexedSanctionsScreener s = screener(dir);
        assertThat(s.reloadIfChanged()).isTrue();
        List<ListVersion> first = s.versions();
        assertThat(s.reloadIfChanged()).isFalse();
        assertThat(s.screen(ScreeningQuery.person("Arkady Rotenberg")).candidates()).isEmpty();

        SampleLists.copy(dir, "sdn.csv", "alt.csv");
        assertThat(s.reloadIfChanged()).isTrue();
        assertThat(s.versions()).hasSize(2).doesNotContainAnyElementsOf(first);
        assertThat(s.screen(ScreeningQuery.person("Arkady Rotenberg")).decision()).isEqualTo(Decision.HIT);
    }

    /**
     * Screenings run on four threads while the main thread reloads the folder
     * again and again between two contents: no screening fails, and each sees
     * one whole set of lists (one of the two versions, never a mix).
     */
    @Test
    void reloadUnderConcurrentScreeningsLosesNoRequest() throws Exception {
        Path live = dir.resolve("live");
        SampleLists.copy(live, "csl.csv");
        byte[] original = Files.readAllBytes(live.resolve("csl.csv"));
        byte[] extended = (new String(original, StandardCharsets.UTF_8)
                + "Test List,,Individual,,\"EXTRA, Entry\",,,,,,,,,,,,,,,,,,,,,,,\n").getBytes(StandardCharsets.UTF_8);
        IndexedSanctionsScreener s = screener(live);
        String shaA = s.reload().get(0).sha256();

        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> workers = new ArrayList<>();
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit(() -> {
                int done = 0;
                while (!stop.get() || done < 50) {
                    ScreeningOutcome o = s.screen(ScreeningQuery.person("Anwar Mohammed Zboun"));
                    assertThat(o.decision()).isEqualTo(Decision.HIT);
                    assertThat(o.lists()).hasSize(1);
                    seen.add(o.lists().get(0).sha256());
                    done++;
                }
                return done;
            }));
        }
        String shaB = null;
        for (int round = 0; round < 20; round++) {
            Files.write(live.resolve("csl.csv"), round % 2 == 0 ? extended : original);
            List<ListVersion> v = s.reload();
            if (round % 2 == 0) {
                shaB = v.get(0).sha256();
                assertThat(v.get(0).entryCount()).isEqualTo(116);
            }
        }
        stop.set(true);
        int total = 0;
        for (Future<Integer> w : workers) {
            total += w.get();
        }
        pool.shutdown();
        assertThat(total).isGreaterThanOrEqualTo(200);
        assertThat(shaB).isNotEqualTo(shaA);
        assertThat(seen).isSubsetOf(shaA, shaB);
    }
}
