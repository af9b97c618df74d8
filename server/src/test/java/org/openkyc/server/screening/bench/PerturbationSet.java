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
 * The screening evaluation set, generated from the loaded lists with a fixed
 * seed. Listed names, each labelled with the entry it came from: one
 * misspelling, a person's name with one name left out, the tokens in reverse
 * order, diacritics added, another romanisation of a person's name, rendered
 * in Cyrillic, Korean names in Hangul and in Han characters, the lists' own
 * aliases (reordered or misspelt) and original-script names (UN
 * NAME_ORIGINAL_SCRIPT, whole or with a name left out). Names of unlisted
 * people, the negatives: combinations of ordinary given and family names of
 * many name systems, read from plain data files (test resources
 * /screening/names/), written as their bearers write them, and every given
 * name alone.
 */
public final class PerturbationSet {

    /** A query and, for a perturbed listed name, the entry it must find (null for an unlisted name). */
    public record Probe(String kind, String query, EntityKind subject, String source, String entryId) {
        public boolean listed() {
            return entryId != null;
        }
    }

    /** The name systems of the negatives: files under /screening/names/ of the test resources (see README.txt there). */
    static final List<String> NAME_FILES = List.of("english", "arabic-latin", "arabic-script", "persian-latin",
            "persian-script", "turkish", "russian-cyrillic", "russian-latin", "chinese-han", "chinese-pinyin",
            "korean-hangul", "korean-latin", "japanese-latin", "japanese-kanji", "vietnamese", "indonesian", "indian",
            "iberian", "german-dutch", "french", "italian-polish", "greek", "african");

    /** Ordinary given and family names of one name system, as written by their bearers. */
    record Culture(String label, List<String> given, List<String> family, boolean familyFirst, boolean joined) {
    }

    /**
     * Listed North Korean people with their names in Han characters (Hanja) as
     * published in the Korean press; the sample lists carry only the romanised
     * names, so these are found through the product's Korean reading of Han.
     */
    static final String[][] HAN_KOREAN = {
        {"金正恩", "KIM, Jong Un"}, {"金與正", "KIM, Yo Jong"}, {"金与正", "KIM, Yo Jong"},
        {"崔龍海", "CHOE, Ryong Hae"}, {"李炳哲", "RI, Pyong Chol"}, {"趙甬元", "JO, Yong-Won"},
        {"金元弘", "KIM, Won Hong"}, {"吳克烈", "O, Kuk-Ryol"},
    };

