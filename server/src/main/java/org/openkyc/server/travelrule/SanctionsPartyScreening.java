package org.openkyc.server.travelrule;

import org.openkyc.server.common.CountryCodes;
import java.util.Optional;
import org.openkyc.server.screening.BirthDate;
import org.openkyc.server.screening.Candidate;
import org.openkyc.server.screening.Decision;
import org.openkyc.server.screening.EntityKind;
import org.openkyc.server.screening.SanctionsScreener;
import org.openkyc.server.screening.ScreeningOutcome;
import org.openkyc.server.screening.ScreeningQuery;

/**
 * The BLACKLISTED check of the exchange, answered by the sanctions screener:
 * a party is listed when the screening decides HIT. A candidate that only
 * needs review does not deny a transfer on its own.
 */
public final class SanctionsPartyScreening implements PartyScreening {

    private final SanctionsScreener screener;

    public SanctionsPartyScreening(SanctionsScreener screener) {
        this.screener = screener;
    }

    @Override
    public Optional<Hit> screen(Party party) {
        ScreeningQuery query = new ScreeningQuery(party.naturalPerson() ? EntityKind.PERSON : EntityKind.ORGANISATION,
                party.names(),
                party.dateOfBirth().map(d -> new BirthDate(d.getYear(), d.getMonthValue(), d.getDayOfMonth())),
                party.countryAlpha2().flatMap(CountryCodes::toAlpha3));
        ScreeningOutcome outcome = screener.screen(query);
        if (outcome.decision() != Decision.HIT) {
            return Optional.empty();
        }
        Candidate best = outcome.candidates().get(0);
        return Optional.of(new Hit(best.source() + " entry " + best.entryId()));
    }
}
