package dev.handoff.sip.internal;

import dev.handoff.sip.CallLeg;
import dev.handoff.sip.RegistrationEvent;
import dev.handoff.sip.SipRegistration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one address of record registered: REGISTER at start, digest challenges answered by the engine, a refresh
 * at 80% of the lifetime the registrar granted (so a lost refresh still has time for a retry), and a new attempt
 * after {@link #RETRY} when the registrar refused or did not answer. Every step runs on one serial executor.
 */
final class RegistrationClient {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationClient.class);
    /** Wait before a failed registration is tried again: 30 s, or the requested lifetime when that is shorter. */
    static final Duration RETRY = Duration.ofSeconds(30);

    private final SipEngine engine;
    private final SipRegistration registration;
    private final SerialExecutor events;
    private final Leg owner;
    private final String callId = SipMessages.newCallId();
    private final String fromTag = SipMessages.newTag();
    private long cseq = 1;
    private volatile boolean stopped;
    private ScheduledFuture<?> next;

    RegistrationClient(SipEngine engine, SipRegistration registration, SerialExecutor events) {
        this.engine = engine;
        this.registration = registration;
        this.events = events;
        this.owner = new Leg(null, callId, CallLeg.Direction.OUTBOUND, events);
    }

    void start() {
        events.execute(this::register);
    }

    void stop() {
        stopped = true;
        ScheduledFuture<?> n = next;
        if (n != null) {
            n.cancel(false);
        }
    }

    private void register() {
        if (stopped) {
            return;
        }
        try {
            Request register = request();
            ClientTransaction ct = engine.provider().getNewClientTransaction(register);
            ct.setApplicationData(new SipEvents.Pending(owner, new ResponseHandler() {
                @Override
                public void response(Response r, Dialog dialog) {
                    if (r.getStatusCode() >= 200) {
                        answered(r);
                    }
                }

                @Override
                public void timeout() {
                    failed(408, "no answer from the registrar");
                }
            }));
            ct.sendRequest();
        } catch (Exception e) {
            failed(503, "REGISTER not sent: " + e.getMessage());
        }
    }

    private Request request() throws Exception {
        var addresses = engine.addressFactory();
        var headers = engine.headerFactory();
        URI registrar = addresses.createURI(registration.registrar());
        Address aor = addresses.createAddress(addresses.createURI(registration.addressOfRecord()));
        // a sips: registrar is reached over TLS and given a sips: Contact (RFC 3261 10.2.1, 26.2), whatever its parameters
        boolean secure = registrar instanceof SipURI sip && sip.isSecure();
        String transport = registrar instanceof SipURI sip && sip.getTransportParam() != null
                ? sip.getTransportParam().toLowerCase(java.util.Locale.ROOT) : secure ? "tls" : "udp";
        List<ViaHeader> via = new ArrayList<>(List.of(engine.messages().via(transport)));
        Request r = engine.messageFactory().createRequest(registrar, Request.REGISTER, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(cseq++, Request.REGISTER), headers.createFromHeader(aor, fromTag),
                headers.createToHeader(aor, null), via, headers.createMaxForwardsHeader(70));
        r.addHeader(engine.messages().contact(transport, secure));
        r.addHeader(headers.createExpiresHeader((int) registration.expires().getSeconds()));
        return r;
    }

    private void answered(Response r) {
        int code = r.getStatusCode();
        if (code >= 300) {
            failed(code, code + " " + r.getReasonPhrase());
            return;
        }
        Duration granted = granted(r);
        LOG.info("registered {} at {} for {} s", registration.addressOfRecord(), registration.registrar(), granted.getSeconds());
        engine.registered(new RegistrationEvent(registration.addressOfRecord(), code, granted, engine.clock().instant()));
        schedule(Duration.ofMillis(Math.max(500, granted.toMillis() * 8 / 10)));
    }

    /** The lifetime granted for our Contact (its expires parameter), else the Expires header, else what we asked. */
    private Duration granted(Response r) {
        String ours = engine.localUri("udp");
        ListIterator<?> contacts = r.getHeaders(ContactHeader.NAME);
        while (contacts != null && contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.getExpires() >= 0 && c.getAddress().getURI().toString().startsWith(ours)) {
                return Duration.ofSeconds(c.getExpires());
            }
        }
        ExpiresHeader expires = (ExpiresHeader) r.getHeader(ExpiresHeader.NAME);
        return expires != null ? Duration.ofSeconds(expires.getExpires()) : registration.expires();
    }

    private void failed(int code, String why) {
        if (stopped) {
            return;
        }
        LOG.warn("registration of {} at {} failed: {}", registration.addressOfRecord(), registration.registrar(), why);
        engine.registered(new RegistrationEvent(registration.addressOfRecord(), code, Duration.ZERO, engine.clock().instant()));
        schedule(registration.expires().compareTo(RETRY) < 0 ? registration.expires() : RETRY);
    }

    private void schedule(Duration delay) {
        if (!stopped) {
            next = engine.schedule(events, delay, this::register);
        }
    }
}
