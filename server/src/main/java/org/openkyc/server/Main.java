package org.openkyc.server;

import java.util.Arrays;
import java.util.List;
import org.openkyc.server.auth.Role;
import org.openkyc.server.config.ServerConfig;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.kyc.DatabaseIdentityRegistry;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.TenantMapper;
import org.openkyc.server.tenant.TenantAdmin;

/**
 * The server command line.
 * <pre>
 *   serve                                   start the gRPC server (default)
 *   tenant create NAME                      create a tenant (client company)
 *   tenant list                             list tenants
 *   key issue TENANT client|admin [LABEL]   issue a key; the secret is printed once
 *   key list TENANT                         list a tenant's keys (never secrets)
 *   key revoke KEY_ID                       revoke a key
 *   registry load TENANT FILE.csv           replace the tenant's identity registry with the file's entries
 *   registry clear TENANT                   empty the tenant's identity registry (the check is then skipped)
 *   registry count TENANT                   how many entries the tenant's identity registry holds
 *   data-key rotate                         seal anew with OPENKYC_DATA_KEY all an older master key seals (resumable)
 *   data-key status                         per kind of record, how many values each master key id seals
 * </pre>
 * Configuration comes from the environment (see {@link ServerConfig#fromEnvironment}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (a.isEmpty() || a.get(0).equals("serve")) {
            OpenKycServer server = OpenKycServer.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "openkyc-shutdown"));
            server.awaitTermination();
            return;
        }
        try (Database db = new Database(config)) {
            if (a.get(0).equals("data-key")) {
                System.exit(DataKeyCommand.run(db, config, a));
            }
            if (a.get(0).equals("registry")) {
                System.exit(registry(db, config, a));
            }
            System.exit(admin(new TenantAdmin(db, OpenKycServer.systemClock()), a));
        } catch (DomainException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    static int admin(TenantAdmin tenants, List<String> a) {
        String cmd = String.join(" ", a.subList(0, Math.min(2, a.size())));
        switch (cmd) {
            case "tenant create" -> {
                need(a, 3);
                tenants.createTenant(a.get(2));
                System.out.println("tenant " + a.get(2) + " created");
            }
            case "tenant list" -> tenants.tenants().forEach(System.out::println);
            case "key issue" -> {
                need(a, 4);
                TenantAdmin.IssuedKey k = tenants.issueKey(a.get(2), Role.parse(a.get(3)),
                        a.size() > 4 ? a.get(4) : null);
                System.out.println("key id:  " + k.keyId());
                System.out.println("role:    " + k.role().wireName());
                System.out.println("api key: " + k.secret());
                System.out.println("(shown once; only its hash is stored)");
            }
            case "key list" -> {
                need(a, 3);
                tenants.keys(a.get(2)).forEach(k -> System.out.println(k.keyId() + "\t" + k.role().wireName()
                        + "\t" + (k.revokedAt() == null ? "active" : "revoked " + k.revokedAt())
                        + "\t" + (k.label() == null ? "" : k.label())));
            }
            case "key revoke" -> {
                need(a, 3);
                boolean done = tenants.revokeKey(a.get(2));
                System.out.println(done ? "key " + a.get(2) + " revoked" : "no active key " + a.get(2));
                return done ? 0 : 1;
            }
            default -> {
                System.err.println("usage: serve | tenant create NAME | tenant list | key issue TENANT client|admin"
                        + " [LABEL] | key list TENANT | key revoke KEY_ID | registry load TENANT FILE.csv"
                        + " | registry clear TENANT | registry count TENANT | data-key rotate | data-key status");
                return 2;
            }
        }
        return 0;
    }

    /** The identity registry commands; names and numbers never reach the output. */
    static int registry(Database db, ServerConfig config, List<String> a) throws java.io.IOException {
        String sub = a.size() > 1 ? a.get(1) : "";
        if (!List.of("load", "clear", "count").contains(sub) || a.size() < 3 || (sub.equals("load") && a.size() < 4)) {
            System.err.println("usage: registry load TENANT FILE.csv | registry clear TENANT | registry count TENANT");
            return 2;
        }
        TenantMapper.TenantRow t = db.read(s -> s.getMapper(TenantMapper.class).tenantByName(a.get(2)));
        if (t == null) {
            System.err.println("No tenant named " + a.get(2));
            return 1;
        }
        DatabaseIdentityRegistry registry = new DatabaseIdentityRegistry(db, config.dataKey(),
                config.previousDataKeys(), OpenKycServer.systemClock());
        switch (sub) {
            case "load" -> {
                String csv = java.nio.file.Files.readString(java.nio.file.Path.of(a.get(3)),
                        java.nio.charset.StandardCharsets.UTF_8);
                int n = registry.load(t.id, csv);
                System.out.println("identity registry of " + a.get(2) + ": " + n + " entries loaded"
                        + (n == 0 ? " (empty: the registry check is skipped)" : ""));
            }
            case "clear" -> System.out.println("identity registry of " + a.get(2) + ": "
                    + registry.clear(t.id) + " entries removed (the registry check is now skipped)");
            default -> System.out.println(registry.size(t.id));
        }
        return 0;
    }

    private static void need(List<String> a, int n) {
        if (a.size() < n) {
            throw new DomainException(org.openkyc.server.error.ErrorCode.INVALID_ARGUMENT, "missing arguments");
        }
    }
}
