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
 * and date of birth, nationality and kind raise or lower the score.
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

    final List<ListVersion> versions;
    private final ListEntry[] entries;
    private final NormalizedName[] names;
    private final String[] nameText;
    private final int[] nameEntry;
    private final Map<String, int[]> postings;

    private ScreeningIndex(List<ListVersion> versions, ListEntry[] entries, NormalizedName[] names,
            String[] nameText, int[] nameEntry, Map<String, int[]> postings) {
        this.versions = List.copyOf(versions);
        this.entries = entries;
        this.names = names;
        this.nameText = nameText;
        this.nameEntry = nameEntry;
        this.postings = postings;
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
            for (String g : grams(names.get(i))) {
                building.computeIfAbsent(g, k -> new ArrayList<>()).add(i);
            }
        }
        Map<String, int[]> postings = new HashMap<>(building.size() * 2);
        building.forEach((g, ids) -> postings.put(g, ids.stream().mapToInt(Integer::intValue).toArray()));
        return new ScreeningIndex(versions, entries.toArray(new ListEntry[0]), names.toArray(new NormalizedName[0]),
                texts.toArray(new String[0]), owners.stream().mapToInt(Integer::intValue).toArray(), postings);
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

    /** Distinct trigrams of the phonetic tokens, each padded with ^ and $. */
    static Set<String> grams(NormalizedName n) {
        Set<String> out = new LinkedHashSet<>();
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
    List<Candidate> search(ScreeningQuery q, List<String> queryNames, List<NormalizedName> normalized, double floor) {
        Map<Integer, Candidate> best = new HashMap<>();
        int[] counts = new int[names.length];
        for (int qi = 0; qi < normalized.size(); qi++) {
            NormalizedName qn = normalized.get(qi);
            if (qn.isEmpty()) {
                continue;
            }
            Set<String> grams = grams(qn);
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
                NameScorer.Result r = NameScorer.score(qn, names[id]);
                if (r.value() + DOB_SAME_DATE + NATIONALITY_SAME < floor) {
                    continue;
                }
                Candidate cand = candidate(q, queryNames.get(qi), id, r);
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

    private Candidate candidate(ScreeningQuery q, String queryName, int nameId, NameScorer.Result name) {
        ListEntry e = entries[nameEntry[nameId]];
        List<ScoreFeature> features = new ArrayList<>(4);
        double score = name.value();
        features.add(new ScoreFeature("name", round(name.value()),
                "'" + nameText[nameId] + "' vs '" + queryName + "' (" + name.method() + ")"));
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
        return new Candidate(e.source(), e.entryId(), e.kind(), e.name(), nameText[nameId], queryName, round(score),
                features, e.programs());
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
