package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.SessionId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * NAT settings seen from the other side: rport (RFC 3581) both ways, and the advertised public address in
 * Contact and SDP. The public address is 127.0.0.2, on loopback but not the one the bot is bound to, so nothing
 * is sent off this machine.
 */
class DeploymentTest {

    @Test
    void responses_honour_rport_and_contact_and_sdp_carry_the_advertised_address() throws Exception {
        try (Bot bot = new Bot(ua -> ua.advertisedAddress("127.0.0.2"), b -> b);
             Sipp customer = Sipp.client("customer-nat.xml", Map.of("ADVERTISED", "127.0.0.2"), Ports.free(), bot.port, 1,
                     "-key", "session", "nat", "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", "timer")) {
            bot.nextCall(customer);

            assertThat(customer.await(Duration.ofSeconds(20))).as(customer.report()).isZero();
            assertThat(customer.log()).contains("RPORT answered", "CONTACT sip:handoff@127.0.0.2:" + bot.port);
        }
    }

    @Test
    void our_requests_ask_for_rport_and_give_the_advertised_contact() throws Exception {
        BlockingQueue<CallLeg> calls = new LinkedBlockingQueue<>();
        try (SipUserAgent agent = SipUserAgent.builder().port(0).userName("agent").start();
             SipUserAgent bot = SipUserAgent.builder().port(0).advertisedAddress("127.0.0.2").advertisedPort(15060).start()) {
            agent.onIncomingCall(calls::add);

            bot.dial(SessionId.of("nat-out"), "sip:agent@127.0.0.1:" + agent.port(), Map.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            CallLeg reached = calls.poll(10, TimeUnit.SECONDS);

            assertThat(reached).isNotNull();
            assertThat(reached.headers().get("Via")).contains(";rport");
            assertThat(reached.headers().get("Contact")).isEqualTo("<sip:handoff@127.0.0.2:15060>");
        }
    }
}
