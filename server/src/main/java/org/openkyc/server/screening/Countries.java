package org.openkyc.server.screening;

import org.openkyc.server.common.CountryCodes;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Country names and codes as the lists write them (English names, ISO alpha-2
 * or alpha-3 codes, a few older or official names) mapped to ISO 3166-1 alpha-3.
 */
public final class Countries {

    private static final Map<String, String> BY_NAME = new HashMap<>();

    static {
        for (String a2 : CountryCodes.alpha2Codes()) {
            String a3 = CountryCodes.toAlpha3(a2).orElseThrow();
            BY_NAME.put(key(new Locale("", a2).getDisplayCountry(Locale.ENGLISH)), a3);
        }
        String[][] aliases = {
            {"XKX", "kosovo"},
            {"PRK", "north korea", "korea north", "democratic people s republic of korea", "dprk",
                "korea democratic people s republic of"},
            {"KOR", "south korea", "korea south", "republic of korea", "korea republic of", "korea"},
            {"RUS", "russia", "russian federation"},
            {"IRN", "iran", "iran islamic republic of", "islamic republic of iran"},
            {"SYR", "syria", "syrian arab republic"},
            {"COD", "democratic republic of the congo", "congo democratic republic of the", "congo kinshasa",
                "zaire"},
            {"COG", "congo", "republic of the congo", "congo brazzaville"},
            {"USA", "united states", "united states of america", "usa", "us"},
            {"GBR", "united kingdom", "uk", "great britain",
                "united kingdom of great britain and northern ireland"},
            {"VEN", "venezuela", "venezuela bolivarian republic of", "bolivarian republic of venezuela"},
            {"PSE", "palestine", "palestinian", "state of palestine", "west bank", "gaza",
                "palestinian territories", "occupied palestinian territory"},
            {"MMR", "burma", "myanmar", "myanmar burma"},
            {"LAO", "laos", "lao people s democratic republic"},
            {"VNM", "vietnam", "viet nam"},
            {"TZA", "tanzania", "united republic of tanzania", "tanzania united republic of"},
            {"LBY", "libya", "libyan arab jamahiriya"},
            {"CIV", "cote d ivoire", "ivory coast"},
            {"BOL", "bolivia", "bolivia plurinational state of"},
            {"MDA", "moldova", "republic of moldova", "moldova republic of"},
            {"TUR", "turkey", "turkiye"},
            {"CZE", "czech republic", "czechia"},
            {"MKD", "macedonia", "north macedonia", "the former yugoslav republic of macedonia"},
            {"SSD", "south sudan"},
            {"HKG", "hong kong", "hong kong sar china"},
            {"MAC", "macau", "macao"},
            {"TWN", "taiwan"},
            {"BIH", "bosnia and herzegovina", "bosnia herzegovina"},
            {"CPV", "cape verde", "cabo verde"},
            {"SWZ", "swaziland", "eswatini"},
        };
        for (String[] a : aliases) {
            for (int i = 1; i < a.length; i++) {
                BY_NAME.put(key(a[i]), a[0]);
            }
        }
    }

    private Countries() {
    }

    /** The alpha-3 code of a country name or code, when it is known. */
    public static Optional<String> alpha3(String nameOrCode) {
        if (nameOrCode == null || nameOrCode.isBlank()) {
            return Optional.empty();
        }
        String v = nameOrCode.strip();
        if ((v.length() == 2 || v.length() == 3) && v.chars().allMatch(Character::isLetter)) {
            Optional<String> code = CountryCodes.toAlpha3(v);
            if (code.isPresent()) {
                return code;
            }
        }
        return Optional.ofNullable(BY_NAME.get(key(v)));
    }

    /** A code a caller gave: ISO alpha-2 or alpha-3, as alpha-3. */
    public static Optional<String> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String v = code.strip();
        if (!v.matches("[A-Za-z]{2,3}")) {
            return Optional.empty();
        }
        return alpha3(v);
    }

    private static String key(String name) {
        String s = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        s = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
        if (s.startsWith("the ")) {
            s = s.substring(4);
        }
        return s;
    }
}
