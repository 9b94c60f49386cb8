package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.core.store.InMemoryContextStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code workerThreads(n)}: how many handoff steps may wait on a slow store at once. A store that makes each put wait
 * (a database round trip) holds one worker per put; with n workers, n handoffs are inside the store together.
 */
class WorkerThreadsTest {

    /** Each put waits until {@code together} puts are inside at once (or a generous minute passes). */
    static final class MeetingStore implements ContextStore {
        final ContextStore real = new InMemoryContextStore();
        final CountDownLatch met;
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        MeetingStore(int together) {
            this.met = new CountDownLatch(together);
        }

        @Override
        public void put(HandoffContext context) {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            met.countDown();
            try {
                met.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            real.put(context);
            inside.decrementAndGet();
        }

        @Override
        public Optional<HandoffContext> get(String contextId) {
            return real.get(contextId);
        }

        @Override
        public Optional<HandoffContext> latest(SessionId session) {
            return real.latest(session);
        }
    }

    @Test
    void n_worker_threads_let_n_handoffs_wait_on_the_store_at_once() throws Exception {
        int workers = 6;
        MeetingStore store = new MeetingStore(workers);
        try (Handoff handoff = Handoff.builder().workerThreads(workers).contextStore(store).build()) {
            List<CompletableFuture<HandoffOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < workers * 2; i++) {
                HandoffSession s = handoff.open(SessionId.of("w-" + i), Channel.CHAT, CustomerData.UNKNOWN);
                s.customer("My invoice is wrong");
                outcomes.add(s.handOff(s.customer("I want to talk to a person")).toCompletableFuture());
            }

            assertThat(store.met.await(1, TimeUnit.MINUTES)).as("%d handoffs inside the store together", workers).isTrue();
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            assertThat(store.most.get()).as("never more than the worker threads").isEqualTo(workers);
        }
    }

    @Test
    void a_worker_count_below_one_is_refused_with_the_value() {
        assertThatThrownBy(() -> Handoff.builder().workerThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workerThreads must be at least 1, was 0");
    }
}
