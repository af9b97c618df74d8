package org.openkyc.server.screening;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The US consolidated screening list CSV ({@code csl.csv} or
 * {@code consolidated.csv}) of the International Trade Administration: eleven
 * export-screening lists of Commerce, State and Treasury in one file, with a
 * header row naming the columns.
 */
public final class ConsolidatedScreeningListParser implements ListParser {

    public static final String SOURCE = "US CSL";
    static final List<String> NAMES = List.of("csl.csv", "consolidated.csv");
    static final List<String> REQUIRED = List.of("source", "name", "alt_names");

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public List<Path> files(Path dir) {
        return ListParser.firstPresent(dir, NAMES);
    }

    @Override
    public SanctionsList parse(Path dir, Instant loadedAt) throws ListFormatException {
        List<Path> files = files(dir);
        Path file = ListParser.requireSingle(files, NAMES);
        String fname = file.getFileName().toString();
        byte[] bytes = ListParser.read(file);
        List<Csv.Row> rows = Csv.parse(ListParser.text(bytes), fname);
        if (rows.isEmpty()) {
            throw new ListFormatException(fname + ": empty");
        }
        Map<String, Integer> col = new HashMap<>();
        List<String> header = rows.get(0).fields();
        for (int i = 0; i < header.size(); i++) {
            col.put(header.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
        for (String r : REQUIRED) {
            if (!col.containsKey(r)) {
                throw new ListFormatException(fname + " line 1: the header has no '" + r + "' column");
            }
        }
        List<ListEntry> entries = new ArrayList<>();
        for (Csv.Row r : rows.subList(1, rows.size())) {
            if (r.fields().size() != header.size()) {
                throw new ListFormatException(fname + " line " + r.line() + ": expected " + header.size()
                        + " fields, found " + r.fields().size());
            }
            String name = get(r, col, "name");
            if (name.isEmpty()) {
                throw new ListFormatException(fname + " line " + r.line() + ": entry without a name");
            }
            String number = get(r, col, "entity_number");
            String id = number.isEmpty() ? "row-" + r.line() : number;
            EntityKind kind = switch (get(r, col, "type").toLowerCase(Locale.ROOT)) {
                case "individual" -> EntityKind.PERSON;
                case "entity" -> EntityKind.ORGANISATION;
                case "vessel", "aircraft" -> EntityKind.OTHER;
                default -> EntityKind.UNKNOWN;
            };
            List<String> aliases = split(get(r, col, "alt_names"));
            List<BirthDate> dobs = new ArrayList<>();
            for (String d : split(get(r, col, "dates_of_birth"))) {
                BirthDate.parseIso(d).ifPresent(dobs::add);
            }
            Set<String> nats = new LinkedHashSet<>();
            for (String c : split(get(r, col, "nationalities") + ";" + get(r, col, "citizenships"))) {
                Countries.alpha3(c).ifPresent(nats::add);
            }
            List<String> programs = new ArrayList<>();
            String src = get(r, col, "source");
            if (!src.isEmpty()) {
                programs.add(src);
            }
            programs.addAll(split(get(r, col, "programs")));
            entries.add(new ListEntry(SOURCE, id, kind, name, aliases, dobs, nats, programs));
        }
        if (entries.isEmpty()) {
            throw new ListFormatException(fname + ": no entries");
        }
        return new SanctionsList(new ListVersion(SOURCE, ListParser.sha256(files, List.of(bytes)), loadedAt,
                entries.size()), entries);
    }

    private static String get(Csv.Row r, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        return i == null ? "" : r.fields().get(i).strip();
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(";")) {
            String t = s.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
