package org.openkyc.server.storage;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per message. Output: version byte,
 * nonce, ciphertext with tag. The associated data binds a ciphertext to its
 * place (a blob key, a column and row), so it cannot be moved elsewhere.
 */
public final class AesGcm {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final SecretKeySpec key;
    private final java.util.List<AesGcm> previous;
    /**
     * Nonces come from one generator for every key: a case's data key gets an AesGcm of its own each time a row
     * is opened, and a generator made per key cost more than the decryption it was never used for.
     */
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * One cipher object per thread, initialised anew for each message: looking the transformation up in the
     * providers for every message cost about as much as decrypting a case's fields. The per-case keys share
     * these; a long-lived key ({@link #longLived}) has its own, since a cipher keeps the round keys of the last
     * key it was given and a master key taking turns with the case keys it unwraps had them made anew each time.
     */
    private static final ThreadLocal<Cipher> SHARED = ThreadLocal.withInitial(AesGcm::newCipher);
    private final ThreadLocal<Cipher> ciphers;

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    }

    /** A key used for many messages (a master key), with cipher objects of its own. */
    public static AesGcm longLived(byte[] key) {
        return new AesGcm(key, java.util.List.of(), true);
    }

    public AesGcm(byte[] key) {
        this(key, java.util.List.of(), false);
    }

    /**
     * Encrypts with {@code key}; decrypts with it or, failing that, with one of the {@code previous} keys (a
     * master key replaced by a rotation, for what was encrypted with it directly). Long-lived, as
     * {@link #longLived}.
     */
    public AesGcm(byte[] key, java.util.List<byte[]> previous) {
        this(key, previous, true);
    }

    private AesGcm(byte[] key, java.util.List<byte[]> previous, boolean ownCiphers) {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256 key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.previous = previous.isEmpty() ? java.util.List.of() : previous.stream().map(AesGcm::longLived).toList();
        this.ciphers = ownCiphers ? ThreadLocal.withInitial(AesGcm::newCipher) : SHARED;
    }

    public byte[] encrypt(byte[] plain, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData);
            byte[] sealed = c.doFinal(plain);
            byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
            out[0] = VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** A value opened by {@link #open}: its plain bytes and the id of the key that opened it. */
    public record Opened(byte[] plain, String keyId) {
    }

    /** The id of this object's own (encrypting) key, as {@link MasterKeys#idOf} gives it. */
    public String keyId() {
        return MasterKeys.idOf(key.getEncoded());
    }

    /**
     * Decrypts like {@link #decrypt} and tells which key opened the value (this object's key first, then the
     * previous keys), so a master key rotation knows what is still sealed by a replaced key.
     */
    public Opened open(byte[] box, byte[] associatedData) {
        Found f = find(box, associatedData);
        return new Opened(f.plain(), f.by().keyId());
    }

    public byte[] decrypt(byte[] box, byte[] associatedData) {
        return find(box, associatedData).plain();
    }

    private record Found(byte[] plain, AesGcm by) {
    }

    /** Decrypts with this object's key or, failing that, with one of the previous keys. */
    private Found find(byte[] box, byte[] associatedData) {
        try {
            return new Found(decryptOwn(box, associatedData), this);
        } catch (IllegalStateException e) {
            for (AesGcm older : previous) {
                try {
                    return new Found(older.decryptOwn(box, associatedData), older);
                } catch (IllegalStateException ignored) {
                    // not this one either
                }
            }
            throw e;
        }
    }

    /** Decrypts with this object's own key only. */
    private byte[] decryptOwn(byte[] box, byte[] associatedData) {
        if (box.length < 1 + NONCE_BYTES + TAG_BITS / 8 || box[0] != VERSION) {
            throw new IllegalStateException("not an encrypted value of this product");
        }
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, box, 1, NONCE_BYTES));
            c.updateAAD(associatedData);
            return c.doFinal(box, 1 + NONCE_BYTES, box.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed: wrong key or tampered data", e);
        }
    }
}
