package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Load through the whole orchestrator, asserting outcomes, never time: 1,000 chat conversations hand off at once to an
 * in-process queue whose agents answer each offer after a random 0 to 2 seconds. No thread waits for an agent, so
 * the number of threads does not grow with the handoffs in flight.
 */
class ConcurrentHandoffLoadTest {

    private static final int HANDOFFS = 1_000;
    private static final int AGENTS = 200;
    /**
     * The most threads the run may add to the JVM: Handoff's workers, io and timer threads plus this test's agent
     * timer (2), with room for the JVM's own. Independent of {@link #HANDOFFS}: a thread per handoff would be 1,000.
     */
    private static final int THREAD_CEILING = HandoffExecutors.DEFAULT_WORKER_THREADS + HandoffExecutors.DEFAULT_IO_THREADS + 1 + 2 + 16;

    @Test
    void a_thousand_concurrent_chat_handoffs_all_connect_in_order_on_a_bounded_number_of_threads() throws Exception {
        PhaseOrderListener first = new PhaseOrderListener();
        PhaseOrderListener second = new PhaseOrderListener();
        ScheduledExecutorService agentClock = Executors.newScheduledThreadPool(2);
        int before = liveThreads();
        AtomicInteger peakThreads = new AtomicInteger(before);
        agentClock.scheduleAtFixedRate(() -> peakThreads.accumulateAndGet(liveThreads(), Math::max), 0, 20, TimeUnit.MILLISECONDS);
        AtomicBoolean stop = new AtomicBoolean();
        try (Handoff handoff = Handoff.builder().listener(first).listener(second).build()) {
            AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
            for (int a = 0; a < AGENTS; a++) {
                String agent = "agent-" + a;
                support.signIn(agent);
                work(support, agent, agentClock, stop);
            }

            List<HandoffSession> sessions = new ArrayList<>();
            List<CompletableFuture<HandoffOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < HANDOFFS; i++) {
                HandoffSession s = handoff.open(SessionId.of("load-" + i), Channel.CHAT, CustomerData.of("cus-" + i, java.util.Map.of()));
                s.customer("My parcel " + i + " never arrived and the tracking page is blank.");
                s.ai("I'm sorry about that. Let me check the tracking for you.");
                HandoffDecision d = s.customer("I want to talk to a person please");
                assertThat(d.isHandoff()).isTrue();
                sessions.add(s);
                outcomes.add(s.handOff(d).toCompletableFuture());
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            int peak = peakThreads.get();

            for (int i = 0; i < HANDOFFS; i++) {
                HandoffOutcome o = outcomes.get(i).join();
                SessionId id = sessions.get(i).id();
                assertThat(o.status()).as("outcome of %s: %s", id, o).isEqualTo(HandoffOutcome.Status.CONNECTED);
                assertThat(handoff.phase(id)).contains(HandoffPhase.VERIFIED);
                List<HandoffEvent> heard = first.heard(id);
                // nobody in silence: the bot had a line to say before the human took over
                assertThat(heard).filteredOn(e -> e instanceof HandoffEvent.BridgeMessage).isNotEmpty();
                assertThat(heard).filteredOn(e -> e instanceof HandoffEvent.HandoffCompleted).hasSize(1);
                assertThat(second.heard(id)).isEqualTo(heard);
            }
            assertThat(first.violations).isEmpty();
            assertThat(second.violations).isEmpty();
            assertThat(first.phases()).hasSize(HANDOFFS);
            assertThat(peak - before).as("threads added during %d concurrent handoffs (peak %d, before %d)", HANDOFFS, peak, before)
                    .isLessThanOrEqualTo(THREAD_CEILING);

            stop.set(true);
            sessions.forEach(s -> s.end("customer left"));
            assertThat(handoff.retained()).as(handoff.retainedDetail()).isZero();
            assertThat(handoff.inFlight()).isZero();
        } finally {
            stop.set(true);
            agentClock.shutdownNow();
        }
    }

    private static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    /** An agent's loop without a thread: wait for the next offer, answer it 0-2 s later, repeat. */
    private static void work(AgentQueue queue, String agent, ScheduledExecutorService clock, AtomicBoolean stop) {
        if (stop.get()) {
            return;
        }
        queue.next(agent, Duration.ofSeconds(30)).thenAccept((Optional<Offer> offer) -> {
            if (offer.isEmpty()) {
                work(queue, agent, clock, stop);
                return;
            }
            clock.schedule(() -> {
                offer.get().accept();
                work(queue, agent, clock, stop);
            }, ThreadLocalRandom.current().nextLong(2_000), TimeUnit.MILLISECONDS);
        });
    }

}
