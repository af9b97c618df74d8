package org.openkyc.server.screening;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Korean reading of a name written in Han characters (Hanja). ICU reads
 * Han as Mandarin (金正恩: jin zheng en), while the lists write North Korean
 * names romanised from Korean (KIM, Jong Un) and carry no Han form of them.
 * A name written only in Han characters, each of which has a reading in the
 * table {@code /screening/han-korean.txt} (family names and given-name
 * syllables of Korean names), is also read as Korean: the first character of
 * each written part the family name, every further character a syllable of
 * the given name (金正恩: kim jong un). Any character without a reading, or
 * any kana, Hangul or Latin letter, or fewer than three characters (李明 is
 * as often Chinese), means no Korean reading.
 */
final class HanReadings {

    private static final Map<Integer, String> READINGS = load();

    private HanReadings() {
    }

    private static Map<Integer, String> load() {
        Map<Integer, String> m = new HashMap<>();
        try (InputStream in = HanReadings.class.getResourceAsStream("/screening/han-korean.txt")) {
            if (in == null) {
                throw new IllegalStateException("missing resource /screening/han-korean.txt");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] kv = l.split("\\s+");
                if (kv.length != 2 || kv[0].codePointCount(0, kv[0].length()) != 1) {
                    throw new IllegalStateException("bad line in /screening/han-korean.txt: " + l);
                }
                m.put(kv[0].codePointAt(0), kv[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(m);
    }

    static boolean han(int cp) {
        return Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN;
    }

    /** The Korean reading ("kim jong un"), when the name is written in Han characters that all have one. */
    static Optional<String> korean(String name) {
        StringBuilder out = new StringBuilder();
        boolean any = false;
        for (String part : name.strip().split("[\\s\u3000\u00b7\u30fb,]+")) {
            if (part.isEmpty()) {
                continue;
            }
            int[] cps = part.codePoints().toArray();
            if (cps.length > 4) {
                return Optional.empty();
            }
            for (int i = 0; i < cps.length; i++) {
                String r = han(cps[i]) ? READINGS.get(cps[i]) : null;
                if (r == null) {
                    return Optional.empty();
                }
                // The family name apart; the given name's syllables as the lists write them, apart too.
                out.append(out.length() == 0 ? "" : " ").append(r);
                any = true;
            }
        }
        // Korean names are mostly three syllables; two Han characters are as often a Chinese name (李明).
        return any && out.toString().split(" ").length >= 3 ? Optional.of(out.toString()) : Optional.empty();
    }
}
