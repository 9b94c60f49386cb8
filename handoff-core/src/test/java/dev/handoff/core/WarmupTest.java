package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.MetricsSink;
import dev.handoff.core.store.InMemoryContextStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class WarmupTest {

    @Test
    void warm_up_repeats_whole_handoffs_without_reaching_the_users_parts() {
        List<HandoffEvent> events = new CopyOnWriteArrayList<>();
        List<AuditRecord> audit = new CopyOnWriteArrayList<>();
        List<String> metrics = new CopyOnWriteArrayList<>();
        List<String> notified = new CopyOnWriteArrayList<>();
        List<String> stored = new CopyOnWriteArrayList<>();
        InMemoryContextStore memory = new InMemoryContextStore();
        ContextStore store = new ContextStore() {
            @Override
            public void put(HandoffContext context) {
                stored.add(context.contextId());
                memory.put(context);
            }

            @Override
            public Optional<HandoffContext> get(String contextId) {
                return memory.get(contextId);
            }

            @Override
            public Optional<HandoffContext> latest(SessionId session) {
                return memory.latest(session);
            }
        };
        Clock clock = Clock.systemUTC();
        Handoff.Builder b = Handoff.builder().clock(clock).listener(events::add).auditSink(audit::add).contextStore(store)
                .agentNotifier(n -> notified.add(n.toString()))
                .metricsSink(new MetricsSink() {
                    @Override
                    public void increment(String name, java.util.Map<String, String> tags) {
                        metrics.add(name);
                    }

                    @Override
                    public void record(String name, java.time.Duration d, java.util.Map<String, String> tags) {
                        metrics.add(name);
                    }

                    @Override
                    public void gauge(String name, double value, java.util.Map<String, String> tags) {
                        metrics.add(name);
                    }
                });
        try (HandoffExecutors x = HandoffExecutors.builder().build()) {
            Warmup.Rounds rounds = Warmup.warm(Components.resolve(b, clock, x.scheduler()), x, clock);

            assertThat(rounds.steps()).as("observer, packager and signer rounds").isGreaterThan(1);
            assertThat(rounds.handoffs()).as("whole handoffs through the private runtime").isGreaterThan(1);
        }
        assertThat(events).isEmpty();
        assertThat(audit).isEmpty();
        assertThat(metrics).isEmpty();
        assertThat(notified).isEmpty();
        assertThat(stored).isEmpty();
    }
}
