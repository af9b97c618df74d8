package org.openkyc.server.screening;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable index over every name and alias of the loaded lists. A query
 * is compared only with the names that share enough character trigrams of
 * their phonetic tokens with it (an inverted index), never with every entry;
 * the best-sharing names are then scored exactly with {@link NameScorer},
 * and date of birth, nationality and kind raise or lower the score. A query
 * written in Arabic script also looks names up by the consonant skeletons of
 * their tokens. Each token carries a weight from how many entries of the
 * loaded lists use it: a name shared by many listed people (Mohammed, Ali,
 * Ivan, Kim) says less about who is screened than a rare one. A name that
 * has only one token in common with a listed name of several is at most a
 * review, a single name alone is at most a review and only when it is rare.
 */
final class ScreeningIndex {

    /** How many names, at most, are scored exactly per query name. */
    static final int SHORTLIST = 100;
    /** A hard bound on exact scorings per query name (very short or very common names). */
    static final int MAX_SCORED = 1000;

    static final double DOB_SAME_DATE = 0.05;
    static final double DOB_SAME_YEAR = 0.03;
    static final double DOB_DIFFERENT = -0.15;
    static final double NATIONALITY_SAME = 0.03;
    static final double NATIONALITY_DIFFERENT = -0.07;
    static final double KIND_DIFFERENT = -0.10;
    /** Weight of an initial; a particle weighs nothing. */
    static final double INITIAL_WEIGHT = 0.15;
    static final double MIN_WEIGHT = 0.10;
    /** A single-name query can be a review only when the name's weight is at least this (used by at most ~3 entries). */
    static final double RARE_WEIGHT = 0.90;
    /** How far under the threshold (or floor) a partial name is capped. */
    static final double CAP_MARGIN = 0.01;
    /** Defaults of what a review needs (see {@link ReviewEvidence}). */
    static final ReviewEvidence DEFAULT_EVIDENCE = new ReviewEvidence(1.0, 0.6);

    /**
     * What a candidate under the threshold needs to be sent to review rather
     * than cleared: the query's tokens in close pairs (similarity at least
     * {@link NameScorer#CLOSE_PAIR}) must weigh at least {@code queryWeight}
     * together (one rare name weighs about 1, Mohammed or Ali about 0.3), and
     * the listed name's tokens in close pairs at least {@code listedShare} of
     * its weight. Two common names, or names that only look alike, are not
     * enough.
     */
    public record ReviewEvidence(double queryWeight, double listedShare) {
        public ReviewEvidence {
            if (!(queryWeight >= 0 && listedShare >= 0 && listedShare <= 1)) {
                throw new IllegalArgumentException("need review evidence weight >= 0 and share in [0, 1]");
            }
        }
    }

    final List<ListVersion> versions;
    private final ListEntry[] entries;
    private final NormalizedName[] names;
    private final String[] nameText;
    private final int[] nameEntry;
    private final Map<String, int[]> postings;
    /** Entries using each phonetic key, and each consonant skeleton. */
    private final Map<String, Integer> phoneticFrequency;
    private final Map<String, Integer> skeletonFrequency;
    private final double[][] nameWeights;

    private ScreeningIndex(List<ListVersion> versions, ListEntry[] entries, NormalizedName[] names,
            String[] nameText, int[] nameEntry, Map<String, int[]> postings, Map<String, Integer> phoneticFrequency,
            Map<String, Integer> skeletonFrequency) {
        this.versions = List.copyOf(versions);
        this.entries = entries;
        this.names = names;
        this.nameText = nameText;
        this.nameEntry = nameEntry;
        this.postings = postings;
        this.phoneticFrequency = phoneticFrequency;
        this.skeletonFrequency = skeletonFrequency;
        this.nameWeights = new double[names.length][];
        for (int i = 0; i < names.length; i++) {
            nameWeights[i] = weights(names[i]);
        }
    }

