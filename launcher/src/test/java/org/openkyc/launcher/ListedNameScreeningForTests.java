package org.openkyc.launcher;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.openkyc.server.travelrule.PartyScreening;

/**
 * TEST ONLY: a {@link PartyScreening} that lists fixed names, standing in for
 * the sanctions screening engine so the exchange's BLACKLISTED path can be
 * driven end to end. The product wires the real screening engine.
 */
final class ListedNameScreeningForTests implements PartyScreening {

    private final Set<String> listed;

    ListedNameScreeningForTests(String... names) {
        this.listed = Set.of(names).stream().map(ListedNameScreeningForTests::norm).collect(Collectors.toSet());
    }

    @Override
    public Optional<Hit> screen(Party party) {
        return party.names().stream().map(ListedNameScreeningForTests::norm).filter(listed::contains).findFirst()
                .map(n -> new Hit("test list"));
    }

    private static String norm(String s) {
        return s.strip().toUpperCase(java.util.Locale.ROOT);
    }
}
