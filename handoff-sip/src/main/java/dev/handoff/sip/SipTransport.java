package dev.handoff.sip;

import java.util.Locale;

/** A SIP transport the user agent listens on and sends with. */
public enum SipTransport {
    UDP,
    TCP,
    /** Needs a key store ({@link SipUserAgent.Builder#keyStore}) and optionally a trust store ({@link SipUserAgent.Builder#trustStore}). */
    TLS;

    /** The lower-case name used in Via headers and the {@code transport} URI parameter. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
