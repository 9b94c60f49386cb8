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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent relay's rows (agent_actions, agent_feed) under two tenants with the same ids: a tenant never finds, claims,
 * applies or reads the other's. The handoff rows are written as an owner instance writes them; the relays run on real
 * Handoffs.
 */
class AgentRelayTenancyTest {

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private PostgresHandoffStores stores(HikariDataSource pool, String tenant, String instance) {
        PostgresHandoffStores s = PostgresHandoffStores.builder(pool).tenant(tenant).instanceId(instance).pollInterval(Duration.ofMillis(100)).build();
        started.add(s.applyTo(Handoff.builder()).signingKeys(SigningKeys.ephemeral()).build());
        return s;
    }

    @Test
    void a_tenant_never_finds_claims_or_reads_another_tenant_s_relay_rows() throws Exception {
        HikariDataSource db = EmbeddedDatabase.newDatabase("relay_tenancy", 12);
        started.add(db);
        PostgresHandoffStores northwindOwner = stores(db, "northwind", "i-1");
        PostgresHandoffStores acmeOwner = stores(db, "acme", "i-1");
        PostgresHandoffStores northwindAgent = stores(db, "northwind", "i-2");
        PostgresHandoffStores acmeAgent = stores(db, "acme", "i-2");
        // the same handoff, session and context ids under both tenants, each owned by its tenant's instance i-1
        for (String tenant : List.of("northwind", "acme")) {
            EmbeddedDatabase.execute(db, "INSERT INTO handoff.handoffs (tenant_id, handoff_id, session_id, channel, context_id, phase, owner,"
                    + " lease_until, requested_at, wait_until, outcome, updated_at, purge_after) VALUES ('" + tenant + "', 'h-1', 's-1', 'CHAT',"
                    + " 'ctx-1', 'CONNECTED', 'i-1', now() + interval '1 hour', now(), now() + interval '1 hour', 'CONNECTED', now(),"
                    + " now() + interval '1 day')");
        }
        EmbeddedDatabase.execute(db, "DELETE FROM handoff.handoffs WHERE tenant_id = 'acme'");   // acme: no such handoff after all

        assertThat(acmeAgent.agentRelay().remote("ctx-1")).as("acme does not find northwind's handoff").isEmpty();
        var actions = northwindAgent.agentRelay().remote("ctx-1");
        assertThat(actions).hasValueSatisfying(a -> assertThat(a.handoffId()).isEqualTo("h-1"));

        // an acme action naming the same handoff: northwind's owner never claims it
        EmbeddedDatabase.execute(db, "INSERT INTO handoff.agent_actions (tenant_id, action_id, handoff_id, session_id, context_id,"
                + " from_instance, agent_id, kind, commitment_id, state, created_at, purge_after) VALUES ('acme', 'aa-acme', 'h-1', 's-1',"
                + " 'ctx-1', 'i-2', 'zoe', 'CONFIRM', 'c-1', 'PENDING', now(), now() + interval '1 day')");
        // northwind's own action is claimed by its owner; the handoff does not run there any more, so it is refused, explicitly
        assertThat(actions.get().confirmRead("ana")).isFalse();
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.agent_actions WHERE tenant_id = 'northwind' AND kind = 'READ'"
                + " AND state = 'REFUSED' AND applied_by = 'i-1'")).isEqualTo(1);
        northwindOwner.agentRelay().applyPending();
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.agent_actions WHERE tenant_id = 'acme' AND state = 'PENDING'"))
                .isEqualTo(1);

        // feed rows: each tenant's watcher reads its own only
        BlockingQueue<HandoffEvent> northwindSees = new LinkedBlockingQueue<>();
        northwindAgent.agentRelay().addListener(northwindSees::add);
        BlockingQueue<HandoffEvent> acmeSees = new LinkedBlockingQueue<>();
        acmeAgent.agentRelay().addListener(acmeSees::add);
        for (String tenant : List.of("acme", "northwind")) {
            String body = RelayEvents.write(new HandoffEvent.TurnRecorded(SessionId.of("s-1"), Instant.now(),
                    Turn.of(7, Speaker.CUSTOMER, "a message of " + tenant, Instant.now())));
            EmbeddedDatabase.execute(db, "INSERT INTO handoff.agent_feed (tenant_id, handoff_id, session_id, owner, kind, body, created_at,"
                    + " purge_after) VALUES ('" + tenant + "', 'h-1', 's-1', 'i-1', 'TURN', '" + body.replace("'", "''") + "', now(),"
                    + " now() + interval '1 day')");
        }
        northwindAgent.agentRelay().feedForTests().pollFeed();
        acmeAgent.agentRelay().feedForTests().pollFeed();
        HandoffEvent seen = northwindSees.poll(10, TimeUnit.SECONDS);
        assertThat(seen).isInstanceOfSatisfying(HandoffEvent.TurnRecorded.class,
                t -> assertThat(t.turn().text()).isEqualTo("a message of northwind"));
        assertThat(northwindSees).isEmpty();
        assertThat(acmeSees).as("acme watches nothing").isEmpty();

        // erasure and purge reach the relay's rows, and only the tenant's own
        northwindOwner.dataRetention().linkSession(SessionId.of("s-1"), "cus-1");
        var erased = northwindOwner.dataRetention().eraseCustomer("cus-1", "privacy-desk");
        assertThat(erased.removed()).containsEntry("agent_feed", 1L).containsKey("agent_actions")
                .as("i-2's watch of northwind's h-1").containsEntry("agent_watches", 1L);
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.agent_actions WHERE tenant_id = 'northwind'")).isZero();
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.agent_feed WHERE tenant_id = 'acme'")).isEqualTo(1);
        EmbeddedDatabase.execute(db, "UPDATE handoff.agent_actions SET purge_after = now() - interval '1 second' WHERE tenant_id = 'acme'");
        EmbeddedDatabase.execute(db, "UPDATE handoff.agent_feed SET purge_after = now() - interval '1 second' WHERE tenant_id = 'acme'");
        assertThat(acmeOwner.dataRetention().purgeExpired().removed()).containsEntry("agent_actions", 1L).containsEntry("agent_feed", 1L);
    }
}
