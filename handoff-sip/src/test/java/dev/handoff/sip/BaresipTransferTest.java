package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.SessionId;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TransferResult.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        Path binary = ExternalTool.require("baresip");
        int phonePort = Ports.free();
        Path home = Files.createTempDirectory("baresip-");
        Files.writeString(home.resolve("config"), String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:" + phonePort,
                "call_local_timeout 30",
                "call_max_calls 4",
                "module_path /usr/lib/baresip/modules",
                "module g711.so",
                "module_tmp account.so",
                "module_app menu.so",
                ""), StandardCharsets.UTF_8);
        Files.writeString(home.resolve("accounts"),
                "<sip:customer@127.0.0.1:" + phonePort + ">;regint=0;answermode=auto;call_transfer=yes\n", StandardCharsets.UTF_8);
        Process phone = new ProcessBuilder(binary.toString(), "-f", home.toString(), "-t", "40")
                .redirectErrorStream(true).redirectOutput(home.resolve("baresip.log").toFile()).start();
        BlockingQueue<CallLeg> agentCalls = new LinkedBlockingQueue<>();
        try (Bot bot = new Bot();
             SipUserAgent agent = SipUserAgent.builder().port(Ports.free()).userName("agent").start()) {
            agent.onIncomingCall(agentCalls::add);
            Ports.awaitBound(phonePort, false, Duration.ofSeconds(10));
            SessionId session = SessionId.of("baresip-1");
            CallLeg leg = bot.ua.dial(session, "sip:customer@127.0.0.1:" + phonePort, Map.of())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(leg.state()).isEqualTo(CallLeg.State.CONFIRMED);
            String agentUri = "sip:agent@127.0.0.1:" + agent.port();

            TransferResult result = bot.transfer(Bot.request(session, agentUri, TransferMode.COLD), new Bot.Progress());

            assertThat(result.outcome()).as(result.detail() + "\n" + Files.readString(home.resolve("baresip.log")))
                    .isEqualTo(Outcome.CONNECTED);
            CallLeg reached = agentCalls.poll(5, TimeUnit.SECONDS);
            assertThat(reached).as("the phone called the agent").isNotNull();
            // baresip 1.0.0 leaves the escaped Refer-To headers in the Request-URI instead of sending them as headers
            assertThat(reached.headers()).doesNotContainKey("User-to-User");
            Matcher ticket = TICKET_PARAMETER.matcher(reached.requestUri());
            assertThat(ticket.find()).as(reached.requestUri()).isTrue();
            assertThat(ticket.group(1)).isEqualTo(Bot.TICKET);
            assertThat(reached.requestUri()).startsWith(agentUri + ";x-handoff=");
            assertThat(bot.ua.leg(session)).isEmpty();
        } finally {
            phone.destroy();
            if (!phone.waitFor(5, TimeUnit.SECONDS)) {
                phone.destroyForcibly();
            }
        }
    }
}
