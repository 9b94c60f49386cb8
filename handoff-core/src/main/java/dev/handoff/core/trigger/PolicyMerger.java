package dev.handoff.core.trigger;

import static dev.handoff.core.trigger.PolicyLoader.PACKS;
import static dev.handoff.core.trigger.PolicyLoader.YAML;
import static dev.handoff.core.trigger.PolicyLoader.resource;
import static dev.handoff.core.trigger.PolicyLoader.shown;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.Violation;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds the one document a policy is read from: follows {@code extends} up a chain of at most five preset resources
 * and deep-merges each child over its parent, then adds the phrase rules of the language packs (fragments
 * {@code pack-<name>.yaml}) named in {@code packs:}. Works on the YAML tree only; the sections are read afterwards by
 * {@link PolicySections}. Never mutates the document it is given. Single-use per load and not thread-safe (it records
 * violations); the static merge helpers are stateless.
 */
final class PolicyMerger extends PolicyFields {

    PolicyMerger(List<Violation> violations) {
        super(violations);
    }

    /** Adds the phrase rules of the packs named in {@code packs:} (each rule's language defaults to the pack's). */
    ObjectNode packs(ObjectNode doc) {
        JsonNode list = doc.get("packs");
        if (list == null || list.isNull()) {
            return doc;
        }
        if (!list.isArray()) {
            bad("$.packs", shown(list), "a list of language packs, each one of " + PACKS);
            return doc;
        }
        ObjectNode out = doc;
        for (int i = 0; i < list.size(); i++) {
            JsonNode name = list.get(i);
            if (!name.isTextual() || !PACKS.contains(name.textValue())) {
                bad("$.packs[" + i + "]", shown(name), "one of " + PACKS);
                continue;
            }
            ObjectNode pack;
            try {
                pack = (ObjectNode) YAML.readTree(resource("pack-" + name.textValue()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("pack " + name.textValue() + " is not valid YAML", e);
            }
            ArrayNode rules = (ArrayNode) pack.get("phraseRules");
            for (JsonNode r : rules) {
                if (r.isObject() && !r.has("language")) {
                    ((ObjectNode) r).put("language", name.textValue());
                }
            }
            JsonNode own = out.get("phraseRules");
            out = out == doc ? doc.deepCopy() : out;
            out.set("phraseRules", own != null && own.isArray() ? mergeRules((ArrayNode) own, rules) : rules);
        }
        return out;
    }

    ObjectNode resolve(ObjectNode doc, int depth) {
        JsonNode ext = doc.get("extends");
        if (ext == null || ext.isNull()) {
            return doc;
        }
        ObjectNode child = doc.deepCopy();
        child.remove("extends");
        Preset base = ext.isTextual() ? presetNamed(ext.textValue()) : null;
        if (base == null) {
            bad("$.extends", shown(ext), "one of " + Arrays.stream(Preset.values()).map(Preset::resourceName).toList());
            return child;
        }
        if (depth > 4) {
            bad("$.extends", ext.textValue(), "a chain of at most 5 presets");
            return child;
        }
        ObjectNode parent;
        try {
            parent = (ObjectNode) YAML.readTree(resource(base.resourceName()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("preset " + base + " is not valid YAML", e);
        }
        return merge(resolve(parent, depth + 1), child);
    }

    static Preset presetNamed(String name) {
        for (Preset p : Preset.values()) {
            if (p.resourceName().equalsIgnoreCase(name) || p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        return null;
    }

    /** Deep merge: objects field by field, {@code phraseRules} by id, anything else replaced. */
    static ObjectNode merge(ObjectNode base, ObjectNode over) {
        ObjectNode out = base.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> it = over.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = out.get(e.getKey());
            JsonNode now = e.getValue();
            if ("phraseRules".equals(e.getKey()) && old != null && old.isArray() && now.isArray()) {
                out.set(e.getKey(), mergeRules((ArrayNode) old, (ArrayNode) now));
            } else if (old != null && old.isObject() && now.isObject()) {
                out.set(e.getKey(), merge((ObjectNode) old, (ObjectNode) now));
            } else {
                out.set(e.getKey(), now.deepCopy());
            }
        }
        return out;
    }

    static ArrayNode mergeRules(ArrayNode base, ArrayNode over) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Map<String, Integer> byId = new HashMap<>();
        for (JsonNode r : base) {
            if (r.isObject() && r.path("id").isTextual()) {
                byId.put(r.get("id").textValue(), out.size());
            }
            out.add(r.deepCopy());
        }
        for (JsonNode r : over) {
            Integer at = r.isObject() && r.path("id").isTextual() ? byId.get(r.get("id").textValue()) : null;
            if (at != null && out.get(at).isObject()) {
                out.set(at, merge((ObjectNode) out.get(at), (ObjectNode) r));
            } else {
                out.add(r.deepCopy());
            }
        }
        return out;
    }

}
