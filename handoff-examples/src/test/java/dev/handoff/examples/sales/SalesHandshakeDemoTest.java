package dev.handoff.examples.sales;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.TransferMode;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.examples.phone.DemoSettings;
import dev.handoff.examples.phone.VoiceTimeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SalesHandshakeDemoTest {

    @Test
    void a_latency_objection_goes_warm_to_the_solutions_engineer_with_the_whisper_first_and_the_discount_to_verify() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        SalesHandshakeDemo.Result r = SalesHandshakeDemo.run(DemoSettings.forTests(), new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);

        assertThat(r.outcome().status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(r.connectedMode()).contains(TransferMode.WARM);
        assertThat(r.outcome().connected().orElseThrow().target().id()).isEqualTo("solutions-engineer");
        assertThat(r.executiveCalls()).isEmpty();

        // the AI's hint is in the context as a SOFT discount awaiting verification
        assertThat(r.context().commitments()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Commitment.Kind.DISCOUNT);
            assertThat(c.strength()).isEqualTo(Commitment.Strength.SOFT);
            assertThat(c.value()).isEqualTo("15%");
            assertThat(c.status()).isEqualTo(Commitment.Status.PENDING_VERIFICATION);
        });
        assertThat(r.context().metadata().triggerReasons()).anySatisfy(reason ->
                assertThat(reason.ruleId()).isEqualTo("complex.technical-objection"));

        // consult call from the AI first, then the buyer's INVITE replacing it; both carry the ticket
        assertThat(r.engineerCalls()).hasSize(2);
        assertThat(r.engineerCalls().get(0)).satisfies(consult -> {
            assertThat(consult.fromBot("sales-ai")).isTrue();
            assertThat(consult.replaces()).isNull();
            assertThat(consult.ticketSource()).isEqualTo("x-handoff parameter and User-to-User");
            assertThat(consult.context().contextId()).isEqualTo(r.outcome().contextId());
        });
        assertThat(r.engineerCalls().get(1)).satisfies(bridged -> {
            assertThat(bridged.from()).startsWith("sip:buyer@127.0.0.1:");
            assertThat(bridged.replaces()).startsWith(r.engineerCalls().get(0).callId() + ";");
            assertThat(bridged.answer()).isEqualTo(200);
            assertThat(bridged.context().contextId()).isEqualTo(r.outcome().contextId());
        });
        assertThat(r.buyerHungUpOnByBot()).isTrue();

        // whisper first: pushed to the desktop and read before the transfer started, spoken before the bridge
        List<HandoffEvent> events = r.timeline().events();
        assertThat(indexOf(events, HandoffEvent.AgentNotified.class)).isLessThan(indexOf(events, HandoffEvent.ContextRead.class));
        assertThat(indexOf(events, HandoffEvent.ContextRead.class)).isLessThan(indexOf(events, HandoffEvent.TransferStarted.class));
        List<String> lines = r.timeline().entries().stream().map(e -> e.who() + " " + e.what()).toList();
        int whisper = indexWhere(lines, "sip:sales-ai whispers to solutions-engineer on the consult call");
        int refer = indexWhere(lines, "handoff SIP REFER sent with Replaces");
        assertThat(whisper).isLessThan(refer);
        assertThat(lines).anyMatch(l -> l.equals("desk:sam sees the AI's commitment c-1: SOFT DISCOUNT 15% - PENDING_VERIFICATION"));

        // the engineer verified the discount in the first minute
        assertThat(r.commitmentsAfter()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Commitment.Status.CONFIRMED);
            assertThat(c.verifiedBy()).isEqualTo("sam");
        });
        assertThat(r.finalPhase()).isEqualTo(HandoffPhase.VERIFIED);
        assertThat(r.timeline().phaseSteps()).extracting(VoiceTimeline.PhaseStep::to).containsExactly(HandoffPhase.PACKAGED,
                HandoffPhase.ROUTED, HandoffPhase.VALIDATED, HandoffPhase.AGENT_NOTIFIED, HandoffPhase.TRANSFERRING,
                HandoffPhase.CONNECTED, HandoffPhase.VERIFIED);
        assertThat(out)
                .contains("route [solutions-engineer, account-executive]: contextual readiness: needs solutions-engineering")
                .contains("put on hold by the bot (re-INVITE sendonly, 200 OK)")
                .containsPattern("AGENT_NOTIFIED +-> TRANSFERRING +\\d+\\.\\d ms")
                .containsPattern("TRANSFERRING +-> CONNECTED +\\d+\\.\\d ms")
                .containsPattern("CONNECTED +-> VERIFIED +\\d+\\.\\d ms")
                .contains("Outcome: CONNECTED to solutions-engineer by WARM transfer")
                .contains("AI commitment to verify: c-1 SOFT DISCOUNT 15% - PENDING_VERIFICATION")
                .contains("Commitment c-1 after the first minute: CONFIRMED by sam");
    }

    private static int indexOf(List<HandoffEvent> events, Class<? extends HandoffEvent> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + events);
    }

    private static int indexWhere(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with \"" + prefix + "\" in " + lines);
    }
}
