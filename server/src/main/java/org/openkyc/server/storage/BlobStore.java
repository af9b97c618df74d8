package org.openkyc.server.storage;

import java.util.Collection;
import java.util.Optional;
import org.slf4j.LoggerFactory;

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

    /**
     * Master key rotation: the id of the master key that seals the blob under this key (null when there is no
     * such blob); when {@code rewrite} and that key is not the current one, the blob is first sealed anew with the
     * current key, in place (the key stays the same). Readers meanwhile get the old or the new bytes, both whole.
     */
    String reseal(String key, boolean rewrite);

    /**
     * True when the store can take blobs now (readiness): the folder is writable, the bucket answers. Cheap
     * enough to ask every few seconds; never throws.
     */
    default boolean reachable() {
        return true;
    }

    /**
     * Removes blobs that nothing refers to any more (a transaction that would have referred to them
     * failed, or their case was deleted). Never throws: a blob that cannot be removed is logged
     * (without its key or data) and stays encrypted until swept.
     *
     * @param what what the blobs were, for the log ("step 1", "deleted case")
     */
    default void deleteUnreferenced(Collection<String> keys, String what) {
        for (String key : keys) {
            try {
                delete(key);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(BlobStore.class).error("blob of {} could not be removed: {}", what,
                        e.getClass().getName());
            }
        }
    }
}
