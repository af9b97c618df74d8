package org.openkyc.server.screening.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openkyc.server.screening.Candidate;
import org.openkyc.server.screening.ConsolidatedScreeningListParser;
import org.openkyc.server.screening.IndexedSanctionsScreener;
import org.openkyc.server.screening.NameNormalizer;
import org.openkyc.server.screening.OfacSdnParser;
import org.openkyc.server.screening.SanctionsList;
import org.openkyc.server.screening.ScreeningOutcome;
import org.openkyc.server.screening.ScreeningQuery;
import org.openkyc.server.screening.UnConsolidatedParser;

/**
 * Index build time and memory, single-threaded latency percentiles, and
 * precision and recall on the perturbation set at several thresholds. Not a
 * test: run by server/bench.sh (see BENCHMARKS.md). Argument: the list folder.
 */
public final class PerturbationEval {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "sanctions-sample");
        int perType = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        NameNormalizer.warmUp();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long memBefore = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        IndexedSanctionsScreener s = new IndexedSanctionsScreener(Optional.of(dir), 0.80, 0.80, Clock.systemUTC());
        s.reload();
        long coldMs = (System.nanoTime() - t0) / 1_000_000;
        for (int i = 0; i < 3; i++) {
            s.reload();
        }
        t0 = System.nanoTime();
        s.reload();
        long warmMs = (System.nanoTime() - t0) / 1_000_000;
        System.gc();
        long memAfter = rt.totalMemory() - rt.freeMemory();
        System.out.printf(Locale.ROOT, "index: entries=%s build cold=%d ms warm=%d ms heap=%.1f MiB%n",
                s.versions().stream().map(v -> v.source() + ":" + v.entryCount()).toList(), coldMs, warmMs,
                (memAfter - memBefore) / 1048576.0);

        List<SanctionsList> lists = List.of(new OfacSdnParser().parse(dir, Instant.now()),
                new UnConsolidatedParser().parse(dir, Instant.now()),
                new ConsolidatedScreeningListParser().parse(dir, Instant.now()));
        List<PerturbationSet.Probe> probes = PerturbationSet.generate(lists, perType, 20261122L);

        // Warm up, then time every probe once.
        for (int r = 0; r < 2; r++) {
            for (PerturbationSet.Probe p : probes) {
                s.screen(query(p));
            }
        }
        long[] nanos = new long[probes.size()];
        List<ScreeningOutcome> outcomes = new ArrayList<>(probes.size());
        for (int i = 0; i < probes.size(); i++) {
            long t = System.nanoTime();
            outcomes.add(s.screen(query(probes.get(i))));
            nanos[i] = System.nanoTime() - t;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "latency single-threaded over %d probes: p50=%.3f ms p90=%.3f ms p99=%.3f ms max=%.3f ms%n",
                sorted.length, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);

        Integer[] order = new Integer[nanos.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compare(nanos[y], nanos[x]));
        for (int i = 0; i < 5; i++) {
            System.out.printf(Locale.ROOT, "  slow: %.2f ms %s%n", nanos[order[i]] / 1e6, probes.get(order[i]).query());
        }
        System.out.println("threshold | recall | precision | false hits on unlisted names");
        for (double th : new double[] {0.86, 0.88, 0.90, 0.92, 0.94, 0.96}) {
            int listed = 0;
            int tp = 0;
            int fp = 0;
            int unlisted = 0;
            int unlistedHits = 0;
            for (int i = 0; i < probes.size(); i++) {
                PerturbationSet.Probe p = probes.get(i);
                ScreeningOutcome o = outcomes.get(i);
                boolean hit = o.bestScore() >= th;
                if (p.listed()) {
                    listed++;
                    boolean found = o.candidates().stream().filter(c -> c.score() >= th).anyMatch(c -> same(c, p));
                    if (found) {
                        tp++;
                    } else if (hit) {
                        fp++;
                    }
                } else {
                    unlisted++;
                    if (hit) {
                        fp++;
                        unlistedHits++;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%.2f | %.1f%% (%d/%d) | %.1f%% (%d/%d) | %d/%d%n", th, 100.0 * tp / listed,
                    tp, listed, 100.0 * tp / Math.max(1, tp + fp), tp, tp + fp, unlistedHits, unlisted);
        }
        double th = 0.92;
        Map<String, int[]> byKind = new LinkedHashMap<>();
        for (int i = 0; i < probes.size(); i++) {
            PerturbationSet.Probe p = probes.get(i);
            if (!p.listed()) {
                continue;
            }
            int[] c = byKind.computeIfAbsent(p.kind(), k -> new int[2]);
            c[1]++;
            if (outcomes.get(i).candidates().stream().filter(x -> x.score() >= th).anyMatch(x -> same(x, p))) {
                c[0]++;
            }
        }
        System.out.println("recall by perturbation at 0.92:");
        byKind.forEach((k, c) -> System.out.printf(Locale.ROOT, "  %s: %.1f%% (%d/%d)%n", k, 100.0 * c[0] / c[1],
                c[0], c[1]));
        if (args.length > 2) {
            for (int i = 0; i < probes.size(); i++) {
                PerturbationSet.Probe p = probes.get(i);
                ScreeningOutcome o = outcomes.get(i);
                boolean found = o.candidates().stream().filter(x -> x.score() >= th).anyMatch(x -> same(x, p));
                if ((p.listed() && !found) || (!p.listed() && o.bestScore() >= th)) {
                    System.out.println("MISS " + p.kind() + " | " + p.query() + " | " + p.entryId() + " | top "
                            + (o.candidates().isEmpty() ? "-" : o.candidates().get(0).matchedName() + " "
                            + o.candidates().get(0).score()));
                }
            }
        }
    }

    private static boolean same(Candidate c, PerturbationSet.Probe p) {
        return c.source().equals(p.source()) && c.entryId().equals(p.entryId());
    }

    static ScreeningQuery query(PerturbationSet.Probe p) {
        return new ScreeningQuery(p.subject(), List.of(p.query()), Optional.empty(), Optional.empty());
    }

    private static double pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
