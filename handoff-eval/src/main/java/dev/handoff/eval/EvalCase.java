package dev.handoff.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.CustomerData;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Speaker;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One labelled conversation of a corpus (one JSONL line).
 *
 * @param id       unique in its corpus
 * @param tags     free labels for slicing results ({@code false-alarm}, {@code kill-switch}, {@code es})
 * @param presets  the policies the case applies to (empty: every policy)
 * @param customer what the bot knows about the customer (fields such as {@code acv}, {@code language}; earlier contacts)
 * @param turns    the conversation, oldest first
 * @param labels   labels by evaluation: {@code "trigger"} (see {@link TriggerLabel}), {@code "trigger@high-gate"} to
 *                 override it for one policy, and whatever other evaluations read (kept as JSON)
 */
public record EvalCase(String id, List<String> tags, List<String> presets, CustomerData customer, List<CaseTurn> turns,
                       Map<String, JsonNode> labels) {

    public EvalCase {
        Objects.requireNonNull(id, "id");
        tags = List.copyOf(tags);
        presets = List.copyOf(presets);
        Objects.requireNonNull(customer, "customer");
        turns = List.copyOf(turns);
        labels = Map.copyOf(labels);
    }

    /** True when the case applies to the policy named {@code policy}. */
    public boolean appliesTo(String policy) {
        return presets.isEmpty() || presets.contains(policy);
    }

    /** The label for evaluation {@code name} under {@code policy}: the policy's override, else the general one. */
    public JsonNode label(String name, String policy) {
        JsonNode specific = labels.get(name + "@" + policy);
        return specific != null ? specific : labels.get(name);
    }

    /**
     * One turn.
     *
     * @param speaker      who said it
     * @param text         what was said
     * @param signals      nullable; the bot's NLU signals
     * @param afterSeconds seconds after the previous turn (the first: after the conversation started)
     */
    public record CaseTurn(Speaker speaker, String text, NluSignals signals, long afterSeconds) {
        public CaseTurn {
            Objects.requireNonNull(speaker, "speaker");
            Objects.requireNonNull(text, "text");
        }
    }
}
