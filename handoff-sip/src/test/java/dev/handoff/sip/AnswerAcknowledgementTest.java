package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ACK to the bot's 200 OK, against SIPp as the customer's phones: an ACK the bot took stops the 200 OK's
 * retransmissions, and a phone that never ACKs is hung up on explicitly.
 */
class AnswerAcknowledgementTest {

    private static final int BURST = 100;

    /**
     * A burst of 100 calls, each ACKed at once, on a machine the burst itself loads: no phone gets a copy of the 200 OK
     * after the bot has taken its ACK, which the bot's first keepalive OPTIONS proves (it is scheduled when the ACK
     * reaches the bot). A copy before that is legal (the bot's stack had not read the ACK yet) and counted only.
     * Before the fix the RI's dialog dropped an ACK that its message thread processed while a worker was still inside
     * {@code sendResponse}, passed it on to the bot all the same, and retransmitted the 200 OK until the phone ACKed
     * again, or for 32 s and then dropped the dialog without a BYE: 25 and 15 calls of 100 in two runs here.
     */
    @Test
    void no_phone_gets_the_200_ok_again_after_the_bot_took_its_ack_in_a_burst_of_calls() throws Exception {
        try (Bot bot = new Bot(ua -> ua.keepaliveInterval(Duration.ofSeconds(1)), b -> b);
             Sipp customer = Sipp.client("customer-prompt-ack.xml", Ports.free(), bot.port, BURST, "-nr", "-trace_msg",
                     "-r", Integer.toString(BURST * 2), "-l", Integer.toString(BURST), "-buff_size",
                     Integer.toString(SipUserAgent.Builder.DEFAULT_RECEIVE_BUFFER_SIZE),
                     "-key", "session", "burst", "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", "timer")) {
            List<CallLeg> legs = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                legs.add(bot.nextCall(customer));
            }

            int exit = customer.await(Duration.ofSeconds(90));
            Map<String, List<String>> received = receivedByCall(customer.messageTrace());
            List<String> lostAcks = received.entrySet().stream()
                    .filter(e -> copyAfterKeepalive(e.getValue())).map(Map.Entry::getKey).toList();
            long early = received.values().stream().filter(AnswerAcknowledgementTest::copyBeforeKeepalive).count();
            System.out.printf("prompt-ACK burst: %d calls; 200 OK copied after the bot took the ACK: %d; "
                    + "copied before it (legal when the bot's stack had not read the ACK yet): %d%n", BURST, lostAcks.size(), early);

            assertThat(legs).extracting(CallLeg::sessionId).doesNotHaveDuplicates();
            assertThat(received).as(customer.report()).hasSize(BURST);
            assertThat(lostAcks).as("calls whose 200 OK came again after the bot's first keepalive\n" + customer.report()).isEmpty();
            assertThat(exit).as(customer.report()).isZero();
        }
    }

    /**
     * RFC 3261 13.3.1.4: a phone that never ACKs the 200 OK gets BYE once the bot gives up retransmitting it (64×T1,
     * 32 s; here the RI's timeout factor is 4×T1 to keep the test short, so two copies come first), and the application never hears of a call
     * that was never set up. Before, the RI deleted the dialog after 32 s without a BYE: the phone kept a call
     * nobody was on.
     */
    @Test
    void a_phone_that_never_acks_is_hung_up_with_bye() throws Exception {
        try (Bot bot = new Bot(ua -> ua.stackProperty("gov.nist.javax.sip.DIALOG_TIMEOUT_FACTOR", "4"), b -> b);
             Sipp customer = Sipp.client("customer-no-ack.xml", Ports.free(), bot.port, 1, "-nr", "-key", "session", "noack",
                     "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", "timer")) {

            assertThat(customer.await(Duration.ofSeconds(60))).as(customer.report()).isZero();
            assertThat(customer.log()).contains("200 OK received, not ACKed", "BYE after no ACK");
            assertThat(copies(customer)).as("copies of the 200 OK before the BYE").isBetween(1L, COPIES_IN_4_T1);
            assertThat(bot.calls).as("the application never saw the call").isEmpty();
            assertThat(bot.ua.leg(dev.handoff.api.SessionId.of("noack-1"))).isEmpty();
        }
    }

    /**
     * A call the application has (it got {@code onIncomingCall}) whose phone never ACKs the answer to its re-INVITE:
     * the bot sends BYE after 64×T1 (4×T1 here, so after two copies) and the application hears the call ended, so
     * nothing waits on a call that is gone. Before, the RI ignored the factor, retransmitted for 32 s and deleted the
     * dialog without a BYE; only the keepalive noticed later.
     */
    @Test
    void a_call_whose_reinvite_answer_is_never_acked_ends_with_bye_and_the_application_hears_it() throws Exception {
        CompletableFuture<CallLeg> ended = new CompletableFuture<>();
        try (Bot bot = new Bot(ua -> ua.stackProperty("gov.nist.javax.sip.DIALOG_TIMEOUT_FACTOR", "4")
                .keepaliveInterval(Duration.ofMillis(500)), b -> b);
             Sipp customer = Sipp.client("customer-reinvite-no-ack.xml", Ports.free(), bot.port, 1, "-nr", "-key", "session",
                     "reinvite", "-key", "allow", ColdTransferTest.ALLOW_REFER, "-key", "supported", "timer")) {
            bot.ua.onCallEnded(ended::complete);
            CallLeg leg = bot.nextCall(customer);

            assertThat(customer.await(Duration.ofSeconds(60))).as(customer.report()).isZero();
            assertThat(customer.log()).contains("re-INVITE answered, not ACKed", "BYE after no ACK");
            assertThat(copies(customer)).as("copies of the 200 OK before the BYE").isBetween(1L, COPIES_IN_4_T1);
            CallLeg gone = ended.get(20, TimeUnit.SECONDS);
            assertThat(gone.sessionId()).isEqualTo(leg.sessionId());
            assertThat(gone.state()).isEqualTo(CallLeg.State.TERMINATED);
            assertThat(bot.ua.leg(leg.sessionId())).isEmpty();
        }
    }

    /**
     * Copies of a 2xx the RI sends before giving up at 4×T1: at T1 and 3×T1 (intervals T1, 2T1), then it times out at
     * the fifth tick. Its default 64×T1 sends ten; a count, not a time, tells which timeout ended the call.
     */
    private static final long COPIES_IN_4_T1 = 2;

    private static long copies(Sipp customer) {
        return customer.log().lines().filter(l -> l.contains("200 OK copy received, not ACKed")).count();
    }

    private static final Pattern MESSAGE = Pattern.compile(
            "(?m)^-+ \\S+ \\S+\\R(UDP|TCP) message (received|sent)[^\\n]*\\R+([^\\r\\n]+)(?s:(.*?))(?=^-{10,} |\\z)");
    private static final Pattern CALL_ID = Pattern.compile("(?mi)^Call-ID:\\s*(\\S+)");
    private static final Pattern CSEQ = Pattern.compile("(?mi)^CSeq:\\s*(\\d+ \\w+)");

    /** What each call's phone received, in order: "first line | CSeq". */
    static Map<String, List<String>> receivedByCall(String trace) {
        Map<String, List<String>> calls = new LinkedHashMap<>();
        Matcher m = MESSAGE.matcher(trace);
        while (m.find()) {
            if (!m.group(2).equals("received")) {
                continue;
            }
            Matcher id = CALL_ID.matcher(m.group(4));
            Matcher cseq = CSEQ.matcher(m.group(4));
            if (id.find() && cseq.find()) {
                calls.computeIfAbsent(id.group(1), k -> new ArrayList<>()).add(m.group(3).trim() + " | " + cseq.group(1));
            }
        }
        return calls;
    }

    private static final String OK_TO_INVITE = "SIP/2.0 200 OK | 1 INVITE";

    static boolean copyAfterKeepalive(List<String> received) {
        int keepalive = indexOfKeepalive(received);
        return keepalive >= 0 && received.subList(keepalive, received.size()).contains(OK_TO_INVITE);
    }

    static boolean copyBeforeKeepalive(List<String> received) {
        int keepalive = indexOfKeepalive(received);
        List<String> before = keepalive < 0 ? received : received.subList(0, keepalive);
        return before.stream().filter(OK_TO_INVITE::equals).count() > 1;
    }

    private static int indexOfKeepalive(List<String> received) {
        for (int i = 0; i < received.size(); i++) {
            if (received.get(i).startsWith("OPTIONS ")) {
                return i;
            }
        }
        return -1;
    }
}
