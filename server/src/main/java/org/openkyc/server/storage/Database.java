package org.openkyc.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.flywaydb.core.Flyway;
import org.openkyc.server.config.ServerConfig;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MySQL database: a HikariCP pool, Flyway migrations (applied at start,
 * from {@code db/migration}) and MyBatis mappers. {@link #inTransaction} runs
 * work in one transaction that is rolled back on any failure. This is the one
 * place where "the database cannot be reached" becomes
 * {@link ErrorCode#UNAVAILABLE} with retry advice: connections, statements and
 * the pool wait are bounded by the configured timeouts.
 */
public final class Database implements AutoCloseable {

    /** What a caller is told to wait before retrying while the database is unreachable. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    /** Longest wait of one health probe. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * The database's errors for a statement it stopped at the statement timeout (see {@link #sessionTimeouts}):
     * MariaDB's max_statement_time (1969), MySQL's max_execution_time (3024), a row lock waited for too long (1205).
     */
    private static final Set<Integer> STOPPED_BY_TIMEOUT = Set.of(1969, 3024, 1205);
    /** How much longer than the statement timeout the driver waits for an answer on the socket. */
    private static final long SOCKET_MARGIN_MS = 1000;
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final SqlSessionFactory sessions;
    private final CaseVault vault;
    private final CaseKeyJobs keyJobs;
    private final String probeUrl;
    private final Properties probeProperties;
    private final Object probeLock = new Object();
    private Connection probe;
    private ScheduledExecutorService monitor;
    private volatile boolean available = true;
    /** Failed checks in a row (monitor thread only). */
    private int failedChecks;
    private static final int FAILED_CHECKS_FOR_DOWN = 2;

    public Database(ServerConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.dbUrl());
        hc.setUsername(config.dbUser());
        hc.setPassword(config.dbPassword());
        hc.setMaximumPoolSize(config.dbPoolSize());
        hc.setPoolName("openkyc");
        // Session settings are made once, when the pool opens a connection, never per call: autocommit on
        // (a read is one statement; a transaction is opened and closed by START TRANSACTION and COMMIT, see
        // inTransaction), READ COMMITTED, UTC, utf8. useLocalSessionState lets the driver skip a SET that
        // would not change the session.
        hc.setAutoCommit(true);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        hc.addDataSourceProperty("connectionTimeZone", "UTC");
        hc.addDataSourceProperty("characterEncoding", "utf8");
        hc.addDataSourceProperty("useLocalSessionState", "true");
        // The driver parses a statement's text each time it is prepared, which cost more CPU than the rest of
        // a status read together: each connection keeps the statements it has parsed (every mapper's text is
        // short enough to be kept).
        if (config.dbStatementCacheSize() > 0) {
            hc.addDataSourceProperty("cachePrepStmts", "true");
            hc.addDataSourceProperty("prepStmtCacheSize", Integer.toString(config.dbStatementCacheSize()));
            hc.addDataSourceProperty("prepStmtCacheSqlLimit", "16384");
            hc.addDataSourceProperty("useServerPrepStmts", "true");
        }
        // A database that does not answer fails a request within these bounds instead of hanging it.
        long connectMs = config.dbConnectTimeout().toMillis();
        long statementMs = config.dbStatementTimeout().toMillis();
        hc.setConnectionTimeout(connectMs);
        hc.setValidationTimeout(Math.max(250, Math.min(connectMs - 1, 2000)));
        hc.addDataSourceProperty("connectTimeout", Long.toString(connectMs));
        // A second longer than the statement timeout: a statement the database stops answers with its error, on a
        // connection that stays usable, before the socket gives up on a database that does not answer at all.
        hc.addDataSourceProperty("socketTimeout", Long.toString(statementMs + SOCKET_MARGIN_MS));
        this.probeUrl = config.dbUrl();
        this.probeProperties = new Properties();
        probeProperties.setProperty("user", config.dbUser());
        probeProperties.setProperty("password", config.dbPassword());
        long probeMs = Math.min(connectMs, PROBE_TIMEOUT.toMillis());
        probeProperties.setProperty("connectTimeout", Long.toString(probeMs));
        probeProperties.setProperty("socketTimeout", Long.toString(probeMs));
        // The statement timeout is kept by the database, set once per pooled connection: a JDBC query timeout
        // costs a timer task per statement, and the driver's timer thread woke for each of them (4 % of the
        // JVM's CPU under a load of status reads).
        hc.setConnectionInitSql(sessionTimeouts(migrate(config, connectMs), statementMs));
        this.dataSource = new HikariDataSource(hc);
        try {
            Configuration mybatis = new Configuration(
                    new Environment("openkyc", new JdbcTransactionFactory(), dataSource));
            mybatis.setMapUnderscoreToCamelCase(true);
            // MyBatis logs each statement's parameters (names, emails, birth dates) at DEBUG under the mappers'
            // names: never, whatever level an operator sets.
            mybatis.setLogImpl(org.apache.ibatis.logging.nologging.NoLoggingImpl.class);
            mybatis.setDefaultExecutorType(ExecutorType.REUSE);
            mybatis.addMapper(TenantMapper.class);
            mybatis.addMapper(CaseMapper.class);
            mybatis.addMapper(DocumentReadingMapper.class);
            mybatis.addMapper(ScreeningMapper.class);
            mybatis.addMapper(TravelRuleMapper.class);
            mybatis.addMapper(LivenessMapper.class);
            mybatis.addMapper(Step2Mapper.class);
            mybatis.addMapper(IdentityRegistryMapper.class);
            mybatis.addMapper(DocumentMapper.class);
            mybatis.addMapper(LivenessLimitMapper.class);
            mybatis.addMapper(IdempotencyMapper.class);
            mybatis.addMapper(WebhookMapper.class);
            mybatis.addMapper(CaseKeyMapper.class);
            this.vault = new CaseVault(new MasterKeys(config.dataKey(), config.previousDataKeys()));
            CaseSealing sealing = new CaseSealing(vault);
            sealing.configuration(mybatis);
            mybatis.addInterceptor(sealing);
            // The reviewer queue: each case's unmet rules as rows, rewritten with its status (see UnmetRuleRows).
            mybatis.addInterceptor(new UnmetRuleRows(mybatis));
            // The status read and the list page: rows mapped by a plan made once per statement (FlatRowMapping).
            mybatis.addInterceptor(new FlatRowMapping(Set.of(
                    CaseMapper.class.getName() + ".statusByPublicId",
                    CaseMapper.class.getName() + ".listCasesWithAttempts"), mybatis.getTypeHandlerRegistry()));
            this.sessions = new SqlSessionFactoryBuilder().build(mybatis);
            this.keyJobs = new CaseKeyJobs(this, vault, config.keyBatchSize());
            // Cases written before crypto-shredding are sealed before the first request is served.
            keyJobs.sealLegacyRows();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * The session settings that stop a statement of a request after {@code statementMs}: MariaDB's
     * {@code max_statement_time} covers every statement; MySQL's {@code max_execution_time} covers reads
     * ({@code SELECT}); on both, a statement waits for a row lock ({@code innodb_lock_wait_timeout}) or a table's
     * metadata lock ({@code lock_wait_timeout}) at most as long, in whole seconds rounded up. A statement stopped
     * so fails with the database's own error, answered UNAVAILABLE (see {@link #unreachable}).
     *
     * @param mariaDb whether the database is MariaDB (else MySQL)
     */
    static String sessionTimeouts(boolean mariaDb, long statementMs) {
        final long lockSeconds = Math.max(1, (statementMs + 999) / 1000);
        final String locks = "innodb_lock_wait_timeout = " + lockSeconds + ", lock_wait_timeout = " + lockSeconds;
        return mariaDb
               ? String.format(Locale.ROOT, "SET SESSION max_statement_time = %.3f, %s",
                               statementMs / 1000.0, locks)
               : "SET SESSION max_execution_time = " + statementMs + ", " + locks;
    }

    /**
     * Applies the migrations on a connection of their own, without the statement timeout: a migration
     * of a large table may rightly run for minutes, and must not fail the start for it. True when the database
     * is MariaDB.
     */
    private static boolean migrate(ServerConfig config, long connectMs) {
        HikariConfig mc = new HikariConfig();
        mc.setJdbcUrl(config.dbUrl());
        mc.setUsername(config.dbUser());
        mc.setPassword(config.dbPassword());
        mc.setMaximumPoolSize(1);
        mc.setPoolName("openkyc-migrations");
        mc.setConnectionTimeout(connectMs);
        mc.addDataSourceProperty("connectionTimeZone", "UTC");
        mc.addDataSourceProperty("characterEncoding", "utf8");
        mc.addDataSourceProperty("connectTimeout", Long.toString(connectMs));
        try (HikariDataSource migrations = new HikariDataSource(mc)) {
            Flyway.configure()
                    .dataSource(migrations)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            try (Connection c = migrations.getConnection()) {
                return c.getMetaData().getDatabaseProductVersion().toLowerCase(Locale.ROOT)
                        .contains("mariadb");
            } catch (SQLException e) {
                throw new StorageException(e);
            }
        }
    }

    /**
     * Runs the work in one transaction: committed when it returns, rolled back when it throws. A database that
     * cannot be reached fails as {@link ErrorCode#UNAVAILABLE} (see {@link #unreachable}).
     *
     * <p>The transaction is START TRANSACTION ... COMMIT on a connection that stays in autocommit mode, so a
     * write costs its own statements plus two, not the four session changes of switching autocommit off and on
     * around it.
     */
    public <T> T inTransaction(Function<SqlSession, T> work) {
        failFastWhenDown();
        try {
            Connection connection = borrow();
            SqlSession session = null;
            boolean ended = false;
            try {
                execute(connection, "START TRANSACTION");
                session = sessions.openSession(connection);
                T result = work.apply(session);
                session.flushStatements();
                execute(connection, "COMMIT");
                ended = true;
                return result;
            } catch (RuntimeException e) {
                ended = rollbackQuietly(connection, e);
                throw e;
            } finally {
                if (!ended) {
                    // Its rollback failed: the connection may still hold the transaction, so it is not reused.
                    evict(connection);
                }
                // The session closes the connection, which gives it back to the pool.
                close(session, connection);
            }
        } catch (RuntimeException e) {
            throw unavailableOr(e);
        }
    }

    /** Seals and opens the personal fields of cases (crypto-shredding). */
    public CaseVault vault() {
        return vault;
    }

    /** The resumable jobs of crypto-shredding: sealing old rows, master key rotation. */
    public CaseKeyJobs keyJobs() {
        return keyJobs;
    }

    /** Runs read-only work; an unreachable database fails as {@link ErrorCode#UNAVAILABLE}. */
    public <T> T read(Function<SqlSession, T> work) {
        failFastWhenDown();
        try (SqlSession session = sessions.openSession(true)) {
            return work.apply(session);
        } catch (RuntimeException e) {
            throw unavailableOr(e);
        }
    }

    private Connection borrow() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    private void evict(Connection connection) {
        try {
            dataSource.evictConnection(connection);
        } catch (RuntimeException ignored) {
            // the pool replaces a connection it cannot evict when it fails its next check
        }
    }

    private static void close(SqlSession session, Connection connection) {
        if (session != null) {
            session.close();
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // a dead connection may fail to close; the pool replaces it
        }
    }

    private void execute(Connection connection, String sql) {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    /** A database failure outside MyBatis; the cause says what it was. */
    static final class StorageException extends RuntimeException {
        StorageException(SQLException cause) {
            super(cause.getClass().getName(), cause);
        }
    }

    /**
     * A rollback on a dead connection fails too; the first failure is the one the caller hears about. True when
     * the rollback went through and the connection is clean again.
     */
    private boolean rollbackQuietly(Connection connection, RuntimeException cause) {
        try {
            execute(connection, "ROLLBACK");
            return true;
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            return false;
        }
    }

    /** While the monitor sees the database down, requests fail at once instead of each waiting for a timeout. */
    private void failFastWhenDown() {
        if (!available) {
            throw unavailable();
        }
    }

    private static DomainException unavailable() {
        return new DomainException(ErrorCode.UNAVAILABLE, "The database is unavailable; retry later", RETRY_AFTER);
    }

    private static RuntimeException unavailableOr(RuntimeException e) {
        if (e instanceof DomainException) {
            return e;
        }
        if (unreachable(e)) {
            log.warn("Database unreachable: {}", e.getClass().getName());
            return unavailable();
        }
        return e;
    }

    /**
     * True when a failure means the database could not be reached or did not answer in time (no connection from
     * the pool, a refused or broken connection, a socket or statement timeout), wherever MyBatis wrapped it.
     */
    static boolean unreachable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLTransientConnectionException || c instanceof SQLNonTransientConnectionException
                    || c instanceof SQLTimeoutException || c instanceof SocketTimeoutException
                    || c instanceof ConnectException || c instanceof java.net.NoRouteToHostException) {
                return true;
            }
            String name = c.getClass().getName();
            if (name.endsWith(".CommunicationsException") || name.endsWith(".CJCommunicationsException")
                    || name.endsWith(".MySQLTimeoutException") || name.endsWith(".CJTimeoutException")
                    || name.endsWith(".ConnectionIsClosedException")) {
                return true;
            }
            if (c instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (c instanceof SQLException sql && STOPPED_BY_TIMEOUT.contains(sql.getErrorCode())) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the database answers a ping within {@link #PROBE_TIMEOUT}. Uses its own connection outside the
     * pool, so a pool busy with slow work is not taken for a database that is down.
     */
    public boolean healthy() {
        synchronized (probeLock) {
            try {
                if (probe == null || probe.isClosed()) {
                    probe = DriverManager.getConnection(probeUrl, probeProperties);
                }
                if (probe.isValid((int) Math.max(1, PROBE_TIMEOUT.toSeconds()))) {
                    return true;
                }
            } catch (SQLException | RuntimeException e) {
                // falls through: the probe connection is dropped and the database reported down
            }
            closeProbe();
            return false;
        }
    }

    private void closeProbe() {
        if (probe != null) {
            try {
                probe.close();
            } catch (SQLException | RuntimeException ignored) {
                // a dead connection may fail to close
            }
            probe = null;
        }
    }

    /**
     * Publishes the pool's metrics (connections active, idle, pending, acquire and usage times) to a Micrometer
     * {@code MeterRegistry}, passed untyped so storage does not depend on a metrics library. Once only.
     */
    public void recordMetrics(Object meterRegistry) {
        dataSource.setMetricRegistry(meterRegistry);
    }

    /**
     * Adds a MyBatis plugin around every statement from now on (sessions opened later run through it), such as
     * the span per statement of tracing.
     */
    public void intercept(org.apache.ibatis.plugin.Interceptor plugin) {
        sessions.getConfiguration().addInterceptor(plugin);
    }

    /** True unless the monitor last saw the database down. */
    public boolean available() {
        return available;
    }

    /**
     * Checks the database every {@code interval} in the background; requests fail at once with
     * {@link ErrorCode#UNAVAILABLE} while it is down, and the listener hears every change (true: up again).
     */
    public synchronized void monitor(Duration interval, Consumer<Boolean> listener) {
        if (monitor != null) {
            throw new IllegalStateException("already monitored");
        }
        monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "openkyc-db-monitor");
            t.setDaemon(true);
            return t;
        });
        monitor.scheduleWithFixedDelay(() -> {
            try {
                check(listener);
            } catch (RuntimeException e) {
                // A failing check must not end the schedule (an exception would cancel it silently).
                log.warn("Database check failed: {}", e.getClass().getName());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check(Consumer<Boolean> listener) {
        boolean answered = healthy();
        failedChecks = answered ? 0 : failedChecks + 1;
        // One slow probe on a busy machine is not an outage: down after two failed checks in a row, up after one.
        boolean up = answered || (available && failedChecks < FAILED_CHECKS_FOR_DOWN);
        if (up == available) {
            return;
        }
        available = up;
        if (up) {
            log.info("Database reachable again");
        } else {
            log.warn("Database unreachable: requests answer UNAVAILABLE until it is back");
        }
        // Connections opened before the change are dead (down) or suspect (back): replace them.
        var pool = dataSource.getHikariPoolMXBean();
        if (pool != null) {
            pool.softEvictConnections();
        }
        listener.accept(up);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (monitor != null) {
                monitor.shutdownNow();
            }
        }
        synchronized (probeLock) {
            closeProbe();
        }
        dataSource.close();
    }
}
