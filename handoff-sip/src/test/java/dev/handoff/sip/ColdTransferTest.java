package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.PreflightResult;
import dev.handoff.api.SessionId;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TransferResult.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cold transfer against SIPp as the customer's phone and as the agent's phone. Every failure scenario of the
 * customer fails its call when the bot sends BYE, so a zero exit code proves the customer was never hung up on.
 */
class ColdTransferTest {

    static final String ALLOW_REFER = "INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY";
    static final Duration WAIT = Duration.ofSeconds(20);

    static Sipp customer(String scenario, Bot bot, String session, String allow) throws Exception {
        return Sipp.client(scenario, Ports.free(), bot.port, 1,
                "-key", "session", session, "-key", "allow", allow, "-key", "supported", "timer");
    }

    static String agentUri(Sipp agent) {
        return "sip:agent@127.0.0.1:" + agent.port;
    }

    @Test
    void cold_transfer_reaches_the_agent_with_the_ticket_and_releases_the_ai_leg() throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 2);
             Sipp customer = customer("customer.xml", bot, "cold", ALLOW_REFER)) {
            CallLeg leg = bot.nextCall(customer);
            assertThat(leg.sessionId().value()).isEqualTo("cold-1");
            assertThat(leg.allow()).contains("REFER");
            Bot.Progress progress = new Bot.Progress();

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), agentUri(agent), TransferMode.COLD), progress);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.CONNECTED);
            assertThat(result.protocolCode()).isEqualTo(200);
            assertThat(result.mode()).isEqualTo(TransferMode.COLD);
            assertThat(progress.codes()).containsSubsequence(0, 202, 100, 200);
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
            assertThat(agent.await(WAIT)).as(agent.report()).isZero();
            assertThat(agent.log()).contains("INVITE ruri=" + agentUri(agent) + ";x-handoff=" + Bot.TICKET
                    + " uui=" + Bot.TICKET_HEX + " reason=billing-dispute replaces= callid=");
            assertThat(customer.log()).contains("REFER target=" + agentUri(agent) + ";x-handoff=" + Bot.TICKET);
            // our own Contact on the REFER, not the stack's default <sip:127.0.0.1:port;transport=udp>
            assertThat(customer.log()).contains("REFER contact=<sip:handoff@127.0.0.1:" + bot.port + ">");
            assertThat(agent.log()).contains("TICKET x-header=" + Bot.TICKET + " to=<" + agentUri(agent) + ";x-handoff=" + Bot.TICKET
                    + "> referred-by=<sip:handoff@127.0.0.1:" + bot.port + ";x-handoff=" + Bot.TICKET + ">");
            assertThat(bot.ua.leg(leg.sessionId())).isEmpty();
            assertThat(bot.ended).extracting(CallLeg::sessionId).containsExactly(leg.sessionId());
        }
    }

    /**
     * The whole dialog over TCP: INVITE from the customer, OPTIONS to the agent, REFER, and the customer's own BYE.
     * (SIPp in TCP mode cannot open a second connection to the agent and still be reachable at its Contact, so the
     * customer here refuses the REFER; the UDP tests cover the rest of the flow.)
     */
    @Test
    void transfer_signalling_works_over_tcp() throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 1, "-t", "t1");
             Sipp customer = Sipp.client("customer-refer-rejected.xml", Ports.free(), bot.port, 1, "-t", "t1",
                     "-key", "session", "tcp", "-key", "allow", ALLOW_REFER, "-key", "supported", "timer")) {
            CallLeg leg = bot.nextCall(customer);
            String uri = agentUri(agent) + ";transport=tcp";

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), uri, TransferMode.COLD), new Bot.Progress());

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.REJECTED);
            assertThat(result.protocolCode()).isEqualTo(405);
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
            assertThat(agent.await(WAIT)).as(agent.report()).isZero();
        }
    }

    @ParameterizedTest(name = "agent answers {0}")
    @CsvSource({
            "486 Busy Here,         BUSY,      486",
            "603 Decline,           REJECTED,  603",
            "408 Request Timeout,   TIMED_OUT, 408",
    })
    void refused_transfer_keeps_the_customer_with_the_bot(String answer, Outcome outcome, int code) throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent-reject.xml", Map.of("ANSWER", answer), Ports.free(), 2, "-d", "200");
             Sipp customer = customer("customer.xml", bot, "refused", ALLOW_REFER)) {
            CallLeg leg = bot.nextCall(customer);
            Bot.Progress progress = new Bot.Progress();

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), agentUri(agent), TransferMode.COLD), progress);

            assertThat(result.outcome()).isEqualTo(outcome);
            assertThat(result.protocolCode()).isEqualTo(code);
            assertThat(result.detail()).isEqualTo("transfer target answered " + answer);
            assertThat(progress.codes()).containsSubsequence(202, 100, code);
            assertThat(bot.ua.leg(leg.sessionId())).get().extracting(CallLeg::state).isEqualTo(CallLeg.State.CONFIRMED);
            assertThat(customer.await(WAIT)).as("the customer must not get a BYE from the bot\n" + customer.report()).isZero();
            assertThat(agent.await(WAIT)).as(agent.report()).isZero();
        }
    }

    @Test
    void rejected_refer_keeps_the_customer_with_the_bot() throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 1);
             Sipp customer = customer("customer-refer-rejected.xml", bot, "rejected", ALLOW_REFER)) {
            CallLeg leg = bot.nextCall(customer);

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), agentUri(agent), TransferMode.COLD), new Bot.Progress());

            assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(result.protocolCode()).isEqualTo(405);
            assertThat(result.detail()).isEqualTo("REFER rejected: 405 Method Not Allowed");
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
            assertThat(agent.await(WAIT)).as(agent.report()).isZero();
        }
    }

    /**
     * The REFER is never answered: TIMED_OUT after the 1 s accept timeout, and no copy of the REFER is sent after
     * that (before, the stack kept retransmitting until 32 s, so a phone that got a late copy carried out a transfer
     * the bot had reported TIMED_OUT). Copies at 0 and 0.5 s only; the phone listens for 4.5 s.
     */
    @Test
    void refer_without_202_times_out_and_keeps_the_customer() throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 1);
             Sipp customer = Sipp.client("customer-refer-ignored.xml", Ports.free(), bot.port, 1, "-trace_msg",
                     "-key", "session", "no202", "-key", "allow", ALLOW_REFER, "-key", "supported", "timer")) {
            CallLeg leg = bot.nextCall(customer);

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), agentUri(agent), TransferMode.COLD), new Bot.Progress());

            assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
            assertThat(result.protocolCode()).isNull();
            assertThat(result.detail()).isEqualTo("no answer to REFER within 1000 ms");
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
            assertThat(customer.received("REFER ")).as("REFER copies the phone received").isBetween(1L, 2L);
        }
    }

    @Test
    void refer_accepted_without_notify_times_out_and_keeps_the_customer() throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 1);
             Sipp customer = customer("customer-no-notify.xml", bot, "nonotify", ALLOW_REFER)) {
            CallLeg leg = bot.nextCall(customer);
            Bot.Progress progress = new Bot.Progress();

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), agentUri(agent), TransferMode.COLD), progress);

            assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
            assertThat(result.detail()).isEqualTo("REFER accepted but no NOTIFY within 1000 ms");
            assertThat(progress.codes()).contains(202);
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
        }
    }

    @Test
    void customer_phone_without_refer_in_allow_fails_preflight_and_gets_no_refer() throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 1);
             Sipp customer = customer("customer-no-refer.xml", bot, "norefer", "INVITE, ACK, CANCEL, BYE, OPTIONS")) {
            CallLeg leg = bot.nextCall(customer);

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), agentUri(agent), TransferMode.COLD), new Bot.Progress());

            assertThat(result.outcome()).isEqualTo(Outcome.PREFLIGHT_FAILED);
            assertThat(result.detail()).isEqualTo("preflight failed: ai leg: ok; agent: OPTIONS answered 200 with Supported: replaces; "
                    + "connector: customer's phone does not allow REFER (Allow: INVITE, ACK, CANCEL, BYE, OPTIONS)");
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
            assertThat(agent.await(WAIT)).as(agent.report()).isZero();
        }
    }

    @Test
    void agent_not_answering_options_fails_preflight() throws Exception {
        try (Bot bot = new Bot(ua -> ua.optionsTimeout(Duration.ofMillis(300)), b -> b);
             Sipp customer = customer("customer-no-refer.xml", bot, "noagent", ALLOW_REFER)) {
            CallLeg leg = bot.nextCall(customer);
            TransferRequest request = Bot.request(leg.sessionId(), "sip:agent@127.0.0.1:" + Ports.free(), TransferMode.COLD);

            PreflightResult check = bot.executor.preflight(request).toCompletableFuture().get(5, TimeUnit.SECONDS);

            assertThat(check.aiLegReleasable()).isTrue();
            assertThat(check.agentCanAccept()).isFalse();
            assertThat(check.connectorReady()).isTrue();
            assertThat(check.detail()).isEqualTo("ai leg: ok; agent: no answer to OPTIONS (408); connector: ok");
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
        }
    }

    @Test
    void preflight_without_a_call_leg_says_the_ai_leg_cannot_be_released() throws Exception {
        try (Bot bot = new Bot(b -> b.agentAvailability(AgentAvailability.always()))) {
            TransferRequest request = Bot.request(SessionId.of("nobody"), "sip:agent@127.0.0.1:5999", TransferMode.COLD);

            PreflightResult check = bot.executor.preflight(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
            TransferResult result = bot.transfer(request, new Bot.Progress());

            assertThat(check.ok()).isFalse();
            assertThat(check.detail()).isEqualTo("ai leg: no call leg for this session; agent: availability not checked; connector: ok");
            assertThat(result.outcome()).isEqualTo(Outcome.PREFLIGHT_FAILED);
        }
    }

    @Test
    void failed_transfer_runs_the_callback_last_resort() throws Exception {
        List<TransferResult> scheduled = new CopyOnWriteArrayList<>();
        try (Bot bot = new Bot(b -> b.lastResort(LastResort.callback((request, failure) -> scheduled.add(failure))));
             Sipp agent = Sipp.server("agent-reject.xml", Map.of("ANSWER", "486 Busy Here"), Ports.free(), 2, "-d", "50");
             Sipp customer = customer("customer.xml", bot, "callback", ALLOW_REFER)) {
            CallLeg leg = bot.nextCall(customer);

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), agentUri(agent), TransferMode.COLD), new Bot.Progress());

            assertThat(result.outcome()).isEqualTo(Outcome.BUSY);
            assertThat(scheduled).containsExactly(result);
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
        }
    }

    @Test
    void notify_arriving_before_the_202_still_completes_the_transfer() throws Exception {
        try (Bot bot = new Bot();
             Sipp agent = Sipp.server("agent.xml", Ports.free(), 2);
             Sipp customer = customer("customer-notify-first.xml", bot, "early", ALLOW_REFER)) {
            CallLeg leg = bot.nextCall(customer);
            Bot.Progress progress = new Bot.Progress();

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), agentUri(agent), TransferMode.COLD), progress);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.CONNECTED);
            assertThat(progress.codes()).containsSubsequence(202, 100, 200);
            assertThat(progress.steps()).extracting(Bot.Progress.Step::detail)
                    .contains("REFER accepted: 202 (implied by a NOTIFY that arrived before the 202)");
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
            assertThat(agent.await(WAIT)).as(agent.report()).isZero();
        }
    }

    @Test
    void unavailable_agent_falls_back_to_the_backup_queue() throws Exception {
        try (Sipp queue = Sipp.server("agent.xml", Ports.free(), 2);
             Bot bot = new Bot(ua -> ua.optionsTimeout(Duration.ofMillis(300)),
                     b -> b.lastResort(LastResort.backupQueue(agentUri(queue))));
             Sipp customer = customer("customer.xml", bot, "backup", ALLOW_REFER)) {
            CallLeg leg = bot.nextCall(customer);
            String absentAgent = "sip:agent@127.0.0.1:" + Ports.free();
            Bot.Progress progress = new Bot.Progress();

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), absentAgent, TransferMode.COLD), progress);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.CONNECTED);
            assertThat(result.target().id()).isEqualTo("backup-queue");
            assertThat(result.target().address()).isEqualTo(agentUri(queue));
            assertThat(progress.steps()).extracting(Bot.Progress.Step::detail).anyMatch(d -> d.startsWith(
                    "trying last resort " + agentUri(queue) + " after: preflight failed: ai leg: ok; agent: no answer to OPTIONS (408)"));
            assertThat(customer.await(WAIT)).as(customer.report()).isZero();
            assertThat(queue.await(WAIT)).as(queue.report()).isZero();
            assertThat(queue.log()).contains("INVITE ruri=" + agentUri(queue) + ";x-handoff=" + Bot.TICKET);
        }
    }
}
