package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
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
}
