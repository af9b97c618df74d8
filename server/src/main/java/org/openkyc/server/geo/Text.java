package org.openkyc.server.geo;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Normalisation of place names and addresses for matching: no accents, no case, no punctuation. */
final class Text {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private Text() {
    }

    /** "Sant Julià de Lòria" and "sant-julia de loria" both give "sant julia de loria". */
    static String normalize(String s) {
        if (s == null) {
            return "";
        }
        String ascii = asciiFastPath(s);
        if (ascii != null) {
            return ascii;
        }
        String d = Normalizer.normalize(s, Normalizer.Form.NFKD);
        d = MARKS.matcher(d).replaceAll("");
        d = d.toLowerCase(Locale.ROOT)
                .replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("đ", "d")
                .replace("æ", "ae").replace("œ", "oe").replace("ı", "i").replace("þ", "th")
                .replace('’', '\'').replace("'", "");
        return NON_WORD.matcher(d).replaceAll(" ").strip();
    }

    /** The same result for plain ASCII text (most names) without the Unicode machinery; null otherwise. */
    private static String asciiFastPath(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean pendingSpace = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            if (c == '\'') {
                continue;
            }
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (pendingSpace && sb.length() > 0) {
                    sb.append(' ');
                }
                pendingSpace = false;
                sb.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                if (pendingSpace && sb.length() > 0) {
                    sb.append(' ');
                }
                pendingSpace = false;
                sb.append((char) (c + ('a' - 'A')));
            } else {
                pendingSpace = true;
            }
        }
        return sb.toString();
    }
}
