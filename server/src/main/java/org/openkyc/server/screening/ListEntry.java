package org.openkyc.server.screening;

import java.util.List;
import java.util.Set;

/**
 * One listed person, organisation, vessel or aircraft: its list, its id in
 * that list, its primary name and aliases as listed, known dates of birth and
 * nationalities (ISO 3166-1 alpha-3) and the sanction programmes.
 */
public record ListEntry(String source, String entryId, EntityKind kind, String name, List<String> aliases,
        List<BirthDate> birthDates, Set<String> nationalities, List<String> programs) {

    public ListEntry {
        aliases = List.copyOf(aliases);
        birthDates = List.copyOf(birthDates);
        nationalities = Set.copyOf(nationalities);
        programs = List.copyOf(programs);
    }
}
