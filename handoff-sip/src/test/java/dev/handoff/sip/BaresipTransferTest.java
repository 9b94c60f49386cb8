package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.SessionId;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TransferResult.Outcome;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * baresip as the customer's phone: it honours REFER but drops the headers of the Refer-To URI, so the ticket must
 * arrive as the {@code x-handoff} URI parameter. The agent is a second {@link SipUserAgent} that records what it got.
 * baresip exits 0 whatever happens, so everything is asserted on our side.
 */
class BaresipTransferTest {

    static final Pattern TICKET_PARAMETER = Pattern.compile(";x-handoff=([^;?>]+)");

    @Test
    void ticket_reaches_the_agent_as_uri_parameter_when_the_phone_drops_refer_to_headers() throws Exception {
        BlockingQueue<CallLeg> agentCalls = new LinkedBlockingQueue<>();
        try (Baresip phone = Baresip.start("customer");
             Bot bot = new Bot();
             SipUserAgent agent = SipUserAgent.builder().port(0).userName("agent").start()) {
            agent.onIncomingCall(agentCalls::add);
            SessionId session = SessionId.of("baresip-1");
            CallLeg leg = bot.ua.dial(session, phone.uri("customer"), Map.of())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(leg.state()).isEqualTo(CallLeg.State.CONFIRMED);
            String agentUri = "sip:agent@127.0.0.1:" + agent.port();

            TransferResult result = bot.transfer(Bot.request(session, agentUri, TransferMode.COLD), new Bot.Progress());

            assertThat(result.outcome()).as(result.detail() + "\n" + phone.log())
                    .isEqualTo(Outcome.CONNECTED);
            CallLeg reached = agentCalls.poll(5, TimeUnit.SECONDS);
            assertThat(reached).as("the phone called the agent").isNotNull();
            // baresip 1.0.0 leaves the escaped Refer-To headers in the Request-URI instead of sending them as headers
            assertThat(reached.headers()).doesNotContainKey("User-to-User");
            Matcher ticket = TICKET_PARAMETER.matcher(reached.requestUri());
            assertThat(ticket.find()).as(reached.requestUri()).isTrue();
            assertThat(ticket.group(1)).isEqualTo(Bot.TICKET);
            assertThat(reached.requestUri()).startsWith(agentUri + ";x-handoff=");
            assertThat(bot.executor.correlations().redeem(reached))
                    .contains(new TicketCarriage.Redemption(Bot.TICKET, TicketCarriage.Source.TO_URI_PARAMETER));
            assertThat(bot.ua.leg(session)).isEmpty();
        }
    }
}
