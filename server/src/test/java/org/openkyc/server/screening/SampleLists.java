package org.openkyc.server.screening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;

/** The sample lists of the checkout (sanctions-sample/) and a screener over them, loaded once per JVM. */
final class SampleLists {

    static final double THRESHOLD = 0.92;
    static final double FLOOR = 0.80;
    private static IndexedSanctionsScreener shared;

    private SampleLists() {
    }

    static Path dir() {
        Path p = Path.of(System.getProperty("openkyc.sanctionsSample", "../sanctions-sample"));
        if (!Files.isRegularFile(p.resolve("sdn.csv"))) {
            throw new IllegalStateException("sample sanctions lists not found at " + p.toAbsolutePath());
        }
        return p;
    }

    static synchronized IndexedSanctionsScreener screener() {
        if (shared == null) {
            shared = new IndexedSanctionsScreener(Optional.of(dir()), THRESHOLD, FLOOR, Clock.systemUTC());
            shared.reload();
        }
        return shared;
    }

    /** Copies the named sample files into a folder. */
    static void copy(Path to, String... names) {
        try {
            Files.createDirectories(to);
            for (String n : names) {
                Files.copy(dir().resolve(n), to.resolve(n), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
