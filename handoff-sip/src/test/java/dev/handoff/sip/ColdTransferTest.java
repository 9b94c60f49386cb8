package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TransferResult.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Cold transfer against SIPp as the customer's phone and as the agent's phone. */
class ColdTransferTest {

    static final String ALLOW_REFER = "INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY";

    @Test
    void cold_transfer_reaches_the_agent_with_the_ticket_and_releases_the_ai_leg() throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 2);
             Sipp customer = Sipp.client("customer.xml", Ports.free(), bot.port, 1,
                     "-key", "session", "cold", "-key", "allow", ALLOW_REFER, "-key", "supported", "timer")) {
            CallLeg leg = bot.nextCall(customer);
            assertThat(leg.sessionId().value()).isEqualTo("cold-1");
            String agentUri = "sip:agent@127.0.0.1:" + agentPort(agent);
            Bot.Progress progress = new Bot.Progress();

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), agentUri, TransferMode.COLD), progress);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.CONNECTED);
            assertThat(result.protocolCode()).isEqualTo(200);
            assertThat(result.mode()).isEqualTo(TransferMode.COLD);
            assertThat(progress.codes()).containsSubsequence(0, 202, 100, 200);
            assertThat(customer.await(Duration.ofSeconds(20))).as(customer.report()).isZero();
            assertThat(agent.await(Duration.ofSeconds(20))).as(agent.report()).isZero();
            assertThat(agent.log()).contains("INVITE ruri=" + agentUri + ";x-handoff=" + Bot.TICKET + " uui=" + Bot.TICKET_HEX
                    + " reason=billing-dispute replaces= ");
            assertThat(customer.log()).contains("REFER target=" + agentUri + ";x-handoff=" + Bot.TICKET);
            assertThat(bot.ua.leg(leg.sessionId())).isEmpty();
        }
    }

    static int agentPort(Sipp agent) {
        return agent.port;
    }
}
