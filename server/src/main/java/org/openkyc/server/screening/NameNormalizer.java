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
            "fze", "fzco", "bhd", "sdn", "cv", "sl", "kft", "doo", "ead", "eood", "tov", "ltda", "cia");

    private NameNormalizer() {
    }

    /** The Latin, lower-case, punctuation-free tokens of a name. */
    public static List<String> tokens(String name, EntityKind kind) {
        String s = name;
        boolean ascii = true;
        boolean latin = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7e) {
                ascii = false;
                if (!(c <= 0x24f || (c >= 0x300 && c <= 0x36f) || (c >= 0x1e00 && c <= 0x1eff)
                        || (c >= 0x2000 && c <= 0x206f))) {
                    latin = false;
                    break;
                }
            }
        }
        if (!latin) {
            s = TO_LATIN.get().transliterate(s);
        } else if (!ascii) {
            s = foldLatin(s);
        }
        s = s.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>(6);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                b.append(c);
            } else if (c == '\'' || c == '`' || c == '\u02bf' || c == '\u02be' || c == '\u2019' || c == '.') {
                // O'Brien -> obrien, ʿAli -> ali; "M." -> m
                continue;
            } else if (b.length() > 0) {
                out.add(b.toString());
                b.setLength(0);
            }
        }
        if (b.length() > 0) {
            out.add(b.toString());
        }
        if (kind != EntityKind.ORGANISATION && kind != EntityKind.OTHER) {
            while (out.size() > 1 && HONORIFICS.contains(out.get(0))) {
                out.remove(0);
            }
        }
        if (kind == EntityKind.ORGANISATION || kind == EntityKind.OTHER || kind == EntityKind.UNKNOWN) {
            List<String> kept = new ArrayList<>(out);
            kept.removeIf(LEGAL_FORMS::contains);
            if (!kept.isEmpty() && kind != EntityKind.UNKNOWN) {
                out = kept;
            } else if (!kept.isEmpty() && kept.size() < out.size() && LEGAL_FORMS.contains(out.get(out.size() - 1))) {
                // Unknown kind: a trailing legal form still says "organisation".
                out = kept;
            }
        }
        return out;
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

    /** The normalised name of a subject or entry. */
    public static NormalizedName normalize(String name, EntityKind kind) {
        List<String> t = tokens(name, kind);
        String[] tokens = t.toArray(new String[0]);
        String[] phon = new String[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            phon[i] = phonetic(tokens[i]);
        }
        return new NormalizedName(tokens, phon);
    }
}
