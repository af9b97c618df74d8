package org.openkyc.server;

import java.util.List;
import org.openkyc.server.storage.CaseKeyMapper;
import org.openkyc.server.storage.Database;

/**
 * {@code data-key rotate}: re-wraps every case key with the master key now in OPENKYC_DATA_KEY (the replaced
 * key given in OPENKYC_DATA_KEY_PREVIOUS), in batches, each committed; run it again after an interruption and
 * it continues with the keys still wrapped by an older key. {@code data-key status}: case keys per master key.
 */
final class DataKeyCommand {

    private DataKeyCommand() {
    }

    static int run(Database db, List<String> a) {
        String sub = a.size() > 1 ? a.get(1) : "";
        switch (sub) {
            case "rotate" -> {
                long n = db.keyJobs().rotate();
                System.out.println(n + " case keys re-wrapped with master key " + db.vault().keys().currentId());
                printStatus(db);
                return 0;
            }
            case "status" -> {
                printStatus(db);
                return 0;
            }
            default -> {
                System.err.println("usage: data-key rotate | data-key status");
                return 2;
            }
        }
    }

    private static void printStatus(Database db) {
        String current = db.vault().keys().currentId();
        List<CaseKeyMapper.KeyCount> counts = db.keyJobs().keyCounts();
        if (counts.isEmpty()) {
            System.out.println("no case keys");
        }
        for (CaseKeyMapper.KeyCount c : counts) {
            System.out.println(c.masterKeyId + "\t" + c.cases + (c.masterKeyId.equals(current) ? "\tcurrent" : ""));
        }
    }
}
