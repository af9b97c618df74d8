package org.openkyc.server.common;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ISO 3166-1 country codes, alpha-2 ("KR") and alpha-3 ("KOR"), from the
 * JDK's ISO 3166 tables plus Kosovo's user-assigned XK/XKX that sanctions
 * lists use. IVMS101 speaks alpha-2, the submissions API alpha-3.
 */
public final class CountryCodes {

    private static final Map<String, String> ALPHA3_BY_ALPHA2;
    private static final Map<String, String> ALPHA2_BY_ALPHA3;

    static {
        Map<String, String> a3 = new HashMap<>();
        Map<String, String> a2 = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            String three;
            try {
                three = new Locale("", code).getISO3Country();
            } catch (java.util.MissingResourceException e) {
                continue;
            }
            if (!three.isEmpty()) {
                a3.put(code, three);
                a2.put(three, code);
            }
        }
        a3.put("XK", "XKX");
        a2.put("XKX", "XK");
        ALPHA3_BY_ALPHA2 = Collections.unmodifiableMap(a3);
        ALPHA2_BY_ALPHA3 = Collections.unmodifiableMap(a2);
    }

    private CountryCodes() {
    }

    /** True for an assigned alpha-2 code in upper case ("KR"). */
    public static boolean isAlpha2(String code) {
        return code != null && ALPHA3_BY_ALPHA2.containsKey(code);
    }

    /** The alpha-2 code of an alpha-3 code ("KOR" -> "KR"); an alpha-2 code is returned as is. */
    public static Optional<String> toAlpha2(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.strip().toUpperCase(Locale.ROOT);
        if (c.length() == 2) {
            return isAlpha2(c) ? Optional.of(c) : Optional.empty();
        }
        return Optional.ofNullable(ALPHA2_BY_ALPHA3.get(c));
    }

    /** The alpha-3 code of an alpha-2 code ("KR" -> "KOR"); an alpha-3 code is returned as is. */
    public static Optional<String> toAlpha3(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.strip().toUpperCase(Locale.ROOT);
        if (c.length() == 3) {
            return ALPHA2_BY_ALPHA3.containsKey(c) ? Optional.of(c) : Optional.empty();
        }
        return Optional.ofNullable(ALPHA3_BY_ALPHA2.get(c));
    }

    /** Every assigned alpha-2 code. */
    public static Set<String> alpha2Codes() {
        return ALPHA3_BY_ALPHA2.keySet();
    }
}
