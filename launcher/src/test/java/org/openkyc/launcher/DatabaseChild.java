package org.openkyc.launcher;

import java.nio.file.Path;

/**
 * The launcher's database part alone, in a JVM of its own: starts the embedded MariaDB on a folder and
 * port, prints {@code READY <port>} and waits to be killed. {@link LeftoverDatabaseIT} kills it with
 * SIGKILL to leave its mariadbd behind, as a launcher killed with {@code kill -9} does.
 */
public final class DatabaseChild {

    private DatabaseChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedMariaDb db = EmbeddedMariaDb.start(Path.of(args[0]), Integer.parseInt(args[1]));
        System.out.println("READY " + db.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
