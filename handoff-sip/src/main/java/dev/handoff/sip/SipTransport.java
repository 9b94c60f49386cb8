package dev.handoff.sip;

import java.util.Locale;

/** A SIP transport the user agent listens on and sends with. */
public enum SipTransport {
    UDP,
    TCP,
    /** Needs key and trust stores, given as stack properties (see {@link SipUserAgent.Builder#stackProperty}). */
    TLS;

    /** The lower-case name used in Via headers and the {@code transport} URI parameter. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
