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
 *
 * <p>Travel documents speak ICAO 9303 part 3, which adds codes that are not ISO 3166: Germany's "D",
 * the British nationality classes (GBD, GBN, GBO, GBP, GBS), the United Nations (UNO, UNA, UNK),
 * stateless persons and refugees (XXA, XXB, XXC, XXX), issuing organisations (EUE, XBA, XIM, XCC, XCE,
 * XCO, XEC, XDC, XES, XOM, XPO) and Kosovo's RKS. Wherever a document's issuing state or a holder's
 * nationality is asked, {@link #documentCode(String)} accepts them too.
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

    /** ICAO 9303 codes for issuing states, organisations and nationalities that ISO 3166 does not assign. */
    private static final Set<String> ICAO_ONLY = Set.of(
            "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX", "EUE", "XBA",
            "XIM", "XCC", "XCE", "XCO", "XEC", "XDC", "XES", "XOM", "XPO", "RKS");
    /** ICAO's fictional state of its specimens (Utopia): read from specimen documents, never asked of a caller. */
    public static final String ICAO_SPECIMEN = "UTO";

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

    /**
     * A travel-document code (issuing state or nationality) in its alpha-3 spelling: an ISO alpha-3 code
     * as is, an ICAO 9303 code that ISO does not assign as is, and Germany's "D" (also padded "D<<") as
     * "DEU". Fillers and case are ignored. Empty for anything else (alpha-2 codes included).
     */
    public static Optional<String> documentCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.replace("<", "").strip().toUpperCase(Locale.ROOT);
        if (c.equals("D")) {
            return Optional.of("DEU");
        }
        if (c.length() != 3) {
            return Optional.empty();
        }
        return ALPHA2_BY_ALPHA3.containsKey(c) || ICAO_ONLY.contains(c) ? Optional.of(c) : Optional.empty();
    }

    /** A code a caller gave for a document's country: {@link #documentCode} or an ISO alpha-2 code, as alpha-3. */
    public static Optional<String> documentCodeOrAlpha2(String code) {
        if (code != null && code.strip().length() == 2) {
            return toAlpha3(code);
        }
        return documentCode(code);
    }

    /** True when a machine-readable zone may carry the code: {@link #documentCode} or ICAO's specimen state. */
    public static boolean isMrzCode(String code) {
        return documentCode(code).isPresent()
                || (code != null && code.replace("<", "").strip().equals(ICAO_SPECIMEN));
    }
}
