package org.openkyc.server.document;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openkyc.server.common.CountryCodes;

/**
 * Parses TD1, TD2 and TD3 machine-readable zones per ICAO Doc 9303 parts 3-6 and
 * MRV-A and MRV-B visas per part 7: every check digit and the composite check, and
 * a repair of the typical OCR confusions (0/O, 1/I, 2/Z, 4/A, 5/S, 6/G, 7/T, 8/B)
 * guided first by the character type each position allows, then by the check
 * digits. Names and nationality are not covered by check digits: the nationality
 * and issuing state are checked against the ICAO code table, the names against
 * plausibility rules; what stays ambiguous is reported unsure, never guessed. Two-
 * digit years get their century from the document's own dates (see
 * {@link #centuries}). Stateless and thread-safe.
 */
public final class MrzParser {

    /** The letter a digit is misread for, by digit; ' ' = none (3 and 9 have no look-alike letter). */
    static final String LETTER_FOR_DIGIT = "OIZ ASGTB ";
    /** Letters generic OCR models read a '<' filler as. */
    static final String FILLER_LOOKALIKES = "KXSCZEL";
    /** The oldest plausible holder, in years: a birth date further back is not a living person's. */
    static final int MAX_AGE_YEARS = 120;
    /** The machine-readable zone was introduced in 1980: no such document expired before. */
    static final LocalDate MRZ_EPOCH = LocalDate.of(1980, 1, 1);
    private static final char[][] CONFUSIONS = {
        {'0', 'O'}, {'0', 'D'}, {'0', 'Q'}, {'1', 'I'}, {'1', 'L'}, {'8', 'B'}, {'5', 'S'},
        {'2', 'Z'}, {'6', 'G'}, {'7', 'T'}, {'4', 'A'}};

    /** A character class a position allows. */
    private enum Kind { ALPHA, NUMERIC, ALNUM, SEX }

    /** A field covered by a check digit: data ranges and the check position. */
    private record Checked(String name, int[][] ranges, int line, int checkPos, boolean alnum) {}

    /** Characters read with at least this confidence are not changed by the check-digit repair. */
    static final double REPAIR_CONFIDENCE = 0.9;

    /**
     * Default of the lowest OCR confidence a name character may have for the name to be presented as read
     * (OPENKYC_MRZ_NAME_MIN_CONFIDENCE). Names carry no check digit: misread letters of holographic glare,
     * motion blur or small scans pass every check, and the model's own confidence is what tells them.
     */
    public static final double DEFAULT_NAME_MIN_CONFIDENCE = 0.95;

    private final LocalDate today;
    private final double nameMinConfidence;

    /** @param today the current date, one bound of the centuries of two-digit years */
    public MrzParser(LocalDate today) {
        this(today, DEFAULT_NAME_MIN_CONFIDENCE);
    }

    /**
     * @param today             the current date, one bound of the centuries of two-digit years
     * @param nameMinConfidence a name with a character (letter or filler of its part of the zone) read with a
     *                          lower OCR confidence is unsure; 0 turns the rule off
     */
    public MrzParser(LocalDate today, double nameMinConfidence) {
        if (!(nameMinConfidence >= 0 && nameMinConfidence <= 1)) {
            throw new IllegalArgumentException("nameMinConfidence must be in [0, 1]");
        }
        this.today = today;
        this.nameMinConfidence = nameMinConfidence;
    }

    /** Longest validity of a document, in years, by its document code: ICAO passports and visas 10 years. */
    static int maxValidityYears(String documentType) {
        return documentType.startsWith("P") || documentType.startsWith("V") ? 10 : 20;
    }

    /** Computes the ICAO 9303 check digit (weights 7, 3, 1) of MRZ characters. */
    public static int checkDigit(CharSequence s) {
        int[] w = {7, 3, 1};
        int sum = 0;
        for (int i = 0; i < s.length(); i++) {
            sum += value(s.charAt(i)) * w[i % 3];
        }
        return sum % 10;
    }

