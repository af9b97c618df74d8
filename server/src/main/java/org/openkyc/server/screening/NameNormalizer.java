package org.openkyc.server.screening;

import com.ibm.icu.text.Transliterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a name as written into the tokens that are compared: non-Latin
 * scripts (Hangul, Cyrillic, Arabic, Han, Thai ...) transliterated to Latin
 * with ICU, diacritics folded, lower case, punctuation removed, leading
 * honorifics dropped and, for organisations, legal-form suffixes dropped. A
 * coarse phonetic form of each token absorbs romanisation differences
 * (gim/kim, jeong/jong, Mohammed/Muhammad).
 */
public final class NameNormalizer {

    private static final ThreadLocal<Transliterator> TO_LATIN =
            ThreadLocal.withInitial(() -> Transliterator.getInstance("Any-Latin; Latin-ASCII"));

    static final Set<String> HONORIFICS = Set.of("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir",
            "dame", "lord", "lady", "sheikh", "shaikh", "sheik", "shaykh", "haji", "hajji", "hadji", "mullah",
            "maulana", "maulvi", "mawlawi", "imam", "sayyid", "sayed", "general", "gen", "col", "colonel", "capt",
            "captain", "major", "lt", "sgt", "rev", "reverend", "hon", "mme", "mlle", "herr", "frau", "senor",
            "senora", "don", "dona");

    static final Set<String> LEGAL_FORMS = Set.of("ltd", "limited", "llc", "inc", "incorporated", "co", "corp",
            "corporation", "company", "gmbh", "sa", "sas", "sarl", "srl", "spa", "ag", "plc", "jsc", "ojsc", "pjsc",
            "cjsc", "ooo", "zao", "oao", "pao", "bv", "nv", "pte", "pty", "llp", "lp", "kg", "oy", "ab", "fzc",
            "fze", "fzco", "bhd", "sdn", "cv", "sl", "kft", "doo", "ead", "eood", "tov", "ltda", "cia", "limitada",
            "gesellschaft", "aktiengesellschaft", "sae", "wll", "pvt");

    private NameNormalizer() {
    }

    /**
     * Particles of Arabic names (article, "son/daughter of", the -ul-/-ud- of
     * South Asian compounds): particles written apart or joined by a hyphen
     * to the name they precede (al-Assad, bin-Laden), never after a hyphen
     * (the "bin" of the Korean Su-bin), save ul and ud (Zia-ul-Haq). "abu" and
     * "abd" are not particles: Abu Bakr and Abd al-Rahman are names.
     */
    static final Set<String> ARABIC_PARTICLES = Set.of("al", "el", "bin", "ibn", "bint", "ben", "ul", "ud");

    /**
     * Particles of Romance, Germanic and Iberian names: particles only as a
     * separate word, never a piece of a hyphenated name (Da-eun, Le-Anh), never
     * the last word, and only in lower case, or in capitals before another word
     * in capitals (lists write family names so: DE LA CRUZ, Juan).
     */
    static final Set<String> EUROPEAN_PARTICLES = Set.of("de", "da", "del", "della", "di", "dos", "das", "do",
            "du", "la", "le", "van", "von", "der", "den", "ter", "ten", "y", "e");

    /** The tokens of a name, which of them are particles, and whether it was written in Arabic script. */
    record Analysed(List<String> tokens, List<Boolean> particles, boolean arabic) {
    }

    /** The Latin, lower-case, punctuation-free tokens of a name. */
    public static List<String> tokens(String name, EntityKind kind) {
        return analyse(name, kind).tokens();
    }

