package dev.handoff.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.Target;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.routing.DefaultRouter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandoffMetricsTest {

    private final ExecutorService agents = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        agents.shutdownNow();
    }

    @Test
    void kpis_cover_containment_escalation_reasons_fallbacks_latency_and_repetition() throws Exception {
        InMemoryMetricsSink sink = new InMemoryMetricsSink();
        try (Handoff handoff = Handoff.builder().metricsSink(sink).transferTimeout(Duration.ofMillis(300))
                .router(new DefaultRouter(Target.queue("first"), null, List.of(Target.queue("second")))).build()) {
            AgentQueue second = handoff.chatQueues().orElseThrow().queue("second");
            handoff.chatQueues().orElseThrow().queue("first").signIn("nobody");
            second.signIn("bob");
            agents.submit(() -> second.take("bob", Duration.ofSeconds(10)).map(Offer::accept));

            HandoffSession contained = handoff.open(Channel.CHAT);
            contained.customer("What are your opening hours?");
            contained.ai("We're open 9 to 5.");
            contained.end("resolved by the AI");

            HandoffSession escalated = handoff.open(Channel.CHAT);
            escalated.customer("I was charged twice for my March invoice INV-2231");
            escalated.handOff(escalated.customer("let me talk to a person")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            escalated.record(dev.handoff.api.Speaker.AGENT, "Hi, I'm Bob, I see the double charge.", null);
            escalated.customer("Yes, I was charged twice for my March invoice INV-2231");
            escalated.customer("Please refund it to the card on file");
            escalated.end("resolved by bob");
        }

        assertThat(sink.gauge("handoff.containment.rate", Map.of())).isEqualTo(0.5);
        assertThat(sink.count("handoff.escalations", Map.of("kind", "EXPLICIT_REQUEST"))).isEqualTo(1);
        assertThat(sink.count("handoff.transfer.attempts", Map.of("outcome", "TIMED_OUT"))).isEqualTo(1);
        assertThat(sink.count("handoff.transfer.attempts", Map.of("outcome", "CONNECTED"))).isEqualTo(1);
        assertThat(sink.gauge("handoff.transfer.success.rate", Map.of())).isEqualTo(1.0);
        assertThat(sink.gauge("handoff.fallback.rate", Map.of())).isEqualTo(1.0);
        assertThat(sink.count("handoff.fallbacks", Map.of())).as("the escalated chat needed the second queue").isEqualTo(1);
        for (String phase : List.of("PACKAGED", "ROUTED", "VALIDATED", "AGENT_NOTIFIED", "TRANSFERRING", "CONNECTED", "VERIFIED")) {
            assertThat(sink.samples("handoff.latency.phase", Map.of("phase", phase))).as(phase).hasSize(1);
        }
        assertThat(sink.percentile("handoff.latency.phase", Map.of("phase", "CONNECTED"), 50))
                .as("the first queue timed out before the second connected").isGreaterThanOrEqualTo(Duration.ofMillis(300))
                .isGreaterThanOrEqualTo(sink.percentile("handoff.latency.phase", Map.of("phase", "PACKAGED"), 50));
        assertThat(sink.samples("handoff.latency.agent_notified", Map.of())).hasSize(1);
        assertThat(sink.samples("handoff.latency.connected", Map.of())).singleElement()
                .satisfies(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofMillis(300)));
        assertThat(sink.gauge("handoff.repetition.rate", Map.of())).isEqualTo(0.5);
        assertThat(sink.count("handoff.repetition.flagged", Map.of())).isEqualTo(1);
    }

    @Test
    void micrometer_adapter_registers_counters_timers_and_gauges() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerMetricsSink sink = new MicrometerMetricsSink(registry);

        sink.increment("handoff.escalations", Map.of("kind", "URGENCY"));
        sink.increment("handoff.escalations", Map.of("kind", "URGENCY"));
        sink.record("handoff.latency.connected", Duration.ofMillis(40), Map.of());
        sink.gauge("handoff.containment.rate", 0.25, Map.of());
        sink.gauge("handoff.containment.rate", 0.75, Map.of());

        assertThat(registry.get("handoff.escalations").tag("kind", "URGENCY").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("handoff.latency.connected").timer().count()).isEqualTo(1);
        assertThat(registry.get("handoff.containment.rate").gauge().value()).isEqualTo(0.75);
    }
}