    /**
     * The weight of each token of a name in [0.1, 1]: the inverse document
     * frequency of its phonetic key over the listed entries (of its consonant
     * skeleton for a name written in Arabic script, where one skeleton stands
     * for Mohammed, Muhammad and Mohamad alike), scaled so that a token used
     * by one or two entries weighs 1. Particles weigh 0, initials 0.15.
     */
    double[] weights(NormalizedName n) {
        double[] w = new double[n.tokens.length];
        double top = Math.log((entries.length + 1) / 2.0);
        for (int i = 0; i < w.length; i++) {
            if (n.particle[i]) {
                w[i] = 0;
            } else if (n.tokens[i].length() == 1) {
                w[i] = INITIAL_WEIGHT;
            } else {
                double df;
                if (n.arabic) {
                    df = skeletonFrequency.getOrDefault(n.skeleton[i], 0);
                } else {
                    df = phoneticFrequency.getOrDefault(n.phonetic[i], 0);
                    if (n.skeleton[i].length() >= 3) {
                        df = Math.max(df, skeletonFrequency.getOrDefault(n.skeleton[i], 0) / 2.0);
                    }
                }
                double v = top <= 0 ? 1 : Math.log((entries.length + 1) / (df + 1)) / top;
                w[i] = Math.max(MIN_WEIGHT, Math.min(1, v));
            }
        }
        return w;
    }

