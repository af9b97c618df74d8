package org.openkyc.server.tenant;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.openkyc.server.auth.ApiKeys;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.auth.Role;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.TenantMapper;

/**
 * Tenants (client companies) and their API keys: creating tenants, issuing
 * and revoking keys, and authenticating a presented key. Used by the
 * operator command line and by the authentication interceptor.
 */
public final class TenantAdmin {

    /** A key just issued: the secret is shown once and never stored. */
    public record IssuedKey(String keyId, String tenant, Role role, String secret) {
        @Override
        public String toString() {
            return "IssuedKey{" + keyId + ", " + tenant + ", " + role + "}";
        }
    }

    /** A key as listed (no secret). */
    public record KeyInfo(String keyId, String tenant, Role role, String label, LocalDateTime createdAt,
            LocalDateTime revokedAt) {
    }

    private final Database db;
    private final Clock clock;
    private final List<Runnable> revocationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public TenantAdmin(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Creates a tenant; fails with CONFLICT when the name is taken. */
    public long createTenant(String name) {
        String clean = validTenantName(name);
        return db.inTransaction(s -> {
            TenantMapper m = s.getMapper(TenantMapper.class);
            if (m.tenantByName(clean) != null) {
                throw new DomainException(ErrorCode.CONFLICT, "Tenant " + clean + " already exists");
            }
            TenantMapper.TenantRow row = new TenantMapper.TenantRow();
            row.name = clean;
            row.createdAt = now();
            m.insertTenant(row);
            return row.id;
        });
    }

    /** Creates the tenant when it does not exist yet; returns its id. */
    public long ensureTenant(String name) {
        String clean = validTenantName(name);
        TenantMapper.TenantRow existing = db.read(s -> s.getMapper(TenantMapper.class).tenantByName(clean));
        return existing != null ? existing.id : createTenant(clean);
    }

    public List<String> tenants() {
        return db.read(s -> s.getMapper(TenantMapper.class).tenants().stream().map(t -> t.name).toList());
    }

    /** Issues a new key for the tenant with the role; the secret is in the answer only. */
    public IssuedKey issueKey(String tenant, Role role, String label) {
        String secret = ApiKeys.newSecret();
        String keyId = ApiKeys.newKeyId();
        db.inTransaction(s -> {
            TenantMapper m = s.getMapper(TenantMapper.class);
            TenantMapper.TenantRow t = m.tenantByName(tenant);
            if (t == null) {
                throw new DomainException(ErrorCode.INVALID_ARGUMENT, "No tenant named " + tenant);
            }
            m.insertKey(keyId, t.id, role.wireName(), ApiKeys.hash(secret), label, now());
            return null;
        });
        return new IssuedKey(keyId, tenant, role, secret);
    }

    /**
     * Hears every revocation made through this object (this process forgets the keys it remembered at once;
     * other processes once their key cache's time to live has passed).
     */
    public void onRevocation(Runnable listener) {
        revocationListeners.add(listener);
    }

    private void revoked() {
        revocationListeners.forEach(Runnable::run);
    }

    /**
     * Revokes a key; true when it was active. This server refuses it from the next request on; other servers
     * once their key cache's time to live has passed (OPENKYC_API_KEY_CACHE_TTL_MS, a few seconds).
     */
    public boolean revokeKey(String keyId) {
        boolean done = db.inTransaction(s -> s.getMapper(TenantMapper.class).revokeKey(keyId, now()) > 0);
        if (done) {
            revoked();
        }
        return done;
    }

    /** Revokes every active key of the tenant that carries the label; returns how many. */
    public int revokeKeysLabelled(String tenant, String label) {
        int n = db.inTransaction(s -> {
            TenantMapper m = s.getMapper(TenantMapper.class);
            TenantMapper.TenantRow t = m.tenantByName(tenant);
            return t == null ? 0 : m.revokeKeysByLabel(t.id, label, now());
        });
        if (n > 0) {
            revoked();
        }
        return n;
    }

    public List<KeyInfo> keys(String tenant) {
        return db.read(s -> s.getMapper(TenantMapper.class).keysOfTenant(tenant).stream()
                .map(k -> new KeyInfo(k.id, k.tenantName, Role.parse(k.role), k.label, k.createdAt, k.revokedAt))
                .toList());
    }

    /** The caller a presented key stands for, if it is an active key. */
    public Optional<Caller> authenticate(String secret) {
        if (!ApiKeys.wellFormed(secret)) {
            return Optional.empty();
        }
        TenantMapper.ApiKeyRow row = db.read(s -> s.getMapper(TenantMapper.class).activeKeyByHash(ApiKeys.hash(secret)));
        return row == null ? Optional.empty() : Optional.of(new Caller(row.tenantId, row.id, Role.parse(row.role)));
    }

    private static String validTenantName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new DomainException(ErrorCode.INVALID_ARGUMENT,
                    "Tenant names are 1-100 letters, digits, '.', '_' or '-'");
        }
        return name;
    }
}
