package dev.handoff.desktop;

import dev.handoff.api.Channel;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Route;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;

/**
 * A real Handoff (in-process chat queues, a small CRM) with the desktop in front of it, and the people of two tenants:
 * northwind (ana and max in support, ben in billing, sue supervises) and acme (zoe in support, oli supervises). A conversation
 * goes to the queue named in its customer field {@code queue}; its tenant is its customer field {@code tenant}.
 * The bot host forwards the agents' messages to {@link #toCustomer}.
 */
final class DeskFixture implements AutoCloseable {

    static final String ANA_TOKEN = "ana-token-0123456789abcdef";
    static final String BEN_TOKEN = "ben-token-0123456789abcdef";
    static final String SUE_TOKEN = "sue-token-0123456789abcdef";
    static final String ZOE_TOKEN = "zoe-token-0123456789abcdef";
    static final String OLI_TOKEN = "oli-token-0123456789abcdef";
    static final String MAX_TOKEN = "max-token-0123456789abcdef";

    static final Agent ANA = new Agent("ana", "Ana Lopez", Agent.Role.AGENT, "northwind", java.util.Set.of("support"), java.util.Set.of());
    static final Agent BEN = new Agent("ben", "Ben Okafor", Agent.Role.AGENT, "northwind", java.util.Set.of("billing"), java.util.Set.of());
    static final Agent SUE = new Agent("sue", "Sue Park", Agent.Role.SUPERVISOR, "northwind", java.util.Set.of(), java.util.Set.of());
    static final Agent ZOE = new Agent("zoe", "Zoe Adams", Agent.Role.AGENT, "acme", java.util.Set.of("support"), java.util.Set.of());
    static final Agent MAX = new Agent("max", "Max Weber", Agent.Role.AGENT, "northwind", java.util.Set.of("support"), java.util.Set.of());
    static final Agent OLI = new Agent("oli", "Oli Brandt", Agent.Role.SUPERVISOR, "acme", java.util.Set.of(), java.util.Set.of());

    /** Customer {@code cust-7781} is in the CRM; nobody else is. */
    static final CrmProfile DANA = new CrmProfile("hubspot", "70114", "Dana Whitfield",
            Map.of("tier", "Enterprise prospect", "owner", "J. Ortiz"),
            List.of(new CrmProfile.Interaction(Instant.parse("2026-02-20T10:00:00Z"), "chat", "Asked for the pricing sheet", "sent")));

    final RecordingAudit audit = new RecordingAudit();
    final List<HandoffEvent> events = new CopyOnWriteArrayList<>();
    final BlockingQueue<HandoffEvent.AgentMessage> toCustomer = new LinkedBlockingQueue<>();
    final MutableClock deskClock;
    final Handoff handoff;
    final AgentDesktop desk;

    DeskFixture() {
        this(b -> b, h -> h, Clock.systemUTC());
    }

    DeskFixture(UnaryOperator<AgentDesktop.Builder> desktop, UnaryOperator<Handoff.Builder> core, Clock handoffClock) {
        this(StaticTokenAuthenticator.builder()
                .agent(ANA, ANA_TOKEN).agent(BEN, BEN_TOKEN).agent(SUE, SUE_TOKEN).agent(ZOE, ZOE_TOKEN).agent(OLI, OLI_TOKEN)
                        .agent(MAX, MAX_TOKEN).build(),
                desktop, core, handoffClock);
    }

    DeskFixture(AgentAuthenticator tokens, UnaryOperator<AgentDesktop.Builder> desktop, UnaryOperator<Handoff.Builder> core,
                Clock handoffClock) {
        deskClock = new MutableClock(Instant.now());
        desk = desktop.apply(AgentDesktop.builder(tokens)
                .clock(deskClock)
                .tenantOf(c -> c.fields().getOrDefault("tenant", "northwind"))).build();
        handoff = core.apply(Handoff.builder()
                .clock(handoffClock)
                .agentNotifier(desk)
                .auditSink(audit)
                .crmAdapter(new FixedCrm())
                .router((context, decision) -> new Route(List.of(Target.queue(context.customer().fields().getOrDefault("queue", "support"))),
                        decision.priority(), "by the customer's queue", false))
                .listener(events::add)
                .listener(e -> {
                    if (e instanceof HandoffEvent.AgentMessage m) {
                        toCustomer.add(m);
                    }
                })).build();
        desk.start(handoff);
    }

    /** A chat of {@code name} that escalates to a human on {@code queue}; the outcome completes when someone takes it. */
    Chat chat(String sessionId, String name, String queue) {
        return chat(sessionId, name, queue, "northwind", null);
    }

    Chat chat(String sessionId, String name, String queue, String tenant, String customerId) {
        Map<String, String> fields = new java.util.TreeMap<>(Map.of("queue", queue, "tenant", tenant));
        if (name != null) {
            fields.put("name", name);
        }
        HandoffSession s = handoff.open(SessionId.of(sessionId), Channel.CHAT, new CustomerData(customerId, Map.of(), fields, List.of()));
        s.customer("We need the compliance module for about 40 seats before our Q3 audit.");
        s.ai("The compliance module is $1,150 per seat per year, so about $46,000 for 40 seats.");
        s.customer("That's well over what we budgeted. We have about $35,000.");
        s.ai("I might be able to get you 15% off the compliance module if you sign this quarter.");
        s.ai("I'll have an account executive call you back today before 5pm to confirm.");
        HandoffDecision d = s.customer("Look, can I just talk to a person about the price? This is going in circles.");
        if (!d.isHandoff()) {
            d = HandoffDecision.handoff(Priority.HIGH, List.of(dev.handoff.api.Reason.of(dev.handoff.api.TriggerKind.EXPLICIT_REQUEST,
                    "explicit.request", "Customer asked to talk to a person")), null);
        }
        return new Chat(s, s.handOff(d).toCompletableFuture());
    }

    /** A conversation and its handoff's outcome. */
    record Chat(HandoffSession session, CompletableFuture<HandoffOutcome> outcome) {
        SessionId id() {
            return session.id();
        }
    }

    /** The context id of a session's handoff, once packaged. */
    String contextId(SessionId session) {
        return events.stream().filter(e -> e instanceof HandoffEvent.ContextPackaged && e.sessionId().equals(session))
                .map(e -> ((HandoffEvent.ContextPackaged) e).contextId()).reduce((a, b) -> b).orElseThrow();
    }

    /** The handoff id of a chat's latest handoff (from its phase events). */
    String handoffIdOf(Chat chat) {
        return events.stream().filter(e -> e instanceof HandoffEvent.PhaseChanged && e.sessionId().equals(chat.id()))
                .map(e -> ((HandoffEvent.PhaseChanged) e).handoffId()).reduce((a, b) -> b).orElse("none");
    }

    @Override
    public void close() {
        desk.close();
        handoff.close();
    }

    /** The CRM: knows Dana. */
    static final class FixedCrm implements CrmAdapter {
        @Override
        public String name() {
            return "hubspot";
        }

        @Override
        public Optional<CrmProfile> lookup(CustomerData customer) {
            return "cust-7781".equals(customer.customerId()) ? Optional.of(DANA) : Optional.empty();
        }

        @Override
        public CrmReceipt push(dev.handoff.api.context.HandoffContext context, String idempotencyKey) {
            return new CrmReceipt("hubspot", "note-" + context.contextId(), null);
        }
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
