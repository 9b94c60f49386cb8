package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.SessionId;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TransferResult.Outcome;
import dev.handoff.sip.TicketCarriage.Redemption;
import dev.handoff.sip.TicketCarriage.Source;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Against a real Kamailio registrar and proxy ({@code src/test/resources/kamailio/registrar.cfg}) that asks for
 * digest credentials on REGISTER (401) and on INVITE, OPTIONS and REFER from our users (407), and retargets calls
 * to registered users, rewriting the Request-URI.
 */
class KamailioTest {

    static final String BOT_SECRET = "bot-secret";
    static final String AGENT_SECRET = "agent-secret";

    @Test
    void registration_answers_the_digest_challenge_and_is_refreshed_before_it_expires() throws Exception {
        BlockingQueue<RegistrationEvent> events = new LinkedBlockingQueue<>();
        try (Kamailio kamailio = Kamailio.start("registrar.cfg");
             SipUserAgent bot = registered(kamailio, "handoff", BOT_SECRET, Duration.ofSeconds(2), events);
             SipUserAgent caller = registered(kamailio, "agent", AGENT_SECRET, Duration.ofSeconds(60), new LinkedBlockingQueue<>())) {
            RegistrationEvent first = events.poll(10, TimeUnit.SECONDS);
            RegistrationEvent refresh = events.poll(10, TimeUnit.SECONDS);

            assertThat(first).as(kamailio.log()).isNotNull();
            assertThat(first.registered()).as(first + "\n" + kamailio.log()).isTrue();
            assertThat(first.granted()).isEqualTo(Duration.ofSeconds(2));
            assertThat(refresh).as("refreshed before the 2 s expired\n" + kamailio.log()).isNotNull();
            assertThat(refresh.registered()).isTrue();
            // reachable through the registrar at its address of record
            assertThat(caller.options(kamailio.uri("handoff")).toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .as(kamailio.log()).isEqualTo(200);
        }
    }

    @Test
    void wrong_password_is_reported_as_refused_without_a_loop_of_challenges() throws Exception {
        BlockingQueue<RegistrationEvent> events = new LinkedBlockingQueue<>();
        try (Kamailio kamailio = Kamailio.start("registrar.cfg");
             SipUserAgent bot = registered(kamailio, "handoff", "wrong", Duration.ofSeconds(60), events)) {
            RegistrationEvent event = events.poll(10, TimeUnit.SECONDS);

            assertThat(event).as(kamailio.log()).isNotNull();
            assertThat(event.registered()).isFalse();
            assertThat(event.code()).isEqualTo(401);
            assertThat(event.granted()).isZero();
            assertThat(kamailio.log().split("KAMAILIO REGISTER", -1)).as("one REGISTER and one retry with credentials").hasSize(3);
        }
    }

    /**
     * The whole path of a real network: the bot registers and sends everything through Kamailio as outbound proxy
     * (its INVITE to the customer, the OPTIONS preflight and the REFER are each challenged with 407 and sent again
     * with credentials); the customer's phone (baresip: drops Refer-To headers, sends no Referred-By) calls the
     * agent's address of record, and Kamailio retargets it to the registered agent, so the Request-URI loses the
     * ticket. The agent's side still redeems it: from the To header, or by the caller when no carrier is used.
     */
    @Test
    void ticket_is_redeemed_after_the_registrar_rewrote_the_request_uri() throws Exception {
        transferThroughKamailio(TicketCarriage.defaults(), Source.TO_URI_PARAMETER);
    }

    @Test
    void ticket_is_redeemed_by_the_caller_when_every_carrier_is_stripped() throws Exception {
        transferThroughKamailio(TicketCarriage.builder().carriers().build(), Source.CALLER_CORRELATION);
    }

    private void transferThroughKamailio(TicketCarriage carriage, Source expected) throws Exception {
        BlockingQueue<CallLeg> agentCalls = new LinkedBlockingQueue<>();
        BlockingQueue<RegistrationEvent> botEvents = new LinkedBlockingQueue<>();
        BlockingQueue<RegistrationEvent> agentEvents = new LinkedBlockingQueue<>();
        try (Kamailio kamailio = Kamailio.start("registrar.cfg");
             Baresip customer = Baresip.start("customer");
             SipUserAgent agent = registered(kamailio, "agent", AGENT_SECRET, Duration.ofSeconds(60), agentEvents);
             Bot bot = new Bot(ua -> ua.userName("handoff").credentials("handoff", BOT_SECRET)
                     .outboundProxy("127.0.0.1:" + kamailio.port)
                     .registration(new SipRegistration("sip:handoff@127.0.0.1", "sip:127.0.0.1:" + kamailio.port, Duration.ofSeconds(60))),
                     b -> b.ticketCarriage(carriage).acceptTimeout(Duration.ofSeconds(4)).notifyTimeout(Duration.ofSeconds(4)))) {
            agent.onIncomingCall(agentCalls::add);
            bot.ua.onRegistration(botEvents::add);
            assertThat(agentEvents.poll(10, TimeUnit.SECONDS)).as(kamailio.log()).extracting(RegistrationEvent::registered).isEqualTo(true);
            SessionId session = SessionId.of("kamailio-1");
            CallLeg leg = bot.ua.dial(session, customer.uri("customer"), Map.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);

            TransferResult result = bot.transfer(Bot.request(session, kamailio.uri("agent"), TransferMode.COLD), new Bot.Progress());

            assertThat(result.outcome()).as(result.detail() + "\n" + kamailio.log() + "\n" + customer.log()).isEqualTo(Outcome.CONNECTED);
            CallLeg reached = agentCalls.poll(ColdTransferTest.WAIT.toSeconds(), TimeUnit.SECONDS);   // the callback runs on a worker: late under load
            assertThat(reached).as("the customer's phone reached the agent").isNotNull();
            assertThat(reached.requestUri()).as("Kamailio rewrote the Request-URI to the registered contact")
                    .startsWith("sip:agent@127.0.0.1:" + agent.port()).doesNotContain("x-handoff");
            assertThat(bot.executor.correlations().redeem(reached)).contains(new Redemption(Bot.TICKET, expected));
            assertThat(kamailio.log()).contains("KAMAILIO retargeted to sip:agent@127.0.0.1:" + agent.port())
                    .contains("KAMAILIO REFER").contains("KAMAILIO OPTIONS sip:agent@").contains("KAMAILIO INVITE " + customer.uri("customer"));
            assertThat(leg.state()).isEqualTo(CallLeg.State.TERMINATED);
        }
    }

    /** A SIPp customer copies the Refer-To headers: the agent behind the registrar redeems User-to-User. */
    @Test
    void user_to_user_reaches_a_registered_agent_through_the_proxy() throws Exception {
        BlockingQueue<CallLeg> agentCalls = new LinkedBlockingQueue<>();
        BlockingQueue<RegistrationEvent> agentEvents = new LinkedBlockingQueue<>();
        try (Kamailio kamailio = Kamailio.start("registrar.cfg");
             SipUserAgent agent = registered(kamailio, "agent", AGENT_SECRET, Duration.ofSeconds(60), agentEvents);
             Bot bot = new Bot(ua -> ua.credentials("handoff", BOT_SECRET), b -> b);
             Sipp customer = ColdTransferTest.customer("customer.xml", bot, "registrar", ColdTransferTest.ALLOW_REFER)) {
            agent.onIncomingCall(agentCalls::add);
            assertThat(agentEvents.poll(10, TimeUnit.SECONDS)).as(kamailio.log()).extracting(RegistrationEvent::registered).isEqualTo(true);
            CallLeg leg = bot.nextCall(customer);

            TransferResult result = bot.transfer(Bot.request(leg.sessionId(), kamailio.uri("agent"), TransferMode.COLD), new Bot.Progress());

            assertThat(result.outcome()).as(result.detail() + "\n" + kamailio.log()).isEqualTo(Outcome.CONNECTED);
            CallLeg reached = agentCalls.poll(ColdTransferTest.WAIT.toSeconds(), TimeUnit.SECONDS);   // the callback runs on a worker: late under load
            assertThat(reached).isNotNull();
            assertThat(reached.requestUri()).doesNotContain("x-handoff");
            assertThat(bot.executor.carriage().read(new IncomingInvite(reached.callId(), reached.requestUri(), reached.remoteUri(),
                    reached.localUri(), reached.headers()))).contains(new Redemption(Bot.TICKET, Source.USER_TO_USER));
            assertThat(customer.await(ColdTransferTest.WAIT)).as(customer.report()).isZero();
        }
    }

    private static SipUserAgent registered(Kamailio kamailio, String user, String password, Duration expires,
                                           BlockingQueue<RegistrationEvent> events) {
        SipUserAgent ua = SipUserAgent.builder().port(0).userName(user).credentials(user, password)
                .registration(new SipRegistration("sip:" + user + "@127.0.0.1", "sip:127.0.0.1:" + kamailio.port, expires))
                .start();
        ua.onRegistration(events::add);
        return ua;
    }
}
