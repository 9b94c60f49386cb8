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
    public static final int DEFAULT_VELOCITY_WINDOW = SentimentVelocity.DEFAULT_WINDOW;

    private final SentimentVelocity velocity;

    /** Scores customer turns without a bot sentiment signal with {@code sentiment}; slope over {@link #DEFAULT_VELOCITY_WINDOW}. */
    public DefaultContextPackager(SentimentAnalyzer sentiment) {
        this(new SentimentVelocity(Objects.requireNonNull(sentiment, "sentiment")));
    }

    /** Uses your velocity settings (window). */
    public DefaultContextPackager(SentimentVelocity velocity) {
        this.velocity = Objects.requireNonNull(velocity, "velocity");
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
        return velocity.track(turns);
    }
}
