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
}
