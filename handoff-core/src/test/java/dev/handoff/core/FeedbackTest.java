package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffFeedback;
import dev.handoff.api.HandoffFeedback.Accuracy;
import dev.handoff.api.HandoffFeedback.CommitmentVerdict;
import dev.handoff.api.HandoffFeedback.Escalation;
import dev.handoff.api.HandoffFeedback.WhisperField;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.ValidationException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.core.metrics.InMemoryMetricsSink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FeedbackTest extends HandoffFixture {

    private final InMemoryAuditSink audit = new InMemoryAuditSink();
    private final InMemoryMetricsSink metrics = new InMemoryMetricsSink();
    private final List<HandoffEvent> events = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> crm = new LinkedBlockingQueue<>();

    /** A CRM that notes what it was sent: pushes, and verdicts with the commitment's status in the context it got. */
    private final CrmAdapter recordingCrm = new CrmAdapter() {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Optional<CrmProfile> lookup(CustomerData customer) {
            return Optional.empty();
        }

        @Override
        public CrmReceipt push(HandoffContext context, String idempotencyKey) {
            crm.add("push " + idempotencyKey);
            return new CrmReceipt("recording", "r", null);
        }

        @Override
        public CrmReceipt pushVerdict(HandoffContext context, String commitmentId, String idempotencyKey) {
            Commitment c = context.commitments().stream().filter(x -> x.id().equals(commitmentId)).findFirst().orElseThrow();
            crm.add("verdict " + idempotencyKey + " " + c.status() + " " + c.correctedValue() + " signed=" + (context.integrity() != null));
            return new CrmReceipt("recording", "r", null);
        }
    };

    private AgentActions connectedChat(String session) throws Exception {
        handoff = Handoff.builder().auditSink(audit).metricsSink(metrics).crmAdapter(recordingCrm).listener(events::add).build();
        acceptsNextOffer("support", "alice");
        HandoffSession chat = handoff.open(SessionId.of(session), Channel.CHAT, CustomerData.UNKNOWN);
        chat.customer("My order is two weeks late.");
        chat.ai("I'm sorry. I've added a $10 credit to your account and waived the shipping fee.");
        HandoffOutcome outcome = chat.handOff(chat.customer("I want to talk to a person")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(crm.poll(10, TimeUnit.SECONDS)).startsWith("push handoff-");
        return handoff.agentActions(outcome.contextId()).orElseThrow();
    }

    @Test
    void feedback_feeds_the_kpis_with_codes_only_and_is_audited_without_the_correction() throws Exception {
        AgentActions actions = connectedChat("chat-feedback-1");

        // tag::feedback[]
        List<Commitment> after = actions.feedback(HandoffFeedback.builder("alice", Escalation.NOT_NEEDED)   // a false alarm
                .whisper(WhisperField.GOAL, Accuracy.ACCURATE).whisper(WhisperField.BUDGET, Accuracy.INACCURATE)
                .commitment(CommitmentVerdict.confirmed("c-1"))
                .commitment(CommitmentVerdict.corrected("c-2", "half the shipping fee"))   // ledger, audit, CRM
                .resolved(true)                                  // resolved on this contact
                .customerEffort(2)                               // the customer's effort score, 1 (easy) to 7
                .build());
        // end::feedback[]
        handoff.retained();   // every event delivered to every listener

        assertThat(after).extracting(c -> c.id() + " " + c.status() + " " + c.correctedValue())
                .containsExactly("c-1 CONFIRMED null", "c-2 CORRECTED half the shipping fee");
        assertThat(metrics.count("handoff.feedback.escalation", Map.of("verdict", "NOT_NEEDED", "kind", "EXPLICIT_REQUEST"))).isEqualTo(1);
        assertThat(metrics.gauge("handoff.escalation.accuracy", Map.of())).isEqualTo(0.0);
        assertThat(metrics.count("handoff.feedback.whisper", Map.of("field", "GOAL", "accuracy", "ACCURATE"))).isEqualTo(1);
        assertThat(metrics.gauge("handoff.whisper.accuracy", Map.of("field", "BUDGET"))).isEqualTo(0.0);
        assertThat(metrics.gauge("handoff.whisper.accuracy", Map.of("field", "GOAL"))).isEqualTo(1.0);
        assertThat(metrics.count("handoff.feedback.resolution", Map.of("first_contact", "true"))).isEqualTo(1);
        assertThat(metrics.gauge("handoff.first_contact_resolution.rate", Map.of())).isEqualTo(1.0);
        assertThat(metrics.count("handoff.feedback.effort", Map.of("score", "2"))).isEqualTo(1);
        assertThat(metrics.gauge("handoff.customer_effort.mean", Map.of())).isEqualTo(2.0);
        assertThat(metrics.count("handoff.feedback.commitments", Map.of("verdict", "CORRECTED"))).isEqualTo(1);

        assertThat(audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.FEEDBACK_GIVEN).singleElement()
                .satisfies(r -> {
                    assertThat(r.actor()).isEqualTo("alice");
                    assertThat(r.outcome()).isEqualTo("NOT_NEEDED:resolved:effort-2:wrong-1");
                });
        assertThat(audit.records()).extracting(AuditRecord::action)
                .containsSubsequence(AuditRecord.Action.COMMITMENT_CONFIRMED, AuditRecord.Action.COMMITMENT_CORRECTED,
                        AuditRecord.Action.FEEDBACK_GIVEN);
        assertThat(audit.records()).allSatisfy(r -> assertThat(r.toString()).doesNotContain("half the shipping"));
        assertThat(events).filteredOn(e -> e instanceof HandoffEvent.FeedbackGiven).singleElement()
                .satisfies(e -> assertThat(e.toString()).doesNotContain("half the shipping"));
    }

    @Test
    void each_verdict_goes_to_the_crm_once_with_the_ledgers_commitments_under_its_own_key() throws Exception {
        AgentActions actions = connectedChat("chat-feedback-2");

        actions.confirm("c-1", "alice");
        actions.confirm("c-1", "alice");   // a double click
        String confirmed = crm.poll(10, TimeUnit.SECONDS);
        // the same verdict again in the feedback changes nothing and is not written again; the new one is
        actions.feedback(HandoffFeedback.builder("alice", Escalation.NEEDED).commitment(CommitmentVerdict.confirmed("c-1"))
                .commitment(CommitmentVerdict.revoked("c-2")).build());
        String revoked = crm.poll(10, TimeUnit.SECONDS);

        assertThat(confirmed).matches("verdict handoff-ctx-[^ ]+:verdict:c-1:CONFIRMED CONFIRMED null signed=true");
        assertThat(revoked).matches("verdict handoff-ctx-[^ ]+:verdict:c-2:REVOKED REVOKED null signed=true");
        handoff.retained();
        assertThat(crm).isEmpty();
    }

    @Test
    void feedback_is_taken_after_the_conversation_ended() throws Exception {
        AgentActions actions = connectedChat("chat-feedback-3");
        handoff.session(SessionId.of("chat-feedback-3")).orElseThrow().end("customer left");

        actions.feedback(HandoffFeedback.builder("alice", Escalation.LATE).earlierTurn(0).resolved(false).build());
        handoff.retained();

        assertThat(metrics.count("handoff.feedback.escalation", Map.of("verdict", "LATE", "kind", "EXPLICIT_REQUEST"))).isEqualTo(1);
        assertThat(metrics.gauge("handoff.first_contact_resolution.rate", Map.of())).isEqualTo(0.0);
        assertThat(handoff.retained()).as("feedback keeps no per-session state").isZero();
    }

    @Test
    void invalid_feedback_is_refused_naming_each_field_and_never_quoting_a_correction() throws Exception {
        AgentActions actions = connectedChat("chat-feedback-4");
        String secret = "x".repeat(201);

        assertThatThrownBy(() -> actions.feedback(HandoffFeedback.builder("alice smith", Escalation.NEEDED).earlierTurn(1)
                .commitment(CommitmentVerdict.corrected("c-1", secret)).commitment(new CommitmentVerdict("c-2", HandoffFeedback.Verdict.CORRECTED, null))
                .customerEffort(9).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Invalid handoff feedback (5 violations):"
                        + "\n  - $.agentId: 1-128 characters of letters, digits and _ . @ - (was \"alice smith\")"
                        + "\n  - $.commitments[0].correctedValue: size must be between 1 and 200 (was \"201 characters\")"
                        + "\n  - $.commitments[1].correctedValue: the corrected value (1-200 characters) with verdict CORRECTED (was null)"
                        + "\n  - $.customerEffort: must be less than or equal to 7 (was 9)"
                        + "\n  - $.earlierTurn: only with escalation LATE (was NEEDED) (was 1)");
        assertThat(actions.commitments()).allSatisfy(c -> assertThat(c.status()).isEqualTo(Commitment.Status.PENDING_VERIFICATION));
        assertThat(audit.records()).noneMatch(r -> r.action() == AuditRecord.Action.FEEDBACK_GIVEN);
    }

    @Test
    void a_verdict_on_an_unknown_commitment_applies_nothing() throws Exception {
        AgentActions actions = connectedChat("chat-feedback-5");

        assertThatThrownBy(() -> actions.feedback(HandoffFeedback.builder("alice", Escalation.NEEDED)
                .commitment(CommitmentVerdict.confirmed("c-1")).commitment(CommitmentVerdict.confirmed("c-9")).build()))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("no commitment \"c-9\" in session chat-feedback-5");
        assertThat(actions.commitments()).allSatisfy(c -> assertThat(c.status()).isEqualTo(Commitment.Status.PENDING_VERIFICATION));
    }
}
