package dev.handoff.core.routing;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.api.Route;
import dev.handoff.api.Target;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Routes by <em>contextual readiness</em> (seed 002): the handoff goes to whoever is ready for what the
 * conversation needs now, not to a fixed owner. A technical objection goes to a solutions engineer, pricing and
 * negotiation to an account executive, the kill switch to a priority queue that bypasses the normal one.
 *
 * <p>How a route is built:
 * <ol>
 *   <li>Needed skills come from the decision's route hint, from skill rules matching the trigger reasons, intents,
 *   pain points and the last customer turns (e.g. {@code "latency" -> "solutions-engineering"}).</li>
 *   <li>A silent alarm (kill switch) puts the priority targets first and marks the route as bypassing the normal
 *   queue.</li>
 *   <li>Targets having every needed skill come next, then targets having some, then the default target, then the
 *   fallbacks. Unavailable targets (per the availability check) are left out; if none is available the
 *   default and fallbacks are kept so the orchestrator can still try them.</li>
 * </ol>
 */
public final class ReadinessRouter implements Router {

    private final List<Target> targets;
    private final List<Target> priorityTargets;
    private final Target defaultTarget;
    private final List<Target> fallbacks;
    private final Map<java.util.regex.Pattern, String> keywordSkills;
    private final Map<String, String> hintSkills;
    private final Predicate<Target> available;

    private ReadinessRouter(Builder b) {
        this.targets = List.copyOf(b.targets);
        this.priorityTargets = List.copyOf(b.priorityTargets);
        this.defaultTarget = b.defaultTarget;
        this.fallbacks = List.copyOf(b.fallbacks);
        this.keywordSkills = new LinkedHashMap<>(b.keywordSkills);
        this.hintSkills = Map.copyOf(b.hintSkills);
        this.available = b.available;
    }

    /**
     * A builder; only the default target is required.
     *
     * @param defaultTarget where a handoff goes when no skill matches
     * @return a new builder
     */
    public static Builder builder(Target defaultTarget) {
        return new Builder(defaultTarget);
    }

    @Override
    public Route route(HandoffContext context, HandoffDecision decision) {
        Set<String> needed = neededSkills(context, decision);
        boolean alarm = decision.action() == HandoffDecision.Action.SILENT_ALARM
                || decision.reasons().stream().anyMatch(r -> r.kind() == TriggerKind.KILL_SWITCH);
        LinkedHashSet<Target> ordered = new LinkedHashSet<>();
        if (alarm) {
            priorityTargets.stream().filter(available).forEach(ordered::add);
        }
        if (!needed.isEmpty()) {
            targets.stream().filter(available).filter(t -> t.skills().containsAll(needed)).forEach(ordered::add);
            for (String skill : needed) {
                targets.stream().filter(available).filter(t -> t.skills().contains(skill)).forEach(ordered::add);
            }
        }
        List<Target> tail = new ArrayList<>();
        tail.add(defaultTarget);
        tail.addAll(fallbacks);
        tail.stream().filter(available).forEach(ordered::add);
        if (ordered.isEmpty()) {
            ordered.addAll(tail);
        }
        String reason = alarm ? "kill switch: priority queue bypasses the normal queue"
                : needed.isEmpty() ? "no special skill needed: default target"
                : "contextual readiness: needs " + String.join(", ", needed);
        return new Route(List.copyOf(ordered), decision.priority(), reason, alarm && !priorityTargets.isEmpty());
    }

    /** The skills the conversation needs now, in the order found. */
    Set<String> neededSkills(HandoffContext context, HandoffDecision decision) {
        Set<String> skills = new LinkedHashSet<>();
        String hint = decision.routeHint() != null ? decision.routeHint() : context.metadata().routeHint();
        if (hint != null && hintSkills.containsKey(hint)) {
            skills.add(hintSkills.get(hint));
        }
        StringBuilder text = new StringBuilder();
        for (Reason r : decision.reasons()) {
            text.append(' ').append(r.ruleId()).append(' ').append(r.detail());
            if (r.evidence() != null) {
                text.append(' ').append(r.evidence().text());
            }
        }
        context.semanticLedger().painPoints().forEach(p -> text.append(' ').append(p));
        var transcript = context.transcript();
        // readiness is about what the conversation needs now: the last few turns, not the whole history
        for (int i = Math.max(0, transcript.size() - 3); i < transcript.size(); i++) {
            var turn = transcript.get(i);
            if (turn.signalsOrNone().intent() != null) {
                text.append(' ').append(turn.signalsOrNone().intent().replace('_', ' '));
            }
            if (turn.speaker() == dev.handoff.api.Speaker.CUSTOMER) {
                text.append(' ').append(turn.text());
            }
        }
        String haystack = text.toString().toLowerCase(Locale.ROOT);
        for (var e : keywordSkills.entrySet()) {
            if (e.getKey().matcher(haystack).find()) {
                skills.add(e.getValue());
            }
        }
        return skills;
    }

