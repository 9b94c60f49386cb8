package dev.handoff.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.CustomerData;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Speaker;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Labelled conversations, read from JSONL: one case per line, blank lines and lines starting with {@code //}
 * ignored. A line:
 *
 * <pre>{@code
 * {"id": "req-007", "tags": ["explicit", "voice"], "presets": ["default"],
 *  "customer": {"fields": {"acv": "80000", "language": "es"}, "previousContactsDaysAgo": [1, 3]},
 *  "turns": [{"speaker": "customer", "text": "no no just get me a person"},
 *            {"speaker": "ai", "text": "...", "signals": {"confidence": 0.5}, "afterSeconds": 5}],
 *  "labels": {"trigger": {"handoffAt": 0, "kind": "EXPLICIT_REQUEST", "priority": "NORMAL"},
 *             "trigger@high-gate": {"never": true}}}
 * }</pre>
 *
 * A bad line fails the whole load with one {@link ValidationException} naming each line and field.
 */
public final class Corpus {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Conversations start at this instant in replays; earlier contacts are counted back from it. */
    public static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private final List<EvalCase> cases;

    private Corpus(List<EvalCase> cases) {
        this.cases = List.copyOf(cases);
    }

    /** The cases, in the order they were read. */
    public List<EvalCase> cases() {
        return cases;
    }

    /**
     * The trigger corpus shipped with this module (resources {@code dev/handoff/eval/corpus/*.jsonl}): the cases the
     * engine was developed against, the first held-out set ({@code heldout-1.jsonl}, ids {@code ho-*}) included since
     * its misses were used to tune the default policy, and {@code families-3.jsonl} (ids {@code fam3-*}, {@code fam3b-*}),
     * 101 turns written on 2026-12-03 before the engine was run on them, then tuned on, and {@code families-4.jsonl}
     * ({@code fam4-*}, 44 more), {@code families-5.jsonl} ({@code fam5-*}, 41), {@code families-6.jsonl} ({@code fam6-*}, 30)
     * {@code families-7.jsonl} ({@code fam7-*}, 84: regulatory matters in everyday words), {@code families-8.jsonl}
     * ({@code fam8-*}, 74: complex issues and sales in everyday words), {@code families-9.jsonl} ({@code fam9-*}, 47:
     * asking for a person in other words), {@code families-10.jsonl} ({@code fam10-*}, 45: frustration idioms and
     * urgent situations), {@code families-11.jsonl} ({@code fam11-*}, 53: buying for many people, billing disputes
     * in plain words), {@code families-12.jsonl} ({@code fam12-*}, 61: privacy, legal and complex matters and
     * requests for a person in plain words), {@code families-13.jsonl} ({@code fam13-*}, 29: discount and promo codes
     * in support, and negotiations that name a discount) and {@code families-14.jsonl} ({@code fam14-*}, 33: harmless
     * turns that name a manager, an agent or a call from the team, and requests for a person), the same way.
     */
    public static Corpus shipped() {
        return resources("corpus/", List.of("explicit.jsonl", "kill-switch.jsonl", "regulatory.jsonl", "sales.jsonl",
                "complex.jsonl", "sentiment.jsonl", "loops.jsonl", "confidence.jsonl", "urgency.jsonl", "quiet.jsonl",
                "languages.jsonl", "domains.jsonl", "heldout-1.jsonl", "families-3.jsonl",
                "families-4.jsonl", "families-5.jsonl", "families-6.jsonl", "families-7.jsonl",
                "families-8.jsonl", "families-9.jsonl", "families-10.jsonl", "families-11.jsonl", "families-12.jsonl",
                "families-13.jsonl", "families-14.jsonl"));
    }

    /**
     * The observer corpus shipped with this module (resources {@code dev/handoff/eval/observer/*.jsonl}): 160 sales,
     * support, dental and legal conversations with {@code "observer"} labels, 50 of them tagged {@code holdout}, and
     * {@code families-1.jsonl} ({@code obs-fam1-*}, 12 conversations labelled for their needs, timelines and
     * complaints only), {@code families-2.jsonl} ({@code obs-fam2-*}, 12 more, with the whisper's goal and obstacle)
     * and {@code families-3.jsonl} ({@code obs-fam3-*}, 12 conversations full of times that are not a timeline), each
     * written on 2026-12-04 before the observer was run on them, then tuned on; and {@code families-4.jsonl}
     * ({@code obs-fam4-*}, 16 conversations with timelines said as people say them), {@code sentiment-1.jsonl}
     * ({@code obs-sent1-*}, 14 conversations labelled for sentiment only) and {@code families-5.jsonl} to
     * {@code families-8.jsonl} ({@code obs-fam5-*} to {@code obs-fam8-*}, 12 whole conversations each, labelled for every
     * field), written on 2026-12-05 the same way.
     */
    public static Corpus shippedObserver() {
        return resources("observer/", List.of("sales.jsonl", "support.jsonl", "dental.jsonl", "legal.jsonl",
                "families-1.jsonl", "families-2.jsonl", "families-3.jsonl", "families-4.jsonl",
                "sentiment-1.jsonl", "families-5.jsonl", "families-6.jsonl", "families-7.jsonl",
                "families-8.jsonl"));
    }

    /**
     * The held-out set shipped with this module (resource {@code dev/handoff/eval/heldout/heldout-2.jsonl}, ids
     * {@code ho2-*}): cases written before the engine was run on them and never used to change it, labelled for the
     * default policy. Its scores say how the engine does on turns it was not tuned for.
     */
    public static Corpus heldOut() {
        return resources("heldout/", List.of("heldout-2.jsonl"));
    }

    private static Corpus resources(String folder, List<String> files) {
        List<EvalCase> all = new ArrayList<>();
        List<Violation> bad = new ArrayList<>();
        for (String f : files) {
            try (InputStream in = Corpus.class.getResourceAsStream(folder + f)) {
                if (in == null) {
                    throw new IllegalStateException("corpus file " + f + " is missing from handoff-eval");
                }
                parse(f, new String(in.readAllBytes(), StandardCharsets.UTF_8), all, bad);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return finish(all, bad);
    }

    /** A JSONL file, or every {@code *.jsonl} file of a directory. */
    public static Corpus load(Path path) {
        List<EvalCase> all = new ArrayList<>();
        List<Violation> bad = new ArrayList<>();
        try {
            List<Path> files;
            if (Files.isDirectory(path)) {
                try (Stream<Path> s = Files.list(path)) {
                    files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
                }
            } else {
                files = List.of(path);
            }
            for (Path f : files) {
                parse(f.getFileName().toString(), Files.readString(f), all, bad);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the corpus " + path, e);
        }
        return finish(all, bad);
    }

    /** Cases from JSONL text. */
    public static Corpus parse(String name, String jsonl) {
        List<EvalCase> all = new ArrayList<>();
        List<Violation> bad = new ArrayList<>();
        parse(name, jsonl, all, bad);
        return finish(all, bad);
    }

    private static Corpus finish(List<EvalCase> all, List<Violation> bad) {
        Set<String> ids = new HashSet<>();
        for (EvalCase c : all) {
            if (!ids.add(c.id())) {
                bad.add(new Violation("id", c.id(), "an id used by one case only"));
            }
        }
        if (!bad.isEmpty()) {
            throw new ValidationException("evaluation corpus", bad);
        }
        return new Corpus(all);
    }

    private static void parse(String file, String jsonl, List<EvalCase> out, List<Violation> bad) {
        String[] lines = jsonl.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("//")) {
                continue;
            }
            String at = file + ":" + (i + 1);
            try {
                out.add(read(JSON.readTree(line), at, bad));
            } catch (JsonProcessingException e) {
                bad.add(new Violation(at, null, "a JSON object on one line (" + e.getOriginalMessage() + ")"));
            } catch (RuntimeException e) {
                bad.add(new Violation(at, null, "a valid case (" + e.getMessage() + ")"));
            }
        }
    }

    private static EvalCase read(JsonNode n, String at, List<Violation> bad) {
        String id = n.path("id").asText(null);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an id");
        }
        List<String> tags = strings(n.path("tags"));
        List<String> presets = strings(n.path("presets"));
        JsonNode c = n.path("customer");
        Map<String, String> fields = new HashMap<>();
        c.path("fields").fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
        List<Instant> contacts = new ArrayList<>();
        for (JsonNode d : c.path("previousContactsDaysAgo")) {
            contacts.add(START.minusSeconds(Math.round(d.asDouble() * 86_400)));
        }
        CustomerData customer = new CustomerData(c.path("customerId").asText(null), Map.of(), fields, contacts);
        List<EvalCase.CaseTurn> turns = new ArrayList<>();
        int k = 0;
        for (JsonNode t : n.path("turns")) {
            String speaker = t.path("speaker").asText("customer").toUpperCase(Locale.ROOT);
            if (!Set.of("CUSTOMER", "AI", "AGENT", "SYSTEM").contains(speaker)) {
                bad.add(new Violation(at + " turns[" + k + "].speaker", speaker, "customer, ai, agent or system"));
                speaker = "CUSTOMER";
            }
            NluSignals signals = null;
            JsonNode s = t.path("signals");
            if (s.isObject()) {
                signals = new NluSignals(number(s, "confidence"), s.path("intent").asText(null), number(s, "intentConfidence"),
                        number(s, "sentiment"), Map.of());
                for (Violation v : signals.violations()) {
                    bad.add(new Violation(at + " turns[" + k + "]." + v.path(), v.invalidValue(), v.expected()));
                }
            }
            turns.add(new EvalCase.CaseTurn(Speaker.valueOf(speaker), t.path("text").asText(""), signals,
                    t.path("afterSeconds").asLong(k == 0 ? 0 : 5)));
            k++;
        }
        if (turns.isEmpty()) {
            bad.add(new Violation(at + " turns", null, "at least one turn"));
        }
        Map<String, JsonNode> labels = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.path("labels").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.put(e.getKey(), e.getValue());
        }
        return new EvalCase(id, tags, presets, customer, turns, labels);
    }

    private static Double number(JsonNode s, String f) {
        return s.hasNonNull(f) ? s.get(f).asDouble() : null;
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : a) {
            out.add(e.asText());
        }
        return out;
    }
}
