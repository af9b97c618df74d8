package org.openkyc.server.document;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses TD1, TD2 and TD3 machine-readable zones per ICAO Doc 9303 part 3-6:
 * every check digit and the composite check, and a repair of the typical OCR
 * confusions (0/O, 1/I, 8/B, 5/S, 2/Z, 6/G) guided first by the character type
 * each position allows, then by the check digits. Names and nationality are not
 * covered by check digits, so only the type rule corrects them. Stateless and
 * thread-safe.
 */
public final class MrzParser {

    private static final String LETTER_FOR_DIGIT = "O I Z   S G   B ";  // index = digit; ' ' = none
    private static final char[][] CONFUSIONS = {
        {'0', 'O'}, {'0', 'D'}, {'0', 'Q'}, {'1', 'I'}, {'1', 'L'}, {'8', 'B'}, {'5', 'S'},
        {'2', 'Z'}, {'6', 'G'}, {'7', 'T'}, {'4', 'A'}};

    /** A character class a position allows. */
    private enum Kind { ALPHA, NUMERIC, ALNUM, SEX }

    /** A field covered by a check digit: data ranges and the check position. */
    private record Checked(String name, int[][] ranges, int line, int checkPos, boolean alnum) {}

    /** Characters read with at least this confidence are not changed by the check-digit repair. */
    static final double REPAIR_CONFIDENCE = 0.9;

    private final LocalDate today;

    /** @param today the current date, used to infer the century of two-digit years */
    public MrzParser(LocalDate today) {
        this.today = today;
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
        // Names: a run of fillers misread as letters (K, X, S, C under a generic model).
        repairs += repairFillerRuns(z, format);
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
        checks.put("composite", holds(z, composite));
        return build(format, z, conf, checks, repairs);
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
            return len >= 40 ? MrzFormat.TD3 : MrzFormat.TD2;
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
            case TD3, TD2 -> {
                int n = f.length();
                fill(k[0], 0, 2, Kind.ALPHA);      // type
                fill(k[0], 2, 5, Kind.ALPHA);      // issuing state
                fill(k[0], 5, n, Kind.ALPHA);      // names
                k[1][9] = Kind.NUMERIC;
                fill(k[1], 10, 13, Kind.ALPHA);    // nationality
                fill(k[1], 13, 20, Kind.NUMERIC);  // birth + check
                k[1][20] = Kind.SEX;
                fill(k[1], 21, 28, Kind.NUMERIC);  // expiry + check
                k[1][n - 1] = Kind.NUMERIC;        // composite
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
     * Generic OCR models read fillers as K, X, S, C, E or L. After the last real name
     * part, a piece of one or two such letters standing among fillers is a filler.
     */
    private static int repairFillerRuns(char[][] z, MrzFormat f) {
        int line = f == MrzFormat.TD1 ? 2 : 0;
        int start = f == MrzFormat.TD1 ? 0 : 5;
        char[] row = z[line];
        int changed = 0;
        int i = row.length - 1;
        while (i >= start) {
            if (row[i] == '<') {
                i--;
                continue;
            }
            int end = i;
            while (i >= start && row[i] != '<') {
                i--;
            }
            int segStart = i + 1;
            int len = end - segStart + 1;
            int fillersBefore = 0;
            for (int j = segStart - 1; j >= start && row[j] == '<'; j--) {
                fillersBefore++;
            }
            boolean lookalike = true;
            for (int j = segStart; j <= end; j++) {
                lookalike &= "KXSCEL".indexOf(row[j]) >= 0;
            }
            if (len <= 2 && lookalike && fillersBefore >= 3) {
                for (int j = segStart; j <= end; j++) {
                    row[j] = '<';
                    changed++;
                }
            } else {
                break;  // a real name part: stop
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
            case TD2 -> {
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

    private MrzResult build(MrzFormat f, char[][] z, double[][] conf, Map<String, Boolean> checks, int repairs) {
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
                spans.put("surname", span(conf, 2, 0, 30));
                spans.put("givenNames", span(conf, 2, 0, 30));
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
                optional = strip(l1.substring(28, f == MrzFormat.TD3 ? 42 : 35));
                spans.put("surname", span(conf, 0, 5, f.length()));
                spans.put("givenNames", span(conf, 0, 5, f.length()));
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
        LocalDate birthDate = date(birth, true);
        LocalDate expiryDate = date(expiry, false);
        boolean composite = checks.getOrDefault("composite", false);
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
            if ((e.getKey().equals("birthDate") && birthDate == null)
                    || (e.getKey().equals("expiryDate") && expiryDate == null)) {
                c = 0;
            }
            confidence.put(e.getKey(), Math.round(c * 1000) / 1000.0);
        }
        return new MrzResult(f, lines, type, state, names(surname), names(given), strip(number), strip(nat),
                birthDate, sexOf(sex), expiryDate, optional, Map.copyOf(checks), repairs, confidence);
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

    private LocalDate date(String yymmdd, boolean past) {
        if (!yymmdd.matches("\\d{6}")) {
            return null;
        }
        int yy = Integer.parseInt(yymmdd.substring(0, 2));
        int mm = Integer.parseInt(yymmdd.substring(2, 4));
        int dd = Integer.parseInt(yymmdd.substring(4, 6));
        int cutoff = today.getYear() % 100;
        int year;
        if (past) {
            year = yy > cutoff ? 1900 + yy : 2000 + yy;
        } else {
            year = yy >= cutoff + 50 ? 1900 + yy : 2000 + yy;
        }
        try {
            return LocalDate.of(year, mm, dd);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
