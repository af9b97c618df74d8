package org.openkyc.server;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.openkyc.server.config.ServerConfig;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.MasterKeys;

/**
 * {@code data-key rotate}: seals anew with the master key now in OPENKYC_DATA_KEY everything a replaced key (given
 * in OPENKYC_DATA_KEY_PREVIOUS) still seals: case keys, blobs and the values encrypted with the master key
 * directly (see {@link MasterKeyRotation}), in batches, each committed; run it again after an interruption and it
 * continues with what is left. {@code data-key status}: per kind of record, how many values each master key id
 * seals, and whether each previous key can now be removed.
 */
final class DataKeyCommand {

    private DataKeyCommand() {
    }

    static int run(Database db, ServerConfig config, List<String> a) {
        String sub = a.size() > 1 ? a.get(1) : "";
        if (!sub.equals("rotate") && !sub.equals("status")) {
            System.err.println("usage: data-key rotate | data-key status");
            return 2;
        }
        try (MasterKeyRotation rotation = MasterKeyRotation.of(db, config)) {
            Map<String, Map<String, Long>> counts = sub.equals("rotate") ? rotation.rotate() : rotation.status();
            return print(counts, rotation.currentKeyId(),
                    config.previousDataKeys().stream().map(MasterKeys::idOf).toList());
        }
    }

    /**
     * Prints one line per kind of record and key id (every configured key, also when it seals nothing), then per
     * previous key whether it can go; 1 when some value opens with no configured key, else 0.
     */
    static int print(Map<String, Map<String, Long>> counts, String current, List<String> previous) {
        TreeSet<String> ids = new TreeSet<>(previous);
        ids.add(current);
        counts.values().forEach(m -> ids.addAll(m.keySet()));
        System.out.printf("%-24s %-18s %s%n", "kind", "master key id", "values");
        long unreadable = 0;
        for (Map.Entry<String, Map<String, Long>> kind : counts.entrySet()) {
            for (String id : ids) {
                long n = kind.getValue().getOrDefault(id, 0L);
                if (id.equals(MasterKeyRotation.UNREADABLE)) {
                    unreadable += n;
                    if (n == 0) {
                        continue;
                    }
                }
                System.out.printf("%-24s %-18s %d%s%n", kind.getKey(), id, n, id.equals(current) ? " (current)" : "");
            }
        }
        Map<String, Long> registries = counts.getOrDefault(MasterKeyRotation.REGISTRIES, Map.of());
        for (String id : ids) {
            if (id.equals(current) || id.equals(MasterKeyRotation.UNREADABLE)
                    || id.equals(MasterKeyRotation.UNRECORDED)) {
                continue;
            }
            long left = counts.entrySet().stream().filter(e -> !e.getKey().equals(MasterKeyRotation.REGISTRIES))
                    .mapToLong(e -> e.getValue().getOrDefault(id, 0L)).sum();
            long registry = registries.getOrDefault(id, 0L);
            if (left > 0) {
                System.out.println("master key " + id + " still seals " + left + " values: run data-key rotate");
            }
            if (registry > 0) {
                System.out.println("master key " + id + " still hashes " + registry + " identity registry entries:"
                        + " load those registries again (registry load TENANT FILE.csv)");
            }
            if (left == 0 && registry == 0) {
                System.out.println("master key " + id
                        + " seals nothing any more: it can be removed from OPENKYC_DATA_KEY_PREVIOUS");
            }
        }
        if (registries.getOrDefault(MasterKeyRotation.UNRECORDED, 0L) > 0) {
            System.out.println(registries.get(MasterKeyRotation.UNRECORDED) + " identity registry entries were loaded"
                    + " before their master key was recorded: load those registries again (registry load TENANT"
                    + " FILE.csv) before removing a previous key");
        }
        if (unreadable > 0) {
            System.out.println(unreadable + " values open with no configured master key: give the key that sealed"
                    + " them in OPENKYC_DATA_KEY_PREVIOUS and run data-key rotate");
            return 1;
        }
        return 0;
    }
}
