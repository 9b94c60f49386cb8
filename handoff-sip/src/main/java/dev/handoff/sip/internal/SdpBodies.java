package dev.handoff.sip.internal;

import dev.handoff.sip.MediaEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our SDP bodies for a leg: offers and answers from the media endpoint's description, a signalling-only one when the
 * endpoint has none. Part of {@link SipEngine}; call on the leg's executor (it advances the leg's SDP version).
 */
final class SdpBodies {

    /** The engine's logger, so that logging configured for {@link SipEngine} keeps covering these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(SipEngine.class);
    /** The codecs of the signalling-only description. */
    static final List<MediaEndpoint.Codec> DEFAULT_CODECS = List.of(MediaEndpoint.Codec.PCMU, MediaEndpoint.Codec.PCMA,
            MediaEndpoint.Codec.G722, MediaEndpoint.Codec.TELEPHONE_EVENT);

    private final Supplier<SipEngine.Settings> settings;

    SdpBodies(Supplier<SipEngine.Settings> settings) {
        this.settings = settings;
    }

    /** Our offer (outbound INVITE, hold and resume re-INVITEs) from the media endpoint's description. */
    byte[] sdp(Leg leg, String direction) {
        return Sdp.offer(media(leg), sdpSessionId(leg), leg.sdpVersion++, direction).getBytes(StandardCharsets.US_ASCII);
    }

    /** The answer to the SDP of {@code request}, or our offer when it carries none (the answer then comes in the ACK). */
    byte[] answerSdp(Leg leg, Request request) throws Sdp.NotAcceptable {
        byte[] offer = request.getRawContent();
        if (offer == null || offer.length == 0) {
            return sdp(leg, "sendrecv");
        }
        return Sdp.answer(offer, media(leg), sdpSessionId(leg), leg.sdpVersion++).getBytes(StandardCharsets.US_ASCII);
    }

    private MediaEndpoint.Description media(Leg leg) {
        SipEngine.Settings settings = this.settings.get();
        MediaEndpoint.Description d = null;
        try {
            d = settings.media().describe(leg);
        } catch (RuntimeException e) {
            LOG.warn("media endpoint failed for {}; answering signalling-only: {}", leg.callId, e.toString());
        }
        return d != null ? d : new MediaEndpoint.Description(settings.advertisedHost(), 9, DEFAULT_CODECS);
    }

    private static String sdpSessionId(Leg leg) {
        return Long.toString((leg.callId.hashCode() & 0x7fffffffL) + 1);
    }
}
