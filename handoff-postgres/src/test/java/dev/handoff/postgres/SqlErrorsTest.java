package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.postgres.internal.SqlErrors;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Driver and pool failures without an SQLState are classified, not turned into a NullPointerException. */
class SqlErrorsTest {

    @Test
    void a_pool_timeout_without_an_sqlstate_is_retriable() {
        // what HikariCP throws when no connection came within its connectionTimeout and no connection attempt failed
        var e = new SQLTransientConnectionException("test-1 - Connection is not available, request timed out after 2000ms.");

        assertThat(SqlErrors.translate("appending context ctx-1 to the outbox for webhook", e))
                .isInstanceOf(RetriableHandoffException.class)
                .hasMessage("PostgreSQL unavailable while appending context ctx-1 to the outbox for webhook (SQLState null): test-1 -"
                        + " Connection is not available, request timed out after 2000ms.; expected a reachable PostgreSQL server."
                        + " Nothing was written; retry later");
    }

    @Test
    void a_failure_without_an_sqlstate_that_is_not_transient_is_non_retriable() {
        assertThat(SqlErrors.translate("reading context ctx-1", new SQLException("something else")))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("PostgreSQL failed while reading context ctx-1 (SQLState null): something else");
    }
}
