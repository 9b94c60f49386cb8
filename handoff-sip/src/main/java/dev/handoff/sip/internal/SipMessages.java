package dev.handoff.sip.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import javax.sip.Dialog;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;

/**
 * Builds and reads the parts of our SIP messages: new requests, Via, Contact (a {@code sips:} one where the peer
 * uses {@code sips:}), Allow, headers and URIs, Call-IDs and tags, and the transport a message or dialog uses. Made
 * by {@link StackLifecycle} from the stack's factories; part of {@link SipEngine}.
 */
final class SipMessages {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY, UPDATE, INFO";

    /** The engine's settings: read on each use, as they are replaced once when the port is chosen at start. */
    private final Supplier<SipEngine.Settings> settings;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;

    SipMessages(Supplier<SipEngine.Settings> settings, AddressFactory addresses, HeaderFactory headers, MessageFactory messages) {
        this.settings = settings;
        this.addresses = addresses;
        this.headers = headers;
        this.messages = messages;
    }

    Request newRequest(String method, SipURI target, String callId, String transport) throws Exception {
        SipEngine.Settings settings = this.settings.get();
        SipURI requestUri = (SipURI) target.clone();
        SipURI toUri = addresses.createSipURI(target.getUser(), target.getHost() + (target.getPort() > 0 ? ":" + target.getPort() : ""));
        Address from = settings.registration() != null
                ? addresses.createAddress(addresses.createURI(settings.registration().addressOfRecord()))
                : addresses.createAddress(addresses.createSipURI(settings.userName(), settings.advertisedHost() + ":" + settings.advertisedPort()));
        ViaHeader via = via(transport);
        Request r = messages.createRequest(requestUri, method, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(1L, method), headers.createFromHeader(from, newTag()),
                headers.createToHeader(addresses.createAddress(toUri), null), new ArrayList<>(List.of(via)),
                headers.createMaxForwardsHeader(70));
        r.addHeader(contact(transport, target.isSecure()));
        return r;
    }

    /** Our Via with {@code rport} (RFC 3581), so responses come back to where we sent from, also behind NAT. */
    ViaHeader via(String transport) throws Exception {
        ViaHeader via = headers.createViaHeader(settings.get().host(), settings.get().port(), transport, null);
        via.setRPort();
        return via;
    }

    ContactHeader contact(String transport) {
        return contact(transport, false);
    }

    /** Our Contact header; {@code secure} makes it a {@code sips:} URI (see {@link #localUri(String, boolean)}). */
    ContactHeader contact(String transport, boolean secure) {
        try {
            return headers.createContactHeader(addresses.createAddress(localUri(transport, secure)));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Our Allow list. No Supported header: the bot implements no option tag (an incoming INVITE with Replaces would
     * not be honoured, so {@code replaces} is not advertised; Require of any tag is answered 420).
     */
    void addCapabilities(javax.sip.message.Message m) throws java.text.ParseException {
        for (String method : ALLOW.split(", ")) {
            m.addHeader(headers.createAllowHeader(method));
        }
    }

    /** Our Contact URI: the advertised (public) address when one is set, else the bound one. */
    String localUri(String transport) {
        return localUri(transport, false);
    }

    /**
     * Our Contact URI towards a peer. {@code secure} (the request or dialog is addressed by a {@code sips:} URI) gives
     * a {@code sips:} URI, which RFC 3261 (8.1.1.8, 12.1.1) requires there; otherwise a {@code sip:} URI that names
     * the transport unless it is UDP. Before, a dialog with a {@code sips:} remote target got a plain {@code sip:}
     * Contact (UDP) on REFER and BYE, which a phone that routes by it cannot reach when the bot listens on TLS only.
     */
    String localUri(String transport, boolean secure) {
        SipEngine.Settings settings = this.settings.get();
        String userHostPort = settings.userName() + "@" + settings.advertisedHost() + ":" + settings.advertisedPort();
        if (secure) {
            return "sips:" + userHostPort;
        }
        return "sip:" + userHostPort
                + (transport.equalsIgnoreCase("udp") ? "" : ";transport=" + transport.toLowerCase(java.util.Locale.ROOT));
    }

    /** Parses a SIP URI; throws {@link IllegalArgumentException} naming the value when it is not one. */
    SipURI parseSipUri(String uri) {
        try {
            URI parsed = addresses.createURI(uri);
            if (parsed instanceof SipURI sip) {
                return sip;
            }
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("target address: expected a SIP URI like sip:agent@host:5060, was \"" + uri + "\"", e);
        }
        throw new IllegalArgumentException("target address: expected a SIP URI like sip:agent@host:5060, was \"" + uri + "\"");
    }

    Header header(String name, String value) {
        try {
            return headers.createHeader(name, value);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("header " + name + ": cannot be sent with value \"" + value + "\": " + e.getMessage(), e);
        }
    }

    Address address(SipURI uri) {
        return addresses.createAddress(uri);
    }

    static long cseqOf(Request request) {
        return ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }

    static String transportOf(SipURI uri) {
        String t = uri.getTransportParam();
        if (t == null) {
            t = uri.isSecure() ? "tls" : "udp";
        }
        return t.toLowerCase(java.util.Locale.ROOT);
    }

    static String transportOf(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(java.util.Locale.ROOT);
    }

    static String transportOfDialog(Dialog dialog) {
        try {
            Address remote = dialog.getRemoteTarget();
            if (remote != null && remote.getURI() instanceof SipURI sip && sip.getTransportParam() != null) {
                return sip.getTransportParam();
            }
            if (remote != null && remote.getURI() instanceof SipURI sip && sip.isSecure()) {
                return "tls";
            }
        } catch (RuntimeException ignored) {
            // fall through to UDP
        }
        return "udp";
    }

    /** Whether a request is addressed by a {@code sips:} URI, so our Contact in its answer must be one. */
    static boolean isSecure(Request request) {
        return request.getRequestURI() instanceof SipURI sip && sip.isSecure();
    }

    /** Whether a dialog was set up by a {@code sips:} request or its remote target is one: our Contact must be sips: too. */
    static boolean isSecure(Dialog dialog) {
        if (dialog == null) {
            return false;
        }
        try {
            Address remote = dialog.getRemoteTarget();
            return dialog.isSecure() || remote != null && remote.getURI() instanceof SipURI sip && sip.isSecure();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A Call-ID of letters and digits only, so that it needs no escaping inside a Replaces URI header. */
    static String newCallId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "h" + HexFormat.of().formatHex(b);
    }

    static String newTag() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
