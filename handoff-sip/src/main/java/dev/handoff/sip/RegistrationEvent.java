package dev.handoff.sip;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one REGISTER (after any digest challenge was answered), delivered to
 * {@link SipUserAgent#onRegistration} on a worker thread.
 *
 * @param addressOfRecord the address registered
 * @param code            the registrar's final status (200 registered; 401/403 refused credentials; 408 no answer)
 * @param granted         the lifetime the registrar granted; zero when not registered
 * @param at              when the answer arrived
 */
public record RegistrationEvent(String addressOfRecord, int code, Duration granted, Instant at) {

    public RegistrationEvent {
        Objects.requireNonNull(addressOfRecord, "addressOfRecord");
        Objects.requireNonNull(granted, "granted");
        Objects.requireNonNull(at, "at");
    }

    /** Whether the registrar accepted the registration. */
    public boolean registered() {
        return code >= 200 && code < 300;
    }
}
