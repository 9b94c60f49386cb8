package dev.handoff.sip;

import dev.handoff.api.Priority;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.spi.TransferExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module README's Java blocks (regions checked by handoff-examples' ReadmeSnippetsTest). Compiled, not run: they
 * bind 10.0.0.5, register with a PBX and read key stores under /etc. The same calls run against SIPp, baresip and
 * Kamailio on 127.0.0.1 in ColdTransferTest, WarmTransferTest, IncomingCallTest, KamailioTest and SecureTransportTest.
 */
final class ReadmeTest {

    private static final Logger log = LoggerFactory.getLogger(ReadmeTest.class);

    private ReadmeTest() {
    }

    /** What the README's bot host stands for: your voice bot. */
    interface VoiceBot {
        void conversationStarted(SessionId sessionId);

        void stopSpeaking();

        void resume(String detail);
    }

    static void usage(VoiceBot bot, SessionId sessionId, String contextId, String ticket) {
        // tag::usage[]
        try (SipUserAgent ua = SipUserAgent.builder()
                .bindAddress("10.0.0.5")            // default 127.0.0.1
                .port(5060)                          // default 5060, UDP and TCP
                .sessionResolver(SessionResolver.headerOrCallId())   // X-Handoff-Session, else the Call-ID
                .start()) {

            ua.onIncomingCall(leg -> bot.conversationStarted(leg.sessionId()));   // the INVITE was answered and ACKed

            TransferExecutor executor = SipTransferExecutor.builder(ua)
                    .header("X-Handoff-Tenant", "acme")
                    .holdDuringConsult(true)
                    .whisperWindow(WhisperWindow.fixed(Duration.ofSeconds(4)))
                    .lastResort(LastResort.backupQueue("sip:overflow@pbx.example.com"))
                    .build();

            TransferRequest request = new TransferRequest(sessionId, contextId, ticket,
                    Target.sip("front-desk", "sip:frontdesk@pbx.example.com"), TransferMode.WARM, Priority.HIGH,
                    Map.of("X-Handoff-Reason", "billing-dispute"), Duration.ofSeconds(30));
            executor.transfer(request, (code, detail) -> log.info("{} {}", code, detail))
                    .thenAccept(result -> {
                        if (result.connected()) bot.stopSpeaking();          // a human has the call
                        else bot.resume(result.detail());                    // the customer is still with the bot
                    });
        }
        // end::usage[]
    }

    static SipUserAgent trunk() {
        // tag::trunk[]
        SipUserAgent ua = SipUserAgent.builder()
                .bindAddress("10.0.0.5").advertisedAddress("203.0.113.7")
                .credentials("bot", System.getenv("SIP_PASSWORD"))                  // digest for 401 and 407
                .registration(SipRegistration.of("sip:bot@pbx.example.com", "sip:pbx.example.com:5060"))
                .outboundProxy("pbx.example.com:5060")                               // every request goes through it
                .start();
        ua.onRegistration(e -> log.info("registered={} code={}", e.registered(), e.code()));
        // end::trunk[]
        return ua;
    }

    static void tls(String keyStorePassword, String trustPassword) {
        // tag::tls[]
        SipUserAgent.builder().transports(SipTransport.TLS, SipTransport.UDP)
                .keyStore(Path.of("/etc/bot/sip.p12"), keyStorePassword)      // our certificate and key, PKCS#12
                .trustStore(Path.of("/etc/bot/trust.p12"), trustPassword)     // whom we accept; default the JVM's
                .start();
        // end::tls[]
    }
}
