package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.crm.outbox.OutboxDispatcher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
            List<Process> children = new ArrayList<>();
            List<CompletableFuture<List<String>>> outputs = new ArrayList<>();
            Set<String> appended = ConcurrentHashMap.newKeySet();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            for (int i = 0; i < INSTANCES; i++) {
                Path err = tmp.resolve("instance-" + i + ".err");
                Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), OutboxInstanceChild.class.getName(),
                        jdbcUrl, "killed", "instance-" + i, crm.url(), String.valueOf(PER_INSTANCE))
                        .redirectError(err.toFile()).start();
                children.add(child);
                outputs.add(CompletableFuture.supplyAsync(() -> readUntilReadyAndRetrying(child, appended)));
            }
            try {
                for (int i = 0; i < INSTANCES; i++) {
                    List<String> lines = outputs.get(i).get(180, TimeUnit.SECONDS);
                    assertThat(lines).as("instance-%d (stderr: %s)", i, tail(tmp.resolve("instance-" + i + ".err")))
                            .contains("ready").anyMatch(l -> l.startsWith("retry "));
                }
            } finally {
                // when: every instance dies at once
                for (Process child : children) {
                    child.destroyForcibly();
                }
                for (Process child : children) {
                    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                }
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

    /** Reads a child's lines until it printed {@code ready} and then at least one more failed attempt. */
    private static List<String> readUntilReadyAndRetrying(Process child, Set<String> appended) {
        List<String> lines = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            boolean ready = false;
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("appended ")) {
                    appended.add(line.substring("appended ".length()));
                } else if (line.equals("ready")) {
                    ready = true;
                } else if (ready && line.startsWith("retry ")) {
                    break;
                }
            }
        } catch (java.io.IOException e) {
            lines.add("read failed: " + e);
        }
        return lines;
    }

    private static String tail(Path file) {
        try {
            String s = Files.readString(file);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
