package dev.handoff.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.CommitmentLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordValidationTest {

    private static final Instant T = Instant.parse("2026-03-02T14:05:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "semi;colon", "session/with/slashes"})
    void a_session_id_that_would_not_fit_a_sip_header_is_refused_with_its_value(String bad) {
        assertThatThrownBy(() -> SessionId.of(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("session id must be 1-128 characters of [A-Za-z0-9._:-], was \"" + bad + "\"");
    }

    @Test
    void a_handoff_decision_must_say_why() {
        assertThatThrownBy(() -> HandoffDecision.handoff(Priority.HIGH, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a HANDOFF decision needs at least one reason");
        assertThat(HandoffDecision.proceed().isHandoff()).isFalse();
        assertThat(HandoffDecision.silentAlarm(List.of(Reason.of(TriggerKind.KILL_SWITCH, "kill", "lawsuit"))))
                .satisfies(d -> {
                    assertThat(d.priority()).isEqualTo(Priority.URGENT);
                    assertThat(d.routeHint()).isEqualTo("priority");
                });
    }

    @Test
    void a_route_needs_a_target_and_a_transfer_a_positive_timeout() {
        assertThatThrownBy(() -> new Route(List.of(), Priority.NORMAL, "r", false))
                .hasMessage("a route needs at least one target");
        assertThatThrownBy(() -> new TransferRequest(SessionId.of("s"), "ctx", "t", Target.queue("q"), TransferMode.QUEUE,
                Priority.NORMAL, Map.of(), Duration.ZERO))
                .hasMessage("transfer timeout must be positive, was PT0S");
    }

    @Test
    void evidence_cannot_end_before_it_starts() {
        assertThatThrownBy(() -> new EvidenceSpan(10, 4, "x")).hasMessage("evidence end 4 is before start 10");
    }

    @Test
    void a_verification_must_decide_and_a_correction_must_carry_the_value() {
        assertThatThrownBy(() -> new CommitmentLedger.Verification(Commitment.Status.PENDING_VERIFICATION, null, "ana", T))
                .hasMessage("a verification must confirm, correct or revoke, was PENDING_VERIFICATION");
        assertThatThrownBy(() -> new CommitmentLedger.Verification(Commitment.Status.CORRECTED, " ", "ana", T))
                .hasMessage("a CORRECTED verification needs the corrected value");
    }

    @Test
    void an_audit_record_cannot_carry_free_text() {
        assertThatThrownBy(() -> new AuditRecord(T, "ana", AuditRecord.Action.CONTEXT_VIEWED, SessionId.of("s"), "ctx",
                "customer said: my card is 4111"))
                .hasMessage("audit outcome must be a short code of [A-Za-z0-9_.:-], was \"customer said: my card is 4111\"");
    }

    @Test
    void an_audit_record_names_the_conversation_unless_the_action_concerns_none() {
        assertThatThrownBy(() -> new AuditRecord(T, "ana", AuditRecord.Action.CONTEXT_VIEWED, null, "ctx", "ok", "10.0.0.7"))
                .hasMessage("audit action CONTEXT_VIEWED concerns a conversation: sessionId is required");

        AuditRecord signIn = new AuditRecord(T, "ana", AuditRecord.Action.DESK_SIGNED_IN, null, null, "ok", "2001:db8::7");

        assertThat(signIn.sessionId()).isNull();
        assertThat(signIn.clientAddress()).isEqualTo("2001:db8::7");
        assertThat(new AuditRecord(T, "bot", AuditRecord.Action.HANDOFF_REQUESTED, SessionId.of("s"), null, "ok").clientAddress())
                .as("the six-field constructor is for records without an address").isNull();
    }

    @Test
    void an_audit_client_address_is_an_ip_literal_never_free_text() {
        assertThatThrownBy(() -> new AuditRecord(T, "ana", AuditRecord.Action.DESK_SIGNED_IN, null, null, "ok",
                "evil.example; DROP TABLE"))
                .hasMessage("audit client address must be an IPv4 or IPv6 literal, was \"evil.example; DROP TABLE\"");
    }

    @Test
    void a_validation_exception_lists_every_violation() {
        ValidationException e = new ValidationException("policy", List.of(
                new Violation("$.confidence.hardFloor", 1.4, "a number within 0..1"),
                new Violation("$.kill.phrases", null, "a non-empty list")));

        assertThat(e.getMessage()).isEqualTo("Invalid policy (2 violations):\n"
                + "  - $.confidence.hardFloor: a number within 0..1 (was 1.4)\n"
                + "  - $.kill.phrases: a non-empty list (was null)");
        assertThat(e.isRetriable()).isFalse();
        assertThat(new RetriableHandoffException("CRM 503", null, Duration.ofSeconds(7)).retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void phases_only_move_forward_except_back_to_validated_for_the_next_fallback() {
        assertThat(HandoffPhase.REQUESTED.next()).doesNotContain(HandoffPhase.CONNECTED);
        assertThat(HandoffPhase.TRANSFERRING.next()).contains(HandoffPhase.VALIDATED, HandoffPhase.CONNECTED);
        assertThat(HandoffPhase.RETURNED_TO_BOT.next()).isEmpty();
        assertThat(HandoffPhase.FAILED.isFinal()).isTrue();
    }
}
