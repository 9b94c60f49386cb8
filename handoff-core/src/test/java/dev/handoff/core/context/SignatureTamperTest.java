package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureTamperTest {

    private static final byte[] KEY_A = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_B = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    private final Clock clock = Clock.fixed(Instant.parse("2026-05-12T16:31:00Z"), ZoneOffset.UTC);
    private final ContextSigner signer = new ContextSigner(SigningKeys.of("k1", KEY_A), clock);

    private static HandoffContext golden() {
        try (var in = SignatureTamperTest.class.getResourceAsStream("/schema/examples/b2b-sales-chat.json")) {
            return ContextJson.get().read(in.readAllBytes()).withIntegrity(null);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A different printable ASCII byte in the same position. */
    private static byte other(byte b) {
        if (b >= '0' && b <= '8') {
            return (byte) (b + 1);
        }
        if (b == '9') {
            return '0';
        }
        if (b >= 'a' && b <= 'z') {
            return (byte) (b == 'z' ? 'a' : b + 1);
        }
        if (b >= 'A' && b <= 'Z') {
            return (byte) (b == 'Z' ? 'A' : b + 1);
        }
        return b == 'x' ? (byte) 'y' : (byte) 'x';
    }

    @Test
    void the_signed_size_reported_without_a_second_serialisation_is_the_real_one() {
        ContextSigner.Signed signed = signer.signMeasured(golden());
        assertThat(signed.bytes()).isEqualTo(ContextJson.get().write(signed.context()).length);
        assertThat(signer.verify(signed.context())).isEqualTo(signed.context());

        String document = new String(ContextJson.get().write(golden()), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"x-vendor\":{\"a\":[1,2]},");
        HandoffContext withUnknownFields = ContextJson.get().read(document.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ContextSigner.Signed extended = signer.signMeasured(withUnknownFields);
        assertThat(extended.context().extensions()).containsKey("x-vendor");
        assertThat(extended.bytes()).isEqualTo(ContextJson.get().write(extended.context()).length);
    }

    @Test
    void signed_bytes_verify_as_they_are() {
        byte[] bytes = signer.signToBytes(golden());

        HandoffContext verified = signer.verifyBytes(bytes);

        assertThat(verified.integrity().keyId()).isEqualTo("k1");
        assertThat(verified.withIntegrity(null)).isEqualTo(golden());
    }

    @Test
    void every_single_changed_byte_is_rejected_signed_at_and_expires_at_included() {
        byte[] bytes = signer.signToBytes(golden());
        List<Integer> accepted = new ArrayList<>();

        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] = other(bytes[i]);
            try {
                signer.verifyBytes(tampered);
                accepted.add(i);
            } catch (NonRetriableHandoffException expected) {
                // rejected: schema violation, bad JSON, unknown key, wrong algorithm or signature mismatch
            }
        }

        assertThat(bytes.length).isGreaterThan(3000);
        assertThat(accepted).as("positions whose change was accepted").isEmpty();
    }

    @Test
    void added_whitespace_or_reordered_bytes_are_not_canonical_and_are_rejected() {
        String json = new String(signer.signToBytes(golden()), StandardCharsets.UTF_8);
        String spaced = json.replaceFirst("\\{\"schema\":", "{ \"schema\":");

        assertThatThrownBy(() -> signer.verifyBytes(spaced.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("context document failed signature verification: it was altered");
    }

    @Test
    void jws_round_trips_and_names_the_key_in_its_header() {
        String jws = signer.signJws(golden());

        String header = new String(java.util.Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))), StandardCharsets.UTF_8);

        assertThat(header).isEqualTo("{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"handoff.context+jws\",\"iat\":1778603460,\"exp\":1778689860}");
        assertThat(signer.verifyJws(jws)).isEqualTo(golden());
        assertThat(jws).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    }

    @Test
    void every_single_changed_character_of_a_jws_is_rejected() {
        String jws = signer.signJws(golden());
        List<Integer> accepted = new ArrayList<>();

        for (int i = 0; i < jws.length(); i++) {
            if (jws.charAt(i) == '.') {
                continue;
            }
            char[] c = jws.toCharArray();
            c[i] = (char) other((byte) c[i]);
            try {
                signer.verifyJws(new String(c));
                accepted.add(i);
            } catch (NonRetriableHandoffException expected) {
                // rejected
            }
        }

        assertThat(accepted).as("positions whose change was accepted").isEmpty();
    }

    @Test
    void jws_from_a_rotated_out_key_is_refused_and_a_rotated_ring_still_verifies_old_ones() {
        SigningKeys v1 = SigningKeys.of("k1", KEY_A);
        String old = new ContextSigner(v1, clock).signJws(golden());
        SigningKeys v2 = v1.rotateTo("k2", KEY_B);

        assertThat(new ContextSigner(v2, clock).verifyJws(old)).isEqualTo(golden());
        assertThatThrownBy(() -> new ContextSigner(v2.retire("k1"), clock).verifyJws(old))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("JWS is signed with unknown key id \"k1\"");
        assertThatThrownBy(() -> signer.verifyJws("a.b"))
                .hasMessage("JWS is malformed: expected header.payload.signature, found 2 parts");
    }

    @Test
    void a_ticket_fits_a_sip_header_and_any_changed_character_is_refused() {
        Tickets tickets = new Tickets(SigningKeys.of("k-2026-11", KEY_A), clock, Tickets.DEFAULT_TTL);
        String ticket = tickets.issue("ctx-9e1b44a0-51f3-4c1e-8f62-7b1d2a6c0d5e");
        List<Integer> accepted = new ArrayList<>();

        for (int i = 0; i < ticket.length(); i++) {
            if (ticket.charAt(i) == '.') {
                continue;
            }
            char[] c = ticket.toCharArray();
            c[i] = (char) other((byte) c[i]);
            try {
                tickets.redeem(new String(c));
                accepted.add(i);
            } catch (NonRetriableHandoffException expected) {
                // rejected
            }
        }

        assertThat(ticket.getBytes(StandardCharsets.US_ASCII)).hasSizeLessThanOrEqualTo(128);
        assertThat(accepted).isEmpty();
    }
}
