package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How the bot's user agent answers a customer's INVITE, against SIPp as the customer's phone. */
class IncomingCallTest {

    /**
     * RFC 3261 17.2.1: the 100 Trying must reach the phone before the 200 OK. The bot sends it as soon as the
     * INVITE arrives, before any application code runs; a slow session resolver stands for a worker thread that
     * gets the CPU late (the JAIN-SIP RI's own 200 ms Trying timer then raced the answer, or never fired when the
     * answer came within 200 ms). The scenario fails its call when the 200 OK comes first.
     */
    @ParameterizedTest(name = "application answers after {0} ms")
    @ValueSource(ints = {0, 150, 1000})
    void trying_precedes_the_answer_even_when_the_application_answers_late(int answerDelayMillis) throws Exception {
        SessionResolver slow = invite -> {
            try {
                Thread.sleep(answerDelayMillis); // the application's own latency, not a wait for an event
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return SessionResolver.headerOrCallId().resolve(invite);
        };
        try (Bot bot = new Bot(ua -> ua.sessionResolver(slow), b -> b);
             Sipp customer = ColdTransferTest.customer("customer-trying.xml", bot, "trying", ColdTransferTest.ALLOW_REFER)) {
            CallLeg leg = bot.nextCall(customer);

            assertThat(leg.sessionId().value()).isEqualTo("trying-1");
            assertThat(customer.await(Duration.ofSeconds(20))).as(customer.report()).isZero();
            assertThat(customer.log()).contains("100 Trying first");
        }
    }

    /**
     * A retransmission of the customer's INVITE that reaches the bot after its 200 OK and the ACK (it waited in a
     * queue under load) is absorbed (RFC 6026, RFC 3261 17.2.3), not answered 482 Loop Detected as if it were a
     * second, merged request: the phone would treat the 482 as a failure of the call it is in.
     */
    @Test
    void a_late_retransmission_of_the_invite_is_absorbed() throws Exception {
        try (Bot bot = new Bot();
             Sipp customer = Sipp.client("customer-late-retransmission.xml", Ports.free(), bot.port, 1, "-key", "session", "late",
                     "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", "timer", "-trace_msg")) {
            CallLeg leg = bot.nextCall(customer);

            assertThat(leg.sessionId().value()).isEqualTo("late-1");
            assertThat(customer.await(Duration.ofSeconds(20))).as(customer.report()).isZero();
        }
    }

    /**
     * RFC 3264: a G.722-only offer with video is answered with G.722 alone and the video refused (port 0); a hold
     * (sendonly) is answered recvonly; UPDATE with SDP is answered with SDP. Before, the bot answered PCMU and
     * telephone-event, sendrecv to a hold, and UPDATE without SDP.
     */
    @Test
    void media_is_negotiated_from_the_offer() throws Exception {
        try (Bot bot = new Bot();
             Sipp customer = Sipp.client("customer-media.xml", Ports.free(), bot.port, 1, "-key", "session", "media")) {
            CallLeg leg = bot.nextCall(customer);

            assertThat(leg.sessionId().value()).isEqualTo("media-1");
            assertThat(customer.await(Duration.ofSeconds(20))).as(customer.report()).isZero();
            assertThat(customer.log()).contains("ANSWER G722 only, video refused", "HOLD answered recvonly", "UPDATE answered with SDP");
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @CsvSource(delimiter = '|', value = {
            // what the INVITE asks for | formats | media attribute            | answer | header      | must match
            "Require: 100rel, timer     | 0       | a=ptime:20                 | 420    | Unsupported | 100rel, *timer",
            "Require: replaces          | 0       | a=ptime:20                 | 420    | Unsupported | replaces",
            "X-Note: opus only          | 97      | a=rtpmap:97 opus/48000/2   | 488    | Call-ID     | .+",
    })
    void invite_the_bot_cannot_honour_is_refused_with_the_reason(String extraHeader, String formats, String attribute,
                                                                 int expect, String checkHeader, String checkRegex) throws Exception {
        try (Bot bot = new Bot();
             Sipp customer = Sipp.client("customer-refused-invite.xml", Map.of("EXTRA_HEADER", extraHeader,
                     "FORMATS", formats, "ATTRIBUTE", attribute, "EXPECT", Integer.toString(expect),
                     "CHECK_HEADER", checkHeader, "CHECK_REGEX", checkRegex), Ports.free(), bot.port, 1)) {
            assertThat(customer.await(Duration.ofSeconds(20))).as(customer.report()).isZero();
            assertThat(customer.log()).contains("REFUSED " + expect);
            assertThat(bot.calls).as("no call was set up").isEmpty();
        }
    }

    /**
     * A phone that answered one keepalive and then vanished (no BYE) ends the call on the bot's side; before, the
     * call stayed open forever.
     */
    @Test
    void call_whose_phone_vanished_is_ended_by_the_keepalive() throws Exception {
        java.util.concurrent.CompletableFuture<CallLeg> ended = new java.util.concurrent.CompletableFuture<>();
        try (Bot bot = new Bot(ua -> ua.keepaliveInterval(Duration.ofMillis(300)).optionsTimeout(Duration.ofMillis(300)), b -> b);
             Sipp customer = ColdTransferTest.customer("customer-vanish.xml", bot, "vanish", ColdTransferTest.ALLOW_REFER)) {
            bot.ua.onCallEnded(ended::complete);
            CallLeg leg = bot.nextCall(customer);

            assertThat(customer.await(Duration.ofSeconds(20))).as(customer.report()).isZero();
            assertThat(customer.log()).contains("KEEPALIVE answered");
            CallLeg gone = ended.get(20, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(gone.sessionId()).isEqualTo(leg.sessionId());
            assertThat(gone.state()).isEqualTo(CallLeg.State.TERMINATED);
            assertThat(bot.ua.leg(leg.sessionId())).isEmpty();
        }
    }
}