    static List<Culture> cultures() {
        List<Culture> out = new ArrayList<>();
        for (String f : NAME_FILES) {
            String res = "/screening/names/" + f + ".txt";
            try (var in = PerturbationSet.class.getResourceAsStream(res)) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource " + res);
                }
                String label = f;
                boolean familyFirst = false;
                boolean joined = false;
                List<String> given = new ArrayList<>();
                List<String> family = new ArrayList<>();
                List<String> section = null;
                for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .split("\\R")) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    if (l.equals("[given]")) {
                        section = given;
                    } else if (l.equals("[family]")) {
                        section = family;
                    } else if (section == null && l.startsWith("label:")) {
                        label = l.substring(6).strip();
                    } else if (section == null && l.startsWith("order:")) {
                        familyFirst = l.substring(6).strip().equals("family-given");
                    } else if (section == null && l.startsWith("join:")) {
                        joined = l.substring(5).strip().equals("none");
                    } else if (section != null) {
                        section.add(l);
                    } else {
                        throw new IllegalStateException(res + ": unexpected line " + l);
                    }
                }
                out.add(new Culture(label, List.copyOf(given), List.copyOf(family), familyFirst, joined));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out;
    }

    private PerturbationSet() {
    }

    /**
     * perType probes per perturbation of listed names (a quarter of it for
     * Hangul, aliases and original-script forms, which fewer entries have),
     * perType / 5 distinct names per name system of unlisted people, and
     * every given name of those systems alone.
     */
    public static List<Probe> generate(List<SanctionsList> lists, int perType, long seed) {
        Random rnd = new Random(seed);
        List<ListEntry> pool = new ArrayList<>();
        List<ListEntry> withAlias = new ArrayList<>();
        List<ListEntry> withOriginal = new ArrayList<>();
        java.util.Map<String, ListEntry> byName = new java.util.HashMap<>();
        for (SanctionsList l : lists) {
            for (ListEntry e : l.entries()) {
                if ((e.kind() == EntityKind.PERSON || e.kind() == EntityKind.ORGANISATION)
                        && NameNormalizer.tokens(e.name(), e.kind()).size() >= 2) {
                    pool.add(e);
                    if (e.aliases().stream().anyMatch(a -> latin(a) && words(a).size() >= 2)) {
                        withAlias.add(e);
                    }
                    if (e.aliases().stream().anyMatch(a -> !latin(a))) {
                        withOriginal.add(e);
                    }
                }
                byName.putIfAbsent(e.source() + "|" + e.name(), e);
            }
        }
        List<ListEntry> persons = pool.stream().filter(e -> e.kind() == EntityKind.PERSON).toList();
        List<ListEntry> people = pool.stream().filter(e -> e.kind() == EntityKind.PERSON
                && words(e.name()).size() >= 3).toList();
        Transliterator cyrillic = Transliterator.getInstance("Latin-Cyrillic");
        Transliterator hangul = Transliterator.getInstance("Latin-Hangul");
        List<Probe> out = new ArrayList<>();
        for (int i = 0; i < perType; i++) {
            ListEntry e = pool.get(rnd.nextInt(pool.size()));
            out.add(probe("misspelling", misspell(e.name(), rnd), e));
            // A person's name with one name left out; two names at least stay (a name alone is never a hit).
            e = people.get(rnd.nextInt(people.size()));
            List<String> t = words(e.name());
            if (t.size() >= 3) {
                t.remove(1 + rnd.nextInt(t.size() - 1));
            }
            if (significant(t) < 2) {
                i--;
                continue;
            }
            out.add(probe("token drop", String.join(" ", t), e));
            e = pool.get(rnd.nextInt(pool.size()));
            List<String> s = words(e.name());
            java.util.Collections.reverse(s);
            out.add(probe("token swap", String.join(" ", s), e));
            e = pool.get(rnd.nextInt(pool.size()));
            out.add(probe("diacritics", diacritics(e.name(), rnd), e));
            e = persons.get(rnd.nextInt(persons.size()));
            String variant = romanisation(e.name(), rnd);
            if (variant != null) {
                out.add(probe("romanisation variant", variant, e));
            }
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
        for (String[] h : HAN_KOREAN) {
            ListEntry e = byName.get(org.openkyc.server.screening.OfacSdnParser.SOURCE + "|" + h[1]);
            if (e != null) {
                out.add(probe("transliteration (Han, Korean names)", h[0], e));
            }
        }
        // Aliases as listed (SDN alt names, UN aliases), written in the other order or misspelt.
        for (int i = 0; i < Math.min(perType / 2, withAlias.size()); i++) {
            ListEntry e = withAlias.get(rnd.nextInt(withAlias.size()));
            List<String> as = e.aliases().stream().filter(a -> latin(a) && words(a).size() >= 2).toList();
            String a = as.get(rnd.nextInt(as.size()));
            if (rnd.nextBoolean()) {
                List<String> w = words(a);
                java.util.Collections.reverse(w);
                out.add(probe("alias", String.join(" ", w), e));
            } else {
                out.add(probe("alias", misspell(a, rnd), e));
            }
        }
        // Names in their original script as the lists give them (UN NAME_ORIGINAL_SCRIPT), whole and with a
        // token other than the first left out (صدام حسين for صدام حسين التكريتي).
        for (ListEntry e : withOriginal) {
            String a = e.aliases().stream().filter(x -> !latin(x)).findFirst().orElseThrow();
            out.add(probe("original script", a, e));
            List<String> w = words(a);
            if (w.size() >= 3) {
                w.remove(1 + rnd.nextInt(w.size() - 1));
                if (significant(w) >= 2) {
                    out.add(probe("original script, token dropped", String.join(" ", w), e));
                }
            }
        }
        // Ordinary names of many name systems: distinct combinations, a fifth of perType each (100 by default).
        List<Culture> cultures = cultures();
        for (Culture c : cultures) {
            java.util.Set<String> seen = new java.util.LinkedHashSet<>();
            int want = Math.min(perType / 5, c.given().size() * c.family().size());
            while (seen.size() < want) {
                String g = c.given().get(rnd.nextInt(c.given().size()));
                String f = c.family().get(rnd.nextInt(c.family().size()));
                String sep = c.joined() ? "" : " ";
                seen.add(c.familyFirst() ? f + sep + g : g + sep + f);
            }
            for (String name : seen) {
                out.add(new Probe("unlisted: " + c.label(), name, EntityKind.PERSON, null, null));
            }
        }
        // A given name alone, from every name system.
        java.util.Set<String> single = new java.util.LinkedHashSet<>();
        for (Culture c : cultures) {
            single.addAll(c.given());
        }
        for (String g : single) {
            out.add(new Probe("unlisted: single given name", g, EntityKind.PERSON, null, null));
        }
        return out;
    }

    /** Particles and articles: not a name of their own. */
    private static final java.util.Set<String> PARTICLES = java.util.Set.of("al", "el", "bin", "ibn", "bint", "ben",
            "abu", "abd", "de", "da", "del", "di", "dos", "das", "do", "du", "la", "le", "van", "von", "der", "den",
            "y", "e", "ال", "بن", "ابن", "أبو", "ابو", "عبد");

    /** How many words of a name are names (two letters or more, not a particle). */
    static int significant(List<String> words) {
        int n = 0;
        for (String w : words) {
            String l = w.toLowerCase(java.util.Locale.ROOT).replace(",", "");
            if (l.codePointCount(0, l.length()) >= 2 && !PARTICLES.contains(l)) {
                n++;
            }
        }
        return n;
    }

    /** Whether a name is written in Latin letters (with or without diacritics). */
    static boolean latin(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetter(c) && c > 0x24f && !(c >= 0x1e00 && c <= 0x1eff)) {
                return false;
            }
        }
        return true;
    }

    private static final String PLAIN = "aeioucsnzgyAEIOUCSNZGY";
    private static final String[] ACCENTED = {"áàäâã", "éèëê", "íïî", "óöôõ", "úüû", "çč", "şš", "ñ", "ž", "ğ",
        "ý", "ÁÀÄÂ", "ÉÈË", "ÍÎ", "ÓÖÔ", "ÚÜ", "ÇČ", "ŞŠ", "Ñ", "Ž", "Ğ", "Ý"};

    /** One to three letters given a diacritic (Hüseyin, Şahin, José): what a keyboard with accents types. */
    static String diacritics(String name, Random rnd) {
        StringBuilder b = new StringBuilder(String.join(" ", words(name)));
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < b.length(); i++) {
            if (PLAIN.indexOf(b.charAt(i)) >= 0) {
                at.add(i);
            }
        }
        java.util.Collections.shuffle(at, rnd);
        for (int k = 0; k < Math.min(at.size(), 1 + rnd.nextInt(3)); k++) {
            int i = at.get(k);
            String options = ACCENTED[PLAIN.indexOf(b.charAt(i))];
            b.setCharAt(i, options.charAt(rnd.nextInt(options.length())));
        }
        return b.toString();
    }

    /**
     * Spellings of the same sounds by other romanisation conventions (Youssef /
     * Yusuf, Mohammed / Muhammad, Khaled / Haled, Qasem / Kasem, Djamel / Jamel,
     * Sergei / Sergey, Ivanov / Ivanoff): one or two of these rewrites applied to
     * the tokens of the name; null when none applies.
     */
    static final String[][] ROMANISATION = {
        {"ou", "u"}, {"u", "ou"}, {"kh", "h"}, {"q", "k"}, {"k", "q"}, {"dj", "j"}, {"j", "dj"}, {"sh", "ch"},
        {"ch", "sh"}, {"ei", "ey"}, {"ey", "ei"}, {"y", "i"}, {"ee", "i"}, {"i", "ee"}, {"o", "u"}, {"u", "o"},
        {"e", "a"}, {"a", "e"}, {"ph", "f"}, {"f", "ph"}, {"w", "v"}, {"v", "w"}, {"x", "ks"}, {"ss", "s"},
        {"mm", "m"}, {"ov", "off"}, {"ya", "ia"}, {"iya", "ia"}, {"th", "t"}, {"dh", "d"}, {"gh", "g"}};

    static String romanisation(String name, Random rnd) {
        List<String> w = words(name.toLowerCase(java.util.Locale.ROOT));
        int applied = 0;
        int want = 1 + rnd.nextInt(2);
        for (int attempt = 0; attempt < 40 && applied < want; attempt++) {
            String[] r = ROMANISATION[rnd.nextInt(ROMANISATION.length)];
            int wi = rnd.nextInt(w.size());
            String t = w.get(wi);
            int at = t.indexOf(r[0], 1);
            if (t.length() < 3 || at < 0) {
                continue;
            }
            w.set(wi, t.substring(0, at) + r[1] + t.substring(at + r[0].length()));
            applied++;
        }
        return applied == 0 ? null : String.join(" ", w);
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
