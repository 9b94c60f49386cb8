package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.trigger.TriggerPolicy.Preset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PresetsTest {

    @ParameterizedTest
    @EnumSource(Preset.class)
    void every_preset_loads_and_compiles(Preset preset) {
        TriggerPolicy policy = TriggerPolicy.preset(preset);

        RuleTriggerEvaluator engine = new RuleTriggerEvaluator(policy);

        assertThat(policy.name()).isEqualTo(preset.resourceName());
        assertThat(engine.matcher().phrases()).hasSize(policy.phraseCount());
        assertThat(engine.matcher().states()).isGreaterThan(policy.phraseCount());
        assertThat(engine.evaluate(new Conversation(engine), dev.handoff.api.Turn.of(0, dev.handoff.api.Speaker.CUSTOMER,
                "Could you tell me when the store opens tomorrow morning?", Conversation.START)).isHandoff()).isFalse();
    }

    @Test
    void default_policy_has_at_least_500_phrases_covering_every_trigger_kind() {
        TriggerPolicy policy = TriggerPolicy.defaults();

        assertThat(policy.phraseCount()).isGreaterThanOrEqualTo(500);
    }

    @Test
    void policies_of_one_engine_with_the_same_phrases_share_one_automaton() {
        // default and open door differ in thresholds only; high gate switches some rules off
        PolicySelection selection = PolicySelection.builder(TriggerPolicy.defaults())
                .when("deal >= 50k", TriggerPolicy.preset(Preset.OPEN_DOOR))
                .when("deal < 10k", TriggerPolicy.preset(Preset.HIGH_GATE))
                .build();

        RuleTriggerEvaluator engine = new RuleTriggerEvaluator(selection);

        CompiledPolicy defaults = engine.compiled(Preset.DEFAULT.resourceName());
        CompiledPolicy openDoor = engine.compiled(Preset.OPEN_DOOR.resourceName());
        CompiledPolicy highGate = engine.compiled(Preset.HIGH_GATE.resourceName());
        assertThat(openDoor.index).isSameAs(defaults.index);
        assertThat(highGate.index).isNotSameAs(defaults.index);
        assertThat(highGate.index.phrases()).hasSizeLessThan(defaults.index.phrases().size());
        // sharing the automaton does not share the rules: each policy keeps its own thresholds and outcome
        assertThat(openDoor.policy).isNotEqualTo(defaults.policy);
        assertThat(openDoor.name).isEqualTo(Preset.OPEN_DOOR.resourceName());
    }
}
