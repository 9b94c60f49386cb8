package dev.handoff.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.SessionId;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TransferResult.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Completed transfers over TCP and TLS (SIPS). SIPp cannot place the customer's second call over a connection of
 * its own and stay reachable at its Contact, so for cold transfers baresip plays the customer's phone and the agent
 * is a second {@link SipUserAgent}; for the warm transfer with Replaces over TLS, which baresip 1.0.0 cannot do, both
 * phones are {@link JainSipPhone}s. The certificates are made for the test with openssl (a self-signed certificate
 * for 127.0.0.1) and keytool; without openssl the tests are skipped, under {@code CI=true} they fail.
 */
class SecureTransportTest {

    static final String PASSWORD = "changeit";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path certificates;

    @BeforeAll
    static void make_certificates() throws Exception {
        Path openssl = ExternalTool.require("openssl");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool"); // ships with the JDK that runs the test
        run(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "key.pem", "-out", "ca.pem");
        Files.writeString(certificates.resolve("phone.pem"),
                Files.readString(certificates.resolve("ca.pem")) + Files.readString(certificates.resolve("key.pem")));
        run(openssl.toString(), "pkcs12", "-export", "-in", "ca.pem", "-inkey", "key.pem", "-name", "sip",
                "-out", "keys.p12", "-passout", "pass:" + PASSWORD);
        run(keytool.toString(), "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12",
                "-storetype", "PKCS12", "-storepass", PASSWORD);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(certificates.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    }

    private static SipUserAgent.Builder secure(SipUserAgent.Builder b, String transport) {
        b.transports(transport.equals("tls") ? SipTransport.TLS : SipTransport.TCP);
        return transport.equals("tls")
                ? b.keyStore(certificates.resolve("keys.p12"), PASSWORD).trustStore(certificates.resolve("trust.p12"), PASSWORD)
                : b;
    }

    /**
     * Cold transfers complete over TCP and TLS. A warm request completes too, cold from the start with the agent
     * rung once, because baresip 1.0.0 does not support Replaces (its answer has no Supported header); a warm
     * transfer with Replaces over TCP/TLS needs a phone that has both, which neither SIPp nor this baresip is.
     */
    @ParameterizedTest(name = "{0} request over {1}")
    @CsvSource({"COLD, tcp, COLD", "COLD, tls, COLD", "WARM, tcp, COLD", "WARM, tls, COLD"})
    void transfer_completes_over_a_connection_oriented_transport(TransferMode requested, String transport, TransferMode mode)
            throws Exception {
        BlockingQueue<CallLeg> agentCalls = new LinkedBlockingQueue<>();
        try (Baresip customer = Baresip.start("customer", transport, transport.equals("tls") ? certificates : null);
             SipUserAgent agent = secure(SipUserAgent.builder().port(0).userName("agent"), transport).start();
             Bot bot = new Bot(ua -> secure(ua, transport), b -> b.acceptTimeout(Duration.ofSeconds(4)).notifyTimeout(Duration.ofSeconds(4)))) {
            agent.onIncomingCall(agentCalls::add);
            SessionId session = SessionId.of("secure-1");
            CallLeg leg = bot.ua.dial(session, customer.uri("customer"), Map.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            String agentUri = "sip:agent@127.0.0.1:" + agent.port() + ";transport=" + transport;

            TransferResult result = bot.transfer(Bot.request(session, agentUri, requested), new Bot.Progress());

            assertThat(result.outcome()).as(result.detail() + "\n" + customer.log()).isEqualTo(Outcome.CONNECTED);
            assertThat(result.mode()).as(result.detail() + "; customer Supported " + leg.supported()).isEqualTo(mode);
            if (requested != mode) {
                assertThat(result.detail()).isEqualTo("connected; cold instead of warm: the customer's phone does not support Replaces (its Supported: none)");
            }
            CallLeg reached = agentCalls.poll(5, TimeUnit.SECONDS);
            assertThat(reached).as("the customer's phone reached the agent").isNotNull();
            assertThat(agentCalls.poll(500, TimeUnit.MILLISECONDS)).as("the agent was rung once").isNull();
            assertThat(reached.headers().get("Via")).as("the customer's INVITE came over " + transport).containsIgnoringCase("/" + transport + " ");
            assertThat(bot.executor.correlations().redeem(reached)).map(TicketCarriage.Redemption::ticket).contains(Bot.TICKET);
            assertThat(bot.ua.leg(session)).isEmpty();
        }
    }

    /**
     * A warm transfer with Replaces completes over TLS. Neither SIPp (built without TLS here) nor baresip 1.0.0 (no
     * Replaces) can be the customer's phone, so both phones are {@link JainSipPhone}s: written on the JAIN-SIP RI
     * directly, independent of the bot's engine, listening on TLS only. The customer's phone carries out the REFER as
     * RFC 3515/3891 say (202, NOTIFY 100 Trying, INVITE with the Refer-To's Replaces and headers, NOTIFY 200 OK); the
     * agent's phone answers that INVITE only if Replaces names its consult dialog from its own view, then ends the
     * consult call with BYE. Every party is addressed with {@code transport=tls} or, as RFC 3261 section 26 allows,
     * with {@code sips:} URIs (then each Contact must be a sips: URI too); the customer's call is placed by the bot or
     * by the customer.
     */
    @ParameterizedTest(name = "addressed as {0}, {2}")
    @CsvSource({"sip:...;transport=tls, false, the bot calls the customer", "sip:...;transport=tls, false, the customer calls the bot",
            "sips:..., true, the bot calls the customer", "sips:..., true, the customer calls the bot"})
    void warm_transfer_with_replaces_completes_over_tls(String addressing, boolean sips, String call) throws Exception {
        Path keys = certificates.resolve("keys.p12");
        Path trust = certificates.resolve("trust.p12");
        try (JainSipPhone customer = JainSipPhone.start("customer", keys, trust, PASSWORD, sips);
             JainSipPhone agent = JainSipPhone.start("agent", keys, trust, PASSWORD, sips);
             Bot bot = new Bot(ua -> secure(ua, "tls"), b -> b.acceptTimeout(Duration.ofSeconds(4)).notifyTimeout(Duration.ofSeconds(4))
                     .whisperWindow(WhisperWindow.fixed(Duration.ofMillis(100))))) {
            CallLeg leg;
            if (call.equals("the customer calls the bot")) {
                customer.call(sips ? "sips:handoff@127.0.0.1:" + bot.port : "sip:handoff@127.0.0.1:" + bot.port + ";transport=tls");
                leg = bot.calls.poll(10, TimeUnit.SECONDS);
                assertThat(leg).as("the customer's call reached the bot: " + customer.received()).isNotNull();
            } else {
                leg = bot.ua.dial(SessionId.of("secure-warm"), customer.uri(), Map.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            SessionId session = leg.sessionId();
            Bot.Progress progress = new Bot.Progress();

            TransferResult result = bot.transfer(Bot.request(session, agent.uri(), TransferMode.WARM), progress);

            assertThat(result.outcome()).as(result.detail() + " " + progress + "\ncustomer " + customer.received() + "\nagent " + agent.received())
                    .isEqualTo(Outcome.CONNECTED);
            assertThat(result.mode()).isEqualTo(TransferMode.WARM);
            assertThat(progress.steps()).extracting(Bot.Progress.Step::detail).contains("REFER sent with Replaces");
            customer.await("BYE from the bot on its call", r -> r.kind().equals("BYE") && r.callId().equals(leg.callId()), WAIT);
            JainSipPhone.Received bridged = agent.await("INVITE with Replaces",
                    r -> r.kind().equals("INVITE") && r.header("Replaces") != null, WAIT);
            List<JainSipPhone.Received> invites = agent.received().stream().filter(r -> r.kind().equals("INVITE")).toList();
            assertThat(invites).as("the consult call, then the customer's INVITE replacing it").hasSize(2);
            String consultCallId = invites.get(0).callId();
            assertThat(invites.get(0).header("Replaces")).as("the consult call replaces nothing").isNull();
            String botTag = ((javax.sip.header.FromHeader) invites.get(0).message().getHeader("From")).getTag();
            String agentTag = ((javax.sip.header.ToHeader) agent.await("the bot's ACK of the consult call",
                    r -> r.kind().equals("ACK") && r.callId().equals(consultCallId), WAIT).message().getHeader("To")).getTag();
            assertThat(bridged.header("Replaces")).as("Replaces names the consult call with the agent's tag as to-tag (RFC 3891)")
                    .isEqualTo(consultCallId + ";to-tag=" + agentTag + ";from-tag=" + botTag);
            assertThat(bridged.invite().fromUri()).as("the bridging INVITE comes from the customer's phone").contains("customer@");
            JainSipPhone.Received consultEnded = agent.await("the end of the consult call", r -> r.callId().equals(consultCallId)
                    && (r.kind().equals("200 BYE") || r.kind().equals("BYE")), WAIT);
            assertThat(agent.received().indexOf(consultEnded)).as("the consult call ends after the customer's INVITE replaced it")
                    .isGreaterThan(agent.received().indexOf(bridged));
            assertThat(TicketCarriage.defaults().read(bridged.invite())).contains(new TicketCarriage.Redemption(Bot.TICKET, TicketCarriage.Source.USER_TO_USER));
            assertThat(bot.executor.correlations().redeem(bridged.invite())).map(TicketCarriage.Redemption::ticket).contains(Bot.TICKET);
            assertThat(customer.received()).as("everything the customer's phone received came over TLS")
                    .isNotEmpty().allSatisfy(r -> assertThat(r.viaTransport()).isEqualToIgnoringCase("TLS"));
            assertThat(agent.received()).as("everything the agent's phone received came over TLS")
                    .allSatisfy(r -> assertThat(r.viaTransport()).isEqualToIgnoringCase("TLS"));
            String botContact = sips ? "<sips:handoff@127.0.0.1:" + bot.port + ">" : "<sip:handoff@127.0.0.1:" + bot.port + ";transport=tls>";
            assertThat(Stream.concat(customer.received().stream(), agent.received().stream()).map(r -> r.header("Contact"))
                    .filter(c -> c != null && c.contains("handoff@")))
                    .as("the bot's Contact on every message reaches it over TLS (RFC 3261 8.1.1.8, 12.1.1: a sips: URI where the phone's is)")
                    .isNotEmpty().allSatisfy(c -> assertThat(c).isEqualTo(botContact));
            assertThat(bot.ua.leg(session)).isEmpty();
        }
    }

    /** A registrar addressed as {@code sips:} gets the REGISTER over TLS with a {@code sips:} Contact (RFC 3261 10.2.1). */
    @ParameterizedTest(name = "registrar addressed as {0}")
    @CsvSource({"sips:..., true", "sip:...;transport=tls, false"})
    void registration_at_a_tls_registrar_gives_a_contact_that_reaches_the_bot_over_tls(String addressing, boolean sips)
            throws Exception {
        try (JainSipPhone registrar = JainSipPhone.start("registrar", certificates.resolve("keys.p12"),
                certificates.resolve("trust.p12"), PASSWORD, sips);
             SipUserAgent ua = secure(SipUserAgent.builder().port(0), "tls")
                     .registration(SipRegistration.of((sips ? "sips" : "sip") + ":handoff@127.0.0.1", registrar.uri())).start()) {
            JainSipPhone.Received register = registrar.await("REGISTER", r -> r.kind().equals("REGISTER"), WAIT);
            assertThat(register.viaTransport()).isEqualToIgnoringCase("TLS");
            String contact = sips ? "<sips:handoff@127.0.0.1:" + ua.port() + ">"
                    : "<sip:handoff@127.0.0.1:" + ua.port() + ";transport=tls>";
            assertThat(register.header("Contact")).as("the Contact the registrar will route calls to").startsWith(contact);
        }
    }

    @Test
    void tls_without_a_key_store_is_a_configuration_error() {
        assertThatThrownBy(() -> SipUserAgent.builder().port(0).transports(SipTransport.TLS).start())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("transports include TLS but no key store is set: call keyStore(path, password)");
        assertThatThrownBy(() -> SipUserAgent.builder().keyStore(certificates.resolve("missing.p12"), PASSWORD))
                .hasMessage("keyStore must be a readable PKCS#12 file, was \"" + certificates.resolve("missing.p12") + "\" (not readable)");
        assertThat(List.of(SipTransport.values())).contains(SipTransport.TLS);
    }
}
