package dev.handoff.examples.desktop;

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
import dev.handoff.api.Target;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.context.ComplianceInfo;
import dev.handoff.api.context.ContextMetadata;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import dev.handoff.api.spi.AgentNotification;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A B2B sales handoff (the "agentic handshake"): a prospect stuck on compliance-module pricing, an AI that hinted at
 * a 15% discount, sentiment falling. Used by {@link DesktopDemo} and the desktop's tests.
 */
final class SampleHandoff {

    static final SessionId SESSION = SessionId.of("s-northwind-0042");
    static final String CONTEXT_ID = "ctx-northwind-0042-1";
    static final String TICKET = "tkt-7f3a9c21";
    static final String LABEL = "Entering conversation at High Urgency / Low Trust";
    static final String TRIGGER_TEXT = "Look, can I just talk to a person about the price? This is going in circles.";

    private SampleHandoff() {
    }

    /** The transcript, first turn at {@code start}, one turn every 20 seconds. */
    static List<Turn> transcript(Instant start) {
        String[][] lines = {
            {"AI", "Hi, this is Ava from Northwind Compliance Cloud. How can I help today?"},
            {"CUSTOMER", "We need the compliance module for about 40 seats before our Q3 audit."},
            {"AI", "Great, the compliance module is $1,150 per seat per year, so about $46,000 for 40 seats."},
            {"CUSTOMER", "That's well over what we budgeted. We have about $35,000."},
            {"AI", "I understand. I might be able to get you 15% off the compliance module if you sign this quarter."},
            {"CUSTOMER", "Might? I need a real number. Is the 15% approved or not?"},
            {"AI", "I'll have an account executive call you back today before 5pm to confirm."},
            {"CUSTOMER", TRIGGER_TEXT},
        };
        double[] sentiment = {0, 0.4, 0, -0.3, 0, -0.6, 0, -0.8};
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Speaker speaker = Speaker.valueOf(lines[i][0]);
            NluSignals signals = speaker == Speaker.CUSTOMER
                    ? NluSignals.intent(i == 7 ? "agent.request" : "pricing", 0.55).withSentiment(sentiment[i])
                    : null;
            turns.add(new Turn(i, speaker, lines[i][1], start.plus(Duration.ofSeconds(20L * i)), signals, false));
        }
        return turns;
    }

    static List<Commitment> commitments() {
        return List.of(
                Commitment.pending("c-1", Commitment.Kind.DISCOUNT, Commitment.Strength.SOFT,
                        "I might be able to get you 15% off the compliance module if you sign this quarter.", "15%", 4),
                Commitment.pending("c-2", Commitment.Kind.CALLBACK, Commitment.Strength.HARD,
                        "I'll have an account executive call you back today before 5pm to confirm.", "today 17:00", 6));
    }

    /** The packaged context, as the packager would hand it over (unsigned: this example does not sign). */
    static HandoffContext context(Instant start) {
        List<Turn> transcript = transcript(start);
        Instant created = transcript.get(transcript.size() - 1).timestamp().plusSeconds(2);
        CustomerData customer = new CustomerData("cust-7781",
                Map.of("billing", "AC-1029", "crm", "0035e00000NwH1"),
                Map.of("name", "Dana Whitfield", "company", "Northwind Health", "seats", "40",
                        "email", "dana.whitfield@northwind-health.example"),
                List.of(start.minus(Duration.ofDays(9)), start.minus(Duration.ofDays(2))));
        CrmProfile crm = new CrmProfile("hubspot", "70114", "Dana Whitfield",
                Map.of("tier", "Enterprise prospect", "owner", "J. Ortiz", "deal stage", "Negotiation", "deal size", "$46,000"),
                List.of(new CrmProfile.Interaction(start.minus(Duration.ofDays(2)), "chat",
                                "Asked for compliance module pricing sheet", "sent pricing PDF"),
                        new CrmProfile.Interaction(start.minus(Duration.ofDays(9)), "phone",
                                "Discovery call with AE, 40 seats, audit in Q3", "qualified")));
        ContextMetadata metadata = new ContextMetadata("HANDOFF", Priority.HIGH,
                List.of(new Reason(TriggerKind.EXPLICIT_REQUEST, "explicit.request",
                                "Customer asked to talk to a person", 7, new EvidenceSpan(15, 37, "talk to a person"), null, null),
                        new Reason(TriggerKind.SALES, "sales.negotiation",
                                "Price negotiation on a $46,000 deal (over the $10,000 threshold)", 5, null, 46_000.0, 10_000.0),
                        new Reason(TriggerKind.NEGATIVE_SENTIMENT, "sentiment.velocity",
                                "Sentiment fell from +0.4 to -0.8 over three customer turns", 7, null, -0.4, -0.25)),
                List.of("pricing", "negotiate", "agent.request"), "account-executive", 142, "en-US", Map.of());
        SemanticLedger ledger = new SemanticLedger(
                new SemanticLedger.Bant(new SemanticLedger.Budget(new BigDecimal("35000"), "USD", "about $35,000"),
                        "Dana Whitfield, compliance lead (signs with CFO)", "Compliance module for 40 seats",
                        "Before the Q3 audit"),
                List.of("Price is over budget", "Wants a firm number, not a maybe"),
                List.of(new SemanticLedger.KeyEntity("product", "compliance module", 1),
                        new SemanticLedger.KeyEntity("amount", "$35,000", 3)),
                Map.of());
        SentimentTrack sentiment = new SentimentTrack(
                List.of(new SentimentTrack.Point(1, 0.4), new SentimentTrack.Point(3, -0.3),
                        new SentimentTrack.Point(5, -0.6), new SentimentTrack.Point(7, -0.8)),
                -0.4, SentimentTrack.Trend.DECLINING, SentimentTrack.Level.HIGH, SentimentTrack.Level.LOW, LABEL,
                List.of("pricing-hesitation", "closed-questions"), Map.of());
        WhisperSummary whisper = new WhisperSummary(
                "Buy the compliance module for 40 seats before the Q3 audit",
                "Price is $11k over budget; the AI hinted at an unapproved 15% discount",
                "Impatient and losing trust; wants a firm number",
                "I see we're stuck on the compliance module pricing; let's settle the number right now.");
        ToneProfile tone = new ToneProfile(ToneProfile.Pace.MEASURED, ToneProfile.Formality.NEUTRAL, SentimentTrack.Level.HIGH,
                "Stay calm and concrete; give a firm number before anything else.");
        return new HandoffContext(HandoffContext.SCHEMA, CONTEXT_ID, SESSION, Channel.VOICE, created, transcript, null,
                customer, crm, metadata, ledger, sentiment, commitments(), whisper, tone, ComplianceInfo.none(), null, Map.of());
    }

    static AgentNotification notification(HandoffContext context, SampleAgentActions actions) {
        return new AgentNotification(new Target("account-executives", Target.Kind.QUEUE, "account-executives", null),
                context, TICKET, actions);
    }
}
