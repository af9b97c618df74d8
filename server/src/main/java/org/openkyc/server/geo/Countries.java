package org.openkyc.server.geo;

import org.openkyc.server.common.CountryCodes;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ISO 3166-1 countries from the JDK's own table ({@link Locale#getISOCountries()}, names
 * from its CLDR data): display names in any language, and look-up of a country named in
 * an address, in English or in the caller's language.
 */
public final class Countries {

    /**
     * Common names that CLDR's display names do not give (it says "South Korea", "United
     * Kingdom", "Myanmar (Burma)"); parenthesised parts are indexed on their own already.
     */
    private static final Map<String, String> ALIASES = Map.of(
            "korea", "KR", "republic of korea", "KR", "uk", "GB", "great britain", "GB",
            "usa", "US", "united states of america", "US", "holland", "NL");

    private final Map<String, String> english;
    private final Map<Locale, Map<String, String>> byLanguage = new ConcurrentHashMap<>();

    public Countries() {
        this.english = namesIn(Locale.ENGLISH);
        english.putAll(ALIASES);
    }

    private static Map<String, String> namesIn(Locale language) {
        Map<String, String> names = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            String name = new Locale("", code).getDisplayCountry(language);
            if (name.isBlank() || name.equals(code)) {
                continue;
            }
            names.putIfAbsent(Text.normalize(name), code);
            int paren = name.indexOf('(');
            if (paren > 0) {
                names.putIfAbsent(Text.normalize(name.substring(0, paren)), code);
            }
        }
        return names;
    }

    /** The alpha-2 code of a country named by {@code normalized} (see {@link Text#normalize}). */
    Optional<String> byName(String normalized, Locale language) {
        String code = english.get(normalized);
        if (code == null && language != null && !language.getLanguage().equals("en")) {
            code = byLanguage.computeIfAbsent(new Locale(language.getLanguage()), Countries::namesIn).get(normalized);
        }
        return Optional.ofNullable(code);
    }

    /** The alpha-2 code of an ISO alpha-3 code ("KOR"), case-insensitive. */
    Optional<String> byAlpha3(String code) {
        return code.length() == 3 ? CountryCodes.toAlpha2(code) : Optional.empty();
    }

    /** The country's name in {@code language} ("South Korea", "대한민국"); the code when unknown. */
    public String displayName(String alpha2, Locale language) {
        String name = new Locale("", alpha2).getDisplayCountry(language == null ? Locale.ENGLISH : language);
        return name.isBlank() ? alpha2 : name;
    }
}
