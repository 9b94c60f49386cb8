package dev.handoff.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.Commitment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a careful human reader expects the observer to show for one conversation (the {@code "observer"} label of a
 * case). A field absent from the label is not scored; {@code null} means "not stated, the observer should leave it
 * empty".
 *
 * <pre>{@code
 * "observer": {"budget": "sixty|60k|60,000", "budgetAmount": 60000, "authority": "COO", "need": "route|routing",
 *              "timeline": null, "pains": ["onboard|drivers", ["charged", "three times"]],
 *              "commitments": [{"turn": 3, "kind": "DISCOUNT", "strength": "HARD", "value": "8%"}],
 *              "notCommitments": [{"turn": 1, "kind": "ANY"}],
 *              "direction": "improving", "mood": "neutral", "lowTrust": false,
 *              "whisper": {"goal": "route|routing", "obstacle": "onboard"}}
 * }</pre>
 *
 * Kinds may list alternatives ({@code "FEE_WAIVER|CREDIT"}); a non-commitment of kind {@code ANY} means the turn
 * holds no promise at all. A label without {@code "commitments"} and {@code "notCommitments"} does not score the
 * AI's promises ({@code commitmentsLabelled} false); one with {@code "commitments": []} expects none.
 */
public record ObserverLabel(Field budget, Double budgetAmount, Field authority, Field need, Field timeline, List<Terms> pains,
                            boolean painsLabelled, List<ExpectedCommitment> commitments, boolean commitmentsLabelled,
                            List<NonCommitment> notCommitments,
                            String direction, String mood, Boolean lowTrust, Terms goal, Terms obstacle) {

    public ObserverLabel {
        pains = List.copyOf(pains);
        commitments = List.copyOf(commitments);
        notCommitments = List.copyOf(notCommitments);
    }

    /**
     * A BANT field's label.
     *
     * @param terms null when the field is not stated in the conversation
     */
    public record Field(Terms terms) {
        /** True when the label says the conversation states this field. */
        public boolean stated() {
            return terms != null;
        }
    }

    /** A promise the AI made in turn {@code turn}. */
    public record ExpectedCommitment(int turn, Set<Commitment.Kind> kinds, Commitment.Strength strength, Terms value) {
        public ExpectedCommitment {
            kinds = Set.copyOf(kinds);
            Objects.requireNonNull(strength, "strength");
        }
    }

    /** Promise-like wording in turn {@code turn} that is not a promise of kind {@code kind} (null: of any kind). */
    public record NonCommitment(int turn, Commitment.Kind kind) {
    }

    static ObserverLabel read(String id, JsonNode n) {
        try {
            List<Terms> pains = new ArrayList<>();
            int k = 0;
            for (JsonNode p : n.path("pains")) {
                pains.add(Terms.read(p, "pains[" + k++ + "]"));
            }
            List<ExpectedCommitment> commitments = new ArrayList<>();
            for (JsonNode c : n.path("commitments")) {
                commitments.add(new ExpectedCommitment(c.path("turn").asInt(-1), kinds(c.path("kind").asText()),
                        Commitment.Strength.valueOf(c.path("strength").asText().toUpperCase(Locale.ROOT)), Terms.read(c.get("value"), "value")));
            }
            List<NonCommitment> non = new ArrayList<>();
            for (JsonNode c : n.path("notCommitments")) {
                String kind = c.path("kind").asText("ANY").toUpperCase(Locale.ROOT);
                non.add(new NonCommitment(c.path("turn").asInt(-1), kind.equals("ANY") ? null : Commitment.Kind.valueOf(kind)));
            }
            JsonNode w = n.path("whisper");
            return new ObserverLabel(field(n, "budget"), n.hasNonNull("budgetAmount") ? n.get("budgetAmount").asDouble() : null,
                    field(n, "authority"), field(n, "need"), field(n, "timeline"), pains, n.has("pains"), commitments,
                    n.has("commitments") || n.has("notCommitments"), non,
                    text(n, "direction", Set.of("improving", "worsening", "steady")), text(n, "mood", Set.of("negative", "neutral", "positive")),
                    n.hasNonNull("lowTrust") ? n.get("lowTrust").asBoolean() : null, Terms.read(w.get("goal"), "whisper.goal"),
                    Terms.read(w.get("obstacle"), "whisper.obstacle"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("case " + id + ": unreadable observer label (" + e.getMessage() + ")", e);
        }
    }

    private static Field field(JsonNode n, String name) {
        return n.has(name) ? new Field(Terms.read(n.get(name), name)) : null;
    }

    private static String text(JsonNode n, String name, Set<String> allowed) {
        if (!n.hasNonNull(name)) {
            return null;
        }
        String v = n.get(name).asText();
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(name + " must be one of " + allowed + ", was \"" + v + "\"");
        }
        return v;
    }

    private static Set<Commitment.Kind> kinds(String s) {
        Set<Commitment.Kind> out = EnumSet.noneOf(Commitment.Kind.class);
        for (String k : s.split("\\|")) {
            out.add(Commitment.Kind.valueOf(k.strip().toUpperCase(Locale.ROOT)));
        }
        return out;
    }
}
