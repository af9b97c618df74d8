package org.openkyc.server.screening.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.openkyc.server.screening.Candidate;
import org.openkyc.server.screening.ConsolidatedScreeningListParser;
import org.openkyc.server.screening.Decision;
import org.openkyc.server.screening.IndexedSanctionsScreener;
import org.openkyc.server.screening.NameNormalizer;
import org.openkyc.server.screening.OfacSdnParser;
import org.openkyc.server.screening.SanctionsList;
import org.openkyc.server.screening.ScreeningOutcome;
import org.openkyc.server.screening.UnConsolidatedParser;

/**
 * OpenKYC beside a running Moov Watchman on the same OFAC SDN files: every
 * item of the evaluation set ({@link PerturbationSet}) whose source is the SDN
 * list, and every unlisted name, screened by both. OpenKYC answers with its
 * decision at its defaults (threshold 0.92); Watchman has no decision, so its
 * best F1 over thresholds of its match score is reported, overall and per
 * category. A perturbed listed name is found when its SDN entry (by name or
 * alias) scores at or above the threshold; any other answer at or above it is
 * a false hit. Not a test: run by bench/peers/watchman.sh. Arguments: the list
 * folder, Watchman's base URL, probes per perturbation (500).
 */
public final class PeerEval {

    record Scores(double expected, double top) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String base = args[1];
        int perType = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        NameNormalizer.warmUp();
        List<SanctionsList> lists = List.of(new OfacSdnParser().parse(dir, Instant.now()),
                new UnConsolidatedParser().parse(dir, Instant.now()),
                new ConsolidatedScreeningListParser().parse(dir, Instant.now()));
        List<PerturbationSet.Probe> all = PerturbationSet.generate(lists, perType, 20261122L);
        List<PerturbationSet.Probe> probes = all.stream()
                .filter(p -> !p.listed() || p.source().equals(OfacSdnParser.SOURCE)).toList();

