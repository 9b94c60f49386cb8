package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.crm.outbox.OutboxDispatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash scenario: three instances in three JVMs append handoffs to the shared outbox while the CRM is
 * down, and every one of them is killed with {@code kill -9} (while their dispatchers retry: an entry may be claimed at
 * that moment and stays so until its lease runs out); new instances started afterwards
 * deliver every entry once the CRM recovers, each idempotency key once.
 */
class OutboxSurvivesKillTest {

    private static final int INSTANCES = 3;
    private static final int PER_INSTANCE = 20;
    private static final long WAIT_FOR_CONNECTION = OutboxOnPostgresTest.WAIT_FOR_CONNECTION;

    @TempDir
    Path tmp;

    @Test
    void outbox_entries_survive_a_kill_9_of_every_instance_and_are_delivered_once_the_crm_recovers() throws Exception {
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("outbox_kill", 2); OutboxCrm crm = new OutboxCrm()) {
            PostgresSchema.migrate(db, PostgresSchema.DEFAULT_SCHEMA);
            String jdbcUrl = EmbeddedDatabase.server().getJdbcUrl("postgres", "outbox_kill");
            crm.down = true;

            // given three instances that appended while the CRM was down, and tried to deliver
            List<ChildJvm> children = new ArrayList<>();
            Set<String> appended = ConcurrentHashMap.newKeySet();
            try {
                for (int i = 0; i < INSTANCES; i++) {
                    children.add(ChildJvm.start(tmp, "instance-" + i, OutboxInstanceChild.class,
                            jdbcUrl, "killed", "instance-" + i, crm.url(), String.valueOf(PER_INSTANCE)));
                }
                for (ChildJvm child : children) {
                    int ready = child.awaitLine(0, "ready", "ready"::equals, Duration.ofMinutes(3));
                    child.awaitLine(ready + 1, "a failed delivery after ready", l -> l.startsWith("retry "), Duration.ofMinutes(3));
                }
            } finally {
                // when: every instance dies at once
                for (ChildJvm child : children) {
                    child.kill();
                }
            }
            for (ChildJvm child : children) {
                child.lines().stream().filter(l -> l.startsWith("appended ")).forEach(l -> appended.add(l.substring("appended ".length())));
            }
            assertThat(appended).hasSize(INSTANCES * PER_INSTANCE);
            assertThat(crm.accepted).as("nothing got through while the CRM was down").isEmpty();
            assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.outbox WHERE tenant_id = 'killed' AND state = 'PENDING'"))
                    .isEqualTo(INSTANCES * PER_INSTANCE);

            // then: the CRM recovers and two new instances deliver everything, each key once
            crm.down = false;
            OutboxOnPostgresTest.Events events = new OutboxOnPostgresTest.Events(INSTANCES * PER_INSTANCE);
            List<AutoCloseable> restarted = new ArrayList<>();
            try {
                for (String id : List.of("restarted-a", "restarted-b")) {
                    HikariDataSource pool = EmbeddedDatabase.pool(jdbcUrl, 4, WAIT_FOR_CONNECTION);
                    restarted.add(pool);
                    PostgresHandoffStores stores = PostgresHandoffStores.builder(pool).tenant("killed").instanceId(id)
                            .shareRunningHandoffs(false).build();
                    OutboxDispatcher d = OutboxDispatcher.builder(stores.outbox()).adapter(crm.webhook()).retryPolicy(OutboxCrm.FAST)
                            .pollInterval(Duration.ofMillis(100)).lease(Duration.ofSeconds(30)).listener(events).build();
                    restarted.add(d);
                    d.start();
                }
                events.awaitDelivered();
            } finally {
                for (int i = restarted.size() - 1; i >= 0; i--) {
                    restarted.get(i).close();
                }
            }
            Set<String> expectedKeys = ConcurrentHashMap.newKeySet();
            appended.forEach(id -> expectedKeys.add("webhook:" + id));
            assertThat(crm.accepted.keySet()).containsExactlyInAnyOrderElementsOf(expectedKeys);
            assertThat(crm.duplicates()).as("keys the CRM accepted more than once").isEmpty();
            assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.outbox WHERE tenant_id = 'killed' AND state = 'DELIVERED'"))
                    .isEqualTo(INSTANCES * PER_INSTANCE);
        }
    }
}