    static Analysed analyse(String name, EntityKind kind) {
        String s = name;
        boolean ascii = true;
        boolean latin = true;
        boolean arabic = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7e) {
                ascii = false;
                if (c >= 0x600 && c <= 0x6ff || c >= 0x750 && c <= 0x77f || c >= 0xfb50 && c <= 0xfeff) {
                    arabic = true;
                }
                if (!(c <= 0x24f || (c >= 0x300 && c <= 0x36f) || (c >= 0x1e00 && c <= 0x1eff)
                        || (c >= 0x2000 && c <= 0x206f))) {
                    latin = false;
                }
            }
        }
        if (!latin) {
            s = TO_LATIN.get().transliterate(s);
        } else if (!ascii) {
            s = foldLatin(s);
        }
        boolean capitals = !arabic && s.equals(s.toUpperCase(Locale.ROOT));
        List<String> out = new ArrayList<>(6);
        List<Boolean> hyphenBefore = new ArrayList<>(6);
        List<Boolean> lower = new ArrayList<>(6);
        List<Boolean> caps = new ArrayList<>(6);
        StringBuilder b = new StringBuilder(s.length());
        boolean hyphen = false;
        boolean upper = false;
        boolean lowerSeen = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                lowerSeen = true;
            }
            if (c >= 'A' && c <= 'Z') {
                upper = true;
                b.append((char) (c + ('a' - 'A')));
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                b.append(c);
            } else if (c == '\'' || c == '`' || c == '\u02bf' || c == '\u02be' || c == '\u2019' || c == '.') {
                // O'Brien -> obrien, ʿAli -> ali; "M." -> m
                continue;
            } else {
                if (b.length() > 0) {
                    out.add(b.toString());
                    hyphenBefore.add(hyphen);
                    lower.add(!upper);
                    caps.add(!lowerSeen);
                    b.setLength(0);
                    hyphen = false;
                    upper = false;
                    lowerSeen = false;
                }
                if (c == '-' || c == '\u2010' || c == '\u2011') {
                    hyphen = !out.isEmpty();
                } else if (!Character.isLetterOrDigit(c)) {
                    hyphen = false;
                }
            }
        }
        if (b.length() > 0) {
            out.add(b.toString());
            hyphenBefore.add(hyphen);
            lower.add(!upper);
            caps.add(!lowerSeen);
        }
        List<Boolean> particles = new ArrayList<>(out.size());
        for (int i = 0; i < out.size(); i++) {
            String t = out.get(i);
            boolean hyphenAfter = i + 1 < out.size() && hyphenBefore.get(i + 1);
            boolean particle = false;
            if (ARABIC_PARTICLES.contains(t)) {
                particle = i + 1 < out.size() && (!hyphenBefore.get(i) || t.equals("ul") || t.equals("ud"));
            } else if (EUROPEAN_PARTICLES.contains(t)) {
                particle = i + 1 < out.size() && !hyphenBefore.get(i) && !hyphenAfter
                        && (lower.get(i) || capitals || caps.get(i) && caps.get(i + 1));
            }
            particles.add(particle);
        }
        if (arabic) {
            // The Arabic article is written joined to its noun (الأسد -> alasd): split it off as a particle.
            for (int i = 0; i < out.size(); i++) {
                String t = out.get(i);
                if (t.startsWith("al") && t.length() >= 4 && !particles.get(i)) {
                    out.set(i, t.substring(2));
                    out.add(i, "al");
                    particles.add(i, true);
                    i++;
                }
            }
        }
        if (kind != EntityKind.ORGANISATION && kind != EntityKind.OTHER) {
            while (out.size() > 1 && HONORIFICS.contains(out.get(0))) {
                out.remove(0);
                particles.remove(0);
            }
        }
        if (kind == EntityKind.ORGANISATION || kind == EntityKind.OTHER || kind == EntityKind.UNKNOWN) {
            boolean[] legal = new boolean[out.size()];
            int kept = 0;
            for (int i = 0; i < out.size(); i++) {
                legal[i] = LEGAL_FORMS.contains(out.get(i));
                kept += legal[i] ? 0 : 1;
            }
            // A misspelt legal form (Limitd, Corporaton) counts as one only at the end of the name.
            for (int i = out.size() - 1; i > 0 && kept > 1; i--) {
                if (legal[i]) {
                    continue;
                }
                if (!misspeltLegalForm(out.get(i))) {
                    break;
                }
                legal[i] = true;
                kept--;
            }
            boolean trailing = out.size() > 0 && legal[out.size() - 1];
            if (kept > 0 && (kind != EntityKind.UNKNOWN || (kept < out.size() && trailing))) {
                // Unknown kind: a trailing legal form still says "organisation".
                List<String> t = new ArrayList<>(kept);
                List<Boolean> p = new ArrayList<>(kept);
                for (int i = 0; i < out.size(); i++) {
                    if (!legal[i]) {
                        t.add(out.get(i));
                        p.add(particles.get(i));
                    }
                }
                out = t;
                particles = p;
            }
        }
        return new Analysed(out, particles, arabic);
    }

    /** A token of six letters or more one edit (two from ten letters) from a legal form of six letters or more. */
    static boolean misspeltLegalForm(String t) {
        if (t.length() < 5) {
            return false;
        }
        for (String f : LEGAL_FORMS) {
            if (f.length() >= 6 && Math.abs(f.length() - t.length()) <= 2
                    && editDistance(t, f, 2) <= (f.length() >= 10 ? 2 : 1)) {
                return true;
            }
        }
        return false;
    }

    /** Optimal-string-alignment distance (a transposition is one edit), stopping early above {@code max}. */
    static int editDistance(String a, String b, int max) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            int rowMin = Integer.MAX_VALUE;
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
                rowMin = Math.min(rowMin, v);
            }
            if (rowMin > max) {
                return max + 1;
            }
        }
        return d[n][m];
    }

    /** Latin with diacritics to plain ASCII letters, without ICU (most listed names need only this). */
    static String foldLatin(String s) {
        String d = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(d.length());
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c >= 0x300 && c <= 0x36f) {
                continue;
            }
            switch (c) {
                case '\u00df' -> b.append("ss");
                case '\u00e6' -> b.append("ae");
                case '\u00c6' -> b.append("AE");
                case '\u0153' -> b.append("oe");
                case '\u0152' -> b.append("OE");
                case '\u00f8' -> b.append('o');
                case '\u00d8' -> b.append('O');
                case '\u0111', '\u00f0' -> b.append('d');
                case '\u0110', '\u00d0' -> b.append('D');
                case '\u0142' -> b.append('l');
                case '\u0141' -> b.append('L');
                case '\u0131' -> b.append('i');
                case '\u00fe' -> b.append("th");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Loads ICU's transliteration rules now rather than on the first non-Latin name. */
    public static void warmUp() {
        TO_LATIN.get().transliterate("\uae40 \u0416 \u0639 \u4e2d \u0e01");
    }

    /**
     * A coarse phonetic key of one token (both sides are keyed the same way):
     * vowel pairs of romanisations folded (eo, eu, ou, oo, ee, ae, ie), common
     * consonant digraphs folded (ph, kh, gh, th, dh, sh, ch, zh, ck, tz, dj),
     * voiced and unvoiced consonants merged (g/k/c/q, d/t, b/p, v/f, z/s, l/r),
     * y as i, w as u, h dropped after the first letter, repeats collapsed.
     */
    public static String phonetic(String token) {
        int n = token.length();
        StringBuilder b = new StringBuilder(n);
        char prev = 0;
        for (int i = 0; i < n; i++) {
            char c = token.charAt(i);
            char next = i + 1 < n ? token.charAt(i + 1) : 0;
            char m;
            String two = null;
            switch (c) {
                case 'e' -> {
                    if (next == 'o') { m = 'o'; i++; }
                    else if (next == 'u') { m = 'u'; i++; }
                    else if (next == 'e') { m = 'i'; i++; }
                    else { m = 'e'; }
                }
                case 'o' -> {
                    if (next == 'u' || next == 'o') { m = 'u'; i++; }
                    else if (next == 'e') { two = "oi"; m = 0; i++; }
                    else { m = 'o'; }
                }
                case 'a' -> {
                    if (next == 'e') { m = 'e'; i++; }
                    else { m = 'a'; }
                }
                case 'i' -> {
                    if (next == 'e') { i++; }
                    m = 'i';
                }
                case 'p' -> {
                    if (next == 'h') { m = 'f'; i++; }
                    else { m = 'p'; }
                }
                case 'k', 'g' -> {
                    if (next == 'h') { i++; }
                    m = 'k';
                }
                case 't' -> {
                    if (next == 'h') { m = 't'; i++; }
                    else if (next == 'z') { m = 's'; i++; }
                    else { m = 't'; }
                }
                case 'd' -> {
                    if (next == 'h') { m = 't'; i++; }
                    else if (next == 'j') { m = 'j'; i++; }
                    else if (next == 'z' && i + 2 < n && token.charAt(i + 2) == 'h') { m = 'j'; i += 2; }
                    else { m = 't'; }
                }
                case 's' -> {
                    if (next == 'h') { i++; }
                    m = 's';
                }
                case 'c' -> {
                    if (next == 'h') { m = 'j'; i++; }
                    else if (next == 'k') { m = 'k'; i++; }
                    else { m = 'k'; }
                }
                case 'z' -> {
                    if (next == 'h') { m = 'j'; i++; }
                    else { m = 's'; }
                }
                case 'q', 'x' -> m = 'k';
                case 'b' -> m = 'p';
                case 'v' -> m = 'f';
                case 'w' -> m = 'u';
                case 'y' -> m = 'i';
                case 'l' -> m = 'r';
                default -> m = c;
            }
            if (two != null) {
                for (int k = 0; k < two.length(); k++) {
                    char t = two.charAt(k);
                    if (t != prev) {
                        b.append(t);
                        prev = t;
                    }
                }
                continue;
            }
            if (m == 'h' && b.length() > 0) {
                continue;
            }
            if (m == prev) {
                continue;
            }
            b.append(m);
            prev = m;
        }
        return b.toString();
    }

    /**
     * The consonant skeleton of a token: its phonetic key without vowels (a,
     * e, i, o, u; y and w are vowels there too), repeats collapsed. Arabic
     * script writes no short vowels, so a name written in it is compared with
     * Latin names on this key (بشار -> bshar -> psr, Bashar -> pasar -> psr).
     */
    public static String skeleton(String phonetic) {
        StringBuilder b = new StringBuilder(phonetic.length());
        char prev = 0;
        for (int i = 0; i < phonetic.length(); i++) {
            char c = phonetic.charAt(i);
            if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
                continue;
            }
            if (c != prev) {
                b.append(c);
                prev = c;
            }
        }
        return b.toString();
    }

    /** The normalised name of a subject or entry. */
    public static NormalizedName normalize(String name, EntityKind kind) {
        Analysed a = analyse(name, kind);
        String[] tokens = a.tokens().toArray(new String[0]);
        String[] phon = new String[tokens.length];
        String[] skel = new String[tokens.length];
        boolean[] particle = new boolean[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            phon[i] = phonetic(tokens[i]);
            skel[i] = skeleton(phon[i]);
            particle[i] = a.particles().get(i);
        }
        return new NormalizedName(tokens, phon, skel, particle, a.arabic());
    }
}
