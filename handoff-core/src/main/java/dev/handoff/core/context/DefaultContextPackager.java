package dev.handoff.core.context;

import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.ComplianceInfo;
import dev.handoff.api.context.ContextMetadata;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.spi.ContextPackager;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.core.json.ContextJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the full {@code handoff.context/v1} document from the session: transcript (with the triggering turn
 * and any in-flight turn), customer data, CRM profile, metadata, the observer's ledger, whisper and tone, the
 * sentiment series with its velocity, and the commitments. The result is validated before it is returned.
 */
public final class DefaultContextPackager implements ContextPackager {

    /** Customer turns used for the sentiment slope. */
    public static final int DEFAULT_VELOCITY_WINDOW = 4;

    private final SentimentAnalyzer sentiment;

    public DefaultContextPackager(SentimentAnalyzer sentiment) {
        this.sentiment = Objects.requireNonNull(sentiment, "sentiment");
    }

    @Override
    public HandoffContext pack(PackagingRequest request) {
        ConversationView c = request.conversation();
        List<Turn> turns = c.turns();
        Set<String> intents = new LinkedHashSet<>();
        for (Turn t : turns) {
            if (t.signalsOrNone().intent() != null) {
                intents.add(t.signalsOrNone().intent());
            }
        }
        ContextMetadata metadata = new ContextMetadata(request.decision().action().name(), request.decision().priority(),
                request.decision().reasons(), List.copyOf(intents), request.decision().routeHint(),
                Math.max(0, Duration.between(c.startedAt(), request.now()).toSeconds()), null, Map.of());
        HandoffContext context = new HandoffContext(HandoffContext.SCHEMA, "ctx-" + UUID.randomUUID(), c.id(), c.channel(),
                request.now(), turns, c.inFlight().orElse(null), c.customer(), request.crmProfile(), metadata,
                request.summary().ledger(), sentimentTrack(turns), request.commitments(), request.summary().whisper(),
                request.summary().tone(), ComplianceInfo.none(), null, Map.of());
        return ContextJson.get().requireValid(context);
    }

    SentimentTrack sentimentTrack(List<Turn> turns) {
        List<SentimentTrack.Point> series = new ArrayList<>();
        for (Turn t : turns) {
            if (t.speaker() == Speaker.CUSTOMER && !t.partial()) {
                Double given = t.signalsOrNone().sentiment();
                double score = given != null ? given : sentiment.score(t.text());
                series.add(new SentimentTrack.Point(t.index(), Math.round(score * 1000) / 1000.0));
            }
        }
        double velocity = slope(series.subList(Math.max(0, series.size() - DEFAULT_VELOCITY_WINDOW), series.size()));
        SentimentTrack.Trend trend = velocity < -0.05 ? SentimentTrack.Trend.DECLINING
                : velocity > 0.05 ? SentimentTrack.Trend.IMPROVING : SentimentTrack.Trend.STABLE;
        double last = series.isEmpty() ? 0 : series.get(series.size() - 1).score();
        SentimentTrack.Level urgency = velocity < -0.2 || last < -0.5 ? SentimentTrack.Level.HIGH
                : velocity < -0.05 || last < -0.2 ? SentimentTrack.Level.MEDIUM : SentimentTrack.Level.LOW;
        SentimentTrack.Level trust = last < -0.4 ? SentimentTrack.Level.LOW : last < 0.2 ? SentimentTrack.Level.MEDIUM : SentimentTrack.Level.HIGH;
        String label = "Entering conversation at " + word(urgency) + " Urgency / " + word(trust) + " Trust";
        return new SentimentTrack(series, Math.round(velocity * 1000) / 1000.0, trend, urgency, trust, label, List.of(), Map.of());
    }

    private static String word(SentimentTrack.Level level) {
        return switch (level) {
            case LOW -> "Low";
            case MEDIUM -> "Medium";
            case HIGH -> "High";
        };
    }

    /** Least-squares slope of score over point position (per customer turn). */
    static double slope(List<SentimentTrack.Point> points) {
        int n = points.size();
        if (n < 2) {
            return 0;
        }
        double mx = (n - 1) / 2.0;
        double my = points.stream().mapToDouble(SentimentTrack.Point::score).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (i - mx) * (points.get(i).score() - my);
            den += (i - mx) * (i - mx);
        }
        return num / den;
    }
}
