package org.openkyc.server.screening;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OFAC SDN list in its CSV distribution: {@code sdn.csv} (required),
 * {@code alt.csv} (aliases), {@code add.csv} (addresses, validated only) and
 * {@code sdn_comments.csv} (remarks that did not fit). Dates of birth and
 * nationalities are read from the remarks ("DOB 10 Dec 1948;", "nationality
 * Iraq;", "citizen Iraq;").
 */
public final class OfacSdnParser implements ListParser {

    public static final String SOURCE = "OFAC SDN";
    static final String SDN = "sdn.csv";
    static final String ALT = "alt.csv";
    static final String ADD = "add.csv";
    static final String COMMENTS = "sdn_comments.csv";

    private static final Pattern DOB = Pattern.compile("DOB ([^;]+)");
    private static final Pattern NATIONALITY = Pattern.compile("(?:nationality|citizen) ([^;]+?)(?:;|\\.$|$)");
    private static final Pattern FULL_DATE = Pattern.compile("(\\d{1,2}) ([A-Za-z]{3}) (\\d{4})");
    private static final Pattern MONTH_YEAR = Pattern.compile("(?<!\\d )\\b([A-Za-z]{3}) (\\d{4})");
    private static final Pattern YEAR = Pattern.compile("\\b(1[89]\\d\\d|20\\d\\d)\\b");
    private static final Pattern YEAR_RANGE = Pattern.compile("\\b(\\d{4}) to (\\d{4})\\b");

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public List<Path> files(Path dir) {
        if (!Files.isRegularFile(dir.resolve(SDN))) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String f : List.of(SDN, ALT, ADD, COMMENTS)) {
            if (Files.isRegularFile(dir.resolve(f))) {
                out.add(dir.resolve(f));
            }
        }
        return out;
    }

    @Override
    public SanctionsList parse(Path dir, Instant loadedAt) throws ListFormatException {
        List<Path> files = files(dir);
        if (files.isEmpty()) {
            throw new ListFormatException(SDN + ": missing");
        }
        List<byte[]> contents = new ArrayList<>();
        for (Path f : files) {
            contents.add(ListParser.read(f));
        }
        Map<String, byte[]> byName = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            byName.put(files.get(i).getFileName().toString(), contents.get(i));
        }

        Map<String, String[]> sdn = new LinkedHashMap<>();
        for (Csv.Row r : Csv.parse(ListParser.text(byName.get(SDN)), SDN)) {
            if (r.fields().size() != 12) {
                throw new ListFormatException(SDN + " line " + r.line() + ": expected 12 fields, found "
                        + r.fields().size());
            }
            String id = requireId(r, SDN);
            String name = Csv.ofac(r.fields().get(1));
            if (name.isEmpty()) {
                throw new ListFormatException(SDN + " line " + r.line() + ": entry without a name");
            }
            String[] v = new String[] {name, Csv.ofac(r.fields().get(2)), Csv.ofac(r.fields().get(3)),
                Csv.ofac(r.fields().get(11))};
            sdn.put(id, v);
        }
        if (sdn.isEmpty()) {
            throw new ListFormatException(SDN + ": no entries");
        }
        Map<String, List<String>> aliases = new HashMap<>();
        if (byName.containsKey(ALT)) {
            for (Csv.Row r : Csv.parse(ListParser.text(byName.get(ALT)), ALT)) {
                if (r.fields().size() != 5) {
                    throw new ListFormatException(ALT + " line " + r.line() + ": expected 5 fields, found "
                            + r.fields().size());
                }
                String alias = Csv.ofac(r.fields().get(3));
                if (!alias.isEmpty()) {
                    aliases.computeIfAbsent(requireId(r, ALT), k -> new ArrayList<>()).add(alias);
                }
            }
        }
        if (byName.containsKey(ADD)) {
            for (Csv.Row r : Csv.parse(ListParser.text(byName.get(ADD)), ADD)) {
                if (r.fields().size() != 6) {
                    throw new ListFormatException(ADD + " line " + r.line() + ": expected 6 fields, found "
                            + r.fields().size());
                }
                requireId(r, ADD);
            }
        }
        Map<String, StringBuilder> comments = new HashMap<>();
        if (byName.containsKey(COMMENTS)) {
            for (Csv.Row r : Csv.parse(ListParser.text(byName.get(COMMENTS)), COMMENTS)) {
                if (r.fields().size() < 2) {
                    throw new ListFormatException(COMMENTS + " line " + r.line() + ": expected 2 fields, found "
                            + r.fields().size());
                }
                String id = requireId(r, COMMENTS);
                comments.computeIfAbsent(id, k -> new StringBuilder())
                        .append(' ').append(String.join(",", r.fields().subList(1, r.fields().size())));
            }
        }

        List<ListEntry> entries = new ArrayList<>(sdn.size());
        for (Map.Entry<String, String[]> e : sdn.entrySet()) {
            String[] v = e.getValue();
            String remarks = v[3] + (comments.containsKey(e.getKey()) ? comments.get(e.getKey()).toString() : "");
            EntityKind kind = switch (v[1].toLowerCase(Locale.ROOT)) {
                case "individual" -> EntityKind.PERSON;
                case "vessel", "aircraft" -> EntityKind.OTHER;
                default -> EntityKind.ORGANISATION;
            };
            List<String> programs = new ArrayList<>();
            for (String p : v[2].split("\\] \\[")) {
                String s = p.replace("[", "").replace("]", "").strip();
                if (!s.isEmpty()) {
                    programs.add(s);
                }
            }
            entries.add(new ListEntry(SOURCE, e.getKey(), kind, v[0], aliases.getOrDefault(e.getKey(), List.of()),
                    birthDates(remarks), nationalities(remarks), programs));
        }
        return new SanctionsList(new ListVersion(SOURCE, ListParser.sha256(files, contents), loadedAt, entries.size()),
                entries);
    }

    private static String requireId(Csv.Row r, String file) throws ListFormatException {
        String id = r.fields().get(0).strip();
        if (!id.matches("\\d{1,10}")) {
            throw new ListFormatException(file + " line " + r.line() + ": the first field is not an entry number");
        }
        return id;
    }

    static List<BirthDate> birthDates(String remarks) {
        List<BirthDate> out = new ArrayList<>();
        Matcher m = DOB.matcher(remarks);
        while (m.find()) {
            String clause = m.group(1);
            Matcher full = FULL_DATE.matcher(clause);
            boolean any = false;
            while (full.find()) {
                Integer month = month(full.group(2));
                if (month != null) {
                    try {
                        out.add(new BirthDate(Integer.parseInt(full.group(3)), month, Integer.parseInt(full.group(1))));
                        any = true;
                    } catch (IllegalArgumentException ignored) {
                        // an impossible date in the list: keep the year below
                    }
                }
            }
            if (any) {
                continue;
            }
            Matcher range = YEAR_RANGE.matcher(clause);
            if (range.find()) {
                int from = Integer.parseInt(range.group(1));
                int to = Integer.parseInt(range.group(2));
                for (int y = from; y <= to && y - from < 15; y++) {
                    addYear(out, y);
                }
                continue;
            }
            Matcher my = MONTH_YEAR.matcher(clause);
            if (my.find() && month(my.group(1)) != null) {
                try {
                    out.add(new BirthDate(Integer.parseInt(my.group(2)), month(my.group(1)), 0));
                    continue;
                } catch (IllegalArgumentException ignored) {
                    // fall through to the bare year
                }
            }
            Matcher y = YEAR.matcher(clause);
            while (y.find()) {
                addYear(out, Integer.parseInt(y.group(1)));
            }
        }
        return out;
    }

    private static void addYear(List<BirthDate> out, int y) {
        try {
            out.add(new BirthDate(y, 0, 0));
        } catch (IllegalArgumentException ignored) {
            // not a plausible year
        }
    }

    private static Integer month(String abbrev) {
        for (Month m : Month.values()) {
            if (m.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(abbrev)) {
                return m.getValue();
            }
        }
        return null;
    }

    static Set<String> nationalities(String remarks) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = NATIONALITY.matcher(remarks);
        while (m.find()) {
            Countries.alpha3(m.group(1).strip()).ifPresent(out::add);
        }
        return out;
    }
}
