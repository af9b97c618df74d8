package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local run's database settings: documented defaults, and a bad value names its variable. */
class LocalProductSettingsTest {

    @Test
    void bufferPoolHasADefaultAndTakesMariaDbSizes() {
        assertThat(LocalProduct.localDbBufferPool(Map.of())).isEqualTo("64M");
        assertThat(LocalProduct.localDbBufferPool(Map.of("OPENKYC_LOCAL_DB_BUFFER_POOL", " 1g "))).isEqualTo("1G");
        assertThat(LocalProduct.localDbBufferPool(Map.of("OPENKYC_LOCAL_DB_BUFFER_POOL", "134217728")))
                .isEqualTo("134217728");
        for (String bad : new String[] {"lots", "64MB", "-1", "64M --skip-grant-tables"}) {
            assertThatThrownBy(() -> LocalProduct.localDbBufferPool(Map.of("OPENKYC_LOCAL_DB_BUFFER_POOL", bad)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENKYC_LOCAL_DB_BUFFER_POOL");
        }
    }
}
