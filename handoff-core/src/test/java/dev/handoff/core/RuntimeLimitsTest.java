package dev.handoff.core;

import dev.handoff.core.testing.ManualTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Channel;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.TransferExecutor;
import dev.handoff.api.spi.TransferListener;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.routing.DefaultRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The limits of the runtime, each with the explicit outcome the customer gets. Time is a test clock: nothing sleeps. */
class RuntimeLimitsTest {

    private static final Instant T0 = Instant.parse("2026-03-03T09:00:00Z");

    private final ManualTime time = new ManualTime(T0);
    private final PhaseOrderListener order = new PhaseOrderListener();
    private final List<HandoffEvent> events = new CopyOnWriteArrayList<>();
    private Handoff handoff;

    @AfterEach
    void tearDown() {
        if (handoff != null) {
            handoff.close();
        }
        assertThat(order.violations).isEmpty();
    }

    private Handoff.Builder builder() {
        // timers at odd intervals, so a test waiting for a task due in 30 s finds the offer's, not the idle sweep's
        return Handoff.builder().clock(time).executors(HandoffExecutors.builder().scheduler(time).build()).listener(order)
                .listener(events::add).idleSweepInterval(Duration.ofSeconds(421)).bridgeInterval(Duration.ofSeconds(17));
    }

    private CompletableFuture<HandoffOutcome> handOff(String id) {
        HandoffSession s = handoff.open(SessionId.of(id), Channel.CHAT, CustomerData.UNKNOWN);
        return s.handOff(s.customer("I want to talk to a person")).toCompletableFuture();
    }

    private List<String> bridge(String session) {
        return order.heard(SessionId.of(session)).stream().filter(e -> e instanceof HandoffEvent.BridgeMessage)
                .map(e -> ((HandoffEvent.BridgeMessage) e).text()).toList();
    }

    @Test
    void past_the_in_flight_limit_a_customer_waits_in_line_with_a_position_and_past_the_line_returns_to_the_bot_at_once()
            throws Exception {
        handoff = builder().maxInFlight(2).maxQueued(1).build();
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");

        CompletableFuture<HandoffOutcome> one = handOff("one");
        CompletableFuture<HandoffOutcome> two = handOff("two");
        CompletableFuture<HandoffOutcome> three = handOff("three");
        CompletableFuture<HandoffOutcome> four = handOff("four");

        // the fourth is refused at once, with a line for the bot and a reason
        HandoffOutcome refused = four.get(10, TimeUnit.SECONDS);
        assertThat(refused.status()).isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
        assertThat(refused.cause()).isEqualTo(HandoffOutcome.Cause.OVER_CAPACITY);
        assertThat(refused.summaryForBot()).startsWith("I couldn't connect you with a specialist just now");
        // the third waits in line and is told so
        assertThat(order.heard(SessionId.of("three"))).filteredOn(e -> e instanceof HandoffEvent.HandoffQueued).singleElement()
                .satisfies(e -> assertThat(((HandoffEvent.HandoffQueued) e).position()).isEqualTo(1));
        assertThat(bridge("three")).containsExactly("All our specialists are busy right now. You're number 1 in line and I'll "
                + "stay with you meanwhile. It won't take more than 2 minutes.");
        assertThat(three).isNotDone();

        // alice takes the first two; as each ends, the one in line starts and is offered too
        for (int i = 0; i < 3; i++) {
            Optional<Offer> offer = support.next("alice", Duration.ofMinutes(1)).get(10, TimeUnit.SECONDS);
            assertThat(offer).isPresent();
            offer.get().accept();
        }
        assertThat(List.of(one.get(10, TimeUnit.SECONDS), two.get(10, TimeUnit.SECONDS), three.get(10, TimeUnit.SECONDS)))
                .extracting(HandoffOutcome::status).containsOnly(HandoffOutcome.Status.CONNECTED);
        assertThat(handoff.inFlight()).isZero();
    }

