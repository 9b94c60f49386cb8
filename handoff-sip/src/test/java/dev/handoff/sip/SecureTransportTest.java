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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Completed transfers over TCP and TLS (SIPS). SIPp cannot place the customer's second call over a connection of
 * its own and stay reachable at its Contact, so baresip plays the customer's phone; the agent is a second
 * {@link SipUserAgent}. The certificates are made for the test with openssl (a self-signed certificate for
 * 127.0.0.1) and keytool.
 */
class SecureTransportTest {

    static final String PASSWORD = "changeit";

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
