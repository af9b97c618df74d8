package org.openkyc.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.api.Test;

/** Which failures mean "the database cannot be reached" (answered UNAVAILABLE) and which do not. */
class DatabaseFaultsTest {

    @Test
    void unreachableWhereverMyBatisWrappedIt() {
        assertThat(Database.unreachable(new PersistenceException(
                new SQLTransientConnectionException("openkyc - Connection is not available")))).isTrue();
        assertThat(Database.unreachable(new PersistenceException(new SQLException("x",
                new com.mysql.cj.jdbc.exceptions.CommunicationsException("link failure", new ConnectException()))))).isTrue();
        assertThat(Database.unreachable(new RuntimeException(new SocketTimeoutException("Read timed out")))).isTrue();
        assertThat(Database.unreachable(new PersistenceException(new SQLException("gone", "08S01")))).isTrue();
        assertThat(Database.unreachable(new PersistenceException(
                new com.mysql.cj.jdbc.exceptions.MySQLTimeoutException()))).isTrue();
    }

    @Test
    void aStatementTheDatabaseStoppedAtTheStatementTimeoutIsUnavailable() {
        assertThat(Database.unreachable(new PersistenceException(new SQLException(
                "Query execution was interrupted (max_statement_time exceeded)", "70100", 1969)))).isTrue();
        assertThat(Database.unreachable(new PersistenceException(new SQLException(
                "Query execution was interrupted, maximum statement execution time exceeded", "HY000",
                3024)))).isTrue();
        assertThat(Database.unreachable(new PersistenceException(new SQLException(
                "Lock wait timeout exceeded; try restarting transaction", "HY000", 1205)))).isTrue();
    }

    @Test
    void theStatementTimeoutIsOneSessionSettingPerConnection() {
        assertThat(Database.sessionTimeouts(true, 10_000)).isEqualTo(
                "SET SESSION max_statement_time = 10.000, innodb_lock_wait_timeout = 10, lock_wait_timeout = 10");
        assertThat(Database.sessionTimeouts(false, 1_500)).isEqualTo(
                "SET SESSION max_execution_time = 1500, innodb_lock_wait_timeout = 2, lock_wait_timeout = 2");
    }

    @Test
    void otherFailuresStayWhatTheyAre() {
        assertThat(Database.unreachable(new PersistenceException(
                new SQLIntegrityConstraintViolationException("Duplicate entry", "23000")))).isFalse();
        assertThat(Database.unreachable(new IllegalStateException("bug"))).isFalse();
    }
}