    /** Configures a {@link ReadinessRouter}. */
    public static final class Builder {
        private final Target defaultTarget;
        private final List<Target> targets = new ArrayList<>();
        private final List<Target> priorityTargets = new ArrayList<>();
        private final List<Target> fallbacks = new ArrayList<>();
        private final Map<java.util.regex.Pattern, String> keywordSkills = new LinkedHashMap<>();
        private final Map<String, String> hintSkills = new LinkedHashMap<>();
        private Predicate<Target> available = t -> true;

        private Builder(Target defaultTarget) {
            this.defaultTarget = Objects.requireNonNull(defaultTarget, "defaultTarget");
        }

        /**
         * A skilled target (a team queue or SIP address with {@link Target#skills()}).
         *
         * @param target a target with skills
         * @return this builder
         */
        public Builder target(Target target) {
            targets.add(Objects.requireNonNull(target, "target"));
            return this;
        }

        /**
         * Where kill-switch handoffs go first, bypassing the normal queue.
         *
         * @param target the priority queue or line
         * @return this builder
         */
        public Builder priorityTarget(Target target) {
            priorityTargets.add(Objects.requireNonNull(target, "priorityTarget"));
            return this;
        }

        /**
         * Tried after everything else, in order (backup queue, callback).
         *
         * @param target a target to try last
         * @return this builder
         */
        public Builder fallback(Target target) {
            fallbacks.add(Objects.requireNonNull(target, "fallback"));
            return this;
        }

        /**
         * When the conversation mentions {@code keyword} (case-insensitive) the route needs {@code skill}.
         *
         * @param keyword a word or word start looked for in the transcript ({@code "negotiat"} matches "negotiation")
         * @param skill   the skill a target must offer
         * @return this builder
         */
        public Builder skillFor(String keyword, String skill) {
            if (keyword == null || keyword.isBlank()) {
                throw new IllegalArgumentException("keyword must not be blank, was \"" + keyword + "\"");
            }
            // a keyword matches at the start of a word: "api" matches "API latency", not "rapid"
            keywordSkills.put(java.util.regex.Pattern.compile("(?<![\\p{L}\\p{N}])" + java.util.regex.Pattern.quote(keyword.toLowerCase(Locale.ROOT))),
                    Objects.requireNonNull(skill, "skill"));
            return this;
        }

        /**
         * When the trigger engine's route hint is {@code hint} the route needs {@code skill}.
         *
         * @param hint  the route hint ({@code "solutions-engineer"})
         * @param skill the skill a target must offer
         * @return this builder
         */
        public Builder skillForHint(String hint, String skill) {
            hintSkills.put(Objects.requireNonNull(hint, "hint"), Objects.requireNonNull(skill, "skill"));
            return this;
        }

        /**
         * Which targets can take work now (agents signed in, within hours); default: all.
         *
         * @param available true for targets that can take work now; called on every routing
         * @return this builder
         */
        public Builder availability(Predicate<Target> available) {
            this.available = Objects.requireNonNull(available, "availability");
            return this;
        }

        /**
         * The sales preset: latency/API/integration/security to solutions engineering; price/discount/contract to
         * account executives.
         *
         * @return this builder
         */
        public Builder salesDefaults() {
            for (String k : List.of("latency", "api", "integration", "sso", "security review", "technical", "uptime", "p99")) {
                skillFor(k, "solutions-engineering");
            }
            for (String k : List.of("price", "pricing", "discount", "contract", "negotiat", "quote", "procurement")) {
                skillFor(k, "account-executive");
            }
            skillForHint("solutions-engineer", "solutions-engineering");
            skillForHint("account-executive", "account-executive");
            return this;
        }

        /**
         * The router, with the targets and rules set so far.
         *
         * @return a router; thread-safe, called by the orchestrator once per handoff
         */
        public ReadinessRouter build() {
            return new ReadinessRouter(this);
        }
    }
}
