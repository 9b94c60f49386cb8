package dev.handoff.sip;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The parts of a new incoming INVITE that a {@link SessionResolver} may use.
 *
 * @param callId     the SIP Call-ID
 * @param requestUri the Request-URI
 * @param fromUri    the caller's URI
 * @param toUri      the called URI
 * @param headers    the first value of each header; names compared without regard to case
 */
public record IncomingInvite(String callId, String requestUri, String fromUri, String toUri, Map<String, String> headers) {

    public IncomingInvite {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(fromUri, "fromUri");
        Objects.requireNonNull(toUri, "toUri");
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            copy.putAll(headers);
        }
        headers = Collections.unmodifiableMap(copy);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return headers.get(name);
    }
}
