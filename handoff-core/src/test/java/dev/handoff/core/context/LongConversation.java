package dev.handoff.core.context;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A deterministic support conversation of about ten words per turn. */
final class LongConversation {

    static final Instant START = Instant.parse("2026-06-01T10:00:00Z");

    private static final String[] CUSTOMER = {
            "My dashboard keeps timing out when I open the billing report.",
            "It started after the update last Tuesday, every single time.",
            "We have about forty users and all of them see it.",
            "Is there a workaround we can use until it is fixed?",
            "Honestly this is getting frustrating, we close the books Friday.",
    };
    private static final String[] AI = {
            "I'm sorry about that. Let me check the report service status.",
            "Thanks. Could you tell me which browser your team is using?",
            "I understand. Clearing the report cache sometimes helps with timeouts.",
            "I can see a known issue; engineering is already looking into it.",
            "I'll make sure someone calls you back tomorrow at 10am.",
    };

    private LongConversation() {
    }

    static List<Turn> turns(int n) {
        List<Turn> turns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean customer = i % 2 == 0;
            String text = customer ? CUSTOMER[(i / 2) % CUSTOMER.length] : AI[(i / 2) % AI.length];
            NluSignals signals = customer ? null : NluSignals.intent("support_answer", 0.82);
            turns.add(new Turn(i, customer ? Speaker.CUSTOMER : Speaker.AI, text, START.plusSeconds(8L * i), signals, false));
        }
        return turns;
    }

    static ConversationSnapshot view(int n) {
        return ConversationSnapshot.of(SessionId.of("long-" + n), Channel.CHAT, START, turns(n), null,
                new CustomerData("cus-77", Map.of("billing", "AC-77"), Map.of("firstName", "Alex"), List.of()));
    }

    /** A packaged (unsigned) context of the first {@code n} turns. */
    static dev.handoff.api.context.HandoffContext context(int n) {
        ConversationSnapshot view = view(n);
        HandoffDecision decision = decision(n - 1);
        var summary = new DeterministicSummarizer().summarize(view, decision);
        return new DefaultContextPackager(new LexiconSentimentAnalyzer()).pack(new dev.handoff.api.spi.PackagingRequest(view, decision, null,
                List.of(), summary, view.turns().get(n - 1).timestamp()));
    }

    static HandoffDecision decision(int lastTurn) {
        return HandoffDecision.handoff(Priority.HIGH, List.of(new Reason(TriggerKind.NEGATIVE_SENTIMENT, "sentiment.velocity",
                "Sentiment is falling", lastTurn - 1, null, -0.3, -0.2)), null);
    }
}
