package dev.handoff.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.spi.TriggerEvaluator;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code handoff.policy.preset} or {@code handoff.policy.file} decides which policy judges the turns. */
class HandoffPolicyTest {

    @TempDir
    Path dir;

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HandoffAutoConfiguration.class))
                .withPropertyValues("handoff.store.type=memory", "handoff.signing.keys.k1=" + HandoffAutoConfigurationTest.KEY);
    }

    static String policyOfATurn(Handoff handoff) {
        HandoffSession s = handoff.open(Channel.CHAT);
        HandoffDecision d = s.customer("hello, what are your opening hours?");
        s.end("test over");
        return d.policy();
    }

    @Test
    void without_a_policy_property_cores_default_policy_judges() {
        runner().run(context -> assertThat(policyOfATurn(context.getBean(Handoff.class))).isEqualTo("default"));
    }

    @Test
    void a_preset_by_its_written_name() {
        runner().withPropertyValues("handoff.policy.preset=high-gate").run(context ->
                assertThat(policyOfATurn(context.getBean(Handoff.class))).isEqualTo("high-gate"));
    }

    @Test
    void a_policy_file() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.yaml"), "name: acme-support\nextends: default\n");
        runner().withPropertyValues("handoff.policy.file=" + file).run(context ->
                assertThat(policyOfATurn(context.getBean(Handoff.class))).isEqualTo("acme-support"));
    }

    @Test
    void an_invalid_policy_file_names_the_property_and_the_problem() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.yaml"), "name: acme-support\nconfidence: {softThreshold: 7}\n");
        runner().withPropertyValues("handoff.policy.file=" + file).run(context ->
                assertThat(HandoffPropertyErrorsTest.propertyError(context.getStartupFailure()))
                        .hasMessageStartingWith("Invalid property handoff.policy.file = \"" + file + "\": expected a valid trigger policy; ")
                        .hasMessageContaining("softThreshold"));
    }

    @Test
    void a_preset_and_a_file_together_are_refused() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.yaml"), "name: acme-support\nextends: default\n");
        runner().withPropertyValues("handoff.policy.file=" + file, "handoff.policy.preset=open-door").run(context ->
                assertThat(HandoffPropertyErrorsTest.propertyError(context.getStartupFailure()))
                        .hasMessage("Invalid property handoff.policy.file = \"" + file + "\": expected either handoff.policy.file"
                                + " or handoff.policy.preset (OPEN_DOOR), not both"));
    }

    @Test
    void the_applications_trigger_evaluator_wins_and_a_policy_property_beside_it_is_refused() {
        TriggerEvaluator own = new RuleTriggerEvaluator(dev.handoff.core.trigger.PolicySelection.of(
                TriggerPolicy.preset(TriggerPolicy.Preset.OPEN_DOOR)));
        runner().withBean(TriggerEvaluator.class, () -> own).run(context ->
                assertThat(policyOfATurn(context.getBean(Handoff.class))).isEqualTo("open-door"));
        runner().withBean(TriggerEvaluator.class, () -> own).withPropertyValues("handoff.policy.preset=high-gate").run(context ->
                assertThat(HandoffPropertyErrorsTest.propertyError(context.getStartupFailure()))
                        .hasMessage("Invalid property handoff.policy.preset = \"high-gate\": expected unset: the application's"
                                + " TriggerEvaluator bean decides when to hand off"));
    }
}
