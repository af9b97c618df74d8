package org.openkyc.server.screening;

import java.util.List;
import java.util.Optional;

/**
 * Who to screen: a person or organisation (or unknown), its names (the first
 * is the primary name, the others aliases), and optionally a date of birth and
 * a nationality (ISO 3166-1 alpha-3).
 */
public record ScreeningQuery(EntityKind kind, List<String> names, Optional<BirthDate> birthDate,
        Optional<String> nationality) {

    public ScreeningQuery {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("at least one name");
        }
    }

    public static ScreeningQuery person(String name) {
        return new ScreeningQuery(EntityKind.PERSON, List.of(name), Optional.empty(), Optional.empty());
    }
}
