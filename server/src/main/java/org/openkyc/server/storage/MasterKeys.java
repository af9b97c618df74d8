package org.openkyc.server.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master key (OPENKYC_DATA_KEY) and the keys it replaced (OPENKYC_DATA_KEY_PREVIOUS), by key id. Here the
 * master key wraps (encrypts) the random per-case data keys; the previous keys only unwrap case keys wrapped
 * before a rotation finished. Blind indexes of searchable personal fields are HMAC-SHA256 under an index key
 * derived per tenant from the current master key, truncated to {@link #INDEX_BYTES} bytes.
 */
public final class MasterKeys {

    /** Bytes kept of a blind index: enough that two values of one tenant never collide by chance. */
    public static final int INDEX_BYTES = 16;
    private final String currentId;
    private final AesGcm current;
    private final Map<String, AesGcm> byId = new LinkedHashMap<>();
    private final byte[] indexRoot;
    private final Map<Long, byte[]> tenantIndexKeys = new ConcurrentHashMap<>();

    public MasterKeys(byte[] currentKey, List<byte[]> previousKeys) {
        this.currentId = idOf(currentKey);
        this.current = AesGcm.longLived(currentKey);
        byId.put(currentId, current);
        for (byte[] k : previousKeys) {
            byId.putIfAbsent(idOf(k), AesGcm.longLived(k));
        }
        this.indexRoot = hmac(currentKey, "openkyc blind index v1".getBytes(StandardCharsets.UTF_8));
    }

    /** A key's public id: the first 16 hex digits of a SHA-256 over a label and the key (not the key). */
    public static String idOf(byte[] key) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("openkyc master key id\0".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(key)).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String currentId() {
        return currentId;
    }

    /** Wraps a data key with the current master key. */
    public byte[] wrap(byte[] dataKey, byte[] associatedData) {
        return current.encrypt(dataKey, associatedData);
    }

    /** Unwraps a data key wrapped by the master key of this id (the current or a previous one). */
    public byte[] unwrap(String keyId, byte[] wrapped, byte[] associatedData) {
        AesGcm k = byId.get(keyId);
        if (k == null) {
            throw new IllegalStateException("a case key is wrapped by master key " + keyId
                    + ", which is not configured: give it in OPENKYC_DATA_KEY_PREVIOUS until the rotation is done");
        }
        return k.decrypt(wrapped, associatedData);
    }

    /** The blind index of a value of a field kind ("userid", "email", "birth") in a tenant; null for null. */
    public byte[] blindIndex(long tenantId, String kind, String value) {
        if (value == null) {
            return null;
        }
        byte[] key = tenantIndexKeys.computeIfAbsent(tenantId,
                t -> hmac(indexRoot, ("tenant:" + t).getBytes(StandardCharsets.UTF_8)));
        byte[] mac = hmac(key, (kind + "\0" + value).getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(mac, INDEX_BYTES);
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
