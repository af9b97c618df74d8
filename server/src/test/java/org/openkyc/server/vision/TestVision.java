package org.openkyc.server.vision;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.openkyc.server.config.VisionConfig;

/** Where the tests find the models and OCR data installed by bin/setup, and test images. */
public final class TestVision {

    private TestVision() {}

    public static Path cacheDir() {
        String dir = System.getProperty("openkyc.cacheDir");
        if (dir == null) {
            dir = Path.of("").toAbsolutePath().getParent().resolve(".cache").toString();
        }
        return Path.of(dir);
    }

    public static VisionConfig config() {
        return VisionConfig.forCacheDir(cacheDir());
    }

    public static byte[] resource(String name) {
        try (InputStream in = TestVision.class.getResourceAsStream("/vision/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
