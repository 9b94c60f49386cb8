package dev.handoff.core.context;

import dev.handoff.core.testing.ManualTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.InMemoryContextStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Tickets are no longer anonymous bearer credentials: bound, single-use where asked, every redemption audited. */
class TicketRedemptionTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final ManualTime clock = new ManualTime(Instant.parse("2026-03-02T14:05:20Z"));
    private final SigningKeys keys = SigningKeys.of("k1", KEY);
    private final ContextSigner signer = new ContextSigner(keys, clock);
    private final Tickets tickets = new Tickets(keys, clock, Tickets.DEFAULT_TTL);
    private final InMemoryContextStore store = new InMemoryContextStore();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private final TicketRedeemer redeemer = new TicketRedeemer(tickets, store, signer, audit, clock);
    private final HandoffContext context = signer.sign(golden());

    static HandoffContext golden() {
        try (var in = TicketRedemptionTest.class.getResourceAsStream("/schema/examples/b2b-sales-chat.json")) {
            return ContextJson.get().read(in.readAllBytes()).withIntegrity(null);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private String outcomes() {
        StringBuilder b = new StringBuilder();
        for (AuditRecord r : audit.records()) {
            b.append(r.actor()).append(' ').append(r.action()).append(' ').append(r.outcome()).append(';');
        }
        return b.toString();
    }

    @Test
    void a_ticket_bound_to_an_agent_is_refused_to_anyone_else_and_both_attempts_are_audited() {
        store.put(context);
        String ticket = tickets.issue(context.contextId(), TicketScope.agent("alice"));

        assertThatThrownBy(() -> redeemer.redeem(ticket, Redeemer.of("mallory")))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.WRONG_AGENT))
                .hasMessage("ticket for context " + context.contextId() + " is bound to another agent");
        assertThat(redeemer.redeem(ticket, Redeemer.of("alice"))).isEqualTo(context);
        assertThat(outcomes()).isEqualTo("mallory TICKET_REFUSED wrong-agent;alice TICKET_REDEEMED ok;");
        assertThat(audit.records().get(0).sessionId()).isEqualTo(context.sessionId());
    }

    @Test
    void a_ticket_bound_to_a_tenant_needs_a_redeemer_of_that_tenant() {
        store.put(context);
        String ticket = tickets.issue(context.contextId(), TicketScope.tenant("acme"));

        assertThatThrownBy(() -> redeemer.redeem(ticket, Redeemer.of("bob", "globex")))
                .hasMessage("ticket for context " + context.contextId() + " is bound to another tenant");
        assertThatThrownBy(() -> redeemer.redeem(ticket, Redeemer.of("bob")))
                .hasMessage("ticket for context " + context.contextId() + " is bound to another tenant");
        assertThat(redeemer.redeem(ticket, Redeemer.of("carol", "acme"))).isEqualTo(context);
    }

    @Test
    void a_single_use_ticket_redeems_once() {
        store.put(context);
        String ticket = tickets.issue(context.contextId(), TicketScope.agent("alice").once());

        redeemer.redeem(ticket, Redeemer.of("alice"));

        assertThatThrownBy(() -> redeemer.redeem(ticket, Redeemer.of("alice")))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.ALREADY_USED))
                .hasMessage("ticket for context " + context.contextId() + " was already redeemed");
        assertThat(outcomes()).isEqualTo("alice TICKET_REDEEMED ok;alice TICKET_REFUSED already-used;");
    }

    @Test
    void failed_redemptions_are_audited_with_the_actor_and_no_attacker_text() {
        store.put(context);
        String ticket = tickets.issue(context.contextId());

        assertThatThrownBy(() -> redeemer.redeem("ctx-1\r\nX-Injected: yes.abc.k1.mac", Redeemer.of("eve")))
                .hasMessageNotContaining("\r").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> redeemer.redeem(ticket.substring(0, ticket.length() - 2) + "AA", Redeemer.of("eve")))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.FORGED));
        clock.advance(Duration.ofMinutes(16));
        assertThatThrownBy(() -> redeemer.redeem(ticket, Redeemer.of("alice")))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.EXPIRED));

        assertThat(outcomes()).isEqualTo("eve TICKET_REFUSED malformed;eve TICKET_REFUSED forged;alice TICKET_REFUSED expired;");
        assertThat(audit.records().get(0).contextId()).as("attacker text is not recorded").isNull();
        assertThat(audit.records().get(2).contextId()).isEqualTo(context.contextId());
    }

    @Test
    void the_actor_is_required() {
        assertThatThrownBy(() -> Redeemer.of(null)).isInstanceOf(NullPointerException.class).hasMessage("actor");
        assertThatThrownBy(() -> Redeemer.of(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("redeemer actor must be 1-64 characters of [A-Za-z0-9_.:-], was \" \"");
    }

    @Test
    void an_expired_context_is_refused_even_with_a_fresh_ticket() {
        ContextSigner shortLived = new ContextSigner(keys, clock, Duration.ofMinutes(30));
        HandoffContext signed = shortLived.sign(golden());
        store.put(signed);
        clock.advance(Duration.ofMinutes(31));
        String ticket = tickets.issue(signed.contextId());

        assertThatThrownBy(() -> new TicketRedeemer(tickets, store, shortLived, audit, clock).redeem(ticket, Redeemer.of("alice")))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.CONTEXT_REFUSED))
                .hasMessage("context " + signed.contextId() + " expired at 2026-03-02T14:35:20Z");
        assertThat(outcomes()).isEqualTo("alice TICKET_REFUSED context-refused;");
    }

    @Test
    void a_single_use_ticket_redeemed_through_one_redeemer_is_refused_by_another_sharing_the_record() {
        store.put(context);
        java.util.List<RedeemedTickets.Claim> claims = new java.util.concurrent.CopyOnWriteArrayList<>();
        RedeemedTickets inMemory = RedeemedTickets.inMemory(clock);
        RedeemedTickets shared = claim -> {
            claims.add(claim);
            return inMemory.claim(claim);
        };
        TicketRedeemer onA = new TicketRedeemer(tickets, store, signer, audit, clock, shared);
        TicketRedeemer onB = new TicketRedeemer(tickets, store, signer, audit, clock, shared);
        String ticket = tickets.issue(context.contextId(), TicketScope.BEARER.once());

        onA.redeem(ticket, Redeemer.of("alice"));

        assertThatThrownBy(() -> onB.redeem(ticket, Redeemer.of("bob")))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.ALREADY_USED));
        assertThat(outcomes()).isEqualTo("alice TICKET_REDEEMED ok;bob TICKET_REFUSED already-used;");
        assertThat(claims).extracting(RedeemedTickets.Claim::actor, RedeemedTickets.Claim::contextId, RedeemedTickets.Claim::session)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", context.contextId(), context.sessionId()),
                        org.assertj.core.groups.Tuple.tuple("bob", context.contextId(), context.sessionId()));
        assertThat(claims.get(0).ticketId()).as("the record gets the ticket's id, not the ticket").isNotEqualTo(ticket);
    }

    @Test
    void a_bearer_ticket_never_asks_the_record() {
        store.put(context);
        TicketRedeemer redeemerWithoutRecord = new TicketRedeemer(tickets, store, signer, audit, clock, claim -> {
            throw new AssertionError("asked for " + claim);
        });
        String ticket = tickets.issue(context.contextId());

        redeemerWithoutRecord.redeem(ticket, Redeemer.of("alice"));
        redeemerWithoutRecord.redeem(ticket, Redeemer.of("alice"));

        assertThat(outcomes()).isEqualTo("alice TICKET_REDEEMED ok;alice TICKET_REDEEMED ok;");
    }

    @Test
    void when_the_record_cannot_be_reached_the_redemption_is_refused_and_audited() {
        store.put(context);
        TicketRedeemer down = new TicketRedeemer(tickets, store, signer, audit, clock, claim -> {
            throw new dev.handoff.api.RetriableHandoffException("PostgreSQL unavailable while recording a ticket redemption");
        });
        String ticket = tickets.issue(context.contextId(), TicketScope.agent("alice").once());

        assertThatThrownBy(() -> down.redeem(ticket, Redeemer.of("alice")))
                .isInstanceOf(dev.handoff.api.RetriableHandoffException.class)
                .hasMessage("PostgreSQL unavailable while recording a ticket redemption");
        assertThat(outcomes()).isEqualTo("alice TICKET_REFUSED unavailable;");
        assertThat(audit.records().get(0).contextId()).isEqualTo(context.contextId());
        assertThat(redeemer.redeem(ticket, Redeemer.of("alice"))).as("nothing was recorded: it still redeems once").isEqualTo(context);
    }
}
