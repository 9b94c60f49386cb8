package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Priority;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TransferResult.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Warm (attended) transfer: consult INVITE to the agent, whisper window, REFER with Replaces. */
class WarmTransferTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Pattern INVITE_LINE = Pattern.compile("INVITE ruri=(\\S+) uui=(\\S*) reason=(\\S*) replaces=(.*) callid=(\\S+)");

    @Test
    void warm_transfer_consults_the_agent_then_bridges_the_customer_with_replaces() throws Exception {
        try (Bot bot = new Bot(b -> b.holdDuringConsult(true).whisperWindow(WhisperWindow.fixed(Duration.ofMillis(100))));
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 3);
             Sipp customer = Sipp.client("customer.xml", Ports.free(), bot.port, 1, "-key", "session", "warm",
                     "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", "replaces, timer")) {
            CallLeg leg = bot.nextCall(customer);
            assertThat(leg.supported()).contains("replaces", "timer");
            String agentUri = ColdTransferTest.agentUri(agent);
            Bot.Progress progress = new Bot.Progress();

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), agentUri, TransferMode.WARM), progress);

            assertThat(result.outcome()).as(result.detail() + " " + progress).isEqualTo(Outcome.CONNECTED);
            assertThat(result.mode()).isEqualTo(TransferMode.WARM);
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
            assertThat(agent.await(WAIT)).as(agent.report()).isZero();
            assertThat(customer.log()).contains("HOLD answered");
            assertThat(progress.steps()).extracting(Bot.Progress.Step::detail)
                    .contains("consult connected to " + agentUri, "REFER sent with Replaces");
            List<Matcher> invites = INVITE_LINE.matcher(agent.log()).results().map(r -> {
                Matcher m = INVITE_LINE.matcher(r.group());
                m.matches();
                return m;
            }).toList();
            assertThat(invites).hasSize(2);
            Matcher consult = invites.get(0);
            Matcher bridged = invites.get(1);
            // the consult call carries the ticket itself and no Replaces
            assertThat(consult.group(1)).isEqualTo(agentUri + ";x-handoff=" + Bot.TICKET);
            assertThat(consult.group(2)).isEqualTo(Bot.TICKET_HEX);
            assertThat(consult.group(3)).isEqualTo("billing-dispute");
            assertThat(consult.group(4)).isEmpty();
            // the customer's INVITE replaces exactly the consult dialog, tags seen from the agent's side
            assertThat(bridged.group(1)).isEqualTo(agentUri + ";x-handoff=" + Bot.TICKET);
            assertThat(bridged.group(2)).isEqualTo(Bot.TICKET_HEX);
            assertThat(bridged.group(4)).matches(Pattern.quote(consult.group(5)) + ";to-tag=\\d+agent\\d+;from-tag=[0-9a-f]+");
            assertThat(agent.log()).contains("BYE callid=" + consult.group(5));
            assertThat(bot.ua.leg(leg.sessionId())).isEmpty();
        }
    }

    /**
     * A warm transfer with Replaces completes over TCP too: the consult INVITE, the hold, the REFER with Replaces and
     * the customer's bridging INVITE each go over a TCP connection (SIPp in multi-socket mode, {@code -t tn}, so the
     * customer can open its own connection to the agent; the agent's SIPp listens on TCP only). Over TLS, which this
     * SIPp lacks, {@code SecureTransportTest.warm_transfer_with_replaces_completes_over_tls} covers it with JAIN-SIP
     * phones. The two SIPp processes' exit codes are not asserted: in {@code -t tn} mode SIPp moves the call's one
     * socket to the agent, so the customer's scenario cannot finish the bridged call the way a phone that keeps both
     * connections would (the bot's closing BYE finds no listener at its Contact). What the agent's phone received is
     * asserted instead: the consult call, the customer's INVITE replacing it, the consult's BYE.
     */
    @Test
    void warm_transfer_with_replaces_completes_over_tcp() throws Exception {
        try (Bot bot = new Bot(ua -> ua.transports(SipTransport.TCP), b -> b.whisperWindow(WhisperWindow.fixed(Duration.ofMillis(100))));
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 3, "-t", "t1");
             Sipp customer = Sipp.client("customer.xml", Ports.free(), bot.port, 1, "-t", "tn", "-max_socket", "100", "-key", "session", "warm-tcp",
                     "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", "replaces, timer")) {
            CallLeg leg = bot.nextCall(customer);
            String agentUri = ColdTransferTest.agentUri(agent) + ";transport=tcp";
            Bot.Progress progress = new Bot.Progress();

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), agentUri, TransferMode.WARM), progress);

            assertThat(result.outcome()).as(result.detail() + " " + progress).isEqualTo(Outcome.CONNECTED);
            assertThat(result.mode()).isEqualTo(TransferMode.WARM);
            agent.await(WAIT);
            assertThat(customer.log()).contains("REFER contact=<sip:handoff@127.0.0.1:" + bot.port + ";transport=tcp>");
            assertThat(progress.steps()).extracting(Bot.Progress.Step::detail).contains("REFER sent with Replaces");
            List<Matcher> invites = INVITE_LINE.matcher(agent.log()).results().map(r -> {
                Matcher m = INVITE_LINE.matcher(r.group());
                m.matches();
                return m;
            }).toList();
            String report = agent.report() + customer.report();
            assertThat(invites).as("the consult call, then the customer's INVITE with Replaces\n" + report).hasSize(2);
            String consultCallId = invites.get(0).group(5);
            assertThat(invites.get(0).group(4)).as("the consult call replaces nothing").isEmpty();
            assertThat(invites.get(1).group(4)).as("the customer's INVITE replaces the consult call")
                    .matches(Pattern.quote(consultCallId) + ";to-tag=\\d+agent\\d+;from-tag=[0-9a-f]+");
            assertThat(agent.log()).as(report).contains("BYE callid=" + consultCallId);
        }
    }

    /**
     * Which check decided the mode, and the agent rings once: without Replaces on either phone a warm request is
     * carried out cold from the start (before, the agent was consulted, hung up on and rung again); an agent that
     * does not answer OPTIONS (405/501) is not refused, and its consult answer decides.
     */
    @ParameterizedTest(name = "customer Supported: {0}; agent OPTIONS {1}, {2}; INVITE answer {3}")
    @CsvSource(delimiter = '|', value = {
            // customer  | agent's OPTIONS answer | its Supported     | its INVITE answer  | mode | INVITEs | decision
            "timer           | 200 OK                 | Supported: replaces | Supported: replaces | COLD | 1 | cold instead of warm: the customer's phone does not support Replaces (its Supported: timer)",
            "replaces, timer | 200 OK                 | Supported: timer    | Supported: timer    | COLD | 1 | cold instead of warm: the agent's phone does not support Replaces (agent check: OPTIONS answered 200 with Supported: timer)",
            "replaces, timer | 405 Method Not Allowed | Supported: replaces | Supported: replaces | WARM | 2 | warm: Replaces supported by the customer's phone; the agent's to be seen in the consult answer (agent check: OPTIONS not supported (405), availability unknown, the INVITE decides)",
            "replaces, timer | 501 Not Implemented    | Supported: replaces | Supported: replaces | WARM | 2 | warm: Replaces supported by the customer's phone; the agent's to be seen in the consult answer (agent check: OPTIONS not supported (501), availability unknown, the INVITE decides)",
            "replaces, timer | 200 OK                 | X-No-Supported: 1   | Supported: replaces | WARM | 2 | warm: Replaces supported by the customer's phone; the agent's to be seen in the consult answer (agent check: OPTIONS answered 200 without Supported)",
            "replaces, timer | 200 OK                 | X-No-Supported: 1   | X-No-Supported: 1   | COLD | 2 | cold after the consult call: the agent's phone did not list Replaces in its answer (agent check: OPTIONS answered 200 without Supported), so the agent is rung again by the customer",
            "replaces, timer | 200 OK                 | Supported: replaces | Supported: replaces | WARM | 2 | warm: Replaces supported by the customer's phone and the agent's (agent check: OPTIONS answered 200 with Supported: replaces)",
    })
    void warm_request_runs_in_the_mode_both_phones_allow_and_says_which_check_decided(
            String customerSupported, String optionsAnswer, String optionsSupported, String inviteSupported, TransferMode mode,
            int agentInvites, String decision) throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent.xml", Map.of("OPTIONS_ANSWER", optionsAnswer, "OPTIONS_SUPPORTED", optionsSupported,
                     "INVITE_SUPPORTED", inviteSupported), Ports.free(), 1 + agentInvites);
             Sipp customer = Sipp.client("customer.xml", Ports.free(), bot.port, 1, "-key", "session", "decide",
                     "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", customerSupported)) {
            CallLeg leg = bot.nextCall(customer);

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), ColdTransferTest.agentUri(agent), TransferMode.WARM),
                    new Bot.Progress());

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.CONNECTED);
            assertThat(result.mode()).isEqualTo(mode);
            assertThat(result.detail()).isEqualTo("connected; " + decision);
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
            assertThat(agent.await(WAIT)).as(agent.report()).isZero();
            assertThat(INVITE_LINE.matcher(agent.log()).results().count()).as("INVITEs the agent's phone received").isEqualTo(agentInvites);
        }
    }

    @Test
    void declined_consult_call_keeps_the_customer_with_the_bot_and_sends_no_refer() throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent-reject.xml", Map.of("ANSWER", "603 Decline"), Ports.free(), 2, "-d", "50");
             Sipp customer = Sipp.client("customer-no-refer.xml", Ports.free(), bot.port, 1, "-key", "session", "declined",
                     "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", "replaces")) {
            CallLeg leg = bot.nextCall(customer);
            Bot.Progress progress = new Bot.Progress();

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), ColdTransferTest.agentUri(agent), TransferMode.WARM), progress);

            assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(result.protocolCode()).isEqualTo(603);
            assertThat(result.detail()).isEqualTo("agent did not take the consult call: 603 Decline");
            assertThat(progress.codes()).contains(180);
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
            assertThat(agent.await(WAIT)).as(agent.report()).isZero();
        }
    }

    @Test
    void agent_not_answering_the_consult_call_is_cancelled_and_the_customer_stays() throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent-no-answer.xml", Ports.free(), 2);
             Sipp customer = Sipp.client("customer-no-refer.xml", Ports.free(), bot.port, 1, "-key", "session", "noanswer",
                     "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", "replaces")) {
            CallLeg leg = bot.nextCall(customer);
            TransferRequest request = new TransferRequest(leg.sessionId(), "ctx-1", Bot.TICKET,
                    Target.sip("front-desk", ColdTransferTest.agentUri(agent)), TransferMode.WARM, Priority.NORMAL,
                    Map.of("X-Handoff-Reason", "billing-dispute"), Duration.ofMillis(1200));

            TransferResult result = bot.transfer(request, new Bot.Progress());

            assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
            assertThat(result.detail()).startsWith("no final transfer status within ").endsWith(" ms (last progress: 180 consult: 180 Ringing)");
            assertThat(agent.await(WAIT)).as(agent.report()).isZero();
            assertThat(agent.log()).contains("CANCEL callid=");
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
        }
    }
}
