package dev.handoff.sip.internal;

import dev.handoff.api.TransferRequest;
import dev.handoff.sip.TicketCarriage;
import dev.handoff.sip.TicketCarrier;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sip.address.SipURI;

/**
 * What a transfer carries to the agent: the ticket in each enabled carrier (To URI parameter, Referred-By,
 * User-to-User, an X- header) and the configured and per-request headers, for the consult INVITE and the Refer-To URI.
 */
final class TransferCarriage {

    private final SipEngine engine;
    private final TransferSettings settings;
    private final TransferRequest request;

    TransferCarriage(SipEngine engine, TransferSettings settings, TransferRequest request) {
        this.engine = engine;
        this.settings = settings;
        this.request = request;
    }

    /** The agent's URI, with the ticket parameter when the To URI is a carrier. */
    SipURI targetUri() {
        SipURI uri = (SipURI) engine.parseSipUri(request.target().address()).clone();
        if (settings.carriage().uses(TicketCarrier.TO_URI_PARAMETER)) {
            try {
                uri.setParameter(settings.carriage().parameter(), SipCodec.escapeUriParameterValue(request.ticket()));
            } catch (java.text.ParseException e) {
                throw new IllegalArgumentException("ticket: cannot be a URI parameter: " + e.getMessage(), e);
            }
        }
        return uri;
    }

    /** Our URI for Referred-By, with the ticket parameter when Referred-By is a carrier. */
    String referredBy(String localUri) {
        String base = localUri;
        int cut = base.indexOf('>');
        base = cut >= 0 ? base.substring(0, cut) : base;
        return settings.carriage().uses(TicketCarrier.REFERRED_BY)
                ? base + ";" + settings.carriage().parameter() + "=" + SipCodec.escapeUriParameterValue(request.ticket())
                : base;
    }

    /** The headers that carry the ticket: User-to-User and the X- header, each when enabled. */
    private Map<String, String> ticketHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        TicketCarriage carriage = settings.carriage();
        if (carriage.uses(TicketCarrier.USER_TO_USER)) {
            h.put("User-to-User", carriage.userToUser(request.ticket()));
        }
        if (carriage.uses(TicketCarrier.X_HEADER)) {
            h.put(carriage.headerName(), request.ticket());
        }
        return h;
    }

    /** The headers a consult INVITE and the Refer-To URI carry: the ticket's, then the settings', then the request's. */
    Map<String, String> headers() {
        Map<String, String> all = new LinkedHashMap<>(ticketHeaders());
        all.putAll(settings.headers());
        all.putAll(request.headers());
        return all;
    }

    /** The Refer-To URI: the agent's, with Replaces (warm) and every carried header as URI headers. */
    SipURI referTo(String replaces) throws java.text.ParseException {
        SipURI referTo = targetUri();
        if (replaces != null) {
            referTo.setHeader("Replaces", SipCodec.escapeUriHeaderValue(replaces));
        }
        for (Map.Entry<String, String> h : headers().entrySet()) {
            referTo.setHeader(h.getKey(), SipCodec.escapeUriHeaderValue(h.getValue()));
        }
        return referTo;
    }
}
