package org.openkyc.server.kyc;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How confirmed identity fields are compared with what the document or the identity registry holds.
 * Names: case, spacing, accents, punctuation and word order are ignored ("Anna-Maria  Eriksson" equals
 * "ERIKSSON ANNA MARIA"); numbers: case, spaces, dashes and MRZ filler characters are ignored; dates are
 * compared exactly.
 */
public final class IdentityFields {

    private IdentityFields() {}

    /** The comparable form of a name: upper-case words without accents or punctuation, sorted. */
    public static String name(String value) {
        if (value == null) {
            return "";
        }
        String n = Normalizer.normalize(value, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "")
                .toUpperCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
        if (n.isEmpty()) {
            return "";
        }
        String[] words = n.split(" ");
        Arrays.sort(words);
        return String.join(" ", words);
    }

    /** The comparable form of an identity or document number: upper-case letters and digits only. */
    public static String number(String value) {
        return value == null ? "" : value.toUpperCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "");
    }

    public static boolean sameName(String a, String b) {
        String x = name(a);
        return !x.isEmpty() && x.equals(name(b));
    }

    public static boolean sameNumber(String a, String b) {
        String x = number(a);
        return !x.isEmpty() && x.equals(number(b));
    }

    /** True unless both values are known and differ (an unknown side cannot contradict). */
    public static <T> boolean agrees(Optional<T> confirmed, Optional<T> known) {
        return confirmed.isEmpty() || known.isEmpty() || confirmed.get().equals(known.get());
    }
}
