package dev.handoff.core.context;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.internal.Text;
import java.util.List;
import java.util.Objects;

/**
 * The walking-skeleton observer: the goal is the customer's first substantive message, the obstacle is the
 * main trigger reason, the sentiment is the average customer score in words. Deterministic and offline.
 */
public final class BasicSummarizer implements Summarizer {

    private final SentimentAnalyzer sentiment;

    public BasicSummarizer(SentimentAnalyzer sentiment) {
        this.sentiment = Objects.requireNonNull(sentiment, "sentiment");
    }

    @Override
    public Summary summarize(ConversationView conversation, HandoffDecision decision) {
        List<Turn> customer = conversation.turns().stream().filter(t -> t.speaker() == Speaker.CUSTOMER && !t.text().isBlank()).toList();
        String goal = customer.isEmpty() ? "Unknown: the customer has not said anything yet"
                : Text.abbreviate(customer.get(0).text(), 140);
        String obstacle = decision.reasons().stream().findFirst().map(Reason::detail).orElse("The bot could not resolve the request");
        double avg = customer.stream().mapToDouble(t -> t.signalsOrNone().sentiment() != null ? t.signalsOrNone().sentiment()
                : sentiment.score(t.text())).average().orElse(0);
        String feeling = avg <= -0.4 ? "Frustrated" : avg < -0.1 ? "Uneasy" : avg >= 0.3 ? "Positive" : "Neutral";
        String opening = "I've read your conversation so far: you want to " + lowerFirst(Text.abbreviate(stripPeriod(goal), 100))
                + ". Let's sort that out now.";
        return new Summary(SemanticLedger.empty(),
                new WhisperSummary(goal, obstacle, feeling + String.format(java.util.Locale.ROOT, " (average %.2f)", avg), opening),
                ToneProfile.neutral());
    }

    private static String stripPeriod(String s) {
        return s.endsWith(".") || s.endsWith("?") || s.endsWith("!") ? s.substring(0, s.length() - 1) : s;
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
