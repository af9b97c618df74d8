package org.openkyc.server.travelrule;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The legal travel-rule thresholds per fiat currency: a transfer whose fiat
 * value is at or over its currency's threshold is "exceeding". A currency
 * without a configured threshold counts as exceeding, so an unknown currency
 * never lowers the information required.
 */
public final class Thresholds {

    public static final String DEFAULT = "USD=1000,KRW=1000000";
    private final Map<String, BigDecimal> byCurrency;

    private Thresholds(Map<String, BigDecimal> byCurrency) {
        this.byCurrency = Map.copyOf(byCurrency);
    }

    /** Parses {@code USD=1000,KRW=1000000} (ISO 4217 codes, non-negative decimals). */
    public static Thresholds parse(String spec) {
        Map<String, BigDecimal> m = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            String cur = kv[0].strip().toUpperCase(Locale.ROOT);
            if (kv.length != 2 || !cur.matches("[A-Z]{3}")) {
                throw new IllegalArgumentException(
                        "OPENKYC_TRAVEL_RULE_THRESHOLDS must look like USD=1000,KRW=1000000, was '" + spec + "'");
            }
            try {
                BigDecimal v = new BigDecimal(kv[1].strip());
                if (v.signum() < 0) {
                    throw new NumberFormatException();
                }
                m.put(cur, v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("OPENKYC_TRAVEL_RULE_THRESHOLDS: " + cur + " needs a non-negative"
                        + " number");
            }
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("OPENKYC_TRAVEL_RULE_THRESHOLDS names no currency");
        }
        return new Thresholds(m);
    }

    /** True when the fiat value is at or over the currency's threshold (or the currency has none). */
    public boolean exceeds(BigDecimal fiatValue, String currency) {
        BigDecimal limit = byCurrency.get(currency.toUpperCase(Locale.ROOT));
        return limit == null || fiatValue.compareTo(limit) >= 0;
    }

    public Map<String, BigDecimal> asMap() {
        return byCurrency;
    }
}
