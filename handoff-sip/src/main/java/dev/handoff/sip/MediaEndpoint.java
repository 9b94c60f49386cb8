package dev.handoff.sip;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * SPI: where the bot's audio goes. The {@link SipUserAgent} asks it for the local media description whenever it
 * answers or makes an SDP offer (RFC 3264), and negotiates from it: the answer lists only codecs the far side
 * offered (in the far side's order, with its payload type numbers), mirrors the offered direction (sendonly is
 * answered recvonly, a hold stays a hold) and refuses with port 0 every stream it cannot serve (video, no common
 * codec). An offer with no acceptable audio is refused with 488 Not Acceptable Here.
 *
 * <p>Called on a user-agent worker thread, once per offer or answer; must not block (return a description the
 * media server already reserved, or a fixed one). Set with {@link SipUserAgent.Builder#mediaEndpoint}; the default
 * {@link #signallingOnly()} describes no real media.
 */
@FunctionalInterface
public interface MediaEndpoint {

    /**
     * The address, port and codecs the bot can receive on for this call.
     *
     * @param call the call being negotiated (its session id and Call-ID name the media session to use)
     * @return the description, or null for the signalling-only one of {@link #signallingOnly()}
     */
    Description describe(CallLeg call);

    /**
     * Signalling only, for bots whose media flows elsewhere: the advertised address, port 9 (discard) and the
     * codecs PCMU, PCMA, G.722 and telephone-event. The answer still contains only what the far side offered.
     */
    static MediaEndpoint signallingOnly() {
        return call -> null;
    }

    /** A fixed description for every call, for example a media server's RTP port range front. */
    static MediaEndpoint fixed(String address, int port, List<Codec> codecs) {
        Description d = new Description(address, port, codecs);
        return call -> d;
    }

    /**
     * What we can receive.
     *
     * @param address the IPv4 address (or host name) RTP is sent to ({@code c=} line)
     * @param port    the RTP port, 1 to 65535
     * @param codecs  the codecs we accept, preferred first; at least one
     */
    record Description(String address, int port, List<Codec> codecs) {
        public Description {
            Objects.requireNonNull(address, "address");
            if (!address.matches("[A-Za-z0-9.\\-]+")) {
                throw new IllegalArgumentException("media address must be an IPv4 address or host name, was \"" + address.replaceAll("\\p{Cntrl}", "?") + "\"");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("media port must be between 1 and 65535, was " + port);
            }
            codecs = List.copyOf(codecs);
            if (codecs.isEmpty()) {
                throw new IllegalArgumentException("media codecs must name at least one codec, was empty");
            }
        }
    }

    /**
     * One RTP payload format.
     *
     * @param payloadType the payload type we use in an offer: 0 to 95 static (RFC 3551), 96 to 127 dynamic
     * @param name        the encoding name, e.g. {@code PCMU}, {@code G722}, {@code telephone-event}
     * @param clockRate   the RTP clock rate, e.g. 8000
     * @param fmtp        the {@code a=fmtp} parameters, or null
     */
    record Codec(int payloadType, String name, int clockRate, String fmtp) {
        /** PCMU, static payload type 0. */
        public static final Codec PCMU = new Codec(0, "PCMU", 8000, null);
        /** PCMA, static payload type 8. */
        public static final Codec PCMA = new Codec(8, "PCMA", 8000, null);
        /** G.722, static payload type 9 (RTP clock 8000 by RFC 3551's historical error). */
        public static final Codec G722 = new Codec(9, "G722", 8000, null);
        /** RFC 4733 DTMF events, dynamic payload type 101. */
        public static final Codec TELEPHONE_EVENT = new Codec(101, "telephone-event", 8000, "0-16");

        public Codec {
            Objects.requireNonNull(name, "name");
            if (payloadType < 0 || payloadType > 127) {
                throw new IllegalArgumentException("payload type must be between 0 and 127, was " + payloadType);
            }
            if (!name.matches("[A-Za-z0-9.\\-_]+")) {
                throw new IllegalArgumentException("codec name must be letters, digits or .-_, was \"" + name.replaceAll("\\p{Cntrl}", "?") + "\"");
            }
            if (clockRate < 1) {
                throw new IllegalArgumentException("clock rate must be positive, was " + clockRate);
            }
            if (fmtp != null && fmtp.chars().anyMatch(c -> c < 0x20)) {
                throw new IllegalArgumentException("fmtp must be one line, was \"" + fmtp.replaceAll("\\p{Cntrl}", "?") + "\"");
            }
        }

        /** Whether {@code name/clockRate} names this codec (names compared without regard to case). */
        public boolean matches(String otherName, int otherClock) {
            return name.toLowerCase(Locale.ROOT).equals(otherName.toLowerCase(Locale.ROOT)) && clockRate == otherClock;
        }
    }
}
