package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Commitment;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.CommitmentLedger.Verification;
import dev.handoff.core.context.RedeemedTickets;
import dev.handoff.core.testing.ManualTime;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The grants the module README documents are enough: an operator migrates as the owner, the application runs as a
 * role with exactly those grants (no UPDATE or DELETE on the audit table, no DDL) and everything works; without the
 * schema's grants the application gets a configuration error naming the README.
 */
class LeastPrivilegeTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");

    /** The README's grant script, verbatim. */
    static final String README_GRANTS = """
            GRANT USAGE ON SCHEMA handoff TO handoff_app;
            GRANT SELECT ON handoff.schema_version TO handoff_app;
            GRANT SELECT, INSERT, UPDATE, DELETE ON handoff.contexts, handoff.customer_sessions, handoff.commitment_books,
                handoff.commitment_events, handoff.commitment_deadlines, handoff.tickets,
                handoff.instances, handoff.handoffs, handoff.queues, handoff.queue_agents, handoff.offers, handoff.outbox,
                handoff.agent_actions, handoff.agent_feed, handoff.agent_watches TO handoff_app;
            GRANT SELECT, INSERT ON handoff.audit_records TO handoff_app;
            """;

    @Test
    void the_application_runs_with_the_documented_grants_and_no_update_or_delete_on_audit() throws SQLException {
        try (HikariDataSource owner = EmbeddedDatabase.newDatabase("least_privilege", 2)) {
            PostgresSchema.migrate(owner, "handoff");
            EmbeddedDatabase.execute(owner, "CREATE ROLE handoff_app LOGIN PASSWORD 'app-secret'");
            try (HikariDataSource app = appPool()) {
                assertThatThrownBy(() -> PostgresHandoffStores.builder(app).schemaMode(PostgresSchema.Mode.VALIDATE).build()
                        .contextStore().put(Contexts.context("ctx-1", "s-1", "cus-1", T0)))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("(SQLState 42501)")
                        .hasMessageContaining("expected the grants listed in handoff-postgres/README.md");

                EmbeddedDatabase.execute(owner, README_GRANTS);
                PostgresHandoffStores stores = PostgresHandoffStores.builder(app).schemaMode(PostgresSchema.Mode.VALIDATE)
                        .clock(new ManualTime(T0)).build();
                SessionId s = SessionId.of("s-1");
                stores.contextStore().put(Contexts.context("ctx-1", "s-1", "cus-1", T0));
                stores.commitmentLedger().record(s, Commitment.pending("x", Commitment.Kind.DISCOUNT, Commitment.Strength.HARD, "15%", "15%", 1));
                stores.commitmentLedger().verify(s, "c-1", new Verification(Commitment.Status.CONFIRMED, null, "alice", T0));
                stores.commitmentDeadlines().schedule(s, T0);
                stores.commitmentDeadlines().pollDue(o -> { });
                stores.auditSink().record(new AuditRecord(T0, "bot", AuditRecord.Action.HANDOFF_REQUESTED, s, null, "ok"));
                assertThat(stores.redeemedTickets().claim(new RedeemedTickets.Claim("mac-1", "ctx-1", s, "alice", T0, T0.plusSeconds(60)))).isTrue();
                stores.outbox().append("webhook", "webhook:ctx-1", Contexts.context("ctx-1", "s-1", "cus-1", T0));
                var claim = stores.outbox().claimDue(java.util.Set.of("webhook"), 1, java.time.Duration.ofMinutes(1)).get(0);
                assertThat(stores.outbox().retryLater(claim, java.time.Duration.ZERO)).isTrue();
                assertThat(stores.outbox().acknowledge(stores.outbox().claimDue(java.util.Set.of("webhook"), 1,
                        java.time.Duration.ofMinutes(1)).get(0), null)).isTrue();
                stores.dataRetention().purgeExpired();
                assertThat(stores.dataRetention().eraseCustomer("cus-1", "privacy-desk").sessions()).containsExactly(s);

                try (Connection c = app.getConnection(); Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.execute("DELETE FROM handoff.audit_records"))
                            .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
                }
                assertThatThrownBy(() -> PostgresHandoffStores.builder(app).schema("elsewhere").build())
                        .as("the application role cannot create schemas")
                        .isInstanceOf(NonRetriableHandoffException.class);
            }
        }
    }

    @Test
    void the_readme_shows_exactly_these_grants() throws java.io.IOException {
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("README.md"))).contains("```sql\n" + README_GRANTS + "```");
    }

    private static HikariDataSource appPool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(EmbeddedDatabase.server().getJdbcUrl("handoff_app", "least_privilege"));
        config.setUsername("handoff_app");
        config.setPassword("app-secret");
        config.setMaximumPoolSize(2);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