    private static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        return 0;  // '<' and anything unreadable
    }

    /** Parses lines without OCR confidences (every character open to repair). */
    public MrzResult parse(List<String> lines) {
        return parse(lines, null);
    }

    /**
     * Parses the zone.
     *
     * @param rawLines the zone's lines, top to bottom
     * @param charConfidence per line, per character, OCR confidence 0-1 (may be null)
     * @throws IllegalArgumentException when the lines have no MRZ shape
     */
    public MrzResult parse(List<String> rawLines, List<double[]> charConfidence) {
        return parse(rawLines, charConfidence, Optional.empty());
    }

    /**
     * Parses the zone with the date of issue printed on the document, when it is known: it narrows the
     * centuries of the birth and expiry dates (the holder was born before it, the document expires after it).
     */
    public MrzResult parse(List<String> rawLines, List<double[]> charConfidence, Optional<LocalDate> issueDate) {
        List<String> norm = rawLines.stream().map(MrzParser::normalise).filter(l -> !l.isEmpty()).toList();
        MrzFormat format = guessFormat(norm);
        if (format == null) {
            throw new IllegalArgumentException("not a machine-readable zone: " + norm.size() + " lines");
        }
        char[][] z = new char[format.lines()][];
        double[][] conf = new double[format.lines()][];
        for (int i = 0; i < format.lines(); i++) {
            z[i] = fit(norm.get(i), format.length()).toCharArray();
            conf[i] = new double[format.length()];
            double[] src = charConfidence != null && i < charConfidence.size() ? charConfidence.get(i) : null;
            for (int j = 0; j < format.length(); j++) {
                conf[i][j] = src != null && j < src.length ? src[j] : 0.0;
            }
        }
        Kind[][] kinds = kinds(format);
        char[][] raw = new char[z.length][];
        for (int i = 0; i < z.length; i++) {
            raw[i] = z[i].clone();
        }
        int repairs = 0;
        // 1. Type rule: a digit where only letters may stand (and vice versa) is the look-alike.
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[i].length; j++) {
                char fixed = coerce(z[i][j], kinds[i][j]);
                if (fixed != z[i][j]) {
                    z[i][j] = fixed;
                    repairs++;
                }
            }
        }
        // Issuing state and nationality: a look-alike repair that makes a known code, when only one does.
        Set<String> unsure = new LinkedHashSet<>();
        repairs += repairCode(z, raw, 0, 2, MrzResult.ISSUING_STATE, unsure);
        repairs += repairCode(z, raw, 1, format == MrzFormat.TD1 ? 15 : 10, MrzResult.NATIONALITY, unsure);
        // Names: fillers misread as letters after the names end, else plausibility only.
        repairs += repairFillerRuns(z, format);
        checkNames(z, format, unsure);
        checkNamesLineLength(norm.get(namesLine(format)).length(), format, unsure);
        // 2. Check digits: try look-alike substitutions in alphanumeric fields until the check holds.
        List<Checked> fields = checkedFields(format);
        Map<String, Boolean> checks = new LinkedHashMap<>();
        for (Checked f : fields) {
            boolean ok = holds(z, f);
            if (!ok && f.alnum()) {
                int changed = repair(z, conf, f);
                if (changed > 0) {
                    repairs += changed;
                    ok = true;
                }
            }
            checks.put(f.name(), ok);
        }
        if (charConfidence == null) {
            for (double[] row : conf) {
                Arrays.fill(row, 1.0);  // nothing known about the reading: report the checks alone
            }
        }
        Checked composite = compositeField(format);
        if (composite != null) {
            checks.put("composite", holds(z, composite));
        }
        MrzResult result = build(format, z, conf, checks, repairs, unsure, issueDate);
        return charConfidence == null ? result : withNameConfidenceFloor(result, nameMinConfidence);
    }

    private static int namesLine(MrzFormat f) {
        return f == MrzFormat.TD1 ? 2 : 0;
    }

    /**
     * The names' line read with more or fewer characters than the format has: a letter was dropped (under a
     * reflection) or one was read twice or invented (a small scan: {@code KDONSTANTINOPOULOU},
     * {@code OJANKOWSKA} from a state code's last letter read twice). The other lines' check digits catch
     * such a shift; the names' line has none, so the names are unsure, wherever the shift was.
     */
    static void checkNamesLineLength(int readLength, MrzFormat f, Set<String> unsure) {
        if (readLength != f.length()) {
            unsure.add(MrzResult.SURNAME);
            unsure.add(MrzResult.GIVEN_NAMES);
        }
    }

    /**
     * The first reading with each name the second reading of the same zone (another preparation of the
     * image) gives differently marked unsure; every name unsure when there is no second reading.
     */
    public static MrzResult withNamesConfirmedBy(MrzResult first, MrzResult second) {
        Set<String> unsure = new LinkedHashSet<>(first.unsure());
        if (second == null || !first.surname().equals(second.surname())) {
            unsure.add(MrzResult.SURNAME);
        }
        if (second == null || !first.givenNames().equals(second.givenNames())) {
            unsure.add(MrzResult.GIVEN_NAMES);
        }
        return withUnsure(first, unsure);
    }

    private static MrzResult withUnsure(MrzResult r, Set<String> unsure) {
        if (unsure.size() == r.unsure().size()) {
            return r;
        }
        Map<String, Double> confidence = new LinkedHashMap<>(r.confidence());
        for (String field : unsure) {
            confidence.computeIfPresent(field, (k, v) -> Math.min(v, 0.5));
        }
        return new MrzResult(r.format(), r.lines(), r.documentType(), r.issuingState(), r.surname(),
                r.givenNames(), r.documentNumber(), r.nationality(), r.birthDate(), r.sex(), r.expiryDate(),
                r.optionalData(), r.checks(), r.repairs(), confidence, unsure);
    }

    /**
     * A name whose characters were read with less than {@code floor} confidence (its part of the zone:
     * the surname with its closing double filler, the given names with the fillers after them) is unsure.
     */
    static MrzResult withNameConfidenceFloor(MrzResult r, double floor) {
        Set<String> unsure = new LinkedHashSet<>(r.unsure());
        for (String field : List.of(MrzResult.SURNAME, MrzResult.GIVEN_NAMES)) {
            Double c = r.confidence().get(field);
            if (c != null && c < floor) {
                unsure.add(field);
            }
        }
        return withUnsure(r, unsure);
    }

    private static String normalise(String line) {
        StringBuilder sb = new StringBuilder();
        for (char c : line.toUpperCase().toCharArray()) {
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<') {
                sb.append(c);
            } else if (c == '«' || c == '‹' || c == '(' || c == '[' || c == '{') {
                sb.append('<');
            } // spaces and stray marks are dropped
        }
        return sb.toString();
    }

    private static MrzFormat guessFormat(List<String> lines) {
        if (lines.size() >= 3) {
            return MrzFormat.TD1;
        }
        if (lines.size() == 2) {
            int len = Math.max(lines.get(0).length(), lines.get(1).length());
            boolean visa = lines.get(0).startsWith("V");
            if (len >= 40) {
                return visa ? MrzFormat.MRV_A : MrzFormat.TD3;
            }
            return visa ? MrzFormat.MRV_B : MrzFormat.TD2;
        }
        return null;
    }

    private static String fit(String line, int length) {
        if (line.length() >= length) {
            return line.substring(0, length);
        }
        return line + "<".repeat(length - line.length());
    }

    private static Kind[][] kinds(MrzFormat f) {
        Kind[][] k = new Kind[f.lines()][f.length()];
        for (Kind[] row : k) {
            Arrays.fill(row, Kind.ALNUM);
        }
        switch (f) {
            case TD3, TD2, MRV_A, MRV_B -> {
                int n = f.length();
                fill(k[0], 0, 2, Kind.ALPHA);      // type
                fill(k[0], 2, 5, Kind.ALPHA);      // issuing state
                fill(k[0], 5, n, Kind.ALPHA);      // names
                k[1][9] = Kind.NUMERIC;
                fill(k[1], 10, 13, Kind.ALPHA);    // nationality
                fill(k[1], 13, 20, Kind.NUMERIC);  // birth + check
                k[1][20] = Kind.SEX;
                fill(k[1], 21, 28, Kind.NUMERIC);  // expiry + check
                if (!f.visa()) {
                    k[1][n - 1] = Kind.NUMERIC;    // composite (visas have none: optional data run to the end)
                }
                if (f == MrzFormat.TD3) {
                    k[1][42] = Kind.NUMERIC;       // optional-data check: a digit, or '<' (kept)
                }
            }
            case TD1 -> {
                fill(k[0], 0, 2, Kind.ALPHA);
                fill(k[0], 2, 5, Kind.ALPHA);
                fill(k[1], 0, 7, Kind.NUMERIC);    // birth + check
                k[1][7] = Kind.SEX;
                fill(k[1], 8, 15, Kind.NUMERIC);   // expiry + check
                fill(k[1], 15, 18, Kind.ALPHA);    // nationality
                k[1][29] = Kind.NUMERIC;           // composite
                fill(k[2], 0, 30, Kind.ALPHA);     // names
            }
        }
        return k;
    }

    private static void fill(Kind[] row, int from, int to, Kind kind) {
        Arrays.fill(row, from, to, kind);
    }

    private static char coerce(char c, Kind kind) {
        switch (kind) {
            case ALPHA -> {
                if (c >= '0' && c <= '9') {
                    char l = LETTER_FOR_DIGIT.charAt(c - '0');
                    return l == ' ' ? c : l;
                }
                return c;
            }
            case NUMERIC -> {
                return switch (c) {
                    case 'O', 'D', 'Q', 'U' -> '0';
                    case 'I', 'L', 'J' -> '1';
                    case 'Z' -> '2';
                    case 'A' -> '4';
                    case 'S' -> '5';
                    case 'G' -> '6';
                    case 'T' -> '7';
                    case 'B' -> '8';
                    default -> c;
                };
            }
            case SEX -> {
                return switch (c) {
                    case 'M', 'F', '<', 'X' -> c;
                    case 'H', 'N' -> 'M';
                    case 'E', 'P' -> 'F';
                    default -> '<';
                };
            }
            default -> {
                return c;
            }
        }
    }

    /**
     * Generic OCR models read fillers as K, X, S, C, Z, E or L. The given names end at their first
     * double filler (or at once, when they start with one): whatever follows is filler territory, and
     * when every piece there is made of filler look-alikes it is fillers misread, unambiguously. A piece
     * that is not (a real letter after the names) is left as read and the names are reported unsure.
     */
    private static int repairFillerRuns(char[][] z, MrzFormat f) {
        int line = f == MrzFormat.TD1 ? 2 : 0;
        int start = f == MrzFormat.TD1 ? 0 : 5;
        char[] row = z[line];
        int sep = indexOf(row, start, "<<");
        if (sep < 0) {
            return 0;  // one run of letters: surname only, or truncated names
        }
        int given = sep + 2;
        int territory = given < row.length && row[given] == '<' ? given : indexOf(row, given, "<<");
        if (territory < 0) {
            return 0;
        }
        for (int j = territory; j < row.length; j++) {
            if (row[j] != '<' && FILLER_LOOKALIKES.indexOf(row[j]) < 0) {
                return 0;
            }
        }
        int changed = 0;
        for (int j = territory; j < row.length; j++) {
            if (row[j] != '<') {
                row[j] = '<';
                changed++;
            }
        }
        return changed;
    }

    private static int indexOf(char[] row, int from, String what) {
        int i = new String(row).indexOf(what, from);
        return i;
    }

    /**
     * Plausibility of the names, which no check digit covers: a name part is unsure when it holds a
     * character outside A-Z, a run of single-letter pieces ("Z Z O"), a piece of one filler look-alike
     * repeated ("KKK") or of filler look-alike consonants only ("KXC"), or letters after the end of the
     * given names (a filler run misread).
     */
    private static void checkNames(char[][] z, MrzFormat f, Set<String> unsure) {
        int line = f == MrzFormat.TD1 ? 2 : 0;
        int start = f == MrzFormat.TD1 ? 0 : 5;
        String field = new String(z[line], start, z[line].length - start);
        int sep = field.indexOf("<<");
        String surname = sep < 0 ? field : field.substring(0, sep);
        String given = sep < 0 ? "" : field.substring(sep + 2);
        if (!plausibleName(surname) || surname.replace("<", "").isEmpty()) {
            unsure.add(MrzResult.SURNAME);
        }
        String rest = given.startsWith("<") ? given : (given.contains("<<") ? given.substring(given.indexOf("<<")) : "");
        if (!plausibleName(given) || !rest.replace("<", "").isEmpty()) {
            unsure.add(MrzResult.GIVEN_NAMES);
        }
    }

    static boolean plausibleName(String part) {
        for (char c : part.toCharArray()) {
            if (c != '<' && (c < 'A' || c > 'Z')) {
                return false;
            }
        }
        int singles = 0;
        for (String token : part.split("<+")) {
            if (token.isEmpty()) {
                continue;
            }
            singles = token.length() == 1 ? singles + 1 : 0;
            if (singles >= 2) {
                return false;
            }
            if (token.length() >= 3 && (token.chars().allMatch(c -> "KXCZ".indexOf(c) >= 0)
                    || (FILLER_LOOKALIKES.indexOf(token.charAt(0)) >= 0
                            && token.chars().allMatch(c -> c == token.charAt(0))))) {
                return false;
            }
        }
        return true;
    }

    /**
     * An issuing state or nationality (three letters, fillers allowed) that is no ICAO code although
     * its characters were read as digits: every look-alike letter of those digits is tried, and a single
     * combination that gives a known code is taken. A code that stays unknown is reported unsure.
     */
    private static int repairCode(char[][] z, char[][] raw, int line, int pos, String field, Set<String> unsure) {
        String code = new String(z[line], pos, 3);
        if (CountryCodes.isMrzCode(code)) {
            return 0;
        }
        List<String> candidates = new ArrayList<>();
        candidates.add("");
        for (int j = 0; j < 3; j++) {
            char r = raw[line][pos + j];
            List<Character> options = new ArrayList<>();
            options.add(z[line][pos + j]);
            if (r >= '0' && r <= '9') {
                for (char alt : alternatives(r)) {
                    if (alt >= 'A' && alt <= 'Z' && !options.contains(alt)) {
                        options.add(alt);
                    }
                }
            }
            List<String> next = new ArrayList<>();
            for (String c : candidates) {
                for (char o : options) {
                    next.add(c + o);
                }
            }
            candidates = next;
        }
        List<String> known = candidates.stream().filter(CountryCodes::isMrzCode).distinct().toList();
        if (known.size() != 1) {
            unsure.add(field);
            return 0;
        }
        int changed = 0;
        for (int j = 0; j < 3; j++) {
            if (z[line][pos + j] != known.get(0).charAt(j)) {
                z[line][pos + j] = known.get(0).charAt(j);
                changed++;
            }
        }
        return changed;
    }

    private static List<Checked> checkedFields(MrzFormat f) {
        List<Checked> list = new ArrayList<>();
        switch (f) {
            case TD3 -> {
                list.add(new Checked("documentNumber", new int[][] {{1, 0, 9}}, 1, 9, true));
                list.add(new Checked("birthDate", new int[][] {{1, 13, 19}}, 1, 19, false));
                list.add(new Checked("expiryDate", new int[][] {{1, 21, 27}}, 1, 27, false));
                list.add(new Checked("optionalData", new int[][] {{1, 28, 42}}, 1, 42, true));
            }
            case TD2, MRV_A, MRV_B -> {
                list.add(new Checked("documentNumber", new int[][] {{1, 0, 9}}, 1, 9, true));
                list.add(new Checked("birthDate", new int[][] {{1, 13, 19}}, 1, 19, false));
                list.add(new Checked("expiryDate", new int[][] {{1, 21, 27}}, 1, 27, false));
            }
            case TD1 -> {
                list.add(new Checked("documentNumber", new int[][] {{0, 5, 14}}, 0, 14, true));
                list.add(new Checked("birthDate", new int[][] {{1, 0, 6}}, 1, 6, false));
                list.add(new Checked("expiryDate", new int[][] {{1, 8, 14}}, 1, 14, false));
            }
        }
        return list;
    }

    private static Checked compositeField(MrzFormat f) {
        return switch (f) {
            case TD3 -> new Checked("composite", new int[][] {{1, 0, 10}, {1, 13, 20}, {1, 21, 43}}, 1, 43, false);
            case TD2 -> new Checked("composite", new int[][] {{1, 0, 10}, {1, 13, 20}, {1, 21, 35}}, 1, 35, false);
            case TD1 -> new Checked("composite", new int[][] {{0, 5, 30}, {1, 0, 7}, {1, 8, 15}, {1, 18, 29}}, 1, 29, false);
            case MRV_A, MRV_B -> null;  // visas carry no composite check digit
        };
    }

    private static boolean holds(char[][] z, Checked f) {
        if (f.name().equals("documentNumber") && z[f.line()][f.checkPos()] == '<' && z.length == 3) {
            return longTd1NumberHolds(z);
        }
        StringBuilder data = new StringBuilder();
        for (int[] r : f.ranges()) {
            data.append(z[r[0]], r[1], r[2] - r[1]);
        }
        char c = z[f.line()][f.checkPos()];
        if (c == '<') {
            // An empty optional field may carry '<' as its check digit.
            return f.name().equals("optionalData") && data.chars().allMatch(ch -> ch == '<');
        }
        return c >= '0' && c <= '9' && checkDigit(data) == c - '0';
    }

    /** TD1 numbers longer than 9: '<' at the check position, the rest and the check in optional data. */
    private static boolean longTd1NumberHolds(char[][] z) {
        String opt = new String(z[0], 15, 15);
        int end = opt.indexOf('<');
        if (end < 2) {
            return false;
        }
        String number = new String(z[0], 5, 9) + opt.substring(0, end - 1);
        char c = opt.charAt(end - 1);
        return c >= '0' && c <= '9' && checkDigit(number) == c - '0';
    }

    /**
     * Tries one, then two look-alike substitutions on characters the OCR was unsure of
     * (confidence below {@link #REPAIR_CONFIDENCE}), and keeps a repair only when exactly
     * one substitution makes the check hold: a check digit cannot tell two candidate
     * repairs apart, and a guess must not turn a misread into a valid zone.
     */
    private static int repair(char[][] z, double[][] conf, Checked f) {
        List<int[]> positions = new ArrayList<>();
        for (int[] r : f.ranges()) {
            for (int j = r[1]; j < r[2]; j++) {
                if (!alternatives(z[r[0]][j]).isEmpty() && conf[r[0]][j] < REPAIR_CONFIDENCE) {
                    positions.add(new int[] {r[0], j});
                }
            }
        }
        List<char[]> solutions = new ArrayList<>();  // {line, pos, char} triples encoded per solution
        for (int[] p : positions) {
            char orig = z[p[0]][p[1]];
            for (char alt : alternatives(orig)) {
                z[p[0]][p[1]] = alt;
                if (holds(z, f)) {
                    solutions.add(new char[] {(char) p[0], (char) p[1], alt});
                }
            }
            z[p[0]][p[1]] = orig;
        }
        if (solutions.size() == 1) {
            char[] s = solutions.get(0);
            z[s[0]][s[1]] = s[2];
            return 1;
        }
        if (!solutions.isEmpty()) {
            return 0;  // ambiguous
        }
        for (int a = 0; a < positions.size(); a++) {
            for (int b = a + 1; b < positions.size(); b++) {
                int[] p = positions.get(a);
                int[] q = positions.get(b);
                char op = z[p[0]][p[1]];
                char oq = z[q[0]][q[1]];
                for (char ap : alternatives(op)) {
                    for (char aq : alternatives(oq)) {
                        z[p[0]][p[1]] = ap;
                        z[q[0]][q[1]] = aq;
                        if (holds(z, f)) {
                            solutions.add(new char[] {(char) p[0], (char) p[1], ap, (char) q[0], (char) q[1], aq});
                        }
                    }
                }
                z[p[0]][p[1]] = op;
                z[q[0]][q[1]] = oq;
            }
        }
        if (solutions.size() == 1) {
            char[] s = solutions.get(0);
            z[s[0]][s[1]] = s[2];
            z[s[3]][s[4]] = s[5];
            return 2;
        }
        return 0;
    }

    private static List<Character> alternatives(char c) {
        List<Character> alts = new ArrayList<>();
        for (char[] pair : CONFUSIONS) {
            if (pair[0] == c) {
                alts.add(pair[1]);
            } else if (pair[1] == c) {
                alts.add(pair[0]);
            }
        }
        return alts;
    }

    private MrzResult build(MrzFormat f, char[][] z, double[][] conf, Map<String, Boolean> checks, int repairs,
            Set<String> unsure, Optional<LocalDate> issueDate) {
        List<String> lines = Arrays.stream(z).map(String::new).toList();
        String l0 = lines.get(0);
        String l1 = lines.get(1);
        String type = strip(l0.substring(0, 2));
        String state = strip(l0.substring(2, 5));
        String names;
        String number;
        String nat;
        String birth;
        String sex;
        String expiry;
        String optional;
        Map<String, double[]> spans = new LinkedHashMap<>();
        switch (f) {
            case TD1 -> {
                String l2 = lines.get(2);
                names = l2;
                number = l0.substring(5, 14);
                String opt1 = l0.substring(15, 30);
                if (l0.charAt(14) == '<' && opt1.indexOf('<') > 1) {
                    number = number + opt1.substring(0, opt1.indexOf('<') - 1);
                    opt1 = opt1.substring(opt1.indexOf('<'));
                }
                birth = l1.substring(0, 6);
                sex = l1.substring(7, 8);
                expiry = l1.substring(8, 14);
                nat = l1.substring(15, 18);
                optional = strip(opt1) + (strip(l1.substring(18, 29)).isEmpty() ? "" : " " + strip(l1.substring(18, 29)));
                nameSpans(spans, conf, 2, 0, l2);
                spans.put("documentNumber", span(conf, 0, 5, 15));
                spans.put("birthDate", span(conf, 1, 0, 7));
                spans.put("sex", span(conf, 1, 7, 8));
                spans.put("expiryDate", span(conf, 1, 8, 15));
                spans.put("nationality", span(conf, 1, 15, 18));
            }
            default -> {
                names = l0.substring(5);
                number = l1.substring(0, 9);
                nat = l1.substring(10, 13);
                birth = l1.substring(13, 19);
                sex = l1.substring(20, 21);
                expiry = l1.substring(21, 27);
                optional = strip(l1.substring(28, switch (f) {
                    case TD3 -> 42;
                    case TD2 -> 35;
                    default -> f.length();  // visas: optional data to the end, no composite
                }));
                nameSpans(spans, conf, 0, 5, l0);
                spans.put("documentNumber", span(conf, 1, 0, 10));
                spans.put("nationality", span(conf, 1, 10, 13));
                spans.put("birthDate", span(conf, 1, 13, 20));
                spans.put("sex", span(conf, 1, 20, 21));
                spans.put("expiryDate", span(conf, 1, 21, 28));
            }
        }
        spans.put("documentType", span(conf, 0, 0, 2));
        spans.put("issuingState", span(conf, 0, 2, 5));
        int sep = names.indexOf("<<");
        String surname = sep < 0 ? names : names.substring(0, sep);
        String given = sep < 0 ? "" : names.substring(sep + 2);
        Dates dates = centuries(birth, expiry, type, issueDate);
        LocalDate birthDate = dates.birth();
        LocalDate expiryDate = dates.expiry();
        if (dates.birthUnsure()) {
            unsure.add(MrzResult.BIRTH_DATE);
        }
        if (dates.expiryUnsure()) {
            unsure.add(MrzResult.EXPIRY_DATE);
        }
        boolean composite = checks.getOrDefault("composite", f.visa());
        Map<String, Double> confidence = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : spans.entrySet()) {
            double c = e.getValue()[0];
            Boolean check = checks.get(e.getKey());
            if (check != null) {
                // A holding check digit catches about nine in ten misreads; a failing one means a misread.
                c = check && composite ? 1 - (1 - c) * 0.1 : c * 0.5;
            } else if (!composite && !e.getKey().equals("surname") && !e.getKey().equals("givenNames")) {
                c = c * 0.8;
            }
            if (unsure.contains(e.getKey())) {
                c = Math.min(c, 0.5);  // read, but not unambiguously
            }
            if ((e.getKey().equals("birthDate") && birthDate == null)
                    || (e.getKey().equals("expiryDate") && expiryDate == null)) {
                c = 0;
            }
            confidence.put(e.getKey(), Math.round(c * 1000) / 1000.0);
        }
        return new MrzResult(f, lines, type, state, names(surname), names(given), strip(number), strip(nat),
                birthDate, sexOf(sex), expiryDate, optional, Map.copyOf(checks), repairs, confidence, unsure);
    }

    /**
     * The names' confidences, each over its own part of the zone: the surname up to and with the double
     * filler that ends it, the given names from there to the end of the line (their fillers included: a
     * letter misread as a filler, or fillers padded where the line was read short, count).
     */
    private static void nameSpans(Map<String, double[]> spans, double[][] conf, int line, int start, String text) {
        int sep = text.indexOf("<<", start);
        int split = sep < 0 ? text.length() : Math.min(text.length(), sep + 2);
        spans.put("surname", span(conf, line, start, split));
        spans.put("givenNames", split < text.length() ? span(conf, line, split, text.length())
                : span(conf, line, start, split));
    }

    private static double[] span(double[][] conf, int line, int from, int to) {
        double min = 1;
        for (int j = from; j < to; j++) {
            min = Math.min(min, conf[line][j]);
        }
        return new double[] {min};
    }

    private static String strip(String s) {
        return s.replace('<', ' ').trim().replaceAll(" +", " ");
    }

    private static String names(String s) {
        return strip(s);
    }

    private static String sexOf(String s) {
        return switch (s) {
            case "M", "F" -> s;
            default -> "X";
        };
    }

    /**
     * The same reading with the date of issue printed on the document, read after the zone: a birth or
     * expiry century the zone alone left open may be decided by it. An issue date that contradicts every
     * century (a misread) changes nothing.
     */
    public MrzResult withIssueDate(MrzResult r, LocalDate issued) {
        if (r.sure(MrzResult.BIRTH_DATE) && r.sure(MrzResult.EXPIRY_DATE)) {
            return r;
        }
        String l1 = r.lines().get(1);
        boolean td1 = r.format() == MrzFormat.TD1;
        String birth = td1 ? l1.substring(0, 6) : l1.substring(13, 19);
        String expiry = td1 ? l1.substring(8, 14) : l1.substring(21, 27);
        Dates d = centuries(birth, expiry, r.documentType(), Optional.of(issued));
        if ((d.birth() == null && !d.birthUnsure()) || (d.expiry() == null && !d.expiryUnsure())) {
            return r;
        }
        Set<String> unsure = new LinkedHashSet<>(r.unsure());
        Map<String, Double> confidence = new LinkedHashMap<>(r.confidence());
        if (d.birth() != null) {
            unsure.remove(MrzResult.BIRTH_DATE);
            confidence.put(MrzResult.BIRTH_DATE, 0.5);  // the century rests on a generic read of printed text
        }
        if (d.expiry() != null) {
            unsure.remove(MrzResult.EXPIRY_DATE);
            confidence.put(MrzResult.EXPIRY_DATE, 0.5);
        }
        return new MrzResult(r.format(), r.lines(), r.documentType(), r.issuingState(), r.surname(), r.givenNames(),
                r.documentNumber(), r.nationality(), d.birth(), r.sex(), d.expiry(), r.optionalData(), r.checks(),
                r.repairs(), confidence, unsure);
    }

    /** Birth and expiry dates with their centuries; a date is null when unreadable or when it stays ambiguous. */
    record Dates(LocalDate birth, LocalDate expiry, boolean birthUnsure, boolean expiryUnsure) {}

    /**
     * Decides the centuries of two-digit years with the document's own dates instead of a guess from the
     * current year: the holder is born no later than today, the document was issued (and so expires)
     * after the birth, the holder is at most {@value #MAX_AGE_YEARS} years old today, the document expires
     * no later than its longest validity after today ({@link #maxValidityYears}: passports and visas 10
     * years) and not before machine-readable zones existed ({@link #MRZ_EPOCH}); a printed issue date,
     * when known, bounds both. Every pair of centuries that satisfies all of these is kept; a date whose
     * century differs between the pairs is unsure (null), not guessed.
     */
    Dates centuries(String birth, String expiry, String documentType, Optional<LocalDate> issued) {
        int validity = maxValidityYears(documentType);
        List<LocalDate> births = candidates(birth).stream()
                .filter(b -> !b.isAfter(today) && !b.isBefore(today.minusYears(MAX_AGE_YEARS)))
                .filter(b -> issued.map(i -> !b.isAfter(i)).orElse(true))
                .toList();
        List<LocalDate> expiries = candidates(expiry).stream()
                .filter(e -> !e.isBefore(MRZ_EPOCH) && !e.isAfter(today.plusYears(validity)))
                .filter(e -> issued.map(i -> !e.isBefore(i) && !e.isAfter(i.plusYears(validity))).orElse(true))
                .toList();
        Set<LocalDate> birthOk = new HashSet<>();
        Set<LocalDate> expiryOk = new HashSet<>();
        boolean birthRead = readable(birth);
        boolean expiryRead = readable(expiry);
        if (birthRead && expiryRead) {
            for (LocalDate b : births) {
                for (LocalDate e : expiries) {
                    if (b.isBefore(e)) {
                        birthOk.add(b);
                        expiryOk.add(e);
                    }
                }
            }
        } else {
            birthOk.addAll(births);
            expiryOk.addAll(expiries);
        }
        return new Dates(birthOk.size() == 1 ? birthOk.iterator().next() : null,
                expiryOk.size() == 1 ? expiryOk.iterator().next() : null,
                birthOk.size() > 1, expiryOk.size() > 1);
    }

    private static boolean readable(String yymmdd) {
        return !candidates(yymmdd).isEmpty();
    }

    /** The date in every century from 1800 to 2100 where it exists (29 February is not in every one). */
    private static List<LocalDate> candidates(String yymmdd) {
        if (!yymmdd.matches("\\d{6}")) {
            return List.of();
        }
        int yy = Integer.parseInt(yymmdd.substring(0, 2));
        int mm = Integer.parseInt(yymmdd.substring(2, 4));
        int dd = Integer.parseInt(yymmdd.substring(4, 6));
        List<LocalDate> out = new ArrayList<>();
        for (int century = 1800; century <= 2100; century += 100) {
            try {
                out.add(LocalDate.of(century + yy, mm, dd));
            } catch (DateTimeException e) {
                // not a date in this century
            }
        }
        return out;
    }
}
