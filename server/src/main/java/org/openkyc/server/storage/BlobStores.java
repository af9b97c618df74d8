package org.openkyc.server.storage;

import java.nio.file.Path;
import org.openkyc.server.config.ObjectStorageConfig;

/** Opens the configured blob store (OPENKYC_BLOB_STORE). */
public final class BlobStores {

    private BlobStores() {
    }

    /**
     * The folder store under {@code blobDir}, or the S3 store of the configuration.
     *
     * @throws IllegalStateException naming the variable to fix, when the S3 store cannot be used at start
     */
    public static BlobStore open(ObjectStorageConfig config, Path blobDir, AesGcm crypto) {
        return switch (config.kind()) {
            case FILE -> new EncryptedFileBlobStore(blobDir, crypto);
            case S3 -> S3BlobStore.open(config, crypto);
        };
    }

    /** Releases what the store holds (the S3 client's connections); the file store holds nothing. */
    public static void close(BlobStore store) {
        if (store instanceof S3BlobStore s3) {
            s3.close();
        }
    }
}
