package org.openkyc.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedFileBlobStoreTest {

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void storesEncryptedAndReadsBack(@TempDir Path dir) throws Exception {
        EncryptedFileBlobStore store = new EncryptedFileBlobStore(dir, new AesGcm(key()));
        byte[] secret = "passport portrait bytes".getBytes();
        String k = store.put(secret);
        assertThat(store.get(k)).hasValue(secret);
        try (Stream<Path> files = Files.walk(dir)) {
            Path file = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("passport");
        }
        store.delete(k);
        assertThat(store.get(k)).isEmpty();
        assertThat(store.exists(k)).isFalse();
    }

    @Test
    void anotherKeyCannotRead(@TempDir Path dir) {
        String k = new EncryptedFileBlobStore(dir, new AesGcm(key())).put(new byte[] {1, 2, 3});
        EncryptedFileBlobStore other = new EncryptedFileBlobStore(dir, new AesGcm(key()));
        assertThatThrownBy(() -> other.get(k)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesKeysThatWouldLeaveTheFolder(@TempDir Path dir) {
        EncryptedFileBlobStore store = new EncryptedFileBlobStore(dir, new AesGcm(key()));
        assertThatThrownBy(() -> store.get("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ciphertextIsBoundToItsPlace() {
        AesGcm gcm = new AesGcm(key());
        byte[] box = gcm.encrypt(new byte[] {9}, "a".getBytes());
        assertThatThrownBy(() -> gcm.decrypt(box, "b".getBytes())).isInstanceOf(IllegalStateException.class);
    }
}
