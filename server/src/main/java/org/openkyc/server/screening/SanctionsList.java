package org.openkyc.server.screening;

import java.util.List;

/** A parsed list: its version and its entries. */
public record SanctionsList(ListVersion version, List<ListEntry> entries) {

    public SanctionsList {
        entries = List.copyOf(entries);
    }
}
