package io.tokenledger.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures mean "the database cannot be reached now" (a 503), however they were wrapped. */
class ProblemsTest {
    private static final SQLTransientConnectionException POOL_TIMEOUT = new SQLTransientConnectionException(
            "tokenledger - Connection is not available, request timed out after 2000ms", "08001");

    @Test
    void aConnectionTheDatabaseCannotGiveIsUnavailableWhoeverWrappedIt() {
        assertThat(Problems.isDatabaseUnavailable(POOL_TIMEOUT)).isTrue();
        assertThat(Problems.isDatabaseUnavailable(new CannotGetJdbcConnectionException("no connection", POOL_TIMEOUT)))
                .isTrue();
        assertThat(Problems.isDatabaseUnavailable(new CannotCreateTransactionException("no transaction"))).isTrue();
        assertThat(Problems.isDatabaseUnavailable(new CommandExecutionException("command failed",
                new CannotCreateTransactionException("no transaction", POOL_TIMEOUT)))).isTrue();
        assertThat(Problems.isDatabaseUnavailable(new JdbcException("Failed to obtain a connection", POOL_TIMEOUT)))
                .isTrue();
    }

    @Test
    void aConnectionLostOrAServerShuttingDownIsUnavailable() {
        assertThat(Problems.isDatabaseUnavailable(new EventStoreException("An event could not be stored",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")))).isTrue();
        assertThat(Problems.isDatabaseUnavailable(new TransactionSystemException("Could not commit",
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(Problems.isDatabaseUnavailable(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
        // the connection the pool closed after such a failure, used again by a caller that caught the first one
        assertThat(Problems.isDatabaseUnavailable(new RuntimeException("Error when preparing statement.",
                new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(Problems.isDatabaseUnavailable(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
        assertThat(Problems.isDatabaseUnavailable(new CommandExecutionException("command failed",
                new IllegalStateException("a bug")))).isFalse();
        assertThat(Problems.isDatabaseUnavailable(new SQLException("no state"))).isFalse();
        assertThat(Problems.isDatabaseUnavailable(new IllegalArgumentException())).isFalse();
    }
}
