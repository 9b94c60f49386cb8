package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.Handoff;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.Tickets;
import dev.handoff.postgres.internal.Jdbc;
import dev.handoff.postgres.internal.Migrations;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

class SchemaMigrationTest {

    private static HikariDataSource db;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.newDatabase("schema_migration", 8);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void instances_starting_together_apply_each_migration_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PostgresHandoffStores>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                starts.add(pool.submit((Callable<PostgresHandoffStores>) () -> PostgresHandoffStores.builder(db).schema("together").build()));
            }
            List<PostgresSchema.Report> reports = new ArrayList<>();
            for (Future<PostgresHandoffStores> f : starts) {
                reports.add(f.get(60, TimeUnit.SECONDS).schemaReport());
            }
            assertThat(reports).allSatisfy(r -> assertThat(r.toVersion()).isEqualTo(PostgresSchema.LATEST_VERSION));
            assertThat(reports.stream().filter(r -> !r.applied().isEmpty())).hasSize(1);
            assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM together.schema_version")).isEqualTo(PostgresSchema.LATEST_VERSION);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_second_start_applies_nothing_and_validate_accepts_the_schema() {
        PostgresHandoffStores.builder(db).schema("again").build();

        PostgresSchema.Report second = PostgresHandoffStores.builder(db).schema("again").build().schemaReport();
        PostgresSchema.Report checked = PostgresHandoffStores.builder(db).schema("again").schemaMode(PostgresSchema.Mode.VALIDATE).build()
                .schemaReport();

        assertThat(second.applied()).isEmpty();
        assertThat(second.fromVersion()).isEqualTo(PostgresSchema.LATEST_VERSION);
        assertThat(checked.applied()).isEmpty();
        assertThat(checked.database()).isEqualTo("schema_migration");
    }

    @Test
    void a_schema_written_by_a_newer_version_is_refused_naming_both_versions() {
        PostgresSchema.migrate(db, "newer");
        int future = PostgresSchema.LATEST_VERSION + 1;
        EmbeddedDatabase.execute(db, "INSERT INTO newer.schema_version (version, description, checksum) VALUES (" + future
                + ", 'from the future', 'x')");

        assertThatThrownBy(() -> PostgresHandoffStores.builder(db).schema("newer").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("schema \"newer\"")
                .hasMessageContaining("is at version " + future + ", written by a newer handoff-postgres")
                .hasMessageContaining("this build knows versions up to " + PostgresSchema.LATEST_VERSION);
    }

    @Test
    void validate_refuses_a_missing_schema_and_says_how_to_create_it() {
        assertThatThrownBy(() -> PostgresHandoffStores.builder(db).schema("absent").schemaMode(PostgresSchema.Mode.VALIDATE).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("PostgreSQL database \"schema_migration\" has no handoff-postgres schema \"absent\" (table absent.schema_version"
                        + " is missing); expected schema version " + PostgresSchema.LATEST_VERSION + ". Create it with"
                        + " PostgresSchema.migrate(dataSource, \"absent\") or build the stores with PostgresSchema.Mode.MIGRATE, as a role"
                        + " allowed to create it");
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'absent'")).isZero();
    }

    @Test
    void a_migration_edited_after_it_was_applied_is_refused() {
        PostgresSchema.migrate(db, "edited");
        EmbeddedDatabase.execute(db, "UPDATE edited.schema_version SET checksum = 'abc123' WHERE version = 1");

        assertThatThrownBy(() -> PostgresSchema.validate(db, "edited"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("migration 1 was applied with checksum abc123 but this build's V1__baseline.sql has ")
                .hasMessageContaining("expected the schema unchanged since it was migrated");
    }

    @Test
    void a_read_only_database_is_refused_at_start() {
        try (HikariDataSource setup = EmbeddedDatabase.newDatabase("read_only_start", 1)) {
            EmbeddedDatabase.execute(setup, "ALTER DATABASE read_only_start SET default_transaction_read_only = on");
        }
        try (HikariDataSource ro = EmbeddedDatabase.pool(EmbeddedDatabase.server().getJdbcUrl("postgres", "read_only_start"), 1)) {
            assertThatThrownBy(() -> PostgresHandoffStores.builder(ro).build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("PostgreSQL database \"read_only_start\" is read-only (a standby, or default_transaction_read_only is on);"
                            + " handoff-postgres writes on every handoff and expected a writable primary");
        }
    }

    @Test
    void a_database_that_does_not_exist_is_a_configuration_error() {
        PGSimpleDataSource wrong = new PGSimpleDataSource();
        wrong.setURL(EmbeddedDatabase.server().getJdbcUrl("postgres", "no_such_db"));

        assertThatThrownBy(() -> PostgresHandoffStores.builder(wrong).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("PostgreSQL database missing while checking schema handoff (SQLState 3D000)")
                .hasMessageContaining("no_such_db")
                .hasMessageContaining("expected the DataSource's URL to name an existing database");
    }

    @Test
    void a_url_no_driver_accepts_is_a_configuration_error() {
        // a DataSource that opens connections through DriverManager (as many frameworks' simple ones do); a pool
        // such as HikariCP refuses such a URL already when it is built
        DataSource typo = new DriverManagerDataSource("jdbc:postgres://127.0.0.1:" + EmbeddedDatabase.server().getPort() + "/postgres");

        assertThatThrownBy(() -> PostgresHandoffStores.builder(typo).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("no JDBC driver accepts the DataSource's URL while checking schema handoff: No suitable driver found for"
                        + " jdbc:postgres://127.0.0.1:" + EmbeddedDatabase.server().getPort() + "/postgres; expected a URL of the form"
                        + " jdbc:postgresql://host:port/database");
    }

    @Test
    void a_server_that_is_down_is_a_retriable_error_naming_what_was_expected() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        PGSimpleDataSource down = new PGSimpleDataSource();
        down.setURL("jdbc:postgresql://127.0.0.1:" + closedPort + "/handoff");
        down.setConnectTimeout(2);

        assertThatThrownBy(() -> PostgresHandoffStores.builder(down).build())
                .isInstanceOf(RetriableHandoffException.class)
                .hasMessageContaining("PostgreSQL unavailable while checking schema handoff (SQLState 08001)")
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("expected a reachable PostgreSQL server");
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of((Consumer<PostgresHandoffStores.Builder>) b -> b.tenant("acme corp"),
                        "tenant must be 1-64 characters of [A-Za-z0-9_.:-], was \"acme corp\""),
                Arguments.of((Consumer<PostgresHandoffStores.Builder>) b -> b.tenant("x".repeat(65)),
                        "tenant must be 1-64 characters of [A-Za-z0-9_.:-], was \"" + "x".repeat(65) + "\""),
                Arguments.of((Consumer<PostgresHandoffStores.Builder>) b -> b.schema("Handoff; DROP TABLE x"),
                        "schema must be a lower-case identifier of [a-z0-9_] (1-63 characters, not starting with a digit or pg_),"
                                + " was \"Handoff; DROP TABLE x\""),
                Arguments.of((Consumer<PostgresHandoffStores.Builder>) b -> b.schema("pg_catalog"),
                        "schema must be a lower-case identifier of [a-z0-9_] (1-63 characters, not starting with a digit or pg_),"
                                + " was \"pg_catalog\""),
                Arguments.of((Consumer<PostgresHandoffStores.Builder>) b -> b.retention(Duration.ZERO),
                        "retention must be positive, was PT0S"),
                Arguments.of((Consumer<PostgresHandoffStores.Builder>) b -> b.deadlineClaimLease(Duration.ofSeconds(-1)),
                        "deadline claim lease must be positive, was PT-1S"),
                Arguments.of((Consumer<PostgresHandoffStores.Builder>) b -> b.deadlineBatchSize(0),
                        "deadline batch size must be 1 to 10000, was 0"),
                Arguments.of((Consumer<PostgresHandoffStores.Builder>) b -> b.instanceId("host\r\nX-Injected: 1"),
                        "instanceId must be 1-64 characters of [A-Za-z0-9_.:-], was \"host  X-Injected: 1\""));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void bad_settings_are_refused_naming_the_field_and_the_value(Consumer<PostgresHandoffStores.Builder> setting, String message) {
        assertThatThrownBy(() -> setting.accept(PostgresHandoffStores.builder(db)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void a_database_at_version_4_with_an_open_offer_and_ticket_records_migrates_to_5_without_losing_them() throws Exception {
        SigningKeys keys = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        try (HikariDataSource v4 = EmbeddedDatabase.newDatabase("schema_at_v4", 6)) {
            Migrations.migrateTo(new Jdbc(v4), "handoff", 4);
            String ticket = new Tickets(keys, Clock.systemUTC(), Tickets.DEFAULT_TTL).issue("ctx-v4");
            String mac = ticket.substring(ticket.lastIndexOf('.') + 1);
            EmbeddedDatabase.execute(v4, "INSERT INTO handoff.offers (tenant_id, offer_id, queue, session_id, context_id, ticket, target_id,"
                    + " priority, rank, timeout_ms, owner, enqueued_at, expires_at, state, purge_after) VALUES ('acme', 'o-v4', 'support',"
                    + " 's-v4', 'ctx-v4', '" + ticket + "', 'support', 'NORMAL', 0, 600000, 'instance-v4', now(), now() + interval '10 minutes',"
                    + " 'WAITING', now() + interval '30 days')");
            EmbeddedDatabase.execute(v4, "INSERT INTO handoff.tickets (tenant_id, ticket_hash, context_id, session_id, bound_agent, issued_at,"
                    + " expires_at, redeemed_by, redeemed_at, purge_after) VALUES"
                    + " ('acme', 'h-redeemed', 'ctx-old', 's-old', NULL, now(), now(), 'alice', now(), now() + interval '1 day'),"
                    + " ('acme', 'h-issued', 'ctx-old', 's-old', 'bob', now(), now(), NULL, NULL, now() + interval '1 day')");
            EmbeddedDatabase.execute(v4, "INSERT INTO handoff.ticket_redemptions (tenant_id, ticket_hash, actor, outcome, at, context_id,"
                    + " session_id, purge_after) VALUES ('acme', 'h-redeemed', 'alice', 'REDEEMED', now(), 'ctx-old', 's-old', now() + interval '1 day'),"
                    + " ('acme', 'h-redeemed', 'mallory', 'ALREADY_REDEEMED', now(), 'ctx-old', 's-old', now() + interval '1 day')");

            PostgresHandoffStores stores = PostgresHandoffStores.builder(v4).tenant("acme").instanceId("instance-v5").build();
            stores.contextStore().put(new ContextSigner(keys, Clock.systemUTC()).sign(Contexts.context("ctx-v4", "s-v4", "cus-v4", Instant.now())));
            try (Handoff handoff = stores.applyTo(Handoff.builder()).signingKeys(keys).build()) {
                AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
                support.signIn("alice");
                Offer offer = support.next("alice", Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS).orElseThrow();

                assertThat(offer.ticket()).as("the open offer's ticket, signed again").isEqualTo(ticket);
                assertThat(handoff.redeem(offer.ticket(), "alice").contextId()).isEqualTo("ctx-v4");
            }

            assertThat(stores.schemaReport().applied()).containsExactly(5, 6, 7, 8, 9);
            assertThat(EmbeddedDatabase.count(v4, "SELECT count(*) FROM handoff.offers o WHERE position('" + mac + "' in o::text) > 0")).isZero();
            assertThat(EmbeddedDatabase.count(v4, "SELECT count(*) FROM handoff.tickets WHERE ticket_hash = 'h-redeemed' AND redeemed_by = 'alice'"))
                    .as("a redemption recorded before stays").isEqualTo(1);
            assertThat(EmbeddedDatabase.count(v4, "SELECT count(*) FROM handoff.tickets WHERE ticket_hash = 'h-issued'"))
                    .as("a ticket only registered, never redeemed, is no redemption").isZero();
            assertThat(stores.auditSink().records(SessionId.of("s-old")))
                    .extracting(AuditRecord::actor, AuditRecord::action, AuditRecord::contextId, AuditRecord::outcome)
                    .containsExactly(tuple("alice", AuditRecord.Action.TICKET_REDEEMED, "ctx-old", "ok"),
                            tuple("mallory", AuditRecord.Action.TICKET_REFUSED, "ctx-old", "already-used"));
        }
    }

    @Test
    void a_database_at_version_7_keeps_its_watched_handoffs_as_watches_when_it_migrates_to_8() {
        try (HikariDataSource v7 = EmbeddedDatabase.newDatabase("schema_at_v7", 2)) {
            Migrations.migrateTo(new Jdbc(v7), "handoff", 7);
            String columns = "INSERT INTO handoff.agent_actions (tenant_id, action_id, handoff_id, session_id, context_id, from_instance,"
                    + " agent_id, kind, state, created_at, purge_after) VALUES ";
            EmbeddedDatabase.execute(v7, columns
                    + "('acme', 'aa-1', 'h-1', 's-1', 'ctx-1', 'b', 'relay', 'WATCH', 'APPLIED', now() - interval '1 minute', now() + interval '1 day'),"
                    + "('acme', 'aa-2', 'h-1', 's-1', 'ctx-1', 'b', 'relay', 'WATCH', 'APPLIED', now(), now() + interval '1 day'),"
                    + "('acme', 'aa-3', 'h-1', 's-1', 'ctx-1', 'c', 'relay', 'WATCH', 'PENDING', now(), now() + interval '1 day'),"
                    + "('acme', 'aa-4', 'h-1', 's-1', 'ctx-1', 'd', 'ana', 'READ', 'APPLIED', now(), now() + interval '1 day'),"
                    + "('globex', 'aa-5', 'h-1', 's-1', 'ctx-1', 'b', 'relay', 'WATCH', 'APPLIED', now(), now() + interval '1 day')");

            PostgresSchema.migrate(v7, "handoff");

            assertThat(EmbeddedDatabase.count(v7, "SELECT count(*) FROM handoff.schema_version")).isEqualTo(PostgresSchema.LATEST_VERSION);
            assertThat(EmbeddedDatabase.count(v7, "SELECT count(*) FROM handoff.agent_watches")).as("one per tenant, handoff and watching instance")
                    .isEqualTo(3);
            assertThat(EmbeddedDatabase.count(v7, "SELECT count(*) FROM handoff.agent_watches a JOIN handoff.agent_actions w"
                    + " ON w.action_id = 'aa-1' AND a.since = w.created_at AND a.purge_after = w.purge_after"
                    + " WHERE a.tenant_id = 'acme' AND a.handoff_id = 'h-1' AND a.watcher = 'b' AND a.session_id = 's-1'"))
                    .as("b's watch since its first WATCH").isEqualTo(1);
            assertThat(EmbeddedDatabase.count(v7, "SELECT count(*) FROM handoff.agent_watches WHERE watcher = 'd'"))
                    .as("a READ is no watch").isZero();
        }
    }

    @Test
    void every_migration_file_in_the_jar_is_listed_in_order() throws IOException, URISyntaxException {
        Path dir = Path.of(Migrations.class.getResource(Migrations.RESOURCE_DIR).toURI());
        List<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }

        assertThat(Migrations.SCRIPTS).extracting(Migrations.Script::file).containsExactlyElementsOf(files);
        for (int i = 0; i < Migrations.SCRIPTS.size(); i++) {
            Migrations.Script s = Migrations.SCRIPTS.get(i);
            assertThat(s.version()).isEqualTo(i + 1);
            assertThat(s.file()).startsWith("V" + s.version() + "__");
        }
    }
}
