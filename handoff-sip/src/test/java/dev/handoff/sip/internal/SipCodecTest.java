package dev.handoff.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.TransferResult.Outcome;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SipCodecTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "200, CONNECTED",
            "202, CONNECTED",
            "486, BUSY",
            "600, BUSY",
            "603, REJECTED",
            "403, REJECTED",
            "404, REJECTED",
            "405, REJECTED",
            "481, REJECTED",
            "408, TIMED_OUT",
            "480, TIMED_OUT",
            "487, TIMED_OUT",
            "504, TIMED_OUT",
            "500, FAILED",
            "503, FAILED",
    })
    void sip_status_maps_to_transfer_outcome(int status, Outcome outcome) {
        assertThat(SipCodec.outcomeFor(status)).isEqualTo(outcome);
    }

    @Test
    void hex_is_lower_case_and_decodes_either_case() {
        assertThat(SipCodec.hexLower("tkt_7Q2-xZ.9")).isEqualTo("746b745f3751322d785a2e39");
        assertThat(SipCodec.unhex("746B745F3751322D785A2E39")).isEqualTo("tkt_7Q2-xZ.9");
    }

    @Test
    void bad_hex_names_the_value() {
        assertThatThrownBy(() -> SipCodec.unhex("XYZ"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected hex data, was \"XYZ\"");
    }

    @Test
    void unescape_undoes_uri_escaping_and_rejects_a_broken_escape() {
        assertThat(SipCodec.unescape(SipCodec.escapeUriParameterValue("a b;c=dé"))).isEqualTo("a b;c=dé");
        assertThatThrownBy(() -> SipCodec.unescape("ab%2")).hasMessage("bad escape in \"ab%2\"");
    }

    @Test
    void printable_strips_control_characters_from_attacker_text() {
        assertThat(SipCodec.printable("a\r\nBYE\u0007")).isEqualTo("a??BYE?");
    }

    @Test
    void uri_header_values_are_escaped_so_they_survive_inside_refer_to() {
        assertThat(SipCodec.escapeUriHeaderValue("abc;to-tag=1;from-tag=2"))
                .isEqualTo("abc%3Bto-tag%3D1%3Bfrom-tag%3D2");
        assertThat(SipCodec.escapeUriHeaderValue("a b&c<d>é")).isEqualTo("a%20b%26c%3Cd%3E%C3%A9");
        assertThat(SipCodec.escapeUriHeaderValue("[]/?:+$-_.!~*'()")).isEqualTo("[]/?:+$-_.!~*'()");
    }

    @Test
    void uri_parameter_values_escape_separators() {
        assertThat(SipCodec.escapeUriParameterValue("tkt_7Q2-xZ.9")).isEqualTo("tkt_7Q2-xZ.9");
        assertThat(SipCodec.escapeUriParameterValue("a;b=c?d")).isEqualTo("a%3Bb%3Dc%3Fd");
    }

    @Test
    void replaces_puts_the_consult_to_tag_into_to_tag() {
        assertThat(SipCodec.replaces("h1234", "agentTag", "ourTag")).isEqualTo("h1234;to-tag=agentTag;from-tag=ourTag");
    }

    @Test
    void sipfrag_status_line_is_parsed() {
        SipCodec.Sipfrag frag = SipCodec.parseSipfrag("SIP/2.0 603 Declined\r\nContent-Length: 0\r\n".getBytes(StandardCharsets.UTF_8));

        assertThat(frag).isEqualTo(new SipCodec.Sipfrag(603, "Declined"));
        assertThat(frag.isFinal()).isTrue();
        assertThat(SipCodec.parseSipfrag("SIP/2.0 100 Trying".getBytes(StandardCharsets.UTF_8)).isFinal()).isFalse();
        assertThat(SipCodec.parseSipfrag("SIP/2.0 180".getBytes(StandardCharsets.UTF_8))).isEqualTo(new SipCodec.Sipfrag(180, ""));
    }

    @Test
    void sipfrag_without_status_line_names_the_body() {
        assertThatThrownBy(() -> SipCodec.parseSipfrag("INVITE sip:a@b SIP/2.0".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NOTIFY body: expected a message/sipfrag status line like \"SIP/2.0 200 OK\", was \"INVITE sip:a@b SIP/2.0\"");
        assertThatThrownBy(() -> SipCodec.parseSipfrag(null))
                .hasMessage("NOTIFY body: expected a message/sipfrag status line like \"SIP/2.0 200 OK\", was \"\"");
    }

    @Test
    void call_ids_need_no_escaping_inside_replaces() {
        String callId = SipMessages.newCallId();

        assertThat(callId).matches("h[0-9a-f]{32}");
        assertThat(SipCodec.escapeUriHeaderValue(callId)).isEqualTo(callId);
    }

    @Test
    void credentials_are_masked_in_the_wire_log() {
        String message = "INVITE sip:a@b SIP/2.0\r\nAuthorization: Digest username=\"bob\", response=\"secret\"\r\nTo: <sip:a@b>\r\n";

        assertThat(Slf4jServerLogger.mask(message))
                .isEqualTo("INVITE sip:a@b SIP/2.0\r\nAuthorization: Digest ***\r\nTo: <sip:a@b>\r\n");
    }
}
