package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.postgres.internal.Migrations;
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
                .hasMessageContaining("PostgreSQL database missing while migrating schema handoff (SQLState 3D000)")
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
                .hasMessage("no JDBC driver accepts the DataSource's URL while migrating schema handoff: No suitable driver found for"
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
                .hasMessageContaining("PostgreSQL unavailable while migrating schema handoff (SQLState 08001)")
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
