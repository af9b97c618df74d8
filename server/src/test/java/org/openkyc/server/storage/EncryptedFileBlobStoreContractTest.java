package org.openkyc.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The blob store contract on the file store. */
class EncryptedFileBlobStoreContractTest extends BlobStoreContractTest {

    @TempDir
    Path dir;
    private EncryptedFileBlobStore store;

    @BeforeEach
    void open() {
        store = new EncryptedFileBlobStore(dir, new AesGcm(dataKey()));
    }

    @Override
    protected BlobStore store() {
        return store;
    }

    @Override
    protected BlobStore sameStoreSealingWith(AesGcm crypto) {
        return new EncryptedFileBlobStore(dir, crypto);
    }

    @Override
    protected List<byte[]> storedBytes() {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readAllBytes(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
