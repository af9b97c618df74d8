package org.openkyc.server.storage;

import java.util.Optional;

/**
 * Storage for images and other large binary data, addressed by opaque keys.
 * Implementations encrypt at rest. An S3-compatible store can replace the
 * file store behind this interface when the product outgrows one machine.
 */
public interface BlobStore {

    /** Stores the bytes and returns the new key. */
    String put(byte[] bytes);

    /** The bytes under the key, or empty when there are none. */
    Optional<byte[]> get(String key);

    /** Removes the bytes under the key; no error when they are already gone. */
    void delete(String key);

    /** True when bytes are stored under the key. */
    boolean exists(String key);
}
