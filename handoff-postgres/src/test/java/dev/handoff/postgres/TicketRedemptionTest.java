package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.postgres.PostgresTicketRedemptions.Grant;
import dev.handoff.postgres.PostgresTicketRedemptions.Outcome;
import dev.handoff.postgres.PostgresTicketRedemptions.Redemption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TicketRedemptionTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    private static final MutableClock CLOCK = new MutableClock(T0);
    private static HikariDataSource db;
    private static HikariDataSource second;
    private static PostgresHandoffStores a;
    private static PostgresHandoffStores b;
    private static PostgresHandoffStores globex;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.newDatabase("ticket_redemption", 8);
        second = EmbeddedDatabase.pool(db.getJdbcUrl(), 8);
        a = PostgresHandoffStores.builder(db).tenant("acme").clock(CLOCK).build();
        b = PostgresHandoffStores.builder(second).tenant("acme").clock(CLOCK).build();
        globex = PostgresHandoffStores.builder(db).tenant("globex").clock(CLOCK).build();
    }

    @AfterAll
    static void stop() {
        second.close();
        db.close();
    }

    private static String ticket(String contextId) {
        return contextId + ".ab12cd.k-1.Zm9yZ2VkLW5vdC1yZWFs";
    }

    @Test
    void a_ticket_is_redeemed_once_and_every_attempt_is_recorded() {
        String t = ticket("ctx-once");
        a.ticketRedemptions().register(new Grant(t, "ctx-once", SessionId.of("s-once"), null, T0.plusSeconds(900)));

        Redemption first = a.ticketRedemptions().redeem(t, "alice");
        Redemption again = b.ticketRedemptions().redeem(t, "bob");

        assertThat(first.outcome()).isEqualTo(Outcome.REDEEMED);
        assertThat(first.contextIdOrThrow()).isEqualTo("ctx-once");
        assertThat(again.outcome()).isEqualTo(Outcome.ALREADY_REDEEMED);
        assertThatThrownBy(again::contextIdOrThrow)
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("ticket for context ctx-once refused for bob: it was already redeemed by alice at " + T0);
        assertThat(a.ticketRedemptions().attempts(t)).extracting(Redemption::outcome, Redemption::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.REDEEMED, "alice"),
                        org.assertj.core.groups.Tuple.tuple(Outcome.ALREADY_REDEEMED, "bob"));
        assertThat(a.ticketRedemptions().attempts(SessionId.of("s-once"))).hasSize(2);
    }

    @Test
    void a_ticket_bound_to_an_agent_refuses_everyone_else_and_stays_redeemable_for_that_agent() {
        String t = ticket("ctx-bound");
        a.ticketRedemptions().register(new Grant(t, "ctx-bound", SessionId.of("s-bound"), "alice", T0.plusSeconds(900)));

        Redemption mallory = a.ticketRedemptions().redeem(t, "mallory");
        Redemption alice = a.ticketRedemptions().redeem(t, "alice");

        assertThat(mallory.outcome()).isEqualTo(Outcome.WRONG_AGENT);
        assertThat(mallory.reason()).isEqualTo("ticket for context ctx-bound refused for mallory: it is bound to another agent");
        assertThat(alice.outcome()).isEqualTo(Outcome.REDEEMED);
    }

    @Test
    void an_expired_or_unknown_ticket_is_refused_and_recorded() {
        String t = ticket("ctx-expired");
        a.ticketRedemptions().register(new Grant(t, "ctx-expired", SessionId.of("s-expired"), null, T0.plusSeconds(900)));
        MutableClock later = new MutableClock(T0.plusSeconds(900));
        PostgresHandoffStores afterExpiry = PostgresHandoffStores.builder(db).tenant("acme").clock(later).build();

        Redemption expired = afterExpiry.ticketRedemptions().redeem(t, "alice");
        Redemption unknown = a.ticketRedemptions().redeem(ticket("ctx-never-issued"), "alice");

        assertThat(expired.outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(expired.reason()).isEqualTo("ticket for context ctx-expired refused for alice: it expired at " + T0.plusSeconds(900));
        assertThat(unknown.outcome()).isEqualTo(Outcome.UNKNOWN_TICKET);
        assertThat(unknown.contextId()).isNull();
        assertThat(a.ticketRedemptions().attempts(ticket("ctx-never-issued"))).extracting(Redemption::outcome)
                .containsExactly(Outcome.UNKNOWN_TICKET);
    }

    @Test
    void sixteen_agents_on_two_instances_racing_for_one_ticket_give_exactly_one_redemption() throws Exception {
        String t = ticket("ctx-race");
        a.ticketRedemptions().register(new Grant(t, "ctx-race", SessionId.of("s-race"), null, T0.plusSeconds(900)));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Redemption>> tries = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                PostgresTicketRedemptions store = (i % 2 == 0 ? a : b).ticketRedemptions();
                String agent = "agent-" + i;
                tries.add(pool.submit(() -> {
                    go.await();
                    return store.redeem(t, agent);
                }));
            }
            go.countDown();
            List<Redemption> results = new ArrayList<>();
            for (Future<Redemption> f : tries) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }

            assertThat(results.stream().filter(Redemption::redeemed)).hasSize(1);
            assertThat(results.stream().filter(r -> r.outcome() == Outcome.ALREADY_REDEEMED)).hasSize(15);
            assertThat(a.ticketRedemptions().attempts(t)).hasSize(16);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void only_a_hash_of_the_ticket_is_stored() {
        String t = ticket("ctx-hash");
        a.ticketRedemptions().register(new Grant(t, "ctx-hash", SessionId.of("s-hash"), null, T0.plusSeconds(900)));
        a.ticketRedemptions().redeem(t, "alice");

        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.tickets t WHERE position('Zm9yZ2VkLW5vdC1yZWFs' in t::text) > 0"))
                .isZero();
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.ticket_redemptions r WHERE position('Zm9yZ2VkLW5vdC1yZWFs' in r::text) > 0"))
                .isZero();
    }

    @Test
    void registering_one_ticket_for_two_contexts_is_refused_and_the_same_grant_twice_is_harmless() {
        String t = ticket("ctx-dup");
        Grant grant = new Grant(t, "ctx-dup", SessionId.of("s-dup"), "alice", T0.plusSeconds(900));
        a.ticketRedemptions().register(grant);
        a.ticketRedemptions().register(grant);

        assertThatThrownBy(() -> b.ticketRedemptions().register(new Grant(t, "ctx-other", SessionId.of("s-dup"), "alice", T0.plusSeconds(900))))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("this ticket is already registered for context ctx-dup and agent alice; it cannot be registered again for"
                        + " context ctx-other and agent alice");
    }

    @Test
    void another_tenant_cannot_redeem_or_list_a_ticket() {
        String t = ticket("ctx-tenant");
        a.ticketRedemptions().register(new Grant(t, "ctx-tenant", SessionId.of("s-tenant"), null, T0.plusSeconds(900)));

        assertThat(globex.ticketRedemptions().redeem(t, "alice").outcome()).isEqualTo(Outcome.UNKNOWN_TICKET);
        assertThat(globex.ticketRedemptions().attempts(SessionId.of("s-tenant"))).isEmpty();
        assertThat(a.ticketRedemptions().redeem(t, "alice").outcome()).isEqualTo(Outcome.REDEEMED);
    }

    @Test
    void a_bad_actor_is_refused_before_anything_is_recorded() {
        assertThatThrownBy(() -> a.ticketRedemptions().redeem(ticket("ctx-x"), "alice\r\nX: y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actor must be 1-64 characters of [A-Za-z0-9_.:-], was \"alice  X: y\"");
        assertThat(a.ticketRedemptions().attempts(ticket("ctx-x"))).isEmpty();
    }
}
