package org.openkyc.server.travelrule;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Sanctions screening of a party named in a verification (BLACKLISTED). The
 * screening engine implements it; the exchange only asks.
 */
public interface PartyScreening {

    /** A person or company as the IVMS101 payload names it. */
    record Party(boolean naturalPerson, List<String> names, Optional<LocalDate> dateOfBirth,
            Optional<String> countryAlpha2) {
    }

    /** A hit: why the party is considered listed (list name and entry, no more personal data than needed). */
    record Hit(String reason) {
    }

    /** The hit if the party is on a configured sanctions or watch list. */
    Optional<Hit> screen(Party party);
}
