package org.openkyc.server.screening;

import java.util.List;

/**
 * Screens a person or organisation against the loaded sanctions lists. An
 * implementation answers from an index that is swapped as a whole when lists
 * are reloaded, so a screening always sees one consistent set of lists.
 */
public interface SanctionsScreener {

    /**
     * Screens the subject.
     *
     * @throws org.openkyc.server.error.DomainException UNAVAILABLE when no list is loaded
     */
    ScreeningOutcome screen(ScreeningQuery query);

    /** The versions of the lists in service now (empty when none is loaded). */
    List<ListVersion> versions();

    /**
     * Loads the lists again from their source and puts them in service at once.
     * A list that cannot be read is refused and the lists in service stay.
     *
     * @throws org.openkyc.server.error.DomainException when the lists cannot be loaded
     */
    List<ListVersion> reload();
}