    @Test
    void a_customer_waiting_in_line_returns_to_the_bot_when_the_wait_limit_passes() throws Exception {
        // the one slot is held by a call whose connector never answers: it lasts its wait limit plus the grace
        handoff = builder().maxInFlight(1).maxQueued(5).maxWait(Duration.ofSeconds(90)).transferTimeout(Duration.ofMinutes(5))
                .transferExecutor(new StuckConnector())
                .whisperLead(Duration.ZERO).router(new DefaultRouter(Target.sip("desk", "sip:desk@127.0.0.1:5070"), null, List.of()))
                .build();
        HandoffSession first = handoff.open(SessionId.of("first"), Channel.VOICE, CustomerData.UNKNOWN);
        CompletableFuture<HandoffOutcome> holding = first.handOff(first.customer("get me a human")).toCompletableFuture();
        HandoffSession second = handoff.open(SessionId.of("second"), Channel.VOICE, CustomerData.UNKNOWN);
        CompletableFuture<HandoffOutcome> waiting = second.handOff(second.customer("get me a human")).toCompletableFuture();
        time.awaitTask(Duration.ofSeconds(92), Duration.ofSeconds(10));   // the holder's attempt: 90 s left + 2 s grace

        time.advance(Duration.ofSeconds(90));

        HandoffOutcome waited = waiting.get(10, TimeUnit.SECONDS);
        assertThat(waited.cause()).isEqualTo(HandoffOutcome.Cause.WAIT_LIMIT);
        assertThat(waited.contextId()).isNull();   // it never started: nothing was packaged for it
        assertThat(waited.summaryForBot()).startsWith("I couldn't connect you with a specialist just now");
        assertThat(holding).isNotDone();
        time.advance(Duration.ofSeconds(2));
        assertThat(holding.get(10, TimeUnit.SECONDS).attempts()).extracting(TransferResult::outcome)
                .containsExactly(TransferResult.Outcome.TIMED_OUT);
        assertThat(handoff.inFlight()).isZero();
    }

    /** A connector that never answers. */
    static final class StuckConnector implements TransferExecutor {
        final List<CompletableFuture<TransferResult>> attempts = new CopyOnWriteArrayList<>();

        @Override
        public Set<TransferMode> modes() {
            return Set.of(TransferMode.COLD, TransferMode.WARM);
        }

        @Override
        public CompletionStage<TransferResult> transfer(TransferRequest request, TransferListener listener) {
            CompletableFuture<TransferResult> never = new CompletableFuture<>();
            attempts.add(never);
            return never;
        }
    }

    @Test
    void the_wait_limit_caps_every_attempt_across_the_fallback_chain() throws Exception {
        handoff = builder().maxWait(Duration.ofSeconds(45)).transferTimeout(Duration.ofSeconds(30))
                .router(new DefaultRouter(Target.queue("first"), null, List.of(Target.queue("second"), Target.queue("third"))))
                .build();
        for (String q : List.of("first", "second", "third")) {
            handoff.chatQueues().orElseThrow().queue(q).signIn("nobody-answers");
        }
        CompletableFuture<HandoffOutcome> outcome = handOff("capped");

        time.awaitTask(Duration.ofSeconds(30), Duration.ofSeconds(10));   // the first offer: a full attempt
        time.advance(Duration.ofSeconds(30));
        time.awaitTask(Duration.ofSeconds(15), Duration.ofSeconds(10));   // the second: only what is left of 45 s
        time.advance(Duration.ofSeconds(15));

        HandoffOutcome o = outcome.get(10, TimeUnit.SECONDS);
        assertThat(o.cause()).isEqualTo(HandoffOutcome.Cause.WAIT_LIMIT);
        assertThat(o.attempts()).extracting(a -> a.target().id() + ":" + a.outcome())
                .containsExactly("first:TIMED_OUT", "second:TIMED_OUT");
        assertThat(o.elapsed()).isEqualTo(Duration.ofSeconds(45));
        assertThat(o.summaryForBot()).contains("though I tried 2 teams");
        assertThat(bridge("capped").get(0)).endsWith("It won't take more than a minute.");
    }

