package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.core.Handoff;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Agents' sign-ins are renewed a third of their lease before it runs out, whatever the poll interval: with a poll
 * interval longer than that (up to a minute is allowed) they used to be renewed only at each poll, lapsed between
 * polls, and the queue then counted no agent and sent every customer back to the bot.
 */
class SignInRenewalTest {

    @Test
    void a_sign_in_is_renewed_before_its_lease_runs_out_although_the_queues_are_polled_once_a_minute() throws Exception {
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("sign_in_renewal", 4)) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(db).tenant("acme").pollInterval(Duration.ofMinutes(1)).build();
            try (Handoff handoff = stores.applyTo(Handoff.builder()).build()) {
                handoff.chatQueues().orElseThrow().queue("support").signIn("alice");
                long signedInUntil = EmbeddedDatabase.count(db,
                        "SELECT extract(epoch FROM lease_until) * 1000 FROM handoff.queue_agents WHERE agent_id = 'alice'");
                assertThat(signedInUntil).as("leased for %s", PostgresChatQueues.DEFAULT_AGENT_LEASE)
                        .isGreaterThan(System.currentTimeMillis() + PostgresChatQueues.DEFAULT_AGENT_LEASE.toMillis() / 2);

                // renewed by a third of the lease (10 s), long before the minute's poll and before the lease (30 s) ends
                EmbeddedDatabase.awaitRow(db, PostgresChatQueues.DEFAULT_AGENT_LEASE.dividedBy(2).plusSeconds(5),
                        "SELECT 1 FROM handoff.queue_agents WHERE agent_id = 'alice' AND extract(epoch FROM lease_until) * 1000 > "
                                + (signedInUntil + 1_000));
            }
        }
    }
}
