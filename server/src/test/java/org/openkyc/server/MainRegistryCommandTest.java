package org.openkyc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry admin commands refuse an incomplete command line before touching the database. */
class MainRegistryCommandTest {

    @Test
    void incompleteRegistryCommandsPrintTheUsage() throws Exception {
        assertThat(Main.registry(null, null, List.of("registry"))).isEqualTo(2);
        assertThat(Main.registry(null, null, List.of("registry", "load", "acme"))).isEqualTo(2);
        assertThat(Main.registry(null, null, List.of("registry", "drop", "acme"))).isEqualTo(2);
        assertThat(Main.registry(null, null, List.of("registry", "count"))).isEqualTo(2);
    }
}
