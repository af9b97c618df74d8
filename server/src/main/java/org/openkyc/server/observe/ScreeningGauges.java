package org.openkyc.server.observe;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openkyc.server.screening.ListVersion;

/**
 * The sanctions lists in use: {@code openkyc_screening_list_entries}, {@code openkyc_screening_list_age_seconds}
 * (since loaded) and {@code openkyc_screening_list_info} (1, with the list's SHA-256 as its version), by list
 * source. Refreshed before each scrape, so a reloaded list shows its new version.
 */
public final class ScreeningGauges {

    private ScreeningGauges() {
    }

    public static void register(Telemetry telemetry, Supplier<List<ListVersion>> versions, Clock clock) {
        var registry = telemetry.registry();
        MultiGauge entries = MultiGauge.builder(Telemetry.PREFIX + "screening.list.entries")
                .description("Entries of each loaded sanctions list").register(registry);
        MultiGauge age = MultiGauge.builder(Telemetry.PREFIX + "screening.list.age")
                .description("Seconds since each sanctions list was loaded").baseUnit("seconds").register(registry);
        MultiGauge info = MultiGauge.builder(Telemetry.PREFIX + "screening.list.info")
                .description("The version (SHA-256) of each loaded sanctions list").register(registry);
        telemetry.beforeScrape(() -> {
            List<ListVersion> lists = versions.get();
            entries.register(lists.stream().map(v -> MultiGauge.Row.of(Tags.of("source", v.source()),
                    v.entryCount())).toList(), true);
            age.register(lists.stream().map(v -> MultiGauge.Row.of(Tags.of("source", v.source()),
                    Duration.between(v.loadedAt(), clock.instant()).toMillis() / 1000.0)).toList(), true);
            info.register(lists.stream().map(v -> MultiGauge.Row.of(Tags.of("source", v.source(), "sha256",
                    v.sha256()), 1)).toList(), true);
        });
    }
}