    @Test
    void a_timed_out_transfer_is_cancelled_so_the_connector_can_withdraw_it() throws Exception {
        StuckConnector stuck = new StuckConnector();
        handoff = builder().transferExecutor(stuck).whisperLead(Duration.ZERO).transferTimeout(Duration.ofSeconds(10))
                .router(new DefaultRouter(Target.sip("desk", "sip:desk@127.0.0.1:5070"), null, List.of())).build();
        HandoffSession call = handoff.open(SessionId.of("call"), Channel.VOICE, CustomerData.UNKNOWN);
        CompletableFuture<HandoffOutcome> outcome = call.handOff(call.customer("get me a human")).toCompletableFuture();

        time.awaitTask(Duration.ofSeconds(12), Duration.ofSeconds(10));   // the attempt's timeout plus the grace
        time.advance(Duration.ofSeconds(12));

        HandoffOutcome o = outcome.get(10, TimeUnit.SECONDS);
        assertThat(o.attempts()).singleElement().extracting(TransferResult::outcome).isEqualTo(TransferResult.Outcome.TIMED_OUT);
        assertThat(stuck.attempts).singleElement().satisfies(f -> assertThat(f).isCancelled());
        assertThat(call.owner()).isEqualTo(HandoffSession.Owner.BOT);
    }

    @Test
    void a_session_that_ends_mid_handoff_withdraws_the_offer_and_releases_everything() throws Exception {
        handoff = builder().build();
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        HandoffSession s = handoff.open(SessionId.of("leaver"), Channel.CHAT, CustomerData.UNKNOWN);
        CompletableFuture<HandoffOutcome> outcome = s.handOff(s.customer("I want to talk to a person")).toCompletableFuture();
        time.awaitTask(HandoffSettings.DEFAULT_TRANSFER_TIMEOUT, Duration.ofSeconds(10));   // offered to the queue

        s.end("customer closed the chat");

        assertThat(outcome.get(10, TimeUnit.SECONDS).cause()).isEqualTo(HandoffOutcome.Cause.SESSION_ENDED);
        assertThat(support.size()).isZero();
        assertThat(support.next("alice", Duration.ofSeconds(1)).getNow(null)).isNull();   // nothing left to take
        assertThat(handoff.retained()).as(handoff.retainedDetail()).isZero();
    }

