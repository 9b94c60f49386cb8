package dev.handoff.examples.dental;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Priority;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.examples.phone.AgentPhone;
import dev.handoff.examples.phone.DemoSettings;
import dev.handoff.examples.phone.VoiceTimeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DentalReceptionistDemoTest {

    @Test
    void a_caller_in_pain_is_cold_transferred_to_the_front_desk_which_has_the_context_before_answering() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        DentalReceptionistDemo.Result r = DentalReceptionistDemo.run(DemoSettings.forTests(),
                DentalReceptionistDemo.Scenario.NORMAL, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);

        assertThat(r.outcome().status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(r.connectedMode()).contains(TransferMode.COLD);
        assertThat(r.outcome().attempts()).extracting(a -> a.target().id(), TransferResult::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("front-desk", TransferResult.Outcome.CONNECTED));
        assertThat(r.context().metadata().priority()).isEqualTo(Priority.URGENT);
        assertThat(r.context().metadata().triggerReasons()).anySatisfy(reason -> {
            assertThat(reason.ruleId()).isEqualTo("dental.pain");
            assertThat(reason.detail()).contains("pain");
        });
        assertThat(r.context().lastTurn().text()).isEqualTo("Dana Whitfield, March 4th 1988, and honestly I'm in a lot of pain.");
        assertThat(r.context().customer().fields()).containsEntry("name", "Dana Whitfield");

        // the front desk's phone found the ticket on the caller's INVITE and redeemed the same context
        assertThat(r.frontDeskCalls()).singleElement().satisfies(call -> {
            assertThat(call.from()).startsWith("sip:caller@127.0.0.1:");
            assertThat(call.ticketSource()).isEqualTo("x-handoff parameter and User-to-User");
            assertThat(call.ticket()).isEqualTo(r.outcome().ticket());
            assertThat(call.replaces()).isNull();
            assertThat(call.answer()).isEqualTo(200);
            assertThat(call.redeemError()).isNull();
            assertThat(call.context().contextId()).isEqualTo(r.outcome().contextId());
        });
        // cold transfer: the bot released its own leg only after the front desk answered
        assertThat(r.callerHungUpOnByBot()).isTrue();

        // the context was on the desktop: the front desk opened it and confirmed reading before the transfer
        List<HandoffEvent> events = r.timeline().events();
        assertThat(indexOf(events, HandoffEvent.ContextRead.class)).isLessThan(indexOf(events, HandoffEvent.TransferStarted.class));
        assertThat(r.timeline().entries()).anySatisfy(e -> {
            assertThat(e.who()).isEqualTo("desk:maria");
            assertThat(e.what()).startsWith("opens the handoff on the desktop: goal ").contains("pain");
        });

        assertThat(r.timeline().phaseSteps()).extracting(VoiceTimeline.PhaseStep::to).containsExactly(HandoffPhase.PACKAGED,
                HandoffPhase.ROUTED, HandoffPhase.VALIDATED, HandoffPhase.AGENT_NOTIFIED, HandoffPhase.TRANSFERRING,
                HandoffPhase.CONNECTED, HandoffPhase.VERIFIED);
        assertThat(out)
                .contains("Timeline (ms since the caller dialled):")
                .containsPattern("REQUESTED +-> PACKAGED +\\d+\\.\\d ms")
                .containsPattern("PACKAGED +-> ROUTED +\\d+\\.\\d ms")
                .containsPattern("ROUTED +-> VALIDATED +\\d+\\.\\d ms")
                .containsPattern("VALIDATED +-> AGENT_NOTIFIED +\\d+\\.\\d ms")
                .containsPattern("AGENT_NOTIFIED +-> TRANSFERRING +\\d+\\.\\d ms")
                .containsPattern("TRANSFERRING +-> CONNECTED +\\d+\\.\\d ms")
                .containsPattern("REQUESTED -> VERIFIED total +\\d+\\.\\d ms")
                .contains("Outcome: CONNECTED to front-desk by COLD transfer")
                .containsPattern("Agent desktop \\(front desk, agent \"maria\"\\): http://127\\.0\\.0\\.1:\\d+/signin \\(sign in with your HANDOFF_DESK_TOKEN\\)")
                .doesNotContain("token=", DemoSettings.forTests().deskToken())
                .contains("the bot hung up its leg (BYE, answered 200 OK)");
    }

    @Test
    void when_every_target_fails_the_caller_stays_on_the_line_and_the_ai_resumes() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        DentalReceptionistDemo.Result r = DentalReceptionistDemo.run(DemoSettings.forTests(),
                DentalReceptionistDemo.Scenario.ALL_BUSY, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);

        assertThat(r.outcome().status()).isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
        assertThat(r.outcome().attempts()).extracting(a -> a.target().id(), TransferResult::outcome, TransferResult::protocolCode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("front-desk", TransferResult.Outcome.BUSY, 486),
                        org.assertj.core.groups.Tuple.tuple("on-call-dentist", TransferResult.Outcome.PREFLIGHT_FAILED, null));
        // the front desk's phone rang and refused; the caller was never hung up on
        assertThat(r.frontDeskCalls()).extracting(AgentPhone.Call::answer).containsExactly(486);
        assertThat(r.callerHungUpOnByBot()).isFalse();
        assertThat(r.callerWithBot()).isTrue();
        assertThat(r.resumedWith()).isEqualTo("I couldn't connect you with a specialist just now, though I tried 2 teams, so I'll keep helping you "
                + "myself. Everything you told me is saved, so nobody will ask you to repeat it.");
        assertThat(r.timeline().phaseSteps()).last().extracting(VoiceTimeline.PhaseStep::to).isEqualTo(HandoffPhase.RETURNED_TO_BOT);
        assertThat(out)
                .contains("\"The first specialist isn't free, so I'm connecting you with the next one who can help.\"")
                .contains("resumes: \"I couldn't connect you with a specialist just now")
                .contains("Outcome: RETURNED_TO_BOT")
                .contains("Caller's phone: still on the line with the AI (no BYE from the bot): never dropped")
                .containsPattern("TRANSFERRING +-> RETURNED_TO_BOT +\\d+\\.\\d ms")
                .doesNotContain("the bot hung up its leg");
    }

    private static int indexOf(List<HandoffEvent> events, Class<? extends HandoffEvent> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + events);
    }
}
