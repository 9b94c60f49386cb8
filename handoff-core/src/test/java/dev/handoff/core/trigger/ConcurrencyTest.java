package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    private static final String[] SCRIPT = {
        "hi, I need to change my delivery address", "it's 14 Elm Street", "no wait, it's 41 Elm Street",
        "I need to change my delivery address", "this is ridiculous", "I don't need a human", "ok get me an agent",
        "we'd spend $80k on this", "cancel my subscription",
    };

    private static List<String> run(RuleTriggerEvaluator engine, String id) {
        Conversation chat = new Conversation(engine, id);
        List<String> decisions = new ArrayList<>();
        for (int i = 0; i < SCRIPT.length; i++) {
            HandoffDecision d = chat.customer(SCRIPT[i]);
            decisions.add(d.action() + " " + d.reasons().stream().map(r -> r.ruleId() + "@" + r.evidence()).toList());
            chat.ai("Let me check that for you, one moment (" + i + ")", NluSignals.confidence(0.5 + i * 0.05));
        }
        return decisions;
    }

    @Test
    void one_engine_serves_many_sessions_on_many_threads_with_the_same_decisions_as_alone() throws Exception {
        RuleTriggerEvaluator engine = new RuleTriggerEvaluator(TriggerPolicy.preset(Preset.OPEN_DOOR));
        List<String> alone = run(engine, "alone");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int s = 0; s < 200; s++) {
                String id = "s-" + s;
                futures.add(pool.submit(() -> run(engine, id)));
            }
            for (Future<List<String>> f : futures) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(alone);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(alone).anyMatch(d -> d.startsWith("HANDOFF")).anyMatch(d -> d.startsWith("SILENT_ALARM"));
    }
}
