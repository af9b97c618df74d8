package org.openkyc.server.geo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.openkyc.server.geo.Gazetteer.Place;

/**
 * Offline geocoding against the {@link Gazetteer}: finds the locality (city, town,
 * village) an address names, using the country and administrative areas it also names to
 * choose among places of the same name. The answer is the locality's centre, described as
 * "locality, region, country": city-level precision, never a street point.
 *
 * <p>How a match is chosen. The address is split at commas into segments and every run of
 * up to six words is looked up as a place name, an administrative area and a country.
 * Countries named in full are a hard filter; ISO alpha-3 codes and administrative areas
 * only add weight. Among the remaining places the highest score wins: a name filling a
 * whole segment, a longer name, agreement with the named areas (also by code: "CA", "NY"),
 * being the seat of its own area ("Seoul" in the area "Seoul"), then the larger population
 * and capitals and regional seats; without population data, how many other places lie
 * around it (a big city is surrounded by many). A word inside a longer
 * segment that matches a place ("Rivoli" in "Rue de Rivoli") counts only when a country or
 * area named elsewhere supports it, or when the place has 100,000 inhabitants or more
 * ("서울특별시 종로구 세종대로 1"). A place named next to a larger one around it ("Shibuya,
 * Tokyo") is preferred: it is the more specific.
 */
public final class GazetteerGeocoder implements Geocoder {

    private static final int MAX_PHRASE_WORDS = 6;
    /** A place named inside a longer segment without country or area counts only if it is this big. */
    private static final int PARTIAL_MATCH_MIN_POPULATION = 100_000;

    private final Supplier<Gazetteer> gazetteers;
    private final Countries countries;

    /** @param gazetteers the gazetteer; may throw when its data is not installed */
    public GazetteerGeocoder(Supplier<Gazetteer> gazetteers, Countries countries) {
        this.gazetteers = gazetteers;
        this.countries = countries;
    }

    @Override
    public String name() {
        return "gazetteer";
    }

    private record Mention(int segment, int start, int end, boolean wholeSegment) {
        boolean overlaps(Mention o) {
            return segment == o.segment && start < o.end && o.start < end;
        }
    }

    private record AreaMention(String key, Mention at) { }

    private record Candidate(Place place, Mention at) { }

    @Override
    public Optional<Geocoded> geocode(String address, Locale language) {
        Gazetteer gazetteer = gazetteers.get();
        String[] rawSegments = address.split("[,;\\n]");
        Set<String> namedCountries = new HashSet<>();
        Set<String> codedCountries = new HashSet<>();
        List<AreaMention> areas = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (int s = 0; s < rawSegments.length; s++) {
            String segment = Text.normalize(rawSegments[s]);
            if (segment.isEmpty()) {
                continue;
            }
            String[] words = segment.split(" ");
            String[] named = java.util.Arrays.stream(words).filter(w -> !w.chars().allMatch(Character::isDigit))
                    .toArray(String[]::new);
            if (named.length == 1 && named[0].length() <= 3) {
                // A segment that is only a code, maybe with a postcode: "KOR", "CA 94043", "NY".
                countries.byAlpha3(named[0]).ifPresent(codedCountries::add);
                int at = java.util.Arrays.asList(words).indexOf(named[0]);
                for (String key : gazetteer.adminAreasCoded(named[0])) {
                    areas.add(new AreaMention(key, new Mention(s, at, at + 1, false)));
                }
            }
            for (int i = 0; i < words.length; i++) {
                StringBuilder phrase = new StringBuilder();
                for (int j = i; j < Math.min(words.length, i + MAX_PHRASE_WORDS); j++) {
                    if (j > i) {
                        phrase.append(' ');
                    }
                    phrase.append(words[j]);
                    String p = phrase.toString();
                    if (p.chars().allMatch(c -> Character.isDigit(c) || c == ' ')) {
                        continue;
                    }
                    Mention at = new Mention(s, i, j + 1, i == 0 && j == words.length - 1);
                    countries.byName(p, language).ifPresent(namedCountries::add);
                    for (String key : gazetteer.adminAreasNamed(p)) {
                        areas.add(new AreaMention(key, at));
                    }
                    boolean tooShort = p.length() <= 2 || (!at.wholeSegment() && j == i && p.length() <= 3);
                    if (!tooShort) {
                        for (int id : gazetteer.placesNamed(p)) {
                            candidates.add(new Candidate(gazetteer.place(id), at));
                        }
                    }
                }
            }
        }
        Candidate best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Candidate c : candidates) {
            Place p = c.place();
            if (!namedCountries.isEmpty() && !namedCountries.contains(p.country())) {
                continue;
            }
            boolean areaSupport = false;
            double score = 0;
            if (c.at().wholeSegment()) {
                score += 10;
            }
            score += 2 * (c.at().end() - c.at().start());
            if (namedCountries.contains(p.country())) {
                score += 30;
                areaSupport = true;
            } else if (codedCountries.contains(p.country())) {
                score += 8;
                areaSupport = true;
            }
            boolean admin1 = false;
            boolean admin2 = false;
            for (AreaMention a : areas) {
                if (a.at().overlaps(c.at())) {
                    continue;
                }
                admin1 |= a.key().equals(p.admin1Key());
                admin2 |= a.key().equals(p.admin2Key());
            }
            if (admin1) {
                score += 15;
                areaSupport = true;
            }
            if (admin2) {
                score += 10;
                areaSupport = true;
            }
            if (!c.at().wholeSegment() && !areaSupport && p.population() < PARTIAL_MATCH_MIN_POPULATION) {
                continue;
            }
            if (insideALargerNamedPlace(c, candidates, gazetteer)) {
                score += 10; // "Shibuya, Tokyo": the more specific place wins over the city around it
            }
            String own = Text.normalize(p.name());
            if (gazetteer.admin1Name(p).map(Text::normalize).filter(own::equals).isPresent()
                    || gazetteer.admin2Name(p).map(Text::normalize).filter(own::equals).isPresent()) {
                score += 5;
            }
            if (gazetteer.hasPopulation()) {
                // Population (unknown means the data's floor of 1000 inhabitants) and seats.
                score += Math.min(14, 2 * Math.log10(1 + Math.max(1000, p.population())));
                score += 2 * p.seatLevel();
            } else {
                score += Math.min(10, Math.log(1 + gazetteer.neighbourhoodCount(p)) / Math.log(2));
            }
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        Place p = best.place();
        return Optional.of(new Geocoded(p.point(), describe(gazetteer, p, language), Precision.LOCALITY));
    }

    /** Whether another place named elsewhere in the address is larger and within 30 km of this one. */
    private static boolean insideALargerNamedPlace(Candidate c, List<Candidate> all, Gazetteer gazetteer) {
        Place p = c.place();
        for (Candidate other : all) {
            Place o = other.place();
            if (o.index() != p.index() && !other.at().overlaps(c.at()) && o.country().equals(p.country())
                    && o.population() > Math.max(p.population(), 1000)
                    && p.point().distanceKm(o.latitude(), o.longitude()) < 30) {
                return true;
            }
        }
        return false;
    }

    /** "Seoul, South Korea", "Boston, Massachusetts, United States". */
    private String describe(Gazetteer gazetteer, Place p, Locale language) {
        StringBuilder sb = new StringBuilder(p.name());
        gazetteer.admin1Name(p).filter(n -> !Text.normalize(n).equals(Text.normalize(p.name())))
                .ifPresent(n -> sb.append(", ").append(n));
        return sb.append(", ").append(countries.displayName(p.country(), language)).toString();
    }
}
