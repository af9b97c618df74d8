package org.openkyc.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireTest {

    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void timestampsAreTheIsoFormWithMilliseconds() {
        assertThat(Wire.timestamp(Instant.parse("2022-04-07T00:30:35.919Z"))).isEqualTo("2022-04-07T00:30:35.919Z");
        assertThat(Wire.timestamp(Instant.parse("2022-04-07T00:30:35Z"))).isEqualTo("2022-04-07T00:30:35.000Z");
        // Nanoseconds are cut, not rounded, as the formatter does.
        assertThat(Wire.timestamp(Instant.parse("1999-12-31T23:59:59.999999999Z"))).isEqualTo("1999-12-31T23:59:59.999Z");
        assertThat(Wire.timestamp(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Wire.timestamp(Instant.parse("0001-01-01T00:00:00.001Z"))).isEqualTo("0001-01-01T00:00:00.001Z");
    }

    @Test
    void timestampsMatchTheGeneralFormatterEverywhere() {
        SplittableRandom random = new SplittableRandom(7);
        long min = Instant.parse("-0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("+10001-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(min, max), random.nextInt(1_000_000_000));
            assertThat(Wire.timestamp(t)).as("%s", t).isEqualTo(REFERENCE.format(t));
        }
    }
}
