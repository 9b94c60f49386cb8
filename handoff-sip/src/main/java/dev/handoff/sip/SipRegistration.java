package dev.handoff.sip;

import java.time.Duration;
import java.util.Objects;

/**
 * Keeps the bot's user agent registered (RFC 3261 10) so calls to its address of record reach it through a
 * registrar or PBX: REGISTER on start, refreshed before the granted expiry runs out, with digest credentials from
 * {@link SipUserAgent.Builder#credentials}. Set with {@link SipUserAgent.Builder#registration}.
 *
 * @param addressOfRecord our public address, for example {@code sip:bot@pbx.example.com}; also the From of the
 *                        requests we send outside a dialog
 * @param registrar       the registrar's URI, for example {@code sip:pbx.example.com:5060}
 * @param expires         the registration lifetime asked for; the registrar may grant less, and the refresh
 *                        follows what it granted
 */
public record SipRegistration(String addressOfRecord, String registrar, Duration expires) {

    /** Default lifetime asked for: 600 s. */
    public static final Duration DEFAULT_EXPIRES = Duration.ofSeconds(600);

    public SipRegistration {
        Objects.requireNonNull(addressOfRecord, "addressOfRecord");
        Objects.requireNonNull(registrar, "registrar");
        Objects.requireNonNull(expires, "expires");
        if (!addressOfRecord.matches("sips?:[^@\\s]+@[^\\s;>]+")) {
            throw new IllegalArgumentException("registration address of record must be a SIP URI like sip:bot@pbx.example.com, was \""
                    + addressOfRecord.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
        if (!registrar.matches("sips?:[^\\s>]+")) {
            throw new IllegalArgumentException("registrar must be a SIP URI like sip:pbx.example.com:5060, was \""
                    + registrar.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
        if (expires.getSeconds() < 1 || expires.getSeconds() > 86_400) {
            throw new IllegalArgumentException("registration expires must be between 1 s and 1 day, was " + expires);
        }
    }

    /** A registration of {@code addressOfRecord} at {@code registrar} for {@link #DEFAULT_EXPIRES}. */
    public static SipRegistration of(String addressOfRecord, String registrar) {
        return new SipRegistration(addressOfRecord, registrar, DEFAULT_EXPIRES);
    }

    /** The same registration with another lifetime. */
    public SipRegistration withExpires(Duration value) {
        return new SipRegistration(addressOfRecord, registrar, value);
    }
}
