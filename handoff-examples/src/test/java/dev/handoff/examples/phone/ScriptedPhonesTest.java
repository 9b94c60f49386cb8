package dev.handoff.examples.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Priority;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.sip.CallLeg;
import dev.handoff.sip.SipTransferExecutor;
import dev.handoff.sip.SipUserAgent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scripted phones against handoff-sip's real user agent, without Handoff in between. */
class ScriptedPhonesTest {

    private static final String TICKET = "ctx-phone-test.tovw00.k1.abcDEF_123-xyz";

    private final List<AutoCloseable> stacks = new ArrayList<>();

    @AfterEach
    void close() {
        SipPhone.closeAll(stacks);
    }

    @Test
    void a_phone_without_replaces_gets_the_warm_transfer_as_a_cold_one_and_the_agent_still_gets_the_ticket() throws Exception {
        SipUserAgent bot = SipUserAgent.builder().port(SipPhone.freePort()).userName("bot").start();
        stacks.add(bot);
        AgentPhone agent = AgentPhone.builder("agent", SipPhone.freePort()).start();
        stacks.add(agent);
        ScriptedPhone customer = ScriptedPhone.start("customer", SipPhone.freePort(), PhoneLog.NONE, false);
        stacks.add(customer);
        CompletableFuture<CallLeg> answered = new CompletableFuture<>();
        bot.onIncomingCall(answered::complete);
        customer.dial(bot.localUri(), Map.of("X-Handoff-Session", "phones-1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        CallLeg leg = answered.get(5, TimeUnit.SECONDS);

        TransferResult result = SipTransferExecutor.builder(bot).build()
                .transfer(new TransferRequest(leg.sessionId(), "ctx-phone-test", TICKET, Target.sip("agent", agent.uri()),
                        TransferMode.WARM, Priority.NORMAL, Map.of("X-Handoff-Reason", "test"), Duration.ofSeconds(5)), null)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(leg.sessionId()).isEqualTo(SessionId.of("phones-1"));
        assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.CONNECTED);
        assertThat(result.mode()).isEqualTo(TransferMode.COLD);
        // decided before anyone rang (issue 16): no consult call, so the agent rings once, from the customer
        assertThat(agent.calls()).singleElement().satisfies(call -> {
            assertThat(call.from()).isEqualTo(customer.uri());
            assertThat(call.replaces()).isNull();
            assertThat(call.ticket()).isEqualTo(TICKET);
            assertThat(call.ticketSource()).isEqualTo("x-handoff parameter and User-to-User");
        });
        assertThat(customer.referrals()).singleElement().satisfies(ref -> {
            assertThat(ref.finalStatus()).isEqualTo(200);
            assertThat(ref.ticketParameter()).isEqualTo(TICKET);
            assertThat(ref.carriedHeaders()).containsEntry("X-Handoff-Reason", "test").containsKey("User-to-User")
                    .doesNotContainKey("Replaces");
        });
        customer.botHungUp().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(customer.transferred().toCompletableFuture().get(5, TimeUnit.SECONDS)).startsWith("sip:agent@127.0.0.1:");
    }

    @Test
    void a_busy_agent_phone_refuses_and_the_customer_reports_the_status_and_stays_with_the_bot() throws Exception {
        SipUserAgent bot = SipUserAgent.builder().port(SipPhone.freePort()).userName("bot").start();
        stacks.add(bot);
        AgentPhone agent = AgentPhone.builder("agent", SipPhone.freePort()).answerWith(603).start();
        stacks.add(agent);
        ScriptedPhone customer = ScriptedPhone.start("customer", SipPhone.freePort(), PhoneLog.NONE);
        stacks.add(customer);
        CompletableFuture<CallLeg> answered = new CompletableFuture<>();
        bot.onIncomingCall(answered::complete);
        customer.dial(bot.localUri(), Map.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        CallLeg leg = answered.get(5, TimeUnit.SECONDS);

        TransferResult result = SipTransferExecutor.builder(bot).build()
                .transfer(new TransferRequest(leg.sessionId(), "ctx-phone-test", TICKET, Target.sip("agent", agent.uri()),
                        TransferMode.COLD, Priority.NORMAL, Map.of(), Duration.ofSeconds(5)), null)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(result.outcome()).isEqualTo(TransferResult.Outcome.REJECTED);
        assertThat(result.protocolCode()).isEqualTo(603);
        assertThat(agent.calls()).extracting(AgentPhone.Call::answer).containsExactly(603);
        assertThat(customer.referrals()).extracting(ScriptedPhone.Referral::finalStatus).containsExactly(603);
        assertThat(customer.wasHungUpOnByBot()).isFalse();
        assertThat(customer.botCallUp()).isTrue();
    }

    @Test
    void an_agent_phone_answers_a_call_without_a_ticket_and_says_so() throws Exception {
        AgentPhone agent = AgentPhone.builder("agent", SipPhone.freePort())
                .redeemer((ticket, agentId) -> { throw new AssertionError("nothing to redeem"); }).start();
        stacks.add(agent);
        ScriptedPhone customer = ScriptedPhone.start("customer", SipPhone.freePort(), PhoneLog.NONE);
        stacks.add(customer);

        customer.dial(agent.uri(), Map.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(agent.calls()).singleElement().satisfies(call -> {
            assertThat(call.ticket()).isNull();
            assertThat(call.ticketSource()).isEqualTo("none");
            assertThat(call.answer()).isEqualTo(200);
            assertThat(call.redeemError()).isEqualTo("no ticket on the INVITE");
        });
    }

    @Test
    void bad_phone_settings_are_refused_with_the_value() {
        assertThatThrownBy(() -> AgentPhone.builder("agent", 5060).answerWith(302))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("answerWith must be 200 or a refusal between 400 and 699, was 302");
        assertThatThrownBy(() -> AgentPhone.builder("front desk", 5060).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("phone name must be letters, digits or -._, was \"front desk\"");
        assertThatThrownBy(() -> ScriptedPhone.start("customer", 0, PhoneLog.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be between 1 and 65535, was 0");
        assertThatThrownBy(() -> new DemoSettings(8080, false, "short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HANDOFF_DESK_TOKEN must be at least 16 characters, was 5");
    }
}
