package dev.handoff.sip;

import gov.nist.javax.sip.header.extensions.ReplacesHeader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ReferToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A phone for tests written directly on the JAIN-SIP RI, independent of {@link SipUserAgent} and its engine: it
 * listens on TLS only (so nothing reaches it over another transport), answers every INVITE and OPTIONS with
 * {@code Supported: replaces}, and records every request and response it receives.
 *
 * <p>As the customer it carries out a REFER as RFC 3515 and RFC 3891 describe: 202, a NOTIFY with
 * {@code SIP/2.0 100 Trying}, an INVITE to the Refer-To URI with the URI's headers ({@code Replaces} among them)
 * as headers of the INVITE, then a NOTIFY with the INVITE's final status that ends the subscription. As the agent
 * it answers an INVITE with {@code Replaces} only when it names one of its confirmed dialogs from its own view
 * (to-tag its local tag, from-tag the remote one), else 481, and then ends the replaced dialog with BYE.
 */
final class JainSipPhone implements SipListener, AutoCloseable {

    /** What the phone received: a request ({@code kind} its method) or a response ({@code kind} "status METHOD"). */
    record Received(String kind, String callId, String viaTransport, Message message) {
        String header(String name) {
            Header h = message.getHeader(name);
            return h == null ? null : h.toString().substring(h.toString().indexOf(':') + 1).trim();
        }

        /** A received request as the agent's side reads it (for {@link TicketCarriage#read}, correlations). */
        IncomingInvite invite() {
            Request r = (Request) message;
            Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Iterator<String> names = r.getHeaderNames(); names.hasNext(); ) {
                String name = names.next();
                all.putIfAbsent(name, header(name));
            }
            return new IncomingInvite(callId, r.getRequestURI().toString(),
                    ((javax.sip.header.FromHeader) r.getHeader("From")).getAddress().getURI().toString(),
                    ((javax.sip.header.ToHeader) r.getHeader("To")).getAddress().getURI().toString(), all);
        }