    @Test
    void closing_handoff_returns_every_running_handoff_to_the_bot() throws Exception {
        handoff = builder().build();
        handoff.chatQueues().orElseThrow().queue("support").signIn("alice");
        CompletableFuture<HandoffOutcome> running = handOff("running");
        time.awaitTask(HandoffSettings.DEFAULT_TRANSFER_TIMEOUT, Duration.ofSeconds(10));

        handoff.close();

        HandoffOutcome o = running.get(10, TimeUnit.SECONDS);
        assertThat(o.cause()).isEqualTo(HandoffOutcome.Cause.SHUT_DOWN);
        assertThat(o.summaryForBot()).isNotBlank();
        assertThatThrownBy(() -> handoff.open(Channel.CHAT)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Handoff is closed; open sessions on a new instance");
    }

    @Test
    void idle_sessions_end_by_themselves() throws Exception {
        handoff = builder().idleTimeout(Duration.ofMinutes(5)).build();
        HandoffSession s = handoff.open(SessionId.of("idle"), Channel.CHAT, CustomerData.UNKNOWN);
        s.customer("hello?");
        CountDownLatch ended = new CountDownLatch(1);
        handoff.addListener(e -> {
            if (e instanceof HandoffEvent.SessionEnded) {
                ended.countDown();
            }
        });

        time.advance(Duration.ofMinutes(5));   // idle long enough; the next sweep (every 421 s here) ends it
        time.awaitTask(Duration.ofSeconds(121), Duration.ofSeconds(10));
        assertThat(s.isEnded()).isTrue();       // it reads as ended at once...
        assertThat(ended.getCount()).isOne();   // ...and the sweep ends it for good, without anyone asking
        time.advance(Duration.ofSeconds(121));

        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(handoff.session(SessionId.of("idle"))).isEmpty();
        assertThat(s.isEnded()).isTrue();
    }

    @Test
    void a_conversation_a_human_took_over_ends_when_idle_and_releases_its_handoff() throws Exception {
        handoff = builder().idleTimeout(Duration.ofMinutes(5)).build();
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        CompletableFuture<Optional<Offer>> offer = support.next("alice", Duration.ofMinutes(1));
        CompletableFuture<HandoffOutcome> outcome = handOff("taken");
        offer.get(10, TimeUnit.SECONDS).orElseThrow().accept();
        assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);

        time.advance(Duration.ofSeconds(421));   // past the idle timeout, at the sweep
        order.await(SessionId.of("taken"), HandoffEvent.SessionEnded.class);

        assertThat(order.heard(SessionId.of("taken"))).last().isInstanceOf(HandoffEvent.SessionEnded.class);
        assertThat(handoff.retained()).as(handoff.retainedDetail()).isZero();
    }

    @Test
    void a_failed_silent_alarm_never_reveals_itself_to_the_customer() throws Exception {
        handoff = builder().build();   // nobody signed in: every target fails preflight
        HandoffSession s = handoff.open(SessionId.of("alarm"), Channel.CHAT, CustomerData.UNKNOWN);
        HandoffDecision alarm = HandoffDecision.silentAlarm(List.of(Reason.of(TriggerKind.KILL_SWITCH, "kill.lawsuit", "lawsuit")));

        HandoffOutcome o = s.handOff(alarm).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(o.status()).isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
        assertThat(o.summaryForBot()).doesNotContainIgnoringCase("specialist").doesNotContainIgnoringCase("connect");
        assertThat(bridge("alarm")).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContainIgnoringCase("specialist"));
        assertThat(handoff.phase(SessionId.of("alarm"))).contains(HandoffPhase.RETURNED_TO_BOT);
    }

    @Test
    void settings_out_of_range_are_refused_naming_the_setting_and_the_value() {
        assertThatThrownBy(() -> HandoffSettings.builder().maxInFlight(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("maxInFlight must be at least 1, was 0");
        assertThatThrownBy(() -> HandoffSettings.builder().maxQueued(-1)).isInstanceOf(ConfigurationException.class)
                .hasMessage("maxQueued must be 0 or more, was -1");
        assertThatThrownBy(() -> Handoff.builder().maxWait(Duration.ZERO)).isInstanceOf(ConfigurationException.class)
                .hasMessage("maxWait must be positive, was PT0S");
        assertThatThrownBy(() -> Handoff.builder().whisperLead(Duration.ofSeconds(-1))).isInstanceOf(ConfigurationException.class)
                .hasMessage("whisperLead must not be negative, was PT-1S");
        assertThatThrownBy(() -> Handoff.builder().voiceMode(TransferMode.QUEUE)).isInstanceOf(ConfigurationException.class)
                .hasMessage("voiceMode must be COLD or WARM, was QUEUE");
        assertThatThrownBy(() -> HandoffExecutors.builder().ioThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ioThreads must be at least 1, was 0");
        HandoffSettings s = HandoffSettings.from(HandoffSettings.ofDefaults()).maxWait(Duration.ofMinutes(5)).build();
        assertThat(s.maxWait()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.transferTimeout()).isEqualTo(HandoffSettings.DEFAULT_TRANSFER_TIMEOUT);
    }
}
