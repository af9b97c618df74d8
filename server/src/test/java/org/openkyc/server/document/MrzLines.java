package org.openkyc.server.document;

import java.time.LocalDate;
import java.util.List;

/** Specimen-like zones with correct check digits, built for the parser tests. */
final class MrzLines {

    private MrzLines() {}

    /** A TD3 passport zone; names as they stand in the zone ('<' between parts). */
    static List<String> passport(String state, String names, String number, String nat, LocalDate birth, String sex,
            LocalDate expiry) {
        String[] parts = names.split("<<", 2);
        return SyntheticDocuments.mrzLines(MrzFormat.TD3, "P", state, parts[0], parts.length > 1 ? parts[1] : "",
                number, nat, birth, sex, expiry, "");
    }

    /** A TD3 passport zone with a raw two-digit birth and expiry date (yymmdd). */
    static List<String> passport(String names, String birth, String expiry) {
        String l1 = SyntheticDocuments.pad("P", 2) + "UTO" + SyntheticDocuments.pad(names, 39);
        String num = "L898902C3";
        String l2 = num + MrzParser.checkDigit(num) + "UTO" + birth + MrzParser.checkDigit(birth) + "F" + expiry
                + MrzParser.checkDigit(expiry) + "<".repeat(14) + "<";
        String comp = l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 43);
        return List.of(l1, l2 + MrzParser.checkDigit(comp));
    }

    /** Replaces one character of a line. */
    static List<String> with(List<String> lines, int line, int pos, char c) {
        String l = lines.get(line);
        List<String> out = new java.util.ArrayList<>(lines);
        out.set(line, l.substring(0, pos) + c + l.substring(pos + 1));
        return out;
    }
}
