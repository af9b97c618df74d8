package org.openkyc.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do, whatever keeps the bytes: run by the file store and the S3 store
 * alike. The store is encrypted at rest; what it holds raw is checked by each implementation's test through
 * {@link #storedBytes}.
 */
abstract class BlobStoreContractTest {

    /** A key of the product's data-key size. */
    static byte[] dataKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    /** The store under test (one per test). */
    protected abstract BlobStore store();

    /** The raw bytes the store keeps for every blob now stored (files or objects). */
    protected abstract List<byte[]> storedBytes();

    /** A store on the same folder or bucket as {@link #store()}, sealing with the given master keys. */
    protected abstract BlobStore sameStoreSealingWith(AesGcm crypto);

    @Test
    void aBlobSealedByAPreviousMasterKeyIsSealedAnewInPlace() {
        byte[] oldKey = dataKey();
        byte[] newKey = dataKey();
        byte[] bytes = randomBytes(5_000, 7);
        BlobStore old = sameStoreSealingWith(new AesGcm(oldKey));
        String key = old.put(bytes);
        BlobStore rotating = sameStoreSealingWith(new AesGcm(newKey, List.of(oldKey)));
        // Asked only: it tells the key and changes nothing.
        assertThat(rotating.reseal(key, false)).isEqualTo(MasterKeys.idOf(oldKey));
        assertThat(old.get(key)).hasValue(bytes);
        // Sealed anew under the same key: the new master key alone opens it, the old one no longer.
        assertThat(rotating.reseal(key, true)).isEqualTo(MasterKeys.idOf(oldKey));
        assertThat(rotating.reseal(key, true)).isEqualTo(MasterKeys.idOf(newKey));
        assertThat(sameStoreSealingWith(new AesGcm(newKey)).get(key)).hasValue(bytes);
        assertThatThrownBy(() -> old.get(key)).isInstanceOf(IllegalStateException.class);
        // No blob under the key: nothing to tell, nothing written.
        String gone = rotating.put(bytes);
        rotating.delete(gone);
        assertThat(rotating.reseal(gone, true)).isNull();
        assertThat(rotating.exists(gone)).isFalse();
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void putThenGetGivesTheSameBytes() {
        byte[] bytes = randomBytes(10_000, 1);
        String key = store().put(bytes);
        assertThat(key).matches("[a-z0-9]{32}");
        assertThat(store().exists(key)).isTrue();
        assertThat(store().get(key)).hasValue(bytes);
    }

    @Test
    void anEmptyBlobIsABlob() {
        String key = store().put(new byte[0]);
        assertThat(store().exists(key)).isTrue();
        assertThat(store().get(key)).hasValue(new byte[0]);
    }

    @Test
    void whatIsKeptIsCiphertext() {
        byte[] jpeg = new byte[4096];
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        jpeg[2] = (byte) 0xFF;
        byte[] marker = "passport portrait bytes".getBytes();
        System.arraycopy(marker, 0, jpeg, 100, marker.length);
        store().put(jpeg);
        List<byte[]> raw = storedBytes();
        assertThat(raw).isNotEmpty();
        for (byte[] r : raw) {
            assertThat(r.length).isGreaterThan(jpeg.length); // nonce and tag added
            assertThat(r[0] == (byte) 0xFF && r[1] == (byte) 0xD8).as("JPEG magic bytes kept").isFalse();
            assertThat(new String(r, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("passport");
        }
    }

    @Test
    void aMissingKeyIsEmptyAndNotThere() {
        String never = "zz" + "0".repeat(30);
        assertThat(store().get(never)).isEmpty();
        assertThat(store().exists(never)).isFalse();
        // Deleting what is not there is no error.
        store().delete(never);
    }

    @Test
    void deleteRemovesTheBlobAndIsIdempotent() {
        String key = store().put(randomBytes(100, 2));
        store().delete(key);
        assertThat(store().exists(key)).isFalse();
        assertThat(store().get(key)).isEmpty();
        assertThat(storedBytes()).isEmpty();
        store().delete(key);
    }

    @Test
    void storingAgainNeverOverwritesAnotherBlob() {
        byte[] first = randomBytes(500, 3);
        byte[] second = randomBytes(500, 4);
        String a = store().put(first);
        String b = store().put(first);
        String c = store().put(second);
        assertThat(Set.of(a, b, c)).hasSize(3);
        store().delete(a);
        assertThat(store().get(b)).hasValue(first);
        assertThat(store().get(c)).hasValue(second);
    }

    @Test
    void aLargeBlobComesBackWhole() {
        byte[] big = randomBytes(24 * 1024 * 1024 + 7, 5);
        String key = store().put(big);
        assertThat(store().get(key)).hasValue(big);
        store().delete(key);
        assertThat(store().exists(key)).isFalse();
    }

    @Test
    void keysThatAreNotTheProductsAreRefused() {
        assertThatThrownBy(() -> store().get("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().exists("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().delete("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCallsKeepEveryBlobApart() throws Exception {
        int writers = 8;
        int each = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<String>>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Callable<List<String>> job = () -> {
                    List<String> keys = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        byte[] bytes = randomBytes(20_000 + i, writer * 100L + i);
                        String key = store().put(bytes);
                        assertThat(store().get(key)).hasValue(bytes);
                        keys.add(key);
                    }
                    // Half of them deleted again while the others write.
                    for (int i = 0; i < each; i += 2) {
                        store().delete(keys.get(i));
                    }
                    return keys;
                };
                done.add(pool.submit(job));
            }
            Set<String> all = new HashSet<>();
            for (int w = 0; w < writers; w++) {
                List<String> keys = done.get(w).get(5, TimeUnit.MINUTES);
                all.addAll(keys);
                for (int i = 0; i < each; i++) {
                    byte[] expected = randomBytes(20_000 + i, w * 100L + i);
                    if (i % 2 == 0) {
                        assertThat(store().exists(keys.get(i))).isFalse();
                    } else {
                        assertThat(store().get(keys.get(i))).hasValue(expected);
                    }
                }
            }
            assertThat(all).hasSize(writers * each);
            assertThat(storedBytes()).hasSize(writers * each / 2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deleteUnreferencedRemovesEveryBlobItCan() {
        String a = store().put(randomBytes(10, 6));
        String b = store().put(randomBytes(10, 7));
        store().deleteUnreferenced(List.of(a, "not/a/key", b), "a test");
        assertThat(store().exists(a)).isFalse();
        assertThat(store().exists(b)).isFalse();
    }
}
