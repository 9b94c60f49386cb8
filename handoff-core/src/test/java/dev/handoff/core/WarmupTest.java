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

    @Test
    void every_warm_up_conversation_ends_in_a_handoff_under_the_default_policy() {
        try (Handoff handoff = Handoff.builder().build()) {
            for (int c = 0; c < WarmupConversations.ALL.size(); c++) {
                List<String> texts = WarmupConversations.ALL.get(c);
                HandoffSession s = handoff.open(SessionId.of("warmup-check-" + c), dev.handoff.api.Channel.CHAT,
                        dev.handoff.api.CustomerData.UNKNOWN);
                dev.handoff.api.HandoffDecision last = null;
                for (int i = 0; i < texts.size(); i++) {
                    if (i % 2 == 0) {
                        last = s.customer(texts.get(i));
                    } else {
                        s.ai(texts.get(i));
                    }
                }
                assertThat(texts.size() % 2).as("conversation %d ends with the customer", c).isEqualTo(1);
                assertThat(last.isHandoff()).as("conversation %d's last turn hands off, so its round warms the whole path: %s",
                        c, texts.get(texts.size() - 1)).isTrue();
                s.end("checked");
            }
        }
    }
}
