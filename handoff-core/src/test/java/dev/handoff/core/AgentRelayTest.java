package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Target;
import dev.handoff.api.Turn;
import dev.handoff.api.ValidationException;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.routing.DefaultRouter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The chat relay and the hand-back note through {@link AgentActions}: the agent's words reach the bot host as an
 * {@link HandoffEvent.AgentMessage} and the transcript; the customer's answers reach the human as turns.
 */
class AgentRelayTest extends HandoffFixture {

    private final List<HandoffEvent> events = new CopyOnWriteArrayList<>();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();

    /** A chat handed to alice on queue "support"; returns the handle. */
    private AgentActions connectedChat(SessionId id) throws Exception {
        acceptsNextOffer("support", "alice");
        HandoffSession chat = handoff.open(id, Channel.CHAT, CustomerData.UNKNOWN);
        chat.customer("My parcel 8812 never arrived");
        HandoffOutcome outcome = chat.handOff(chat.customer("I want to talk to a person")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        return handoff.agentActions(outcome.contextId()).orElseThrow();
    }

    @Test
    void the_agents_message_reaches_the_bot_host_and_the_customers_answer_reaches_the_agent() throws Exception {
        BlockingQueue<String> toCustomer = new LinkedBlockingQueue<>();
        handoff = Handoff.builder().auditSink(audit).listener(events::add).listener(e -> {
            if (e instanceof HandoffEvent.AgentMessage m) {
                toCustomer.add(m.turn().text());   // the bot host's chat channel
            }
        }).build();
        SessionId id = SessionId.of("chat-relay-1");
        AgentActions actions = connectedChat(id);
        HandoffSession chat = handoff.session(id).orElseThrow();

        Turn sent = actions.send("alice", "  Hi, I'm Alice. I can see parcel 8812; let me check with the courier.  ");

        assertThat(toCustomer.poll(10, TimeUnit.SECONDS)).isEqualTo("Hi, I'm Alice. I can see parcel 8812; let me check with the courier.");
        assertThat(sent.speaker()).isEqualTo(Speaker.AGENT);
        assertThat(chat.turns().get(sent.index())).isEqualTo(sent);
        HandoffDecision answer = chat.customer("Thanks, it was due Tuesday");
        assertThat(answer.action()).as("a human owns it: no trigger evaluation").isEqualTo(HandoffDecision.Action.CONTINUE);
        assertThat(events).filteredOn(e -> e instanceof HandoffEvent.TurnRecorded t && t.turn().index() >= sent.index())
                .extracting(e -> ((HandoffEvent.TurnRecorded) e).turn().speaker())
                .containsExactly(Speaker.AGENT, Speaker.CUSTOMER);
        int turnEvent = indexOf(e -> e instanceof HandoffEvent.TurnRecorded t && t.turn().equals(sent));
        int message = indexOf(e -> e instanceof HandoffEvent.AgentMessage);
        assertThat(turnEvent).as("the transcript has the turn before the bot host delivers it").isLessThan(message);
        HandoffEvent.AgentMessage m = (HandoffEvent.AgentMessage) events.get(message);
        assertThat(m.agentId()).isEqualTo("alice");
        assertThat(m.handoffId()).isEqualTo(actions.handoffId());
        assertThat(audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.AGENT_MESSAGE_SENT).singleElement()
                .satisfies(r -> {
                    assertThat(r.outcome()).isEqualTo("turn:" + sent.index());
                    assertThat(r.actor()).isEqualTo("alice");
                    // words of the message, not its digits: a timestamp or an id may contain "8812" by chance
                    assertThat(r.toString()).doesNotContain("courier", "parcel", "Alice");
                });
    }

    @Test
    void only_the_agent_who_took_the_chat_can_write_in_it() throws Exception {
        handoff = Handoff.builder().build();
        AgentActions actions = connectedChat(SessionId.of("chat-relay-2"));

        assertThatThrownBy(() -> actions.send("bob", "Hello from Bob"))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("the chat of session chat-relay-2 belongs to another agent");
    }

    @Test
    void a_blank_or_oversized_message_is_refused_naming_its_length_never_its_text() throws Exception {
        handoff = Handoff.builder().build();
        AgentActions actions = connectedChat(SessionId.of("chat-relay-3"));

        assertThatThrownBy(() -> actions.send("alice", "   "))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Invalid agent text (1 violation):\n  - text: 1 to 4000 characters after trimming (was \"0 characters\")");
        String secret = "card 4111 1111 1111 1111 ".repeat(200);
        assertThatThrownBy(() -> actions.send("alice", secret))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("(was \"" + secret.strip().length() + " characters\")")
                .hasMessageNotContaining("4111");
    }

    @Test
    void a_message_before_a_human_has_the_chat_or_on_a_call_is_refused() throws Exception {
        CompletableFuture<AgentActions> notified = new CompletableFuture<>();
        handoff = Handoff.builder().agentNotifier(n -> notified.complete(n.actions())).build();
        handoff.chatQueues().orElseThrow().queue("support").signIn("alice");   // nobody takes the offer
        HandoffSession chat = handoff.open(SessionId.of("chat-relay-4"), Channel.CHAT, CustomerData.UNKNOWN);
        chat.handOff(chat.customer("I want to talk to a person"));
        AgentActions waiting = notified.get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> waiting.send("alice", "Hello?"))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessageStartingWith("handoff " + waiting.handoffId() + " is ")
                .hasMessageEndingWith("; messages reach the customer only once a human has the chat");
    }

