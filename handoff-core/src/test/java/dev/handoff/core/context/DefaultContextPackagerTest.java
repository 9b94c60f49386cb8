package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.NluSignals;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.ValidationException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.WhisperSummary;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.json.ContextJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultContextPackagerTest {

    private static final Instant T = LongConversation.START;

    private static HandoffContext packed(List<Turn> turns, Turn inFlight) {
        ConversationSnapshot view = ConversationSnapshot.of(LongConversation.view(2).id(), LongConversation.view(2).channel(), T, turns,
                inFlight, null);
        var decision = LongConversation.decision(turns.size() - 1);
        Summary summary = new DeterministicSummarizer().summarize(view, decision);
        return new DefaultContextPackager(new LexiconSentimentAnalyzer()).pack(new PackagingRequest(view, decision, null, List.of(),
                summary, T.plusSeconds(60)));
    }

    @Test
    void the_triggering_turn_and_the_in_flight_partial_turn_are_in_the_context() {
        List<Turn> turns = LongConversation.turns(6);
        Turn partial = new Turn(6, Speaker.CUSTOMER, "and the invoice number is", T.plusSeconds(59), null, true);

        HandoffContext c = packed(turns, partial);

        assertThat(c.transcript()).isEqualTo(turns);
        assertThat(c.lastTurn()).isEqualTo(turns.get(5));
        assertThat(c.inFlight()).isEqualTo(partial);
        assertThat(c.sentiment().series()).extracting(p -> p.turnIndex()).containsExactly(0, 2, 4);
    }

    @Test
    void fast_validation_reports_exactly_what_hibernate_validator_reports() {
        HandoffContext good = packed(LongConversation.turns(6), null);
        List<Turn> bad = new ArrayList<>(good.transcript());
        bad.set(1, new Turn(-1, Speaker.AI, "x", T, new NluSignals(1.5, "i", -0.2, -2.0, Map.of()), false));
        bad.set(3, new Turn(3, null, "y", T, null, false));
        HandoffContext c = new HandoffContext(good.schema(), good.contextId(), good.sessionId(), good.channel(), good.createdAt(), bad, null,
                good.customer(), null, good.metadata(), good.semanticLedger(), badSeries(good.sentiment()), good.commitments(),
                new WhisperSummary(" ", good.whisper().obstacle(), good.whisper().sentiment(), good.whisper().suggestedOpening()),
                good.tone(), good.compliance(), null, Map.of());

        assertThat(DefaultContextPackager.validate(c)).isEqualTo(ContextJson.get().validate(c)).hasSize(8);
        assertThat(DefaultContextPackager.validate(good)).isEmpty();
    }

    private static dev.handoff.api.context.SentimentTrack badSeries(dev.handoff.api.context.SentimentTrack t) {
        List<dev.handoff.api.context.SentimentTrack.Point> series = new ArrayList<>(t.series());
        series.set(1, new dev.handoff.api.context.SentimentTrack.Point(-3, 1.4));
        return new dev.handoff.api.context.SentimentTrack(series, t.velocity(), t.trend(), t.urgency(), t.trust(), t.label(), t.markers(),
                t.extensions());
    }

    @Test
    void bot_signals_outside_their_range_are_refused_with_the_json_path() {
        List<Turn> turns = new ArrayList<>(LongConversation.turns(4));
        turns.set(2, new Turn(2, Speaker.CUSTOMER, "hm", T, NluSignals.confidence(1.7), false));

        assertThatThrownBy(() -> packed(turns, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations()).singleElement()
                        .satisfies(v -> {
                            assertThat(v.path()).isEqualTo("$.transcript[2].signals.confidence");
                            assertThat(v.expected()).isEqualTo("must be less than or equal to 1.0");
                        }));
    }

    @Test
    void sign_to_bytes_gives_the_same_bytes_as_serialising_the_signed_document() {
        Clock clock = Clock.fixed(T, ZoneOffset.UTC);
        ContextSigner signer = new ContextSigner(SigningKeys.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), clock);
        HandoffContext plain = packed(LongConversation.turns(20), null);
        HandoffContext extended = new HandoffContext(plain.schema(), plain.contextId(), plain.sessionId(), plain.channel(), plain.createdAt(),
                plain.transcript(), null, plain.customer(), null, plain.metadata(), plain.semanticLedger(), plain.sentiment(),
                plain.commitments(), plain.whisper(), plain.tone(), plain.compliance(), null, Map.of("x-vendor", "kept"));

        assertThat(signer.signToBytes(plain)).isEqualTo(ContextJson.get().write(signer.sign(plain)));
        assertThat(signer.signToBytes(extended)).isEqualTo(ContextJson.get().write(signer.sign(extended)));
    }

    @Test
    void fast_validation_of_each_part_reports_exactly_what_hibernate_validator_reports_on_the_whole_document() {
        HandoffContext good = packed(LongConversation.turns(6), null);
        dev.handoff.api.context.ContextMetadata m = good.metadata();
        dev.handoff.api.context.SemanticLedger l = good.semanticLedger();
        dev.handoff.api.context.SentimentTrack t = good.sentiment();
        HandoffContext c = new HandoffContext(good.schema(), good.contextId(), good.sessionId(), good.channel(), good.createdAt(),
                good.transcript(), new Turn(6, Speaker.CUSTOMER, "and", T, NluSignals.confidence(-0.5), true), good.customer(),
                new dev.handoff.api.CrmProfile(" ", "r-1", null, Map.of(), List.of()),
                new dev.handoff.api.context.ContextMetadata(m.action(), m.priority(),
                        List.of(dev.handoff.api.Reason.of(dev.handoff.api.TriggerKind.EXPLICIT_REQUEST, " ", "asked")), m.intents(),
                        m.routeHint(), -4, m.language(), m.extensions()),
                new dev.handoff.api.context.SemanticLedger(l.bant(), l.painPoints(),
                        List.of(new dev.handoff.api.context.SemanticLedger.KeyEntity("date", " ", 0)), l.extensions()),
                new dev.handoff.api.context.SentimentTrack(t.series(), t.velocity(), t.trend(), null, t.trust(), "", t.markers(), t.extensions()),
                List.of(dev.handoff.api.Commitment.pending(" ", dev.handoff.api.Commitment.Kind.OTHER, dev.handoff.api.Commitment.Strength.SOFT,
                        "call back", null, -1)),
                good.whisper(), new dev.handoff.api.context.ToneProfile(null, good.tone().formality(), good.tone().empathy(), "x"),
                new dev.handoff.api.context.ComplianceInfo(" ", false, List.of()),
                new dev.handoff.api.context.Integrity("HMAC-SHA256", " ", "sig", T, T), Map.of());

        List<dev.handoff.api.Violation> found = DefaultContextPackager.validate(c);

        assertThat(found).isEqualTo(ContextJson.get().validate(c));
        assertThat(found).extracting(dev.handoff.api.Violation::path).containsExactly("$.commitments[0].id",
                "$.commitments[0].turnIndex", "$.compliance.profile", "$.crmProfile.system", "$.inFlight.signals.confidence",
                "$.integrity.keyId", "$.metadata.durationSeconds", "$.metadata.triggerReasons[0].ruleId",
                "$.semanticLedger.entities[0].value", "$.sentiment.label", "$.sentiment.urgency", "$.tone.pace");
    }

    @Test
    void a_document_whose_own_fields_are_invalid_gets_the_whole_document_pass() {
        HandoffContext good = packed(LongConversation.turns(6), null);
        HandoffContext c = new HandoffContext("handoff.context/v9", " ", null, good.channel(), good.createdAt(), List.of(), null,
                good.customer(), null, good.metadata(), good.semanticLedger(), good.sentiment(), good.commitments(), null, good.tone(),
                good.compliance(), null, Map.of());

        List<dev.handoff.api.Violation> found = DefaultContextPackager.validate(c);

        assertThat(found).isEqualTo(ContextJson.get().validate(c));
        assertThat(found).extracting(dev.handoff.api.Violation::path)
                .containsExactly("$.contextId", "$.schema", "$.sessionId", "$.transcript", "$.whisper");
    }

    @Test
    void a_malformed_summary_from_a_custom_observer_or_reason_from_a_custom_trigger_is_refused_with_its_json_path() {
        List<Turn> turns = LongConversation.turns(4);
        ConversationSnapshot view = ConversationSnapshot.of(LongConversation.view(2).id(), LongConversation.view(2).channel(), T, turns,
                null, null);
        var decision = LongConversation.decision(3);
        Summary ours = new DeterministicSummarizer().summarize(view, decision);
        Summary blankGoal = new Summary(ours.ledger(), new WhisperSummary(" ", "o", "s", "x"), ours.tone());
        var blankRule = new dev.handoff.api.HandoffDecision(decision.action(),
                List.of(dev.handoff.api.Reason.of(dev.handoff.api.TriggerKind.EXPLICIT_REQUEST, "", "asked")), decision.priority(),
                decision.routeHint(), decision.policy());
        DefaultContextPackager packager = new DefaultContextPackager(new LexiconSentimentAnalyzer());

        assertThatThrownBy(() -> packager.pack(new PackagingRequest(view, decision, null, List.of(), blankGoal, T)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations()).singleElement().satisfies(v -> {
                    assertThat(v.path()).isEqualTo("$.whisper.goal");
                    assertThat(v.invalidValue()).isEqualTo(" ");
                    assertThat(v.expected()).isEqualTo("must not be blank");
                }));
        assertThatThrownBy(() -> packager.pack(new PackagingRequest(view, blankRule, null, List.of(), ours, T)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations()).singleElement().satisfies(v -> {
                    assertThat(v.path()).isEqualTo("$.metadata.triggerReasons[0].ruleId");
                    assertThat(v.expected()).isEqualTo("must not be blank");
                }));
    }
}
