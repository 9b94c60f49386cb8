package dev.handoff.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.HandoffFeedback;
import dev.handoff.api.HandoffFeedback.Accuracy;
import dev.handoff.api.HandoffFeedback.WhisperField;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.core.internal.journal.SecureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the agents' feedback ({@link HandoffEvent.FeedbackGiven}, collected by a {@link FeedbackRecorder}) into labelled
 * cases in the corpus format {@link Corpus#load} reads, so a team replays its own traffic through its policy and its
 * observer.
 *
 * <p>What a case holds: the packaged context's transcript (speaker, text, the bot's NLU signals, seconds between
 * turns), and nothing else of the customer (no customer data, no CRM profile). Labels come from the feedback:
 * <ul>
 *   <li>{@code trigger}: {@code NEEDED} → a handoff warranted at the turn that triggered it, of the kind that led it;
 *   {@code NOT_NEEDED} → {@code {"never": true}}; {@code LATE} with {@code earlierTurn} → warranted at that turn;
 *   {@code LATE} without it → no trigger label (tag {@code late-unlabelled});</li>
 *   <li>{@code observer}: every field the agent rated {@code ACCURATE} is labelled with what the observer showed
 *   (budget, authority, need, timeline, pain points, whisper goal and obstacle; an empty field as "not stated"), so a
 *   policy or observer change that loses it shows as a failed check; fields rated {@code INACCURATE} carry no label
 *   (the agent gave no right answer) and are listed in the tags ({@code inaccurate:budget}) for a person to label;
 *   every commitment the agent gave a verdict on is an expected commitment of its turn, kind and strength (the AI did
 *   make it, whatever the business decided), with its value when {@code CONFIRMED}.</li>
 * </ul>
 * Tags also name the escalation verdict and the resolution ({@code feedback}, {@code escalation:LATE},
 * {@code resolved}). The case id is {@code fb-<contextId>}.
 *
 * <p>The file holds transcripts: it is written {@code 0600} in a {@code 0700} directory (core's {@link SecureFiles}),
 * replacing what was there. Call it from any thread; it blocks on the file and the context store.
 */
public final class FeedbackExport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FeedbackExport() {
    }

    /**
     * Writes one case per feedback whose context the store still has, in the order given; a later feedback on the same
     * context replaces an earlier one.
     *
     * @return how many cases were written
     * @throws UncheckedIOException when the file cannot be written
     * @throws dev.handoff.api.ConfigurationException when the file's directory lets group or others in
     */
    public static int write(Collection<HandoffEvent.FeedbackGiven> feedback, ContextStore contexts, Path file) {
        Map<String, String> lines = new java.util.LinkedHashMap<>();
        for (HandoffEvent.FeedbackGiven f : feedback) {
            Optional<HandoffContext> context = contexts.get(f.contextId());
            context.ifPresent(c -> lines.put(c.contextId(), toJson(f, c).toString()));
        }
        StringBuilder out = new StringBuilder();
        lines.values().forEach(l -> out.append(l).append('\n'));
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                SecureFiles.privateDirectory(parent);
            }
            try (FileChannel ch = SecureFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the feedback cases to " + file, e);
        }
        return lines.size();
    }

    /** One feedback on its context as a case (what {@link #write} writes, read back). */
    public static EvalCase toCase(HandoffEvent.FeedbackGiven feedback, HandoffContext context) {
        return Corpus.parse("feedback", toJson(feedback, context).toString()).cases().get(0);
    }

    static ObjectNode toJson(HandoffEvent.FeedbackGiven given, HandoffContext context) {
        HandoffFeedback f = given.feedback();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", "fb-" + context.contextId());
        ArrayNode tags = n.putArray("tags").add("feedback").add("escalation:" + f.escalation()).add(f.resolved() ? "resolved" : "unresolved");
        f.whisper().entrySet().stream().filter(e -> e.getValue() == Accuracy.INACCURATE).map(e -> e.getKey().name().toLowerCase(Locale.ROOT))
                .sorted().forEach(k -> tags.add("inaccurate:" + k));
        n.putArray("presets");
        n.putObject("customer");
        List<Turn> transcript = context.transcript();
        Map<Integer, Integer> position = new HashMap<>();
        ArrayNode turns = n.putArray("turns");
        for (int i = 0; i < transcript.size(); i++) {
            Turn t = transcript.get(i);
            position.put(t.index(), i);
            ObjectNode turn = turns.addObject().put("speaker", t.speaker().name().toLowerCase(Locale.ROOT)).put("text", t.text());
            if (t.signals() != null) {
                ObjectNode s = turn.putObject("signals");
                putIfSet(s, "confidence", t.signals().confidence());
                putIfSet(s, "intentConfidence", t.signals().intentConfidence());
                putIfSet(s, "sentiment", t.signals().sentiment());
                if (t.signals().intent() != null) {
                    s.put("intent", t.signals().intent());
                }
            }
            turn.put("afterSeconds", i == 0 ? 0 : Math.max(0, Duration.between(transcript.get(i - 1).timestamp(), t.timestamp()).toSeconds()));
        }
        ObjectNode labels = n.putObject("labels");
        int last = transcript.size() - 1;
        String kind = given.leadingKind() == null ? null : given.leadingKind().name();
        switch (f.escalation()) {
            case NOT_NEEDED -> labels.putObject("trigger").put("never", true);
            case NEEDED -> {
                if (kind != null) {
                    labels.putObject("trigger").put("handoffAt", last).put("latest", last).put("kind", kind);
                }
            }
            case LATE -> {
                if (f.earlierTurn() != null && kind != null) {
                    int at = Math.min(f.earlierTurn(), last);
                    labels.putObject("trigger").put("handoffAt", at).put("latest", at).put("kind", kind);
                } else {
                    tags.add("late-unlabelled");
                }
            }
        }
        labels.set("observer", observer(f, context, position));
        return n;
    }

    private static ObjectNode observer(HandoffFeedback f, HandoffContext c, Map<Integer, Integer> position) {
        ObjectNode o = JSON.createObjectNode();
        SemanticLedger.Bant bant = c.semanticLedger().bant();
        SemanticLedger.Budget budget = bant == null ? null : bant.budget();
        accurate(f, WhisperField.BUDGET, o, "budget", budget == null ? null : budget.text());
        accurate(f, WhisperField.AUTHORITY, o, "authority", bant == null ? null : bant.authority());
        accurate(f, WhisperField.NEED, o, "need", bant == null ? null : bant.need());
        accurate(f, WhisperField.TIMELINE, o, "timeline", bant == null ? null : bant.timeline());
        if (f.whisper().get(WhisperField.PAIN_POINTS) == Accuracy.ACCURATE
                && c.semanticLedger().painPoints().stream().noneMatch(p -> p.contains("|"))) {
            ArrayNode pains = o.putArray("pains");
            c.semanticLedger().painPoints().forEach(pains::add);
        }
        ObjectNode whisper = JSON.createObjectNode();
        accurate(f, WhisperField.GOAL, whisper, "goal", c.whisper().goal());
        accurate(f, WhisperField.OBSTACLE, whisper, "obstacle", c.whisper().obstacle());
        if (!whisper.isEmpty()) {
            o.set("whisper", whisper);
        }
        ArrayNode commitments = JSON.createArrayNode();
        for (HandoffFeedback.CommitmentVerdict v : f.commitments()) {
            c.commitments().stream().filter(x -> x.id().equals(v.commitmentId())).findFirst().ifPresent(x -> {
                Integer turn = position.get(x.turnIndex());
                if (turn != null) {
                    ObjectNode e = commitments.addObject().put("turn", turn).put("kind", x.kind().name()).put("strength", x.strength().name());
                    if (v.verdict() == HandoffFeedback.Verdict.CONFIRMED && x.value() != null && !x.value().contains("|")) {
                        e.put("value", x.value());
                    }
                }
            });
        }
        if (!commitments.isEmpty()) {
            o.set("commitments", commitments);
        }
        return o;
    }

    /** Labels a field the agent rated accurate with what was shown ({@code null}: not stated); text with {@code |} is skipped. */
    private static void accurate(HandoffFeedback f, WhisperField field, ObjectNode into, String name, String shown) {
        if (f.whisper().get(field) != Accuracy.ACCURATE) {
            return;
        }
        if (shown == null || shown.isBlank()) {
            into.putNull(name);
        } else if (!shown.contains("|")) {
            into.put(name, shown);
        }
    }

    private static void putIfSet(ObjectNode n, String name, Double value) {
        if (value != null) {
            n.put(name, value);
        }
    }
}