    @Test
    void a_message_on_a_phone_call_is_refused_the_agent_speaks_on_the_call() throws Exception {
        handoff = Handoff.builder().transferExecutor(new OrchestrationTest.RecordingVoiceExecutor()).whisperLead(Duration.ZERO)
                .router(new DefaultRouter(Target.sip("front-desk", "sip:desk@127.0.0.1:5070"), null, List.of())).build();
        HandoffSession call = handoff.open(SessionId.of("call-relay-1"), Channel.VOICE, CustomerData.UNKNOWN);
        HandoffOutcome outcome = call.handOff(call.customer("put me through to a representative")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        AgentActions actions = handoff.agentActions(outcome.contextId()).orElseThrow();

        assertThatThrownBy(() -> actions.send("desk-1", "Hello"))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("session call-relay-1 is a VOICE conversation; speak to the customer on the call");
    }

    @Test
    void a_hand_back_note_becomes_part_of_the_conversation_and_of_the_next_handoffs_context() throws Exception {
        handoff = Handoff.builder().auditSink(audit).listener(events::add).build();
        SessionId id = SessionId.of("chat-relay-5");
        AgentActions actions = connectedChat(id);
        HandoffSession chat = handoff.session(id).orElseThrow();

        actions.handBack("alice", "Courier confirmed redelivery Tuesday; only needs the tracking link");

        assertThat(chat.owner()).isEqualTo(HandoffSession.Owner.BOT);
        Turn note = chat.turns().get(chat.turns().size() - 1);
        assertThat(note.speaker()).isEqualTo(Speaker.SYSTEM);
        assertThat(note.text()).isEqualTo("Handed back by alice: Courier confirmed redelivery Tuesday; only needs the tracking link");
        assertThatThrownBy(() -> actions.send("alice", "one more thing"))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessageEndingWith("has ended; the human side can no longer act on it");

        // the customer asks again: the new context carries the note
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        agents.submit(() -> support.take("alice", Duration.ofSeconds(10)).map(Offer::accept));
        HandoffOutcome again = chat.handOff(chat.customer("actually I need a person again")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(handoff.contexts().get(again.contextId()).orElseThrow().transcript())
                .extracting(Turn::text).contains(note.text());
    }

    @Test
    void audit_records_name_the_address_the_agent_acts_from() throws Exception {
        handoff = Handoff.builder().auditSink(audit).build();
        AgentActions actions = connectedChat(SessionId.of("chat-relay-6"));

        actions.from("203.0.113.9").confirmRead("alice");
        actions.from("2001:db8::4").send("alice", "Hello Dana");
        actions.send("alice", "No address on this one");

        assertThat(audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.CONTEXT_READ_CONFIRMED)
                .singleElement().extracting(AuditRecord::clientAddress).isEqualTo("203.0.113.9");
        assertThat(audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.AGENT_MESSAGE_SENT)
                .extracting(AuditRecord::clientAddress).containsExactly("2001:db8::4", null);
        assertThatThrownBy(() -> actions.from("desk.example; rm -rf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("client address must be an IPv4 or IPv6 literal, was \"desk.example__rm_-rf\"");
    }

    private int indexOf(java.util.function.Predicate<HandoffEvent> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such event in " + events);
    }
}