    static ScreeningIndex build(List<SanctionsList> lists) {
        List<ListVersion> versions = new ArrayList<>();
        List<ListEntry> entries = new ArrayList<>();
        List<NormalizedName> names = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        List<ListEntry> all = new ArrayList<>();
        for (SanctionsList l : lists) {
            versions.add(l.version());
            all.addAll(l.entries());
        }
        // Normalising (transliteration included) is the costly part: spread over the cores, order kept.
        List<List<Object[]>> perEntry = all.parallelStream().map(ScreeningIndex::names).toList();
        for (int i = 0; i < all.size(); i++) {
            int idx = entries.size();
            entries.add(all.get(i));
            for (Object[] n : perEntry.get(i)) {
                names.add((NormalizedName) n[0]);
                texts.add((String) n[1]);
                owners.add(idx);
            }
        }
        Map<String, List<Integer>> building = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            for (String g : grams(names.get(i), Keys.INDEX)) {
                building.computeIfAbsent(g, k -> new ArrayList<>()).add(i);
            }
        }
        Map<String, int[]> postings = new HashMap<>(building.size() * 2);
        building.forEach((g, ids) -> postings.put(g, ids.stream().mapToInt(Integer::intValue).toArray()));
        // Token frequencies: how many entries use each key, in any of their names.
        Map<String, Integer> phon = new HashMap<>();
        Map<String, Integer> skel = new HashMap<>();
        for (List<Object[]> ns : perEntry) {
            Set<String> p = new HashSet<>();
            Set<String> k = new HashSet<>();
            for (Object[] o : ns) {
                NormalizedName nn = (NormalizedName) o[0];
                for (int t = 0; t < nn.tokens.length; t++) {
                    if (!nn.particle[t]) {
                        if (!nn.arabic) {
                            p.add(nn.phonetic[t]);
                        }
                        k.add(nn.skeleton[t]);
                    }
                }
            }
            p.forEach(x -> phon.merge(x, 1, Integer::sum));
            k.forEach(x -> skel.merge(x, 1, Integer::sum));
        }
        return new ScreeningIndex(versions, entries.toArray(new ListEntry[0]), names.toArray(new NormalizedName[0]),
                texts.toArray(new String[0]), owners.stream().mapToInt(Integer::intValue).toArray(), postings,
                phon, skel);
    }

    /** The distinct normalised names of an entry, each with the name as listed. */
    private static List<Object[]> names(ListEntry e) {
        Set<String> seen = new HashSet<>();
        List<Object[]> out = new ArrayList<>(1 + e.aliases().size());
        List<String> written = new ArrayList<>(1 + e.aliases().size());
        written.add(e.name());
        written.addAll(e.aliases());
        for (String n : written) {
            NormalizedName nn = NameNormalizer.normalize(n, e.kind());
            if (!nn.isEmpty() && seen.add(nn.text())) {
                out.add(new Object[] {nn, n});
            }
        }
        return out;
    }

    int nameCount() {
        return names.length;
    }

    int entryCount() {
        return entries.length;
    }

    /** Which keys of a name to index or look up. */
    enum Keys {
        /** Everything: a listed name. */
        INDEX,
        /** Trigrams: a query written in Latin (or transliterated from other scripts than Arabic). */
        TRIGRAMS,
        /** Skeletons: a query written in Arabic script. */
        SKELETONS
    }

    /**
     * Distinct trigrams of the phonetic tokens, each padded with ^ and $; the
     * consonant skeleton of each token other than a particle, of two letters
     * or more, as a key of its own ("~psr"); the skeletons joined ("=hsnsr",
     * and the last token first for a listed name).
     */
    static Set<String> grams(NormalizedName n, Keys keys) {
        Set<String> out = new LinkedHashSet<>();
        if (keys != Keys.TRIGRAMS) {
            int parts = 0;
            for (int i = 0; i < n.skeleton.length; i++) {
                if (!n.particle[i] && n.skeleton[i].length() >= 2) {
                    out.add("~" + n.skeleton[i]);
                }
                parts += n.particle[i] || n.skeleton[i].isEmpty() ? 0 : 1;
            }
            if (parts >= 2) {
                out.add("=" + n.joinedSkeleton);
                if (keys == Keys.INDEX) {
                    out.add("=" + n.rotatedSkeleton);
                }
            }
            if (keys == Keys.SKELETONS) {
                return out;
            }
        }
        for (String p : n.phonetic) {
            String s = "^" + p + "$";
            if (s.length() <= 3) {
                out.add(s);
                continue;
            }
            for (int i = 0; i + 3 <= s.length(); i++) {
                out.add(s.substring(i, i + 3));
            }
        }
        return out;
    }

    /** Every candidate scoring at least {@code floor}, best first. */
    List<Candidate> search(ScreeningQuery q, List<String> queryNames, List<NormalizedName> normalized, double floor,
            double threshold) {
        return search(q, queryNames, normalized, new boolean[normalized.size()], floor, threshold, DEFAULT_EVIDENCE);
    }

    /** readings[i]: the i-th query name is a reading of a name in Han characters (a whole listed name is needed). */
    List<Candidate> search(ScreeningQuery q, List<String> queryNames, List<NormalizedName> normalized,
            boolean[] readings, double floor, double threshold, ReviewEvidence evidence) {
        Map<Integer, Candidate> best = new HashMap<>();
        int[] counts = new int[names.length];
        for (int qi = 0; qi < normalized.size(); qi++) {
            NormalizedName qn = normalized.get(qi);
            if (qn.isEmpty()) {
                continue;
            }
            Set<String> grams = grams(qn, qn.arabic ? Keys.SKELETONS : Keys.TRIGRAMS);
            double[] qw = weights(qn);
            int[] touched = new int[Math.min(names.length, 4096)];
            int touchedCount = 0;
            for (String g : grams) {
                int[] ids = postings.get(g);
                if (ids == null) {
                    continue;
                }
                for (int id : ids) {
                    if (counts[id]++ == 0) {
                        if (touchedCount == touched.length) {
                            touched = Arrays.copyOf(touched, Math.min(names.length, touched.length * 2));
                        }
                        touched[touchedCount++] = id;
                    }
                }
            }
            int minShared = Math.max(1, (int) Math.ceil(grams.size() * 0.25));
            // Keep the names sharing the most trigrams: counting sort by shared count, highest first.
            int maxCount = 0;
            for (int i = 0; i < touchedCount; i++) {
                maxCount = Math.max(maxCount, counts[touched[i]]);
            }
            int[] byCount = new int[maxCount + 2];
            for (int i = 0; i < touchedCount; i++) {
                byCount[counts[touched[i]]]++;
            }
            int cutoff = maxCount;
            int kept = 0;
            while (cutoff >= minShared && kept + byCount[cutoff] <= SHORTLIST) {
                kept += byCount[cutoff];
                cutoff--;
            }
            // The names sharing the most trigrams are always scored, even when more than the shortlist share them.
            cutoff = kept == 0 ? maxCount : Math.max(cutoff + 1, minShared);
            int scored = 0;
            for (int i = 0; i < touchedCount; i++) {
                int id = touched[i];
                int c = counts[id];
                counts[id] = 0;
                if (c < cutoff || scored >= MAX_SCORED) {
                    continue;
                }
                scored++;
                NameScorer.Result r = NameScorer.score(qn, qw, names[id], nameWeights[id]);
                if (r.value() + DOB_SAME_DATE + NATIONALITY_SAME < floor) {
                    continue;
                }
                Candidate cand = candidate(q, queryNames.get(qi), id, r, floor, threshold, readings[qi], evidence);
                if (cand.score() < floor) {
                    continue;
                }
                best.merge(nameEntry[id], cand, (a, b) -> a.score() >= b.score() ? a : b);
            }
        }
        List<Candidate> out = new ArrayList<>(best.values());
        out.sort((a, b) -> {
            int c = Double.compare(b.score(), a.score());
            return c != 0 ? c : (a.source() + a.entryId()).compareTo(b.source() + b.entryId());
        });
        return out;
    }

    private Candidate candidate(ScreeningQuery q, String queryName, int nameId, NameScorer.Result name, double floor,
            double threshold, boolean reading, ReviewEvidence evidence) {
        ListEntry e = entries[nameEntry[nameId]];
        List<ScoreFeature> features = new ArrayList<>(4);
        double score = name.value();
        features.add(new ScoreFeature("name", round(name.similarity()),
                "'" + nameText[nameId] + "' vs '" + queryName + "' (" + name.method() + "; " + name.account()
                + String.format(java.util.Locale.ROOT, "; close pairs hold %.2f of the query's weight and %.0f%% of"
                + " the listed name's)", name.closeQueryWeight(), 100 * name.closeListedCoverage())));
        if (name.penalty() > 0) {
            features.add(new ScoreFeature("coverage", -round(name.penalty()), String.format(java.util.Locale.ROOT,
                    "the query covers %d of %d listed tokens (%.0f%% of their weight), the listed name covers %d of %d"
                    + " query tokens (%.0f%% of their weight)", name.listedCovered(), name.listedTokens(),
                    100 * name.listedCoverage(), name.queryCovered(), name.queryTokens(), 100 * name.queryCoverage())));
        }
        Optional<BirthDate> dob = q.birthDate();
        if (dob.isPresent()) {
            double adj;
            String why;
            if (e.birthDates().isEmpty()) {
                adj = 0;
                why = "no date of birth listed";
            } else if (dob.get().fullDate() && e.birthDates().stream().anyMatch(d -> d.equals(dob.get()))) {
                adj = DOB_SAME_DATE;
                why = "same date of birth " + dob.get();
            } else if (e.birthDates().stream().anyMatch(d -> d.year() == dob.get().year())) {
                adj = DOB_SAME_YEAR;
                why = "same year of birth " + dob.get().year();
            } else if (e.birthDates().stream().anyMatch(d -> Math.abs(d.year() - dob.get().year()) <= 1)) {
                adj = 0;
                why = "year of birth one year apart";
            } else {
                adj = DOB_DIFFERENT;
                why = "different year of birth (listed " + e.birthDates().get(0) + ")";
            }
            score += adj;
            features.add(new ScoreFeature("date_of_birth", adj, why));
        }
        if (q.nationality().isPresent()) {
            double adj;
            String why;
            if (e.nationalities().isEmpty()) {
                adj = 0;
                why = "no nationality listed";
            } else if (e.nationalities().contains(q.nationality().get())) {
                adj = NATIONALITY_SAME;
                why = "same nationality " + q.nationality().get();
            } else {
                adj = NATIONALITY_DIFFERENT;
                why = "different nationality (listed " + String.join(", ", e.nationalities()) + ")";
            }
            score += adj;
            features.add(new ScoreFeature("nationality", adj, why));
        }
        if (q.kind() != EntityKind.UNKNOWN && e.kind() != EntityKind.UNKNOWN) {
            boolean qPerson = q.kind() == EntityKind.PERSON;
            boolean ePerson = e.kind() == EntityKind.PERSON;
            if (qPerson != ePerson) {
                score += KIND_DIFFERENT;
                features.add(new ScoreFeature("kind", KIND_DIFFERENT,
                        "listed as " + e.kind().name().toLowerCase(java.util.Locale.ROOT) + ", screened as "
                                + q.kind().name().toLowerCase(java.util.Locale.ROOT)));
            }
        }
        score = Math.max(0, Math.min(1, score));
        // A company whose listed name is one rare word besides its legal form (RAMCHARAN LTD) is named in full.
        boolean wholeCompany = q.kind() == EntityKind.ORGANISATION && name.listedTokens() == 1
                && name.listedCovered() == 1 && name.queryMaxWeight() >= RARE_WEIGHT;
        if (!name.wholeName() && !wholeCompany) {
            double cap = 1;
            String why = null;
            if (name.queryTokens() <= 1 && name.queryMaxWeight() >= RARE_WEIGHT) {
                cap = threshold - CAP_MARGIN;
                why = "a single name is at most a review";
            } else if (name.queryTokens() <= 1) {
                cap = floor - CAP_MARGIN;
                why = String.format(java.util.Locale.ROOT,
                        "a single name used by many listed entries (weight %.2f) is not enough for a review",
                        name.queryMaxWeight());
            } else if (name.listedTokens() >= 2 && name.listedCovered() <= 1) {
                cap = threshold - CAP_MARGIN;
                why = "only one token in common with a listed name of " + name.listedTokens() + ": at most a review";
            }
            if (score > cap) {
                features.add(new ScoreFeature("partial_name", -round(score - cap), why));
                score = cap;
            }
        }
        if (reading && name.closeListedCoverage() < 0.999 && score > threshold - CAP_MARGIN) {
            // 李明 read as Korean is "ri myong": a reading of Han characters finds a whole listed name or no hit.
            double cap = threshold - CAP_MARGIN;
            features.add(new ScoreFeature("korean_reading", -round(score - cap),
                    "a Korean reading of Han characters is a hit only on the whole listed name: at most a review"));
            score = cap;
        }
        // A single name is a review only when it is the whole listed name (Νικόλαος alone is not MAZIOTIS, Nikolaos).
        double share = name.queryTokens() <= 1 ? 0.999 : evidence.listedShare();
        if (round(score) >= floor && round(score) < threshold && (name.closeQueryWeight() < evidence.queryWeight() - 1e-9
                || name.closeListedCoverage() < share - 1e-9)) {
            double cap = floor - CAP_MARGIN;
            features.add(new ScoreFeature("review_evidence", -round(score - cap), String.format(java.util.Locale.ROOT,
                    "close pairs hold %.2f of the query's weight (a review needs %.2f) and %.0f%% of the listed"
                    + " name's (needs %.0f%%): not enough for a review", name.closeQueryWeight(),
                    evidence.queryWeight(), 100 * name.closeListedCoverage(), 100 * share)));
            score = cap;
        }
        return new Candidate(e.source(), e.entryId(), e.kind(), e.name(), nameText[nameId], queryName, round(score),
                features, e.programs());
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
