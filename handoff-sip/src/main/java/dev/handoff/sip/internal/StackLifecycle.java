package dev.handoff.sip.internal;

import dev.handoff.api.ConfigurationException;
import dev.handoff.sip.SipCredentials;
import dev.handoff.sip.SipTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.IntSupplier;
import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JAIN-SIP RI stack's life and the objects it makes: its properties, factories, listening points, provider and
 * digest helper, from {@link #start} to teardown in the order the RI needs ({@link #stop}). Part of {@link SipEngine}.
 */
final class StackLifecycle {

    /** The engine's logger, so that logging configured for {@link SipEngine} keeps covering these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(SipEngine.class);
    private static final String VALVES = "gov.nist.javax.sip.SIP_MESSAGE_VALVE";
    /** TLS 1.3 suites and TLS 1.2 ECDHE with AES-GCM: forward secrecy only. */
    static final List<String> TLS_CIPHER_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

    private final SipEngine engine;
    private final List<ListeningPoint> listeningPoints = new ArrayList<>();
    /** Orders a phone's ACK after the stack has taken our 2xx completely; set by {@link #start}. */
    private AckOrderValve ackOrder = new AckOrderValve();
    private gov.nist.javax.sip.clientauthutils.AuthenticationHelper auth;
    private SipStack stack;
    private SipProvider provider;
    private AddressFactory addresses;
    private HeaderFactory headers;
    private MessageFactory messages;
    private SipMessages builder;
    private volatile boolean started;

    StackLifecycle(SipEngine engine) {
        this.engine = engine;
    }

    /**
     * Creates the stack and listens, with {@code listener} on the provider; when the port is chosen at start (port 0)
     * the engine's settings are rebound to it. On failure closes the engine and throws {@link ConfigurationException}
     * naming the address.
     */
    void start(SipListener listener, IntSupplier candidatePorts) {
        SipEngine.Settings settings = engine.settings();
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", settings.stackName());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        dev.handoff.sip.SipStackLogging.route(p);
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "true");
        // A burst of calls sends hundreds of datagrams within a few hundred ms while the stack's single UDP reader
        // may be starved of CPU: the RI's default (64 KiB) overflowed and lost 202s, which made REFERs retransmit.
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(settings.receiveBufferSize()));
        if (settings.outboundProxy() != null) {
            p.setProperty("javax.sip.OUTBOUND_PROXY", settings.outboundProxy());
        }
        if (settings.tls() != null) {
            SipEngine.Tls tls = settings.tls();
            p.setProperty("javax.net.ssl.keyStore", tls.keyStore().toString());
            p.setProperty("javax.net.ssl.keyStorePassword", tls.keyStorePassword());
            p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
            if (tls.trustStore() != null) {
                p.setProperty("javax.net.ssl.trustStore", tls.trustStore().toString());
                p.setProperty("javax.net.ssl.trustStorePassword", tls.trustStorePassword());
                p.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            }
            // phones rarely hold a client certificate: ask for none, as a SIPS server would
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3, TLSv1.2");
            // the RI's default suites (RSA key exchange, 3DES, anonymous DH) are disabled in current JDKs and phones
            p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(" ", TLS_CIPHER_SUITES));
        }
        settings.stackProperties().forEach(p::setProperty);
        // an ACK waits until its 2xx is fully handed to the stack (AckOrderValve); a late retransmission of an INVITE is
        // absorbed, not answered 482 (RFC 6026); a user's own valves run after them
        String valves = settings.stackProperties().get(VALVES);
        p.setProperty(VALVES, AckOrderValve.class.getName() + "," + LateRetransmissionValve.class.getName()
                + (valves == null || valves.isBlank() ? "" : "," + valves));
        SipTransport current = null;
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            stack = factory.createSipStack(p);
            for (Object valve : ((gov.nist.javax.sip.stack.SIPTransactionStack) stack).sipMessageValves) {
                if (valve instanceof AckOrderValve v) {
                    ackOrder = v;
                }
            }
            addresses = factory.createAddressFactory();
            headers = factory.createHeaderFactory();
            messages = factory.createMessageFactory();
            builder = new SipMessages(engine::settings, addresses, headers, messages);
            if (settings.port() == 0) {
                current = null;
                ListeningPorts ports = new ListeningPorts(stack, settings);
                settings = engine.bindTo(ports.listenOnFreePort(
                        candidatePorts != null ? candidatePorts : ports::ephemeralPort, listeningPoints));
            } else {
                for (SipTransport t : settings.transports()) {
                    current = t;
                    listeningPoints.add(stack.createListeningPoint(settings.host(), settings.port(), t.wireName()));
                }
            }
            for (ListeningPoint lp : listeningPoints) {
                if (provider == null) {
                    provider = stack.createSipProvider(lp);
                } else {
                    provider.addListeningPoint(lp);
                }
            }
            provider.addSipListener(listener);
            if (settings.credentials() != null) {
                SipCredentials c = settings.credentials();
                auth = ((gov.nist.javax.sip.SipStackExt) stack).getAuthenticationHelper((tx, realm) -> new gov.nist.javax.sip.clientauthutils.UserCredentials() {
                    @Override
                    public String getUserName() {
                        return c.userName();
                    }

                    @Override
                    public String getPassword() {
                        return c.password();
                    }

                    @Override
                    public String getSipDomain() {
                        return realm;
                    }
                }, headers);
            }
            stack.start();
            started = true;
        } catch (Exception e) {
            engine.close();
            throw new ConfigurationException("cannot listen for SIP on " + (current == null ? "" : current.wireName() + " ")
                    + settings.host() + ":" + settings.port() + " (stack " + settings.stackName() + "): " + e.getMessage(), e);
        }
        LOG.info("SIP user agent {} listening on {}:{} {}", settings.stackName(), settings.host(), settings.port(), settings.transports());
    }

    /** Stops the stack: listener, provider, listening points, then the stack itself. */
    void stop(SipListener listener) {
        if (provider != null) {
            step("remove listener", () -> provider.removeSipListener(listener));
            step("delete provider", () -> stack.deleteSipProvider(provider));
        }
        for (ListeningPoint lp : listeningPoints) {
            step("delete listening point", () -> stack.deleteListeningPoint(lp));
        }
        if (stack != null) {
            step("stop", stack::stop);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void step(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            // a stack whose start failed half-way cannot always be torn down step by step; nothing is left running
            if (started && !ListeningPorts.readerNotStarted(e)) {
                LOG.warn("SIP stack {}: {} failed: {}", engine.settings().stackName(), what, e.toString());
            } else {
                LOG.debug("SIP stack {} (never started): {} failed: {}", engine.settings().stackName(), what, e.toString());
            }
        }
    }

    SipProvider provider() {
        return provider;
    }

    /** The digest helper, or null when no credentials are set. */
    gov.nist.javax.sip.clientauthutils.AuthenticationHelper auth() {
        return auth;
    }

    AckOrderValve ackOrder() {
        return ackOrder;
    }

    /** Our message builder, made from the stack's factories; null before {@link #start}. */
    SipMessages messages() {
        return builder;
    }

    AddressFactory addressFactory() {
        return addresses;
    }

    HeaderFactory headerFactory() {
        return headers;
    }

    MessageFactory messageFactory() {
        return messages;
    }
}
