package dev.handoff.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffExecutors;
import dev.handoff.core.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Agents' sign-ins are renewed a third of their lease before it runs out, whatever the poll interval: with a poll
 * interval longer than that (up to a minute is allowed) they used to be renewed only at each poll, lapsed between
 * polls, and the queue then counted no agent and sent every customer back to the bot.
 */
class SignInRenewalTest {

    private static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");

    @Test
    void a_sign_in_is_renewed_before_its_lease_runs_out_although_the_queues_are_polled_once_a_minute() throws Exception {
        ManualTime time = new ManualTime(T0);
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("sign_in_renewal", 4);
             HandoffExecutors executors = HandoffExecutors.builder().scheduler(time).build()) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(db).tenant("acme").clock(time)
                    .pollInterval(Duration.ofMinutes(1)).build();
            try (Handoff handoff = stores.applyTo(Handoff.builder()).clock(time).executors(executors).build()) {
                handoff.chatQueues().orElseThrow().queue("support").signIn("alice");
                awaitLease(db, T0.plus(PostgresChatQueues.DEFAULT_AGENT_LEASE));

                // a third of the lease later, long before the minute's poll: renewed from then
                Duration third = PostgresChatQueues.DEFAULT_AGENT_LEASE.dividedBy(3);
                time.advance(third);
                awaitLease(db, T0.plus(third).plus(PostgresChatQueues.DEFAULT_AGENT_LEASE));
            }
        }
    }

    /** The renewal runs on a database thread once its timer fires: waits for the lease it writes. */
    private static void awaitLease(HikariDataSource db, Instant until) throws InterruptedException {
        EmbeddedDatabase.awaitRow(db, Duration.ofSeconds(30), "SELECT 1 FROM handoff.queue_agents WHERE agent_id = 'alice'"
                + " AND lease_until = ?::timestamptz", until.toString());
    }
}
