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
import org.openkyc.server.screening.Decision;
import org.openkyc.server.screening.IndexedSanctionsScreener;
import org.openkyc.server.screening.NameNormalizer;
import org.openkyc.server.screening.OfacSdnParser;
import org.openkyc.server.screening.SanctionsList;
import org.openkyc.server.screening.ScreeningOutcome;
import org.openkyc.server.screening.ScreeningQuery;
import org.openkyc.server.screening.UnConsolidatedParser;

/**
 * Index build time and memory, single-threaded latency percentiles, and
 * precision, recall, F1 and the share of unlisted names sent to review on the
 * perturbation set, per category at the default threshold and review floor
 * (0.92, 0.80) and overall at several thresholds. Not a test: run by
 * server/bench.sh (see BENCHMARKS.md). Arguments: the list folder, probes per
 * perturbation (500), and any third argument to print every miss.
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
        IndexedSanctionsScreener s = new IndexedSanctionsScreener(Optional.of(dir), THRESHOLD, FLOOR, Clock.systemUTC());
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
        // An unlisted name that is, token for token, a listed name (Ali Habib, Zhang Lei) is a homonym:
        // a hit on it is right on the name alone; it is counted, and still counted as a false hit.
        java.util.Set<String> listedNames = new java.util.HashSet<>();
        for (SanctionsList l : lists) {
            for (var e : l.entries()) {
                listedNames.add(key(e.name(), e.kind()));
                e.aliases().forEach(a -> listedNames.add(key(a, e.kind())));
            }
        }
        System.out.printf(Locale.ROOT, "at threshold %.2f, review floor %.2f:%n", THRESHOLD, FLOOR);
        System.out.println("category | probes | recall (listed) or hit (unlisted) | precision | F1 | pending review"
                + " | homonyms of a listed name");
        Map<String, int[]> byKind = new LinkedHashMap<>();
        // [probes, found or hit, pending, homonyms, wrong hits]
        int[] cross = new int[2];
        int[] ordinary = new int[3];
        for (int i = 0; i < probes.size(); i++) {
            PerturbationSet.Probe p = probes.get(i);
            ScreeningOutcome o = outcomes.get(i);
            int[] c = byKind.computeIfAbsent(p.kind(), k -> new int[5]);
            if (!p.listed() && listedNames.contains(key(p.query(), p.subject()))) {
                c[3]++;
            }
            c[0]++;
            boolean found = p.listed() && found(o, p, THRESHOLD);
            if (p.listed() ? found : o.decision() == Decision.HIT) {
                c[1]++;
            }
            if (p.listed() && !found && o.decision() == Decision.HIT) {
                c[4]++;
            }
            if (o.decision() == Decision.PENDING_REVIEW) {
                c[2]++;
            }
            if (p.listed() && (p.kind().startsWith("transliteration") || p.kind().startsWith("original script"))) {
                cross[0]++;
                cross[1] += found ? 1 : 0;
            }
            if (!p.listed() && !p.kind().contains("single")) {
                ordinary[0]++;
                ordinary[1] += o.decision() == Decision.PENDING_REVIEW ? 1 : 0;
                ordinary[2] += o.decision() == Decision.HIT ? 1 : 0;
            }
        }
        byKind.forEach((k, c) -> {
            if (k.startsWith("unlisted")) {
                System.out.printf(Locale.ROOT, "  %s | %d | %.1f%% (%d) | - | - | %.1f%% (%d) | %d%n", k, c[0],
                        100.0 * c[1] / c[0], c[1], 100.0 * c[2] / c[0], c[2], c[3]);
            } else {
                double r = (double) c[1] / c[0];
                double pr = (double) c[1] / Math.max(1, c[1] + c[4]);
                System.out.printf(Locale.ROOT, "  %s | %d | %.1f%% (%d) | %.1f%% | %.3f | %.1f%% (%d) | -%n", k, c[0],
                        100 * r, c[1], 100 * pr, r + pr == 0 ? 0 : 2 * r * pr / (r + pr), 100.0 * c[2] / c[0], c[2]);
            }
        });
        System.out.printf(Locale.ROOT, "cross-script recall (Cyrillic, Hangul, Han, original script): %.1f%% (%d/%d)%n",
                100.0 * cross[1] / cross[0], cross[1], cross[0]);
        System.out.printf(Locale.ROOT, "unlisted full names (single given names apart): pending %.1f%% (%d/%d), hit %d%n",
                100.0 * ordinary[1] / ordinary[0], ordinary[1], ordinary[0], ordinary[2]);
        System.out.println("threshold | recall | precision | F1 | unlisted names hit | unlisted names pending review");
        row(THRESHOLD, FLOOR, probes, outcomes);
        for (double th : Boolean.getBoolean("eval.quick") ? new double[0] : new double[] {0.86, 0.88, 0.90, 0.94, 0.96}) {
            IndexedSanctionsScreener t = new IndexedSanctionsScreener(Optional.of(dir), th, Math.min(FLOOR, th),
                    Clock.systemUTC());
            t.reload();
            List<ScreeningOutcome> os = new ArrayList<>(probes.size());
            for (PerturbationSet.Probe p : probes) {
                os.add(t.screen(query(p)));
            }
            row(th, Math.min(FLOOR, th), probes, os);
        }
        if (args.length > 3) {
            java.util.regex.Pattern close = java.util.regex.Pattern.compile("close pairs hold ([0-9.]+) of the query's"
                    + " weight and ([0-9]+)%");
            for (int i = 0; i < probes.size(); i++) {
                PerturbationSet.Probe p = probes.get(i);
                ScreeningOutcome o = outcomes.get(i);
                Candidate c = p.listed() ? o.candidates().stream().filter(x -> same(x, p)).findFirst().orElse(null)
                        : o.candidates().isEmpty() ? null : o.candidates().get(0);
                String w = "0\t0";
                if (c != null) {
                    java.util.regex.Matcher m = close.matcher(c.breakdown().get(0).explanation());
                    if (m.find()) {
                        w = m.group(1) + "\t" + m.group(2);
                    }
                }
                System.out.println("DUMP\t" + p.kind() + "\t" + p.listed() + "\t" + o.decision() + "\t"
                        + (c == null ? 0 : c.score()) + "\t" + w + "\t" + p.query());
            }
        }
        if (args.length > 2) {
            for (int i = 0; i < probes.size(); i++) {
                PerturbationSet.Probe p = probes.get(i);
                ScreeningOutcome o = outcomes.get(i);
                if ((p.listed() && !found(o, p, THRESHOLD)) || (!p.listed() && o.decision() != Decision.CLEAR)) {
                    System.out.println((p.listed() ? "MISS " : o.decision() + " ") + p.kind() + " | " + p.query()
                            + " | " + p.entryId() + " | top " + (o.candidates().isEmpty() ? "-"
                            : o.candidates().get(0).matchedName() + " " + o.candidates().get(0).score()));
                }
            }
        }
    }

    private static String key(String name, org.openkyc.server.screening.EntityKind kind) {
        List<String> t = new ArrayList<>(NameNormalizer.tokens(name, kind));
        t.sort(null);
        return String.join(" ", t);
    }

    static final double THRESHOLD = 0.92;
    static final double FLOOR = 0.80;

    private static void row(double th, double floor, List<PerturbationSet.Probe> probes,
            List<ScreeningOutcome> outcomes) {
        int listed = 0;
        int tp = 0;
        int fp = 0;
        int unlisted = 0;
        int unlistedHits = 0;
        int unlistedPending = 0;
        for (int i = 0; i < probes.size(); i++) {
            PerturbationSet.Probe p = probes.get(i);
            ScreeningOutcome o = outcomes.get(i);
            boolean hit = o.decision() == Decision.HIT;
            if (p.listed()) {
                listed++;
                if (found(o, p, th)) {
                    tp++;
                } else if (hit) {
                    fp++;
                }
            } else {
                unlisted++;
                if (hit) {
                    fp++;
                    unlistedHits++;
                } else if (o.decision() == Decision.PENDING_REVIEW) {
                    unlistedPending++;
                }
            }
        }
        double recall = (double) tp / listed;
        double precision = (double) tp / Math.max(1, tp + fp);
        System.out.printf(Locale.ROOT, "%.2f (floor %.2f) | %.1f%% (%d/%d) | %.1f%% (%d/%d) | %.3f | %d/%d | %.1f%% (%d/%d)%n",
                th, floor, 100 * recall, tp, listed, 100 * precision, tp, tp + fp,
                2 * precision * recall / (precision + recall), unlistedHits, unlisted,
                100.0 * unlistedPending / unlisted, unlistedPending, unlisted);
    }

    private static boolean found(ScreeningOutcome o, PerturbationSet.Probe p, double th) {
        return o.candidates().stream().filter(c -> c.score() >= th).anyMatch(c -> same(c, p));
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
