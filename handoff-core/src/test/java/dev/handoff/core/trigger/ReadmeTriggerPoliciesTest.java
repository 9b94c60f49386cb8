package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.TriggerEvaluator;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Trigger policies" and "A policy per conversation" blocks (regions checked by handoff-examples'
 * ReadmeSnippetsTest).
 */
class ReadmeTriggerPoliciesTest {

    @TempDir
    Path dir;

    /** Compiled, not run: it reads {@code triggers.yaml} from the working directory. The test below runs the same calls. */
    static Handoff shippedPresetAndOwnFile() {
        // tag::trigger-policies[]
        // a shipped preset
        TriggerEvaluator dental = new RuleTriggerEvaluator(TriggerPolicy.preset(Preset.DENTAL_PRACTICE));
        // your own file, starting from a preset
        TriggerEvaluator mine = new RuleTriggerEvaluator(TriggerPolicy.load(Path.of("triggers.yaml")));
        // also: TriggerPolicy.load(InputStream), TriggerPolicy.parse(String), TriggerPolicy.defaults()

        Handoff handoff = Handoff.builder().triggerEvaluator(mine).build();
        // end::trigger-policies[]
        return handoff;
    }

    @Test
    void a_policy_file_extending_a_preset_drives_the_handoffs_sessions() throws Exception {
        Path file = Files.writeString(dir.resolve("triggers.yaml"), "name: clinic\nextends: dental-practice\n");
        TriggerEvaluator mine = new RuleTriggerEvaluator(TriggerPolicy.load(file));

        try (Handoff handoff = Handoff.builder().triggerEvaluator(mine).build()) {
            HandoffSession session = handoff.open(SessionId.of("chat-policy-file"), Channel.CHAT, CustomerData.UNKNOWN);

            HandoffDecision decision = session.customer("I have a terrible pain in my tooth, it's an emergency");

            assertThat(decision.isHandoff()).isTrue();
            assertThat(decision.policy()).isEqualTo("clinic");
        }
    }

    @Test
    void the_bot_chooses_the_policy_and_language_of_a_session_as_the_readme_shows() {
        CustomerData customer = CustomerData.of("cus-7", Map.of());

        // tag::policy-per-conversation[]
        RuleTriggerEvaluator engine = new RuleTriggerEvaluator(PolicySelection.builder(TriggerPolicy.defaults())
                .when("deal >= 50k", TriggerPolicy.preset(Preset.OPEN_DOOR))      // deal: CRM field "acv" or a stated deal value
                .when("deal < 10k", TriggerPolicy.preset(Preset.HIGH_GATE))
                .when("tier == enterprise", TriggerPolicy.preset(Preset.OPEN_DOOR))
                .build());
        Handoff handoff = Handoff.builder().triggerEvaluator(engine).build();
        HandoffSession session = handoff.open(SessionId.of("chat-7"), Channel.CHAT, customer);

        engine.selectPolicy(session, "open-door");   // the bot may also choose, mid-conversation
        engine.selectLanguage(session, "es");        // Spanish pack for this session (default: the customer's "language" field)
        // end::policy-per-conversation[]

        try (handoff) {
            HandoffDecision decision = session.customer("quiero hablar con un agente");

            assertThat(decision.policy()).isEqualTo("open-door");
            assertThat(decision.reasons()).extracting(Reason::ruleId).containsExactly("es.explicit.request");
        }
    }
}
