package dev.handoff.core.hipaa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Channel;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.core.testing.ManualTime;
import dev.handoff.core.context.Redeemer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.TicketException;
import dev.handoff.core.context.TicketScope;
import dev.handoff.core.store.AtRestKeys;
import dev.handoff.core.store.FileContextStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HIPAA 45 CFR 164.312(a)(1), access control: what the SDK guarantees for each implementation specification.
 *
 * <p>Remains the deployer's duty: giving every person a unique identity and authenticating them (single sign-on,
 * MFA) before their id reaches {@code Handoff.redeem}; the emergency-access (break-glass) policy — who may ask for a
 * ticket outside the normal route, and the review of each use; the agent desktop's automatic logoff (issue 14,
 * tested with the desktop); choosing and guarding the at-rest keys (a KMS or HSM, rotation schedule); full-disk
 * encryption and access control on the hosts.
 */
class AccessControlSafeguardTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** 164.312(a)(2)(i) unique user identification (required). */
    @Nested
    class UniqueUserIdentification {

        @Test
        void every_redemption_names_a_unique_actor_and_a_ticket_bound_to_one_agent_serves_only_that_agent() throws Exception {
            InMemoryAuditSink audit = new InMemoryAuditSink();
            try (Handoff handoff = Handoff.builder().auditSink(audit).build()) {
                HandoffOutcome outcome = HipaaFixtures.handOffToAlice(handoff, "hipaa-unique-1");
                String bound = handoff.tickets().issue(outcome.contextId(), TicketScope.agent("alice"));

                assertThatThrownBy(() -> handoff.redeem(outcome.ticket(), null)).isInstanceOf(NullPointerException.class).hasMessage("actor");
                assertThatThrownBy(() -> handoff.redeem(bound, "bob")).isInstanceOf(TicketException.class);
                assertThat(handoff.redeem(bound, "alice").contextId()).isEqualTo(outcome.contextId());
            }
            assertThat(audit.records()).filteredOn(r -> r.action().name().startsWith("TICKET_"))
                    .extracting(r -> r.actor() + " " + r.action() + " " + r.outcome())
                    .containsExactly("bob TICKET_REFUSED wrong-agent", "alice TICKET_REDEEMED ok");
        }
    }

    /** 164.312(a)(2)(ii) emergency access procedure (required). */
    @Nested
    class EmergencyAccess {

        @TempDir
        Path dir;

        @Test
        void after_a_restart_an_operator_can_issue_an_on_call_clinician_a_ticket_and_that_access_is_audited_by_name() throws Exception {
            Path store = dir.resolve("contexts.journal");
            SigningKeys keys = SigningKeys.of("k1", KEY);
            String contextId;
            try (FileContextStore contexts = FileContextStore.open(store);
                 Handoff handoff = Handoff.builder().signingKeys(keys).contextStore(contexts).build()) {
                contextId = HipaaFixtures.handOffToAlice(handoff, "hipaa-emergency-1").contextId();
            }
            InMemoryAuditSink audit = new InMemoryAuditSink();
            try (FileContextStore contexts = FileContextStore.open(store);
                 Handoff restarted = Handoff.builder().signingKeys(keys).contextStore(contexts).auditSink(audit).build()) {
                // break glass: the primary agent is gone; the operator issues a one-time ticket to the on-call clinician
                String emergency = restarted.tickets().issue(contextId, TicketScope.agent("dr-oncall").once());

                HandoffContext context = restarted.redeem(emergency, "dr-oncall");

                assertThat(context.transcript().get(0).text()).contains("123-45-6789");
                assertThatThrownBy(() -> restarted.redeem(emergency, "dr-oncall")).isInstanceOf(TicketException.class);
            }
            assertThat(audit.records()).extracting(r -> r.actor() + " " + r.action() + " " + r.contextId() + " " + r.outcome())
                    .containsExactly("dr-oncall TICKET_REDEEMED " + contextId + " ok", "dr-oncall TICKET_REFUSED " + contextId + " already-used");
        }
    }

    /** 164.312(a)(2)(iii) automatic logoff (addressable): the desktop's own logoff is tested with the desktop (issue 14). */
    @Nested
    class AutomaticLogoff {

        @Test
        void an_idle_session_ends_and_tickets_and_signed_contexts_stop_working_after_their_lifetime() throws Exception {
            ManualTime clock = new ManualTime(Instant.parse("2026-03-02T09:00:00Z"));
            try (Handoff handoff = Handoff.builder().clock(clock).idleTimeout(Duration.ofMinutes(30)).ticketTtl(Duration.ofMinutes(15))
                    .contextTtl(Duration.ofHours(8)).build()) {
                HandoffSession idle = handoff.open(Channel.CHAT);
                HandoffOutcome outcome = HipaaFixtures.handOffToAlice(handoff, "hipaa-logoff-1");

                clock.advance(Duration.ofMinutes(31));
                assertThat(handoff.expireIdleSessions()).isGreaterThanOrEqualTo(1);
                assertThat(idle.isEnded()).isTrue();
                assertThatThrownBy(() -> handoff.redeem(outcome.ticket(), "alice"))
                        .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.EXPIRED));

                clock.advance(Duration.ofHours(8));
                String fresh = handoff.tickets().issue(outcome.contextId());
                assertThatThrownBy(() -> handoff.ticketRedeemer().redeem(fresh, Redeemer.of("alice")))
                        .isInstanceOfSatisfying(TicketException.class,
                                e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.CONTEXT_REFUSED))
                        .hasMessageContaining("expired at 2026-03-02T17:00");

                clock.advance(Duration.ofHours(1));   // the default store keeps an expired context one hour more
                String later = handoff.tickets().issue(outcome.contextId());
                assertThatThrownBy(() -> handoff.ticketRedeemer().redeem(later, Redeemer.of("alice")))
                        .as("the transcript is no longer held in memory")
                        .isInstanceOfSatisfying(TicketException.class,
                                e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.UNKNOWN_CONTEXT));
            }
        }
    }

    /** 164.312(a)(2)(iv) encryption and decryption (addressable). */
    @Nested
    class EncryptionAndDecryption {

        @TempDir
        Path dir;

        @Test
        void stored_contexts_are_encrypted_at_rest_and_read_back_only_with_the_key() throws Exception {
            Path store = dir.resolve("contexts.journal");
            AtRestKeys keys = AtRestKeys.of("rest-1", KEY);
            String contextId;
            try (FileContextStore contexts = FileContextStore.open(store, keys, Clock.systemUTC());
                 Handoff handoff = Handoff.builder().contextStore(contexts).build()) {
                contextId = HipaaFixtures.handOffToAlice(handoff, "hipaa-encrypt-1").contextId();
            }

            assertThat(new String(Files.readAllBytes(store), StandardCharsets.ISO_8859_1)).doesNotContain("123-45-6789", "pat@example.com");
            assertThatThrownBy(() -> FileContextStore.open(store)).isInstanceOf(dev.handoff.api.ConfigurationException.class);
            try (FileContextStore contexts = FileContextStore.open(store, keys, Clock.systemUTC())) {
                assertThat(contexts.get(contextId).orElseThrow().transcript().get(0).text()).contains("123-45-6789");
            }
        }
    }
}
