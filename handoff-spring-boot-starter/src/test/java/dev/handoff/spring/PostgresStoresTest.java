package dev.handoff.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Handoff;
import dev.handoff.core.store.FileContextStore;
import dev.handoff.postgres.PostgresAuditSink;
import dev.handoff.postgres.PostgresCommitmentDeadlines;
import dev.handoff.postgres.PostgresCommitmentLedger;
import dev.handoff.postgres.PostgresContextStore;
import dev.handoff.postgres.PostgresHandoffStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** With handoff-postgres on the class path and a DataSource bean, state goes to PostgreSQL (a real server). */
class PostgresStoresTest {

    static EmbeddedPostgres server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HandoffAutoConfiguration.class, HandoffHealthAutoConfiguration.class))
                .withPropertyValues("handoff.store.file.directory=" + dir, "handoff.signing.keys.k1=" + HandoffAutoConfigurationTest.KEY);
    }

    @Test
    void a_data_source_moves_the_stores_to_postgresql() {
        runner().withBean(DataSource.class, server::getPostgresDatabase)
                .withPropertyValues("handoff.store.postgres.tenant=acme").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(PostgresHandoffStores.class).doesNotHaveBean(FileContextStore.class);
                    assertThat(context.getBean(Handoff.class).wiring())
                            .containsEntry("ContextStore", PostgresContextStore.class.getName())
                            .containsEntry("CommitmentLedger", PostgresCommitmentLedger.class.getName())
                            .containsEntry("AuditSink", PostgresAuditSink.class.getName());
                    var stores = HandoffHealthTest.part(context, "stores");
                    assertThat(stores.getStatus()).isEqualTo(Status.UP);
                    assertThat(stores.getDetails()).containsEntry("type", "postgres").containsEntry("tenant", "acme")
                            .containsEntry("schema", "handoff").containsKey("schemaVersion");
                    try (var files = Files.list(dir)) {
                        assertThat(files).isEmpty();
                    }
                });
    }

    @Test
    void store_type_file_keeps_the_journals_even_with_a_data_source() {
        runner().withBean(DataSource.class, server::getPostgresDatabase).withPropertyValues("handoff.store.type=file").run(context -> {
            assertThat(context).doesNotHaveBean(PostgresHandoffStores.class).hasSingleBean(FileContextStore.class);
            assertThat(context.getBean(Handoff.class).wiring()).containsEntry("ContextStore", FileContextStore.class.getName());
        });
    }

    @Test
    void the_instance_id_and_the_purge_interval_are_properties() {
        runner().withBean(DataSource.class, server::getPostgresDatabase).withPropertyValues("handoff.store.postgres.tenant=acme-props",
                "handoff.store.postgres.instance-id=bot-2.internal:8080", "handoff.store.postgres.retention-purge-interval=0s").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(PostgresHandoffStores.class).ownership().instanceId()).isEqualTo("bot-2.internal:8080");
                });
        runner().withBean(DataSource.class, server::getPostgresDatabase)
                .withPropertyValues("handoff.store.postgres.retention-purge-interval=100ms").run(context ->
                        assertThat(HandoffPropertyErrorsTest.propertyError(context.getStartupFailure()))
                                .hasMessageStartingWith("Invalid property handoff.store.postgres.retention-purge-interval = \"100ms\"")
                                .hasMessageContaining("expected 0s (off) or a duration from 1s to 24h"));
        runner().withBean(DataSource.class, server::getPostgresDatabase)
                .withPropertyValues("handoff.store.postgres.instance-id=bot 2").run(context ->
                        assertThat(HandoffPropertyErrorsTest.propertyError(context.getStartupFailure()))
                                .hasMessageStartingWith("Invalid property handoff.store.postgres.instance-id = \"bot 2\"")
                                .hasMessageContaining("expected an instance name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "-1s", "10ms", "2m"})
    void a_deadline_poll_interval_out_of_range_names_the_property_the_value_and_the_range(String value) {
        runner().withBean(DataSource.class, server::getPostgresDatabase)
                .withPropertyValues("handoff.store.postgres.deadline-poll-interval=" + value).run(context ->
                        assertThat(HandoffPropertyErrorsTest.propertyError(context.getStartupFailure()))
                                .hasMessageStartingWith("Invalid property handoff.store.postgres.deadline-poll-interval = \"" + value + "\"")
                                .hasMessageContaining("expected a duration from 50ms to 1m, such as 1s"));
    }

    @Test
    void the_deadline_poll_interval_is_a_property() {
        runner().withBean(DataSource.class, server::getPostgresDatabase).withPropertyValues("handoff.store.postgres.tenant=acme-poll",
                "handoff.store.postgres.deadline-poll-interval=250ms").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(PostgresHandoffStores.class).commitmentDeadlines().pollInterval())
                            .isEqualTo(Duration.ofMillis(250));
                });
        runner().withBean(DataSource.class, server::getPostgresDatabase).withPropertyValues("handoff.store.postgres.tenant=acme-poll")
                .run(context -> assertThat(context.getBean(PostgresHandoffStores.class).commitmentDeadlines().pollInterval())
                        .isEqualTo(PostgresCommitmentDeadlines.DEFAULT_POLL_INTERVAL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "500ms", "11m"})
    void an_answer_timeout_out_of_range_names_the_property_the_value_and_the_range(String value) {
        runner().withBean(DataSource.class, server::getPostgresDatabase)
                .withPropertyValues("handoff.store.postgres.answer-timeout=" + value).run(context ->
                        assertThat(HandoffPropertyErrorsTest.propertyError(context.getStartupFailure()))
                                .hasMessageStartingWith("Invalid property handoff.store.postgres.answer-timeout = \"" + value + "\"")
                                .hasMessageContaining("expected a duration from 1s to 10m, such as 10s"));
    }

    @Test
    void the_answer_timeout_is_a_property() {
        runner().withBean(DataSource.class, server::getPostgresDatabase).withPropertyValues("handoff.store.postgres.tenant=acme-answer",
                "handoff.store.postgres.answer-timeout=3s").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(PostgresHandoffStores.class).answerTimeout()).isEqualTo(Duration.ofSeconds(3));
                });
        runner().withBean(DataSource.class, server::getPostgresDatabase).withPropertyValues("handoff.store.postgres.tenant=acme-answer")
                .run(context -> assertThat(context.getBean(PostgresHandoffStores.class).answerTimeout())
                        .isEqualTo(PostgresHandoffStores.DEFAULT_ANSWER_TIMEOUT));
    }

    @Test
    void a_bad_tenant_names_the_property() {
        runner().withBean(DataSource.class, server::getPostgresDatabase).withPropertyValues("handoff.store.postgres.tenant= ").run(context ->
                assertThat(HandoffPropertyErrorsTest.propertyError(context.getStartupFailure()))
                        .hasMessageStartingWith("Invalid property handoff.store.postgres.tenant = \"")
                        .hasMessageContaining("expected a tenant id such as acme"));
    }
}
