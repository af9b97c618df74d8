package org.openkyc.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openkyc.server.storage.CaseMapper.CaseRow;

/** The per-case data key, its wrapping by the master key, and the blind indexes. */
class CaseVaultTest {

    private static byte[] key(int b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) b);
        return k;
    }

    private static CaseRow person() {
        CaseRow r = new CaseRow();
        r.id = 42L;
        r.publicId = "p42abcdefghijklm";
        r.tenantId = 7L;
        r.userId = "user-1";
        r.email = "anna@example.com";
        r.fullName = "ANNA MARIA ERIKSSON";
        r.dateOfBirth = LocalDate.of(1974, 8, 12);
        r.comments = "Rejected by a reviewer";
        return r;
    }

    /** A row as read back: only what is stored, with its wrapped key. */
    private static CaseRow stored(CaseRow sealed, CaseVault vault) {
        CaseRow r = new CaseRow();
        r.id = sealed.id;
        r.publicId = sealed.publicId;
        r.tenantId = sealed.tenantId;
        r.piiEnc = sealed.piiEnc;
        r.keyId = vault.keys().currentId();
        r.wrappedKey = vault.wrap(sealed.id, sealed.dataKey);
        return r;
    }

    @Test
    void sealedFieldsHoldNoClearTextAndOpenWithTheWrappedKey() {
        CaseVault vault = new CaseVault(new MasterKeys(key(1), List.of()));
        CaseRow r = person();
        vault.sealNew(r);
        String box = new String(r.piiEnc, StandardCharsets.ISO_8859_1);
        assertThat(box).doesNotContain("ANNA").doesNotContain("anna@").doesNotContain("1974");
        assertThat(r.dataKey).hasSize(32);

        CaseRow back = stored(r, vault);
        vault.open(back);
        assertThat(back.fullName).isEqualTo("ANNA MARIA ERIKSSON");
        assertThat(back.email).isEqualTo("anna@example.com");
        assertThat(back.userId).isEqualTo("user-1");
        assertThat(back.dateOfBirth).isEqualTo(LocalDate.of(1974, 8, 12));
        assertThat(back.comments).isEqualTo("Rejected by a reviewer");
    }

    @Test
    void everyCaseHasItsOwnKeyAndAKeyIsBoundToItsCase() {
        CaseVault vault = new CaseVault(new MasterKeys(key(1), List.of()));
        CaseRow a = person();
        CaseRow b = person();
        vault.sealNew(a);
        vault.sealNew(b);
        assertThat(a.dataKey).isNotEqualTo(b.dataKey);
        // A wrapped key moved to another case row does not unwrap.
        byte[] wrapped = vault.wrap(a.id, a.dataKey);
        assertThatThrownBy(() -> vault.unwrap(a.id + 1, vault.keys().currentId(), wrapped))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutItsKeyRowASealedCaseCannotBeOpened() {
        CaseVault vault = new CaseVault(new MasterKeys(key(1), List.of()));
        CaseRow r = person();
        vault.sealNew(r);
        CaseRow back = stored(r, vault);
        back.wrappedKey = null;
        assertThatThrownBy(() -> vault.open(back)).hasMessageContaining("key");
    }

    @Test
    void aPreviousMasterKeyStillUnwrapsAndAnUnknownOneIsNamed() {
        CaseVault before = new CaseVault(new MasterKeys(key(1), List.of()));
        CaseRow r = person();
        before.sealNew(r);
        CaseRow old = stored(r, before);

        CaseVault during = new CaseVault(new MasterKeys(key(2), List.of(key(1))));
        CaseRow a = copyOf(old);
        during.open(a);
        assertThat(a.fullName).isEqualTo("ANNA MARIA ERIKSSON");

        CaseVault after = new CaseVault(new MasterKeys(key(2), List.of()));
        assertThatThrownBy(() -> after.open(copyOf(old)))
                .hasMessageContaining(MasterKeys.idOf(key(1))).hasMessageContaining("OPENKYC_DATA_KEY_PREVIOUS");
    }

    private static CaseRow copyOf(CaseRow r) {
        CaseRow c = new CaseRow();
        c.id = r.id;
        c.publicId = r.publicId;
        c.tenantId = r.tenantId;
        c.piiEnc = r.piiEnc;
        c.keyId = r.keyId;
        c.wrappedKey = r.wrappedKey;
        return c;
    }

    @Test
    void blindIndexesAreEqualForEqualValuesPerTenantAndKeyOnly() {
        MasterKeys k = new MasterKeys(key(1), List.of());
        byte[] a = k.blindIndex(7, "email", "anna@example.com");
        assertThat(a).hasSize(MasterKeys.INDEX_BYTES);
        assertThat(k.blindIndex(7, "email", "anna@example.com")).isEqualTo(a);
        assertThat(k.blindIndex(7, "email", "anna@example.org")).isNotEqualTo(a);
        assertThat(k.blindIndex(8, "email", "anna@example.com")).as("another tenant").isNotEqualTo(a);
        assertThat(k.blindIndex(7, "userid", "anna@example.com")).as("another field").isNotEqualTo(a);
        assertThat(new MasterKeys(key(2), List.of()).blindIndex(7, "email", "anna@example.com"))
                .as("another master key").isNotEqualTo(a);
        assertThat(k.blindIndex(7, "email", null)).isNull();
    }

    @Test
    void theKeyIdNamesTheKeyWithoutRevealingIt() {
        assertThat(MasterKeys.idOf(key(1))).hasSize(16).isEqualTo(MasterKeys.idOf(key(1)))
                .isNotEqualTo(MasterKeys.idOf(key(2)));
    }

    @Test
    void aBlobIsSealedWithAKeyOfItsOwnThatTheStoreNeverSees(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        EncryptedFileBlobStore store = new EncryptedFileBlobStore(dir, new AesGcm(key(1)));
        CaseSealedBlobs blobs = new CaseSealedBlobs(store);
        byte[] image = "a passport image".getBytes(StandardCharsets.UTF_8);
        String handle = blobs.put(image);
        CaseSealedBlobs.Handle h = CaseSealedBlobs.Handle.of(handle);
        assertThat(h.blobKey()).hasSize(32);
        assertThat(blobs.get(handle)).contains(image);
        // The store alone (the master key without the blob's key) holds only ciphertext.
        assertThat(store.get(h.storeKey()).orElseThrow()).isNotEqualTo(image);
        // Blobs stored before (a handle without a key of its own) read as they were.
        String old = store.put(image);
        assertThat(blobs.get(old)).contains(image);
        blobs.delete(handle);
        assertThat(blobs.exists(handle)).isFalse();
    }

    @Test
    void whatTheMasterKeyEncryptedDirectlyStaysReadableWithThePreviousKeyAfterARotation() {
        byte[] aad = "blob:k".getBytes(StandardCharsets.UTF_8);
        byte[] box = new AesGcm(key(1)).encrypt("x".getBytes(StandardCharsets.UTF_8), aad);
        assertThat(new AesGcm(key(2), List.of(key(1))).decrypt(box, aad)).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new AesGcm(key(2)).decrypt(box, aad)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bytesSealedAgainWithTheCaseKeyOpenAndOlderValuesReadAsTheyAre() {
        CaseVault vault = new CaseVault(new MasterKeys(key(1), List.of()));
        byte[] k = new byte[32];
        byte[] inner = new AesGcm(key(1)).encrypt("L898902C3".getBytes(StandardCharsets.UTF_8), new byte[0]);
        byte[] sealed = vault.sealBytes(k, "identity", "p1", inner);
        assertThat(sealed[0]).isEqualTo((byte) 2);
        assertThat(vault.openBytes(k, "identity", "p1", sealed)).isEqualTo(inner);
        assertThat(vault.openBytes(k, "identity", "p1", inner)).isEqualTo(inner);
        assertThat(vault.sealBytes(k, "identity", "p1", null)).isNull();
    }
}