        // OpenKYC on the OFAC files only, as Watchman.
        Path ofac = Files.createTempDirectory("openkyc-ofac");
        for (String f : List.of("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")) {
            Files.copy(dir.resolve(f), ofac.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        IndexedSanctionsScreener s = new IndexedSanctionsScreener(Optional.of(ofac), PerturbationEval.THRESHOLD,
                PerturbationEval.FLOOR, Clock.systemUTC());
        s.reload();
        List<ScreeningOutcome> ours = new ArrayList<>();
        for (PerturbationSet.Probe p : probes) {
            ours.add(s.screen(PerturbationEval.query(p)));
        }

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Scores[] theirs = new Scores[probes.size()];
        IntStream.range(0, probes.size()).parallel().forEach(i -> theirs[i] = watchman(http, base, probes.get(i)));

        // Watchman's best threshold over the whole set.
        double bestT = 0;
        double bestF1 = -1;
        for (int k = 50; k <= 100; k++) {
            double t = k / 100.0;
            double f = f1(count(probes, theirs, t, null));
            if (f > bestF1) {
                bestF1 = f;
                bestT = t;
            }
        }
        System.out.printf(Locale.ROOT, "probes: %d (%d perturbed SDN names, %d unlisted names)%n", probes.size(),
                probes.stream().filter(PerturbationSet.Probe::listed).count(),
                probes.stream().filter(p -> !p.listed()).count());
        int[] o = ourCount(probes, ours, null);
        int[] w = count(probes, theirs, bestT, null);
        System.out.printf(Locale.ROOT, "overall | OpenKYC (0.92): recall %.1f%% precision %.1f%% F1 %.3f, unlisted hit"
                + " %d, pending %d | Watchman best threshold %.2f: recall %.1f%% precision %.1f%% F1 %.3f, unlisted hit"
                + " %d%n", 100 * recall(o), 100 * precision(o), f1(o), o[3], o[4], bestT, 100 * recall(w),
                100 * precision(w), f1(w), w[3]);
        System.out.println("category | probes | OpenKYC recall | precision | F1 | Watchman at " + bestT
                + ": recall | precision | F1 | Watchman best F1 (threshold)");
        Map<String, Boolean> kinds = new LinkedHashMap<>();
        probes.forEach(p -> kinds.put(p.kind(), p.listed()));
        for (var e : kinds.entrySet()) {
            String k = e.getKey();
            int[] oc = ourCount(probes, ours, k);
            int[] wc = count(probes, theirs, bestT, k);
            int n = (int) probes.stream().filter(p -> p.kind().equals(k)).count();
            if (!e.getValue()) {
                System.out.printf(Locale.ROOT, "  %s | %d | hit %.1f%%, pending %.1f%% | Watchman hit at %.2f: %.1f%%%n",
                        k, n, 100.0 * oc[3] / n, 100.0 * oc[4] / n, bestT, 100.0 * wc[3] / n);
                continue;
            }
            double catBest = -1;
            double catT = 0;
            for (int j = 50; j <= 100; j++) {
                double f = f1(count(probes, theirs, j / 100.0, k));
                if (f > catBest) {
                    catBest = f;
                    catT = j / 100.0;
                }
            }
            System.out.printf(Locale.ROOT, "  %s | %d | %.1f%% | %.1f%% | %.3f | %.1f%% | %.1f%% | %.3f | %.3f (%.2f)%n",
                    k, n, 100 * recall(oc), 100 * precision(oc), f1(oc), 100 * recall(wc), 100 * precision(wc),
                    f1(wc), catBest, catT);
        }
        for (double t : new double[] {0.80, 0.85, 0.88, 0.90, 0.92, 0.95}) {
            int[] c = count(probes, theirs, t, null);
            System.out.printf(Locale.ROOT, "Watchman at %.2f: recall %.1f%% precision %.1f%% F1 %.3f unlisted hit %d%n",
                    t, 100 * recall(c), 100 * precision(c), f1(c), c[3]);
        }
    }

    /** [listed, found, false hits, unlisted hits, unlisted pending] of OpenKYC's decisions, for one category or all. */
    static int[] ourCount(List<PerturbationSet.Probe> probes, List<ScreeningOutcome> outcomes, String kind) {
        int[] c = new int[5];
        for (int i = 0; i < probes.size(); i++) {
            PerturbationSet.Probe p = probes.get(i);
            if (kind != null && !p.kind().equals(kind)) {
                continue;
            }
            ScreeningOutcome o = outcomes.get(i);
            boolean hit = o.decision() == Decision.HIT;
            if (p.listed()) {
                c[0]++;
                boolean found = o.candidates().stream().anyMatch(x -> x.score() >= PerturbationEval.THRESHOLD
                        && x.source().equals(p.source()) && x.entryId().equals(p.entryId()));
                c[1] += found ? 1 : 0;
                c[2] += hit && !found ? 1 : 0;
            } else {
                c[3] += hit ? 1 : 0;
                c[4] += o.decision() == Decision.PENDING_REVIEW ? 1 : 0;
            }
        }
        return c;
    }

    /** The same counts for Watchman's scores at threshold t. */
    static int[] count(List<PerturbationSet.Probe> probes, Scores[] scores, double t, String kind) {
        int[] c = new int[5];
        for (int i = 0; i < probes.size(); i++) {
            PerturbationSet.Probe p = probes.get(i);
            if (kind != null && !p.kind().equals(kind)) {
                continue;
            }
            boolean hit = scores[i].top() >= t;
            if (p.listed()) {
                c[0]++;
                boolean found = scores[i].expected() >= t;
                c[1] += found ? 1 : 0;
                c[2] += hit && !found ? 1 : 0;
            } else {
                c[3] += hit ? 1 : 0;
            }
        }
        return c;
    }

    static double recall(int[] c) {
        return c[0] == 0 ? 0 : (double) c[1] / c[0];
    }

    static double precision(int[] c) {
        int answered = c[1] + c[2] + c[3];
        return answered == 0 ? 1 : (double) c[1] / answered;
    }

    static double f1(int[] c) {
        double r = recall(c);
        double p = precision(c);
        return r + p == 0 ? 0 : 2 * r * p / (r + p);
    }

    static Scores watchman(HttpClient http, String base, PerturbationSet.Probe p) {
        String url = base + "/search?limit=10&minMatch=0&name=" + URLEncoder.encode(p.query(), StandardCharsets.UTF_8);
        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("Watchman answered " + r.statusCode() + " for " + p.query());
                }
                JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
                double expected = 0;
                double top = 0;
                for (String field : List.of("SDNs", "altNames")) {
                    JsonElement arr = body.get(field);
                    if (arr == null || !arr.isJsonArray()) {
                        continue;
                    }
                    for (JsonElement el : (JsonArray) arr) {
                        JsonObject x = el.getAsJsonObject();
                        double m = x.has("match") ? x.get("match").getAsDouble() : 0;
                        String id = x.has("entityID") ? x.get("entityID").getAsString()
                                : x.has("AlternateIdentity") ? x.getAsJsonObject("AlternateIdentity")
                                        .get("entityID").getAsString() : "";
                        top = Math.max(top, m);
                        if (p.listed() && id.equals(p.entryId())) {
                            expected = Math.max(expected, m);
                        }
                    }
                }
                return new Scores(expected, top);
            } catch (Exception e) {
                if (attempt >= 2) {
                    throw new IllegalStateException("Watchman query failed: " + p.query(), e);
                }
            }
        }
    }

    private PeerEval() {
    }
}
