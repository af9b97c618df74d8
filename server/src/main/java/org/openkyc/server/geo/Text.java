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
        String d = Normalizer.normalize(s, Normalizer.Form.NFKD);
        d = MARKS.matcher(d).replaceAll("");
        d = d.toLowerCase(Locale.ROOT)
                .replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("đ", "d")
                .replace("æ", "ae").replace("œ", "oe").replace("ı", "i").replace("þ", "th")
                .replace('’', '\'').replace("'", "");
        return NON_WORD.matcher(d).replaceAll(" ").strip();
    }
}
