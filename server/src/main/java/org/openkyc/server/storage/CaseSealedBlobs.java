package org.openkyc.server.storage;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Crypto-shredding of blobs: each blob is encrypted with a random key of its own before the underlying store
 * (which encrypts again with the master key) keeps it. The handle given back carries that key after the store's
 * key ({@code storeKey.blobKey}); the storage layer seals the blob key with the case's key when the image row is
 * written (kyc_images.blob_key_enc) and puts it back into the handle when the row is read. Deleting the case
 * destroys its key, so copies of its blobs in backups of the object store can no longer be read. A handle
 * without a blob key (blobs stored before) reads the store directly.
 */
public final class CaseSealedBlobs implements BlobStore {

    private static final byte[] AAD = "openkyc case blob v1".getBytes(StandardCharsets.UTF_8);
    private final BlobStore store;
    private final SecureRandom random = new SecureRandom();

    public CaseSealedBlobs(BlobStore store) {
        this.store = store;
    }

    /** A handle split into the store's key and the blob's own key (null for blobs stored before). */
    record Handle(String storeKey, byte[] blobKey) {
        static Handle of(String handle) {
            int dot = handle.indexOf('.');
            return dot < 0 ? new Handle(handle, null)
                    : new Handle(handle.substring(0, dot), Base64.getUrlDecoder().decode(handle.substring(dot + 1)));
        }

        static String join(String storeKey, byte[] blobKey) {
            return storeKey + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(blobKey);
        }
    }

    @Override
    public String put(byte[] bytes) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return Handle.join(store.put(new AesGcm(k).encrypt(bytes, AAD)), k);
    }

    @Override
    public Optional<byte[]> get(String key) {
        Handle h = Handle.of(key);
        Optional<byte[]> stored = store.get(h.storeKey());
        return h.blobKey() == null ? stored : stored.map(b -> new AesGcm(h.blobKey()).decrypt(b, AAD));
    }

    @Override
    public void delete(String key) {
        store.delete(Handle.of(key).storeKey());
    }

    @Override
    public String reseal(String key, boolean rewrite) {
        return store.reseal(Handle.of(key).storeKey(), rewrite);
    }

    @Override
    public boolean exists(String key) {
        return store.exists(Handle.of(key).storeKey());
    }
}
