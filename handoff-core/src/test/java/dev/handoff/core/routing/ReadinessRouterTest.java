package dev.handoff.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.Route;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadinessRouterTest {

    private static final Target SUPPORT = Target.queue("sales-desk");
    private static final Target SE = Target.queue("solutions-engineering").withSkills("solutions-engineering");
    private static final Target AE = Target.queue("account-executives").withSkills("account-executive");
    private static final Target PRIORITY = Target.queue("priority");
    private static final Target BACKUP = Target.queue("backup");

    private final ReadinessRouter router = ReadinessRouter.builder(SUPPORT).target(AE).target(SE).priorityTarget(PRIORITY)
            .fallback(BACKUP).salesDefaults().build();

    static HandoffContext context(String... customerTurns) {
        Instant t = Instant.parse("2026-05-12T16:30:00Z");
        List<Turn> turns = new java.util.ArrayList<>();
        for (String text : customerTurns) {
            turns.add(new Turn(turns.size(), Speaker.CUSTOMER, text, t, NluSignals.NONE, false));
        }
        return new HandoffContext(HandoffContext.SCHEMA, "ctx-1", SessionId.of("s-1"), Channel.CHAT, t, turns, null, CustomerData.UNKNOWN,
                null, new ContextMetadata("HANDOFF", Priority.NORMAL, List.of(), List.of(), null, 0, null, Map.of()),
                SemanticLedger.empty(), new SentimentTrack(List.of(), 0, SentimentTrack.Trend.STABLE, SentimentTrack.Level.LOW,
                SentimentTrack.Level.MEDIUM, "Entering conversation at Low Urgency / Medium Trust", List.of(), Map.of()), List.of(),
                new WhisperSummary("g", "o", "s", "hi"), ToneProfile.neutral(), ComplianceInfo.none(), null, Map.of());
    }

    private static HandoffDecision decision(TriggerKind kind, String hint) {
        return HandoffDecision.handoff(Priority.HIGH, List.of(Reason.of(kind, "rule", "fired")), hint);
    }

    @Test
    void a_technical_objection_on_api_latency_goes_to_a_solutions_engineer_not_the_account_executive() {
        Route route = router.route(context("We're ready to buy 40 seats", "My real worry is API latency, what's your p99?"),
                decision(TriggerKind.COMPLEX_ISSUE, null));

        assertThat(route.targets()).containsExactly(SE, SUPPORT, BACKUP);
        assertThat(route.reason()).isEqualTo("contextual readiness: needs solutions-engineering");
        assertThat(route.bypassNormalQueue()).isFalse();
    }

    @Test
    void a_pricing_negotiation_goes_to_an_account_executive() {
        Route route = router.route(context("Can you do a better price if we sign a two-year contract?"), decision(TriggerKind.SALES, null));

        assertThat(route.primary()).isEqualTo(AE);
    }

    @Test
    void the_trigger_engines_route_hint_is_honoured() {
        Route route = router.route(context("hello"), decision(TriggerKind.SALES, "solutions-engineer"));

        assertThat(route.primary()).isEqualTo(SE);
    }

    @Test
    void the_kill_switch_goes_to_the_priority_queue_first_and_bypasses_the_normal_queue() {
        Route route = router.route(context("This is stupid, I'm calling my lawyer"),
                HandoffDecision.silentAlarm(List.of(Reason.of(TriggerKind.KILL_SWITCH, "kill.lawsuit", "lawyer"))));

        assertThat(route.targets()).containsExactly(PRIORITY, SUPPORT, BACKUP);
        assertThat(route.bypassNormalQueue()).isTrue();
        assertThat(route.priority()).isEqualTo(Priority.URGENT);
    }

    @Test
    void words_inside_other_words_do_not_match() {
        Route route = router.route(context("We need rapid onboarding for the capital region"), decision(TriggerKind.COMPLEX_ISSUE, null));

        assertThat(route.targets()).containsExactly(SUPPORT, BACKUP);
    }

    @Test
    void unavailable_targets_are_skipped() {
        ReadinessRouter r = ReadinessRouter.builder(SUPPORT).target(SE).fallback(BACKUP).salesDefaults()
                .availability(t -> !t.equals(SE)).build();

        assertThat(r.route(context("what's the API latency?"), decision(TriggerKind.COMPLEX_ISSUE, null)).targets())
                .containsExactly(SUPPORT, BACKUP);
        assertThat(SE.skills()).isEqualTo(Set.of("solutions-engineering"));
    }
}
