package dev.handoff.core.json;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.EvidenceSpan;
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
import dev.handoff.api.context.Integrity;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The two golden documents, built from the records. Their JSON lives in handoff-api under /schema/examples. */
final class GoldenContexts {

    static final String DENTAL = "dental-voice";
    static final String B2B = "b2b-sales-chat";

    private GoldenContexts() {
    }

    static HandoffContext byName(String name) {
        return switch (name) {
            case DENTAL -> dental();
            case B2B -> b2b();
            default -> throw new IllegalArgumentException(name);
        };
    }

    static HandoffContext dental() {
        Instant t0 = Instant.parse("2026-03-02T14:05:00Z");
        List<Turn> transcript = List.of(
                new Turn(0, Speaker.AI, "Thanks for calling Bright Smile Dental, this is the virtual receptionist. How can I help?",
                        t0, new NluSignals(0.98, "greeting", 0.98, null, Map.of()), false),
                new Turn(1, Speaker.CUSTOMER, "Hi, I'd like to book a cleaning, but honestly my back tooth has been hurting since Friday.",
                        t0.plusSeconds(6), new NluSignals(0.81, "book_appointment", 0.81, -0.35, Map.of("procedure", "cleaning")), false),
                new Turn(2, Speaker.AI, "I'm sorry to hear that. Can I have your date of birth to find your file?",
                        t0.plusSeconds(11), new NluSignals(0.9, "collect_dob", 0.9, null, Map.of()), false),
                new Turn(3, Speaker.CUSTOMER, "March 4th, 1988. And I'm in a lot of pain right now, it's throbbing.",
                        t0.plusSeconds(19), new NluSignals(0.74, "report_symptom", 0.74, -0.72, Map.of("dob", "1988-03-04")), false));
        Reason urgency = new Reason(TriggerKind.URGENCY, "dental.pain", "The caller reports pain: \"a lot of pain\"", 3,
                new EvidenceSpan(28, 41, "a lot of pain"), null, null);
        return new HandoffContext(HandoffContext.SCHEMA, "ctx-2c0f7d1e-8a8b-4d47-9a4e-0e5c4b3f9a11", SessionId.of("call-7d2a91"),
                Channel.VOICE, t0.plusSeconds(20), transcript,
                new Turn(4, Speaker.CUSTOMER, "Can someone", t0.plusSeconds(20), null, true),
                new CustomerData("pat-4471", Map.of("practice", "BSD-00917"), Map.of("dob", "1988-03-04", "phone", "+15555550142"),
                        List.of(Instant.parse("2026-02-27T09:12:00Z"))),
                new CrmProfile("webhook", "pat-4471", "Jordan Lee", Map.of("insurance", "Delta Dental PPO"),
                        List.of(new CrmProfile.Interaction(Instant.parse("2025-09-14T10:00:00Z"), "phone", "Six-month cleaning", "completed"))),
                new ContextMetadata("HANDOFF", Priority.URGENT, List.of(urgency), List.of("greeting", "book_appointment", "collect_dob",
                        "report_symptom"), "front-desk", 20, "en-US", Map.of()),
                new SemanticLedger(new SemanticLedger.Bant(null, null, "Relief for a painful back tooth; a cleaning", "today"),
                        List.of("back tooth hurting since Friday", "throbbing pain now"),
                        List.of(new SemanticLedger.KeyEntity("procedure", "cleaning", 1), new SemanticLedger.KeyEntity("date", "since Friday", 1)),
                        Map.of()),
                new SentimentTrack(List.of(new SentimentTrack.Point(1, -0.35), new SentimentTrack.Point(3, -0.72)), -0.37,
                        SentimentTrack.Trend.DECLINING, SentimentTrack.Level.HIGH, SentimentTrack.Level.MEDIUM,
                        "Entering conversation at High Urgency / Medium Trust", List.of(), Map.of()),
                List.of(),
                new WhisperSummary("Get seen today for a throbbing back tooth (a cleaning was the original ask)",
                        "The virtual receptionist cannot triage pain or book emergency slots",
                        "In pain and getting worse; high urgency, medium trust",
                        "Jordan, I'm sorry about that tooth; let's get you in today. Is it worse when you bite down?"),
                new ToneProfile(ToneProfile.Pace.MEASURED, ToneProfile.Formality.NEUTRAL, SentimentTrack.Level.HIGH,
                        "The assistant was warm and unhurried; keep that calm tone."),
                new ComplianceInfo("hipaa", true, List.of()),
                new Integrity("HMAC-SHA256", "k-2026-03", "y8wQ3n0G4o5bq3Wk3cXo0wVq9Hj7s1mZkq8uY0i4cJk", t0.plusSeconds(20),
                        t0.plusSeconds(20).plus(java.time.Duration.ofDays(1))),
                Map.of());
    }

