package dev.handoff.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.HandoffException;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.crm.outbox.OutboxDispatcher;
import dev.handoff.crm.outbox.OutboxListener;
import java.time.Duration;

/**
 * Run in a child JVM by {@link OutboxSurvivesKillTest}: one instance of an application on the shared database, with
 * its own pool, stores and outbox dispatcher pushing to the CRM at {@code args[3]}. It submits {@code args[4]}
 * handoffs, printing {@code appended <contextId>} once each submit returned, then {@code ready}, and keeps
 * delivering (printing {@code retry <contextId>} after each failed attempt) until the parent kills it with
 * {@code kill -9}.
 *
 * <p>Arguments: JDBC URL, tenant, instance id, CRM URL, number of handoffs.
 */
public final class OutboxInstanceChild {

    private OutboxInstanceChild() {
    }

    public static void main(String[] args) throws Exception {
        String instanceId = args[2];
        HikariDataSource pool = EmbeddedDatabase.pool(args[0], 4, OutboxOnPostgresTest.WAIT_FOR_CONNECTION); // three JVMs start at once on 2 shared cores
        PostgresHandoffStores stores = PostgresHandoffStores.builder(pool).tenant(args[1]).instanceId(instanceId)
                .schemaMode(PostgresSchema.Mode.VALIDATE).shareRunningHandoffs(false).build();
        OutboxDispatcher dispatcher = OutboxDispatcher.builder(stores.outbox()).adapter(OutboxCrm.webhook(args[3]))
                .retryPolicy(OutboxCrm.FAST).lease(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).claimBatch(5).workers(2)
                .listener(new OutboxListener() {
                    @Override
                    public void retryScheduled(OutboxEntry entry, int failures, Duration delay, HandoffException cause) {
                        ChildJvm.print("retry " + entry.contextId());
                    }
                }).build();
        dispatcher.start();
        int count = Integer.parseInt(args[4]);
        for (int i = 0; i < count; i++) {
            String id = "ctx-" + instanceId + "-" + i;
            dispatcher.submit(OutboxOnPostgresTest.context(id));
            ChildJvm.print("appended " + id);
        }
        ChildJvm.print("ready");
        Thread.currentThread().join(); // until killed
    }
}
