package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.Handoff;
import dev.handoff.core.context.SigningKeys;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent feed is fenced on the handoff's owner: an instance that lost a handoff to a takeover (it was cut off from
 * the database, its lease ran out, another instance took over) and reaches the database again with relayed events
 * still queued writes none of them, so the watching agents never see the former owner's view after the new owner's
 * (a stale "returned to the bot" would end their watch while the survivor still runs the chat).
 */
class RelayFeedFenceTest {

    private HikariDataSource db;
    private Handoff former;

    @AfterEach
    void stop() {
        if (former != null) {
            former.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void a_former_owner_writes_nothing_to_the_feed_of_a_handoff_another_instance_took_over() throws Exception {
        db = EmbeddedDatabase.newDatabase("relay_feed_fence", 4);
        PostgresHandoffStores stores = PostgresHandoffStores.builder(db).tenant("northwind").instanceId("i-1")
                .pollInterval(Duration.ofMinutes(1)).build();
        former = stores.applyTo(Handoff.builder()).signingKeys(SigningKeys.ephemeral()).build();
        // h-1 was taken over by i-2; h-2 (the control) is still i-1's
        EmbeddedDatabase.execute(db, "INSERT INTO handoff.handoffs (tenant_id, handoff_id, session_id, channel, context_id, phase, owner,"
                + " lease_until, requested_at, wait_until, fence, taken_over, updated_at, purge_after) VALUES"
                + " ('northwind', 'h-1', 's-1', 'CHAT', 'ctx-1', 'TRANSFERRING', 'i-2', now() + interval '1 hour', now(),"
                + " now() + interval '1 hour', 2, 1, now(), now() + interval '1 day'),"
                + " ('northwind', 'h-2', 's-2', 'CHAT', 'ctx-2', 'TRANSFERRING', 'i-1', now() + interval '1 hour', now(),"
                + " now() + interval '1 hour', 1, 0, now(), now() + interval '1 day')");
        AgentFeed feed = stores.agentRelay().feedForTests();
        feed.relayFromHere(SessionId.of("s-1"), "h-1", null, Instant.now());   // i-1 relayed both while it owned them
        feed.relayFromHere(SessionId.of("s-2"), "h-2", null, Instant.now());

        feed.ownerEvent(customerTurn("s-1", "queued while i-1 was cut off"));
        feed.ownerEvent(customerTurn("s-2", "written by its owner"));   // one writer, in order: written after the first was handled

        EmbeddedDatabase.awaitRow(db, Duration.ofSeconds(30), "SELECT 1 FROM handoff.agent_feed WHERE handoff_id = 'h-2'");
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.agent_feed WHERE handoff_id = 'h-1'")).as("i-2 owns h-1 now")
                .isZero();
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.agent_feed WHERE owner = 'i-1' AND body LIKE '%written by its owner%'"))
                .isEqualTo(1);
        assertThat(feed.pending()).as("dropped, not retried").isFalse();
    }

    private static HandoffEvent customerTurn(String session, String text) {
        return new HandoffEvent.TurnRecorded(SessionId.of(session), Instant.now(), Turn.of(4, Speaker.CUSTOMER, text, Instant.now()));
    }
}
