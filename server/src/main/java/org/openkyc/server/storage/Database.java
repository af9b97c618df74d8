package org.openkyc.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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

/**
 * The MySQL database: a HikariCP pool, Flyway migrations (applied at start,
 * from {@code db/migration}) and MyBatis mappers. {@link #inTransaction} runs
 * work in one transaction that is rolled back on any failure.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final SqlSessionFactory sessions;

    public Database(ServerConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.dbUrl());
        hc.setUsername(config.dbUser());
        hc.setPassword(config.dbPassword());
        hc.setMaximumPoolSize(config.dbPoolSize());
        hc.setPoolName("openkyc");
        hc.setAutoCommit(false);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        hc.addDataSourceProperty("connectionTimeZone", "UTC");
        hc.addDataSourceProperty("characterEncoding", "utf8");
        this.dataSource = new HikariDataSource(hc);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            Configuration mybatis = new Configuration(
                    new Environment("openkyc", new JdbcTransactionFactory(), dataSource));
            mybatis.setMapUnderscoreToCamelCase(true);
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
            this.sessions = new SqlSessionFactoryBuilder().build(mybatis);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Function<SqlSession, T> work) {
        try (SqlSession session = sessions.openSession(false)) {
            try {
                T result = work.apply(session);
                session.commit(true);
                return result;
            } catch (RuntimeException e) {
                session.rollback(true);
                throw e;
            }
        }
    }

    /** Runs read-only work. */
    public <T> T read(Function<SqlSession, T> work) {
        try (SqlSession session = sessions.openSession(true)) {
            return work.apply(session);
        }
    }

    /** True when the database answers. */
    public boolean healthy() {
        try (var c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
