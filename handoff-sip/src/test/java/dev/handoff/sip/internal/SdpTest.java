package dev.handoff.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.sip.MediaEndpoint.Codec;
import dev.handoff.sip.MediaEndpoint.Description;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 3264 answers: only offered codecs, the offered direction mirrored, port 0 for refused streams. */
class SdpTest {

    static final Description LOCAL = new Description("192.0.2.10", 40000,
            List.of(Codec.PCMU, Codec.PCMA, Codec.G722, Codec.TELEPHONE_EVENT));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // offered m= line and attributes (\n separated)                               | expected answer media lines
            "m=audio 5004 RTP/AVP 9\\na=rtpmap:9 G722/8000                                   | m=audio 40000 RTP/AVP 9\\na=rtpmap:9 G722/8000\\na=sendrecv",
            "m=audio 5004 RTP/AVP 8 0                                                          | m=audio 40000 RTP/AVP 8 0\\na=rtpmap:8 PCMA/8000\\na=rtpmap:0 PCMU/8000\\na=sendrecv",
            "m=audio 5004 RTP/AVP 0 96\\na=rtpmap:96 telephone-event/8000                      | m=audio 40000 RTP/AVP 0 96\\na=rtpmap:0 PCMU/8000\\na=rtpmap:96 telephone-event/8000\\na=fmtp:96 0-16\\na=sendrecv",
            "m=audio 5004 RTP/AVP 0\\na=sendonly                                               | m=audio 40000 RTP/AVP 0\\na=rtpmap:0 PCMU/8000\\na=recvonly",
            "m=audio 5004 RTP/AVP 0\\na=recvonly                                               | m=audio 40000 RTP/AVP 0\\na=rtpmap:0 PCMU/8000\\na=sendonly",
            "m=audio 5004 RTP/AVP 0\\na=inactive                                               | m=audio 40000 RTP/AVP 0\\na=rtpmap:0 PCMU/8000\\na=inactive",
            "m=audio 5004 RTP/AVP 0\\nm=video 5006 RTP/AVP 96\\na=rtpmap:96 H264/90000        | m=audio 40000 RTP/AVP 0\\na=rtpmap:0 PCMU/8000\\na=sendrecv\\nm=video 0 RTP/AVP 96",
            "m=audio 5004 RTP/AVP 97 0\\na=rtpmap:97 opus/48000/2                              | m=audio 40000 RTP/AVP 0\\na=rtpmap:0 PCMU/8000\\na=sendrecv",
    })
    void answer_lists_only_offered_codecs_and_mirrors_the_direction(String offered, String expected) throws Exception {
        String offer = "v=0\r\no=phone 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                + offered.replace("\\n", "\r\n") + "\r\n";

        String answer = Sdp.answer(offer.getBytes(StandardCharsets.US_ASCII), LOCAL, "7", 2);

        assertThat(answer).isEqualTo("v=0\r\no=handoff 7 2 IN IP4 192.0.2.10\r\ns=handoff\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
                + expected.replace("\\n", "\r\n") + "\r\n");
    }

    @Test
    void session_level_direction_applies_to_streams_without_their_own() throws Exception {
        String offer = "v=0\r\no=p 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\na=sendonly\r\nm=audio 5004 RTP/AVP 0\r\n";

        assertThat(Sdp.direction(Sdp.answer(offer.getBytes(StandardCharsets.US_ASCII), LOCAL, "1", 1).getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("recvonly");
    }

    @Test
    void offer_without_a_common_audio_codec_is_not_acceptable_and_names_what_was_offered() {
        String offer = "v=0\r\no=p 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\nm=audio 5004 RTP/AVP 97\r\na=rtpmap:97 opus/48000/2\r\n";

        assertThatThrownBy(() -> Sdp.answer(offer.getBytes(StandardCharsets.US_ASCII), LOCAL, "1", 1))
                .isInstanceOf(Sdp.NotAcceptable.class)
                .hasMessage("no offered audio codec is supported (offered: audio opus/48000/2)");
    }

    @Test
    void malformed_sdp_names_the_line() {
        assertThatThrownBy(() -> Sdp.answer("v=0\r\nm=audio x RTP/AVP 0\r\n".getBytes(StandardCharsets.US_ASCII), LOCAL, "1", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SDP: m= port must be a number, was \"x\"");
        assertThatThrownBy(() -> Sdp.answer("hello\r\n".getBytes(StandardCharsets.US_ASCII), LOCAL, "1", 1))
                .hasMessage("SDP: expected type=value lines, was \"hello\"");
    }

    @Test
    void offer_lists_our_codecs_with_the_given_direction() {
        assertThat(Sdp.offer(new Description("192.0.2.10", 40000, List.of(Codec.G722)), "7", 3, "sendonly"))
                .isEqualTo("v=0\r\no=handoff 7 3 IN IP4 192.0.2.10\r\ns=handoff\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
                        + "m=audio 40000 RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\na=sendonly\r\n");
    }
}
