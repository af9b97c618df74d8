package org.openkyc.server.screening.bench;

import com.ibm.icu.text.Transliterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.openkyc.server.screening.EntityKind;
import org.openkyc.server.screening.ListEntry;
import org.openkyc.server.screening.NameNormalizer;
import org.openkyc.server.screening.SanctionsList;

/**
 * A perturbation set generated from the loaded lists with a fixed seed: listed
 * names with one misspelling, a dropped token, swapped tokens, or rendered in
 * Cyrillic (and Korean names in Hangul), each labelled with the entry it came
 * from; and names of unlisted people built from common given and family names.
 */
public final class PerturbationSet {

    /** A query and, for a perturbed listed name, the entry it must find (null for an unlisted name). */
    public record Probe(String kind, String query, EntityKind subject, String source, String entryId) {
        public boolean listed() {
            return entryId != null;
        }
    }

    static final String[] GIVEN = {"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
        "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
        "Charles", "Karen", "Emma", "Olivia", "Lucas", "Hugo", "Chloe", "Louise", "Jan", "Anna", "Lukas", "Sofia",
        "Minjun", "Seoyeon", "Jiho", "Haeun", "Somchai", "Malee", "Wei", "Fang", "Hiroshi", "Yuki", "Carlos",
        "Lucia", "Pedro", "Camila", "Ivan", "Olga", "Dmitri", "Elena", "Priya", "Arjun", "Fatima", "Omar",
        "Aisha", "Youssef", "Nguyen", "Linh", "Kwame", "Amara", "Sven", "Ingrid"};
    static final String[] FAMILY = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
        "Anderson", "Taylor", "Moore", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
        "Dubois", "Lefebvre", "Moreau", "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Rossi", "Russo",
        "Bianchi", "Novak", "Kowalski", "Nowak", "Jensen", "Nielsen", "Hansen", "Lindqvist", "Park", "Choi",
        "Jung", "Kang", "Yoon", "Tanaka", "Suzuki", "Watanabe", "Sato", "Chen", "Huang", "Zhou", "Sokolov",
        "Popova", "Kuznetsov", "Sharma", "Patel", "Gupta", "Okafor", "Mensah", "Silva", "Santos", "Oliveira",
        "Pereira", "Tremblay", "Gagnon", "Jaidee", "Srisuk"};

    private PerturbationSet() {
    }

    public static List<Probe> generate(List<SanctionsList> lists, int perType, long seed) {
        Random rnd = new Random(seed);
        List<ListEntry> pool = new ArrayList<>();
        for (SanctionsList l : lists) {
            for (ListEntry e : l.entries()) {
                if ((e.kind() == EntityKind.PERSON || e.kind() == EntityKind.ORGANISATION)
                        && NameNormalizer.tokens(e.name(), e.kind()).size() >= 2) {
                    pool.add(e);
                }
            }
        }
        Transliterator cyrillic = Transliterator.getInstance("Latin-Cyrillic");
        Transliterator hangul = Transliterator.getInstance("Latin-Hangul");
        List<Probe> out = new ArrayList<>();
        for (int i = 0; i < perType; i++) {
            ListEntry e = pool.get(rnd.nextInt(pool.size()));
            out.add(probe("misspelling", misspell(e.name(), rnd), e));
            e = pool.get(rnd.nextInt(pool.size()));
            List<String> t = words(e.name());
            if (t.size() >= 3) {
                t.remove(1 + rnd.nextInt(t.size() - 1));
                out.add(probe("token drop", String.join(" ", t), e));
            } else {
                i--;
                continue;
            }
            e = pool.get(rnd.nextInt(pool.size()));
            List<String> s = words(e.name());
            java.util.Collections.reverse(s);
            out.add(probe("token swap", String.join(" ", s), e));
            e = pool.get(rnd.nextInt(pool.size()));
            out.add(probe("transliteration (Cyrillic)", cyrillic.transliterate(String.join(" ", words(e.name()))
                    .toLowerCase(java.util.Locale.ROOT)), e));
        }
        // Korean names in Hangul: entries of the North Korea programmes.
        List<ListEntry> korean = pool.stream().filter(e -> e.kind() == EntityKind.PERSON
                && e.programs().stream().anyMatch(p -> p.startsWith("DPRK"))).toList();
        for (int i = 0; i < Math.min(perType / 4, korean.size()); i++) {
            ListEntry e = korean.get(rnd.nextInt(korean.size()));
            out.add(probe("transliteration (Hangul)", hangul.transliterate(String.join(" ", words(e.name()))
                    .toLowerCase(java.util.Locale.ROOT)), e));
        }
        for (int i = 0; i < perType * 4; i++) {
            String name = GIVEN[rnd.nextInt(GIVEN.length)] + " " + FAMILY[rnd.nextInt(FAMILY.length)];
            out.add(new Probe("unlisted common name", name, EntityKind.PERSON, null, null));
        }
        return out;
    }

    private static Probe probe(String kind, String query, ListEntry e) {
        return new Probe(kind, query, e.kind(), e.source(), e.entryId());
    }

    private static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        for (String w : name.replace(",", " ").split("\\s+")) {
            if (!w.isBlank()) {
                out.add(w);
            }
        }
        return out;
    }

    /** One substitution, deletion, insertion or transposition inside a token of four letters or more. */
    static String misspell(String name, Random rnd) {
        List<String> w = words(name);
        List<Integer> longOnes = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            if (w.get(i).length() >= 4) {
                longOnes.add(i);
            }
        }
        if (longOnes.isEmpty()) {
            return String.join(" ", w);
        }
        int wi = longOnes.get(rnd.nextInt(longOnes.size()));
        StringBuilder t = new StringBuilder(w.get(wi));
        int pos = 1 + rnd.nextInt(t.length() - 1);
        char letter = (char) ('a' + rnd.nextInt(26));
        switch (rnd.nextInt(4)) {
            case 0 -> t.setCharAt(pos, letter);
            case 1 -> t.deleteCharAt(pos);
            case 2 -> t.insert(pos, letter);
            default -> {
                if (pos + 1 < t.length()) {
                    char c = t.charAt(pos);
                    t.setCharAt(pos, t.charAt(pos + 1));
                    t.setCharAt(pos + 1, c);
                } else {
                    t.setCharAt(pos, letter);
                }
            }
        }
        w.set(wi, t.toString());
        return String.join(" ", w);
    }
}
