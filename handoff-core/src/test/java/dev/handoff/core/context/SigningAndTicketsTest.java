package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SigningAndTicketsTest {

    private static final byte[] KEY_A = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_B = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T14:05:20Z"), ZoneOffset.UTC);

    private static HandoffContext golden() {
        return ContextJson.get().read(new String(readGolden(), StandardCharsets.UTF_8)).withIntegrity(null);
    }

    private static byte[] readGolden() {
        try (var in = SigningAndTicketsTest.class.getResourceAsStream("/schema/examples/b2b-sales-chat.json")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void signed_context_verifies_and_survives_a_json_round_trip() {
        ContextSigner signer = new ContextSigner(SigningKeys.of("k1", KEY_A), clock);

        HandoffContext signed = signer.sign(golden());
        HandoffContext reread = ContextJson.get().read(ContextJson.get().write(signed));

        assertThat(signed.integrity().keyId()).isEqualTo("k1");
        assertThat(signer.verify(reread)).isEqualTo(signed);
    }

    @Test
    void any_changed_byte_of_content_fails_verification() {
        ContextSigner signer = new ContextSigner(SigningKeys.of("k1", KEY_A), clock);
        String json = new String(ContextJson.get().write(signer.sign(golden())), StandardCharsets.UTF_8);
        String tampered = json.replace("15% off", "25% off");

        assertThat(tampered).isNotEqualTo(json);
        assertThatThrownBy(() -> signer.verify(ContextJson.get().read(tampered)))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("context ctx-9e1b44a0-51f3-4c1e-8f62-7b1d2a6c0d5e failed signature verification: it was altered");
    }

    @Test
    void rotated_keys_still_verify_old_documents_and_retired_ones_do_not() {
        SigningKeys v1 = SigningKeys.of("k1", KEY_A);
        HandoffContext old = new ContextSigner(v1, clock).sign(golden());
        SigningKeys v2 = v1.rotateTo("k2", KEY_B);

        assertThat(new ContextSigner(v2, clock).verify(old)).isEqualTo(old);
        assertThat(new ContextSigner(v2, clock).sign(golden()).integrity().keyId()).isEqualTo("k2");
        assertThatThrownBy(() -> new ContextSigner(v2.retire("k1"), clock).verify(old))
                .hasMessage("context ctx-9e1b44a0-51f3-4c1e-8f62-7b1d2a6c0d5e is signed with unknown key id \"k1\"");
    }

    @Test
    void short_keys_are_refused_and_key_bytes_never_print() {
        assertThatThrownBy(() -> SigningKeys.of("k1", Arrays.copyOf(KEY_A, 16)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("signing key \"k1\" must be at least 32 bytes, was 16");
        assertThat(SigningKeys.of("k1", KEY_A).toString()).isEqualTo("SigningKeys[current=k1, ids=[k1]]");
    }

    @Test
    void ticket_is_short_redeemable_and_expires() {
        var now = new java.util.concurrent.atomic.AtomicReference<>(clock.instant());
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        Tickets tickets = new Tickets(SigningKeys.of("k1", KEY_A), moving, Duration.ofMinutes(15));

        String ticket = tickets.issue("ctx-9e1b44a0-51f3-4c1e-8f62-7b1d2a6c0d5e");

        assertThat(ticket).hasSizeLessThanOrEqualTo(Tickets.MAX_LENGTH).matches("[A-Za-z0-9._-]+");
        assertThat(tickets.redeem(ticket)).isEqualTo("ctx-9e1b44a0-51f3-4c1e-8f62-7b1d2a6c0d5e");
        now.set(now.get().plus(Duration.ofMinutes(16)));
        assertThatThrownBy(() -> tickets.redeem(ticket))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessageStartingWith("ticket for context ctx-9e1b44a0-51f3-4c1e-8f62-7b1d2a6c0d5e expired at ");
    }

    @Test
    void forged_or_malformed_tickets_are_refused() {
        Tickets tickets = new Tickets(SigningKeys.of("k1", KEY_A), clock, Duration.ofMinutes(15));
        String ticket = tickets.issue("ctx-1");
        String forged = ticket.replace("ctx-1", "ctx-2");

        assertThatThrownBy(() -> tickets.redeem(forged)).hasMessage("ticket for context ctx-2 failed verification");
        assertThatThrownBy(() -> tickets.redeem("nonsense")).hasMessage("ticket \"nonsense\" is malformed: expected contextId.expiry.keyId.mac");
        assertThatThrownBy(() -> tickets.issue("bad id!")).hasMessage("context id must be 1-64 characters of [A-Za-z0-9_-], was \"bad id!\"");
    }

    @Test
    void a_ticket_without_its_mac_is_no_credential_and_signs_again_to_the_same_ticket_on_any_holder_of_the_key() {
        Tickets issuer = new Tickets(SigningKeys.of("k1", KEY_A), clock, Duration.ofMinutes(15));
        Tickets otherInstance = new Tickets(SigningKeys.of("k1", KEY_A), clock, Duration.ofMinutes(15));
        for (TicketScope scope : java.util.List.of(TicketScope.BEARER, TicketScope.BEARER.once(), TicketScope.agent("alice").once(),
                TicketScope.tenant("acme"), TicketScope.agent("alice").andTenant("acme"))) {
            String ticket = issuer.issue("ctx-1", scope);
            String mac = ticket.substring(ticket.lastIndexOf('.') + 1);

            String unsigned = issuer.unsigned(ticket);

            assertThat(unsigned).as(scope.toString()).doesNotContain(mac);
            assertThatThrownBy(() -> otherInstance.redeem(unsigned)).isInstanceOf(TicketException.class);
            assertThat(otherInstance.sign(unsigned)).as(scope.toString()).isEqualTo(ticket);
        }
    }

    @Test
    void signing_again_refuses_a_forged_ticket_an_unknown_key_and_malformed_text() {
        Tickets tickets = new Tickets(SigningKeys.of("k1", KEY_A), clock, Duration.ofMinutes(15));
        Tickets otherKeys = new Tickets(SigningKeys.of("k2", KEY_B), clock, Duration.ofMinutes(15));
        String ticket = tickets.issue("ctx-1");

        assertThatThrownBy(() -> tickets.unsigned(ticket.replace("ctx-1", "ctx-2")))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.FORGED));
        assertThatThrownBy(() -> otherKeys.sign(tickets.unsigned(ticket)))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.UNKNOWN_KEY))
                .hasMessage("ticket signed with unknown key id \"k1\"");
        assertThatThrownBy(() -> tickets.sign("ctx-1\r\nX: y"))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.MALFORMED))
                .hasMessageNotContaining("\r").hasMessageContaining("expected contextId.expiry.keyId");
        assertThatThrownBy(() -> tickets.sign(ticket))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.MALFORMED));
    }

    @Test
    void signing_again_refuses_an_expiry_later_than_any_ticket_issued_now() {
        Tickets tickets = new Tickets(SigningKeys.of("k1", KEY_A), clock, Duration.ofMinutes(15));
        String unsigned = tickets.unsigned(tickets.issue("ctx-1"));
        String[] parts = unsigned.split("\\.");
        String farFuture = parts[0] + "." + Long.toString(clock.instant().plus(Duration.ofDays(365)).getEpochSecond(), 36) + "." + parts[2];

        assertThat(tickets.sign(unsigned)).as("as issued").isNotBlank();
        assertThatThrownBy(() -> tickets.sign(farFuture))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.FORGED))
                .hasMessageContaining("later than a ticket issued now (ttl PT15M) would");
    }
}
