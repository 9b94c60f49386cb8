package dev.handoff.crm;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.context.ComplianceInfo;
import dev.handoff.api.context.ContextMetadata;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Handoff contexts for tests, built from the api records. */
public final class TestContexts {

    public static final Instant CREATED = Instant.parse("2026-03-04T15:00:00Z");

    private TestContexts() {
    }

    /** When the human gave the verdicts of {@link #withVerdict}. */
    public static final Instant VERIFIED = Instant.parse("2026-03-04T15:02:00Z");

    /**
     * {@code context} with commitment {@code id} carrying alice's verdict, as core hands it to {@code pushVerdict}.
     *
     * @param correctedValue the corrected value (CORRECTED only), else null
     */
    public static HandoffContext withVerdict(HandoffContext c, String id, Commitment.Status status, String correctedValue) {
        List<Commitment> commitments = c.commitments().stream()
                .map(k -> k.id().equals(id) ? k.verified(status, correctedValue, "alice", VERIFIED) : k).toList();
        return new HandoffContext(c.schema(), c.contextId(), c.sessionId(), c.channel(), c.createdAt(), c.transcript(), c.inFlight(),
                c.customer(), c.crmProfile(), c.metadata(), c.semanticLedger(), c.sentiment(), commitments, c.whisper(), c.tone(),
                c.compliance(), c.integrity(), c.extensions());
    }

    /** {@code context} with a CRM profile from {@code system} (record {@code recordId}), as a lookup at packaging leaves it. */
    public static HandoffContext withProfile(HandoffContext c, String system, String recordId) {
        return new HandoffContext(c.schema(), c.contextId(), c.sessionId(), c.channel(), c.createdAt(), c.transcript(), c.inFlight(),
                c.customer(), new dev.handoff.api.CrmProfile(system, recordId, "Dana Reyes", Map.of(), List.of()), c.metadata(),
                c.semanticLedger(), c.sentiment(), c.commitments(), c.whisper(), c.tone(), c.compliance(), c.integrity(), c.extensions());
    }

    /** The words of every turn of {@link #sample()} and of its commitments: none of them may reach a verdict. */
    public static List<String> transcriptWords() {
        HandoffContext c = sample();
        return java.util.stream.Stream.concat(c.transcript().stream().map(Turn::text), c.commitments().stream().map(Commitment::text))
                .toList();
    }

    /** A voice handoff of a customer who was promised a discount and a callback. */
    public static HandoffContext sample() {
        return sample("ctx-1001", new CustomerData("cust-42", Map.of("billing", "AC-1029"),
                Map.of("email", "dana@example.com", "phone", "+15550100", "name", "Dana Reyes"), List.of()));
    }

    public static HandoffContext sample(String contextId, CustomerData customer) {
        Instant t0 = CREATED.minusSeconds(90);
        List<Turn> transcript = List.of(
                new Turn(0, Speaker.AI, "Thanks for calling Bright Dental, how can I help?", t0, null, false),
                new Turn(1, Speaker.CUSTOMER, "I was double charged for my cleaning last week.", t0.plusSeconds(10),
                        NluSignals.intent("billing.dispute", 0.82).withSentiment(-0.4), false),
                new Turn(2, Speaker.AI, "I'm sorry about that. I've applied a 15% discount to your next visit.", t0.plusSeconds(25),
                        null, false),
                new Turn(3, Speaker.CUSTOMER, "That's not enough, I want a person now.", t0.plusSeconds(40),
                        NluSignals.intent("agent.request", 0.97).withSentiment(-0.7), false));
        ContextMetadata metadata = new ContextMetadata("HANDOFF", Priority.HIGH,
                List.of(Reason.of(TriggerKind.EXPLICIT_REQUEST, "explicit.request", "The customer asked for a person"),
                        Reason.of(TriggerKind.REGULATORY, "regulatory.financial-dispute", "A billing dispute needs a human")),
                List.of("billing.dispute", "agent.request"), "billing", 90, "en-US", Map.of());
        SemanticLedger ledger = new SemanticLedger(new SemanticLedger.Bant(
                new SemanticLedger.Budget(new BigDecimal("120.50"), "USD", "about a hundred and twenty dollars"),
                null, "refund of a duplicate charge", "this week"),
                List.of("double charged for cleaning"), List.of(new SemanticLedger.KeyEntity("amount", "$120.50", 1)), Map.of());
        SentimentTrack sentiment = new SentimentTrack(
                List.of(new SentimentTrack.Point(1, -0.4), new SentimentTrack.Point(3, -0.7)), -0.3,
                SentimentTrack.Trend.DECLINING, SentimentTrack.Level.HIGH, SentimentTrack.Level.LOW,
                "Entering conversation at High Urgency / Low Trust", List.of("closed-questions"), Map.of());
        List<Commitment> commitments = List.of(
                Commitment.pending("c-1", Commitment.Kind.DISCOUNT, Commitment.Strength.HARD,
                        "I've applied a 15% discount to your next visit.", "15%", 2),
                Commitment.pending("c-2", Commitment.Kind.CALLBACK, Commitment.Strength.SOFT,
                        "Someone might call you back tomorrow.", "2026-03-05", 2));
        WhisperSummary whisper = new WhisperSummary("Refund a duplicate cleaning charge", "Was offered a discount instead",
                "Frustrated, losing trust", "Dana, I can see the duplicate charge from last week; let's get it refunded.");
        return new HandoffContext(HandoffContext.SCHEMA, contextId, SessionId.of("s-7"), Channel.VOICE, CREATED, transcript, null,
                customer, null, metadata, ledger, sentiment, commitments, whisper, ToneProfile.neutral(), ComplianceInfo.none(),
                null, Map.of());
    }

    /**
     * The token a verdict's record must carry, computed here independently of the adapters: "handoffverdict" and
     * the first 16 hex digits of the SHA-256 of the verdict key.
     */
    public static String verdictToken(String key) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "handoffverdict" + java.util.HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