    static HandoffContext b2b() {
        Instant t0 = Instant.parse("2026-05-12T16:30:00Z");
        List<Turn> transcript = List.of(
                new Turn(0, Speaker.CUSTOMER, "We're evaluating your platform for about 40 support agents. Budget is around $75,000 a year.",
                        t0, new NluSignals(0.88, "pricing_inquiry", 0.88, 0.1, Map.of("seats", "40", "amount", "75000 USD")), false),
                new Turn(1, Speaker.AI, "That's a great fit for our Business tier. If you sign this quarter, I might be able to offer 15% off the first year.",
                        t0.plusSeconds(9), new NluSignals(0.83, "pricing_answer", 0.83, null, Map.of()), false),
                new Turn(2, Speaker.CUSTOMER, "OK. I'm the VP of Support, I sign off, but we need to go live by end of Q3.",
                        t0.plusSeconds(31), new NluSignals(0.9, "timeline", 0.9, 0.05, Map.of()), false),
                new Turn(3, Speaker.CUSTOMER, "My real worry is API latency. Our routing calls your API on every message; what's your p99?",
                        t0.plusSeconds(52), new NluSignals(0.52, "technical_objection", 0.52, -0.3, Map.of("topic", "API latency")), false),
                new Turn(4, Speaker.AI, "Our API is typically fast, but I don't have exact p99 figures for your region.",
                        t0.plusSeconds(58), new NluSignals(0.47, "fallback", 0.47, null, Map.of()), false));
        List<Reason> reasons = List.of(
                new Reason(TriggerKind.SALES, "sales.amount", "Deal value 75000 USD is over the open-door threshold 50000", 0,
                        new EvidenceSpan(77, 84, "$75,000"), 75000.0, 50000.0),
                new Reason(TriggerKind.COMPLEX_ISSUE, "complex.technical-objection", "Technical objection on API latency", 3,
                        new EvidenceSpan(17, 28, "API latency"), null, null));
        return new HandoffContext(HandoffContext.SCHEMA, "ctx-9e1b44a0-51f3-4c1e-8f62-7b1d2a6c0d5e", SessionId.of("chat-b2b-1042"),
                Channel.CHAT, t0.plusSeconds(60), transcript, null,
                new CustomerData("lead-88213", Map.of("hubspot", "5120091"), Map.of("company", "Acme Logistics", "seats", "40"), List.of()),
                null,
                new ContextMetadata("HANDOFF", Priority.HIGH, reasons, List.of("pricing_inquiry", "pricing_answer", "timeline",
                        "technical_objection", "fallback"), "solutions-engineer", 60, "en", Map.of()),
                new SemanticLedger(new SemanticLedger.Bant(new SemanticLedger.Budget(new BigDecimal("75000"), "USD", "around $75,000 a year"),
                        "VP of Support, signs off", "Support platform for about 40 agents", "live by end of Q3"),
                        List.of("API latency on every routed message"),
                        List.of(new SemanticLedger.KeyEntity("amount", "75000 USD", 0), new SemanticLedger.KeyEntity("product", "Business tier", 1)),
                        Map.of()),
                new SentimentTrack(List.of(new SentimentTrack.Point(0, 0.1), new SentimentTrack.Point(2, 0.05), new SentimentTrack.Point(3, -0.3)),
                        -0.2, SentimentTrack.Trend.DECLINING, SentimentTrack.Level.MEDIUM, SentimentTrack.Level.LOW,
                        "Entering conversation at Medium Urgency / Low Trust", List.of("closed-questions"), Map.of()),
                List.of(new Commitment("c-1", Commitment.Kind.DISCOUNT, Commitment.Strength.SOFT,
                        "If you sign this quarter, I might be able to offer 15% off the first year.", "15%", 1,
                        Commitment.Status.PENDING_VERIFICATION, null, null, null)),
                new WhisperSummary("Roll out the Business tier for ~40 agents, live by end of Q3 (budget ~$75k/yr)",
                        "Technical objection: p99 API latency on per-message routing calls",
                        "Engaged but losing trust on the technical answer; medium urgency, low trust",
                        "I see we're stuck on API latency for your routing calls; let me give you the real p99 numbers for your region."),
                new ToneProfile(ToneProfile.Pace.BRISK, ToneProfile.Formality.NEUTRAL, SentimentTrack.Level.MEDIUM,
                        "Direct, numbers-first; the buyer asks closed questions."),
                new ComplianceInfo("default", false, List.of()),
                null,
                Map.of());
    }
}
