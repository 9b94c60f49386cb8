package dev.handoff.core.context;

import dev.handoff.api.NluSignals;
import dev.handoff.api.Speaker;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.api.Turn;
import dev.handoff.api.context.ComplianceInfo;
import dev.handoff.api.context.ContextMetadata;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.spi.ContextPackager;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
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

    /**
     * Scores customer turns without a bot sentiment signal with {@code sentiment}; slope over
     * {@link #DEFAULT_VELOCITY_WINDOW}.
     *
     * @param sentiment the analyzer
     */
    public DefaultContextPackager(SentimentAnalyzer sentiment) {
        this(new SentimentVelocity(Objects.requireNonNull(sentiment, "sentiment")));
    }

    /**
     * Uses your velocity settings (window).
     *
     * @param velocity the sentiment track builder
     */
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
                request.summary().ledger(), sentimentTrack(turns, request.summary()), request.commitments(),
                request.summary().whisper(), request.summary().tone(), ComplianceInfo.none(), null, Map.of());
        List<Violation> violations = validate(context);
        if (!violations.isEmpty()) {
            throw new ValidationException("handoff context " + context.contextId(), violations);
        }
        return context;
    }

    /** A valid stand-in for the transcript while Hibernate Validator checks everything else. */
    private static final Turn PLACEHOLDER = Turn.of(0, Speaker.CUSTOMER, "", java.time.Instant.EPOCH);

    /**
     * The same violations as {@link ContextJson#validate}, faster: the turns and sentiment points (the bulk of a
     * document, all built from the session) are checked by hand against their constraints. When the document's own
     * fields are plainly valid (the schema id, a context id, no missing part: always, for a document this class
     * builds), Hibernate Validator checks each part that came in through an SPI or the bot (metadata with the trigger's
     * reasons, the observer's ledger, whisper and tone, the commitments, customer data, the CRM profile, the in-flight
     * turn) on its own, and its paths are put under the part's name; otherwise it checks the whole document but the
     * turns and points, as before. Either way the violations are the ones a whole-document pass reports.
     */
    static List<Violation> validate(HandoffContext c) {
        List<Violation> found = ownFieldsValid(c) ? validateParts(c) : validateRest(c);
        if (c.transcript() != null) {
            for (int i = 0; i < c.transcript().size(); i++) {
                check(c.transcript().get(i), "$.transcript[" + i + "]", found);
            }
        }
        if (c.sentiment() != null) {
            List<SentimentTrack.Point> series = c.sentiment().series();
            for (int i = 0; i < series.size(); i++) {
                String path = "$.sentiment.series[" + i + "]";
                SentimentTrack.Point p = series.get(i);
                if (p == null) {
                    found.add(new Violation(path, null, "must not be null"));
                    continue;
                }
                if (p.turnIndex() < 0) {
                    found.add(new Violation(path + ".turnIndex", p.turnIndex(), "must be greater than or equal to 0"));
                }
                range(p.score(), -1, 1, path + ".score", found);
            }
        }
        found.sort(java.util.Comparator.comparing(Violation::path).thenComparing(Violation::expected));
        return found;
    }

    /** True when none of the document's own constraints (not its parts') can be violated. */
    private static boolean ownFieldsValid(HandoffContext c) {
        return HandoffContext.SCHEMA.equals(c.schema()) && c.contextId() != null && !c.contextId().isBlank() && c.sessionId() != null
                && c.channel() != null && c.createdAt() != null && c.transcript() != null && !c.transcript().isEmpty()
                && c.customer() != null && c.metadata() != null && c.semanticLedger() != null && c.sentiment() != null
                && c.whisper() != null && c.tone() != null && c.compliance() != null;
    }

    /** Each part on its own, its violations' paths under the part's name; the transcript and series are left out. */
    private static List<Violation> validateParts(HandoffContext c) {
        List<Violation> found = new ArrayList<>();
        part(c.inFlight(), "$.inFlight", found);
        part(c.customer(), "$.customer", found);
        part(c.crmProfile(), "$.crmProfile", found);
        part(c.metadata(), "$.metadata", found);
        part(c.semanticLedger(), "$.semanticLedger", found);
        part(withoutSeries(c.sentiment()), "$.sentiment", found);
        for (int i = 0; i < c.commitments().size(); i++) {
            part(c.commitments().get(i), "$.commitments[" + i + "]", found);
        }
        part(c.whisper(), "$.whisper", found);
        part(c.tone(), "$.tone", found);
        part(c.compliance(), "$.compliance", found);
        part(c.integrity(), "$.integrity", found);
        return found;
    }

    private static void part(Object value, String path, List<Violation> out) {
        if (value == null) {
            return;
        }
        for (Violation v : ContextJson.get().validate(value, Set.of())) {
            out.add(new Violation(path + v.path().substring(1), v.invalidValue(), v.expected()));
        }
    }

    /** The whole document but the transcript (one valid stand-in turn) and the sentiment series. */
    private static List<Violation> validateRest(HandoffContext c) {
        HandoffContext rest = new HandoffContext(c.schema(), c.contextId(), c.sessionId(), c.channel(), c.createdAt(),
                c.transcript() == null || c.transcript().isEmpty() ? c.transcript() : List.of(PLACEHOLDER), c.inFlight(), c.customer(),
                c.crmProfile(), c.metadata(), c.semanticLedger(), withoutSeries(c.sentiment()), c.commitments(), c.whisper(), c.tone(),
                c.compliance(), c.integrity(), c.extensions());
        return new ArrayList<>(ContextJson.get().validate(rest));
    }

    private static SentimentTrack withoutSeries(SentimentTrack t) {
        return t == null ? null : new SentimentTrack(List.of(), t.velocity(), t.trend(), t.urgency(), t.trust(), t.label(), t.markers(),
                t.extensions());
    }

    private static void check(Turn t, String path, List<Violation> out) {
        if (t == null) {
            out.add(new Violation(path, null, "must not be null"));
            return;
        }
        if (t.index() < 0) {
            out.add(new Violation(path + ".index", t.index(), "must be greater than or equal to 0"));
        }
        if (t.speaker() == null) {
            out.add(new Violation(path + ".speaker", null, "must not be null"));
        }
        if (t.text() == null) {
            out.add(new Violation(path + ".text", null, "must not be null"));
        }
        if (t.timestamp() == null) {
            out.add(new Violation(path + ".timestamp", null, "must not be null"));
        }
        NluSignals s = t.signals();
        if (s != null) {
            range(s.confidence(), 0, 1, path + ".signals.confidence", out);
            range(s.intentConfidence(), 0, 1, path + ".signals.intentConfidence", out);
            range(s.sentiment(), -1, 1, path + ".signals.sentiment", out);
        }
    }

    private static void range(Double v, double min, double max, String path, List<Violation> out) {
        if (v == null) {
            return;
        }
        if (v < min) {
            out.add(new Violation(path, v, "must be greater than or equal to " + min));
        }
        if (v > max) {
            out.add(new Violation(path, v, "must be less than or equal to " + max));
        }
    }

    /**
     * The observer's track when it was read from exactly these turns ({@link #covers}), else a new one: the
     * deterministic observer has just computed it for its sentiment line, and computing it twice per handoff was the
     * same work done again.
     */
    SentimentTrack sentimentTrack(List<Turn> turns, Summary summary) {
        SentimentTrack given = summary.sentiment();
        return given != null && covers(given, turns) ? given : velocity.track(turns);
    }

    /**
     * True when the track has one point per final customer turn of {@code turns}, in order, and the transcript ends
     * with the last of them. Transcripts of a session only grow, so a summary made from a snapshot that holds the
     * transcript's last turn was made from this very transcript; when the bot or a partial turn came after the
     * customer, the track is computed again rather than trusted.
     */
    static boolean covers(SentimentTrack track, List<Turn> turns) {
        List<SentimentTrack.Point> series = track.series();
        if (series.isEmpty() || turns.isEmpty()) {
            return false;
        }
        Turn last = turns.get(turns.size() - 1);
        if (last.partial() || last.speaker() != Speaker.CUSTOMER || last.index() != series.get(series.size() - 1).turnIndex()) {
            return false;
        }
        int k = 0;
        for (Turn t : turns) {
            if (t.partial() || t.speaker() != Speaker.CUSTOMER) {
                continue;
            }
            if (k >= series.size() || series.get(k).turnIndex() != t.index()) {
                return false;
            }
            k++;
        }
        return k == series.size();
    }
}
