package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Priority;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TransferResult.Outcome;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A handoff's trace context (W3C {@code traceparent}, which core adds to the request's headers when a propagator such
 * as handoff-opentelemetry's {@code HandoffTracing} is set) travels like every carried header: as a Refer-To URI header
 * on a cold transfer's REFER (a compliant phone copies it onto its INVITE to the agent) and as a header on a warm
 * transfer's consult INVITE. SIPp plays the customer's and the agent's phones and logs what arrived.
 */
class TraceContextHeaderTest {

    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    static TransferRequest traced(SessionId session, String agentUri, TransferMode mode) {
        return new TransferRequest(session, "ctx-1", Bot.TICKET, Target.sip("front-desk", agentUri), mode, Priority.NORMAL,
                Map.of("X-Handoff-Reason", "billing-dispute", "traceparent", TRACEPARENT), Duration.ofSeconds(6));
    }

    @Test
    void cold_transfer_carries_the_traceparent_on_the_refer() throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 2);
             Sipp customer = ColdTransferTest.customer("customer.xml", bot, "traced-cold", ColdTransferTest.ALLOW_REFER)) {
            CallLeg leg = bot.nextCall(customer);

            TransferResult result = bot.transfer(traced(leg.sessionId(), ColdTransferTest.agentUri(agent), TransferMode.COLD),
                    new Bot.Progress());

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.CONNECTED);
            assertThat(customer.await(ColdTransferTest.WAIT)).as(customer.report()).isZero();
            assertThat(agent.await(ColdTransferTest.WAIT)).as(agent.report()).isZero();
            assertThat(customer.log()).contains("REFER traceparent=" + TRACEPARENT);
        }
    }

    @Test
    void warm_transfer_carries_the_traceparent_on_the_consult_invite() throws Exception {
        try (Bot bot = new Bot(b -> b.whisperWindow(WhisperWindow.fixed(Duration.ofMillis(100))));
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 3);
             Sipp customer = Sipp.client("customer.xml", Ports.free(), bot.port, 1, "-key", "session", "traced-warm",
                     "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", "replaces, timer")) {
            CallLeg leg = bot.nextCall(customer);

            TransferResult result = bot.transfer(traced(leg.sessionId(), ColdTransferTest.agentUri(agent), TransferMode.WARM),
                    new Bot.Progress());

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.CONNECTED);
            assertThat(customer.await(ColdTransferTest.WAIT)).as(customer.report()).isZero();
            assertThat(agent.await(ColdTransferTest.WAIT)).as(agent.report()).isZero();
            // the first INVITE the agent's phone gets is the bot's consult call
            assertThat(agent.log()).contains("TRACE traceparent=" + TRACEPARENT);
            assertThat(customer.log()).contains("REFER traceparent=" + TRACEPARENT);   // and the REFER that bridges
        }
    }
}