        @Override
        public String toString() {
            return kind + " " + callId + " over " + viaTransport;
        }
    }

    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";

    final String user;
    final int port;
    private final String scheme;
    private final SipStack stack;
    private final SipProvider provider;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final List<Received> received = new ArrayList<>();
    /** The dialogs of the INVITEs this phone answered, by Call-ID (what an INVITE with Replaces may name). */
    private final Map<String, Dialog> dialogs = new ConcurrentHashMap<>();

    /**
     * Starts a phone on a free loopback port with TLS only. {@code sips} puts a {@code sips:} URI in its Contact
     * (RFC 3261 section 26), else {@code sip:...;transport=tls}.
     */
    static JainSipPhone start(String user, Path keyStore, Path trustStore, String password, boolean sips) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return new JainSipPhone(user, Ports.free(), keyStore, trustStore, password, sips);
            } catch (javax.sip.InvalidArgumentException | javax.sip.TransportNotSupportedException e) {
                if (attempt == 3) {
                    throw e; // the port was taken by another build three times in a row
                }
            }
        }
    }

    private JainSipPhone(String user, int port, Path keyStore, Path trustStore, String password, boolean sips) throws Exception {
        this.user = user;
        this.port = port;
        this.scheme = sips ? "sips" : "sip";
        Properties p = SipStackLogging.route(new Properties());
        p.setProperty("javax.sip.STACK_NAME", "test-phone-" + user + "-" + STACKS.incrementAndGet());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        p.setProperty("javax.net.ssl.keyStore", keyStore.toString());
        p.setProperty("javax.net.ssl.keyStorePassword", password);
        p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
        p.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        p.setProperty("javax.net.ssl.trustStorePassword", password);
        p.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3, TLSv1.2");
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", "TLS_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        stack = factory.createSipStack(p);
        addresses = factory.createAddressFactory();
        headers = factory.createHeaderFactory();
        messages = factory.createMessageFactory();
        try {
            ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.TLS);
            provider = stack.createSipProvider(lp);
            provider.addSipListener(this);
            stack.start();
        } catch (Exception e) {
            stack.stop();
            throw e;
        }
    }

    /** The phone's address, also its Contact: a {@code sips:} URI, or a {@code sip:} URI with {@code transport=tls}. */
    String uri() {
        return scheme.equals("sips") ? "sips:" + user + "@127.0.0.1:" + port : "sip:" + user + "@127.0.0.1:" + port + ";transport=tls";
    }

    /** A snapshot of what the phone received, in order. */
    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until the phone received something that matches; fails naming what it did receive. */
    synchronized Received await(String what, Predicate<Received> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Received r : received) {
                if (match.test(r)) {
                    return r;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(user + "'s phone: no " + what + " within " + timeout + "; received " + received);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private synchronized void record(String kind, Message m) {
        ViaHeader via = (ViaHeader) m.getHeader(ViaHeader.NAME);
        received.add(new Received(kind, ((CallIdHeader) m.getHeader(CallIdHeader.NAME)).getCallId(),
                via == null ? null : via.getTransport(), m));
        notifyAll();
    }

    // ---------------------------------------------------------------------------------------------- requests

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        record(request.getMethod(), request);
        try {
            if (request.getMethod().equals(Request.ACK)) {
                return;
            }
            ServerTransaction tx = event.getServerTransaction() != null ? event.getServerTransaction()
                    : provider.getNewServerTransaction(request);
            switch (request.getMethod()) {
                case Request.INVITE -> invited(tx, request);
                case Request.REFER -> referred(tx, request);
                case Request.OPTIONS -> tx.sendResponse(withCapabilities(messages.createResponse(Response.OK, request)));
                default -> tx.sendResponse(messages.createResponse(Response.OK, request)); // BYE, NOTIFY, CANCEL
            }
        } catch (Exception e) {
            throw new IllegalStateException(user + "'s phone could not handle " + request.getMethod() + ": " + e, e);
        }
    }

    private void invited(ServerTransaction tx, Request invite) throws Exception {
        Dialog replaced = null;
        if (invite.getHeader(ReplacesHeader.NAME) instanceof ReplacesHeader r) {
            // RFC 3891 section 3: the tags are from our view; no match is 481
            Dialog d = dialogs.get(r.getCallId());
            if (d == null || !r.getToTag().equals(d.getLocalTag()) || !r.getFromTag().equals(d.getRemoteTag())) {
                tx.sendResponse(messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, invite));
                return;
            }
            replaced = d;
        }
        Response ok = withCapabilities(messages.createResponse(Response.OK, invite));
        ((javax.sip.header.ToHeader) ok.getHeader("To")).setTag(Long.toHexString(System.nanoTime()));
        ok.setContent(SDP, headers.createContentTypeHeader("application", "sdp"));
        tx.sendResponse(ok);
        dialogs.put(((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId(), tx.getDialog());
        if (replaced != null) {
            replaced.sendRequest(provider.getNewClientTransaction(replaced.createRequest(Request.BYE)));
        }
    }

    private Response withCapabilities(Response r) throws Exception {
        r.addHeader(headers.createContactHeader(addresses.createAddress(uri())));
        for (String method : List.of("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "REFER", "NOTIFY")) {
            r.addHeader(headers.createAllowHeader(method));
        }
        r.addHeader(headers.createSupportedHeader("replaces"));
        return r;
    }

    /** The transferee's part: accept, report 100 Trying, and call the Refer-To target with its headers. */
    private void referred(ServerTransaction tx, Request refer) throws Exception {
        Dialog dialog = tx.getDialog();
        tx.sendResponse(messages.createResponse(Response.ACCEPTED, refer));
        long referCseq = ((CSeqHeader) refer.getHeader(CSeqHeader.NAME)).getSeqNumber();
        notify(dialog, referCseq, "SIP/2.0 100 Trying", "active;expires=60");
        SipURI referTo = (SipURI) ((SipURI) ((ReferToHeader) refer.getHeader(ReferToHeader.NAME)).getAddress().getURI()).clone();
        Map<String, String> uriHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Iterator<?> names = referTo.getHeaderNames(); names.hasNext(); ) {
            String name = (String) names.next();
            uriHeaders.put(name, percentDecoded(referTo.getHeader(name)));
        }
        ((gov.nist.javax.sip.address.SipUri) referTo).removeHeaders();
        Request invite = newInvite(referTo);
        for (Map.Entry<String, String> h : uriHeaders.entrySet()) {
            invite.addHeader(headers.createHeader(h.getKey(), h.getValue()));
        }
        if (refer.getHeader("Referred-By") != null) {
            invite.addHeader(refer.getHeader("Referred-By")); // RFC 3892
        }
        ClientTransaction ct = provider.getNewClientTransaction(invite);
        ct.setApplicationData(new Referral(dialog, referCseq));
        ct.sendRequest();
    }

    /** Calls {@code uri} (the bot); the answer is acknowledged and recorded as "200 INVITE". */
    void call(String uri) throws Exception {
        provider.getNewClientTransaction(newInvite((SipURI) addresses.createURI(uri))).sendRequest();
    }

    private Request newInvite(SipURI target) throws Exception {
        Request invite = messages.createRequest(target, Request.INVITE,
                headers.createCallIdHeader(UUID.randomUUID().toString()), headers.createCSeqHeader(1L, Request.INVITE),
                headers.createFromHeader(addresses.createAddress(addresses.createURI(uri())), Long.toHexString(System.nanoTime())),
                headers.createToHeader(addresses.createAddress(target), null),
                new ArrayList<>(List.of(headers.createViaHeader("127.0.0.1", port, ListeningPoint.TLS, null))),
                headers.createMaxForwardsHeader(70));
        invite.addHeader(headers.createContactHeader(addresses.createAddress(uri())));
        invite.addHeader(headers.createSupportedHeader("replaces"));
        invite.setContent(SDP, headers.createContentTypeHeader("application", "sdp"));
        return invite;
    }

    /** The REFER a new INVITE carries out: the dialog it came on and its CSeq, for the NOTIFYs. */
    private record Referral(Dialog dialog, long referCseq) {
    }

    private void notify(Dialog dialog, long referCseq, String sipfrag, String state) throws Exception {
        Request notify = dialog.createRequest(Request.NOTIFY);
        notify.setHeader(headers.createContactHeader(addresses.createAddress(uri()))); // NOTIFY refreshes the target
        notify.setHeader(headers.createEventHeader("refer;id=" + referCseq));
        notify.setHeader(headers.createSubscriptionStateHeader(state));
        notify.setContent(sipfrag + "\r\n", headers.createContentTypeHeader("message", "sipfrag"));
        dialog.sendRequest(provider.getNewClientTransaction(notify));
    }

    private static String percentDecoded(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------- responses

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        record(response.getStatusCode() + " " + cseq.getMethod(), response);
        int code = response.getStatusCode();
        ClientTransaction ct = event.getClientTransaction();
        if (code < 200 || ct == null || !cseq.getMethod().equals(Request.INVITE)) {
            return;
        }
        try {
            if (code < 300) {
                event.getDialog().sendAck(event.getDialog().createAck(cseq.getSeqNumber()));
            }
            if (ct.getApplicationData() instanceof Referral referral) {
                notify(referral.dialog(), referral.referCseq(), "SIP/2.0 " + code + " " + response.getReasonPhrase(), "terminated;reason=noresource");
            }
        } catch (Exception e) {
            throw new IllegalStateException(user + "'s phone could not finish the transfer: " + e, e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    @Override
    public void close() {
        provider.removeSipListener(this);
        try {
            stack.deleteSipProvider(provider);
        } catch (javax.sip.ObjectInUseException e) {
            // stopping the stack below releases it anyway
        }
        stack.stop();
    }
}
