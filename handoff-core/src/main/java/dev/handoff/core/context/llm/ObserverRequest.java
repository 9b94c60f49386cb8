package dev.handoff.core.context.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.api.Turn;
import dev.handoff.core.context.Redactor;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** What {@link OpenAiCompatibleSummarizer} sends: the instructions, the answer's JSON Schema and the redacted transcript. */
final class ObserverRequest {

    private static final ObjectMapper MAPPER = ContextJson.newMapper();

    /** The name the schema is sent under. */
    static final String SCHEMA_NAME = "handoff_observer";
    /** The answer's JSON Schema (draft 2020-12 subset that OpenAI strict structured outputs accept). */
    static final JsonNode ANSWER_SCHEMA = loadSchema();

    /** The instructions: what each field means and the rules the validator enforces. */
    static final String SYSTEM_PROMPT = String.join("\n",
            "You are the observer in a handoff of a live conversation from an AI assistant to a human agent.",
            "Answer with one JSON object that follows the JSON Schema you are given, and nothing else.",
            "The whisper is what the human reads in ten seconds before speaking:",
            "- goal: what the customer wants, in the third person (\"Wants a refund for order 88\"); at most 120 characters.",
            "- obstacle: what stands in the way; at most 120 characters and at most one short quote of the customer.",
            "- sentiment: how the customer feels now and where it is heading, in words; never scores such as -0.4; at most 120 characters.",
            "- suggestedOpening: the human's first sentence to the customer, at most 160 characters, quoting no one. It continues",
            "  the conversation, never asks the customer to repeat anything, and promises nothing the assistant did not promise.",
            "bant: budget.amount only when the customer states an amount, with budget.turnIndex the customer turn that states it;",
            "  amount null and text in the customer's words when they say there is no budget or it is not set; budget null when",
            "  nothing was said. authority: who decides or signs. need: what they need it for. timeline: when they need it.",
            "  Use null for anything not said.",
            "painPoints: the customer's problems as short phrases. entities: order numbers, amounts, dates, names and products,",
            "  with the index of the turn they appear in.",
            "commitments: every promise the assistant made: its kind, SOFT when hedged (\"might\", \"I'll see if\"), HARD when",
            "  stated as certain or done, the assistant turn's index and the assistant's words copied exactly. Policies, questions,",
            "  offers the customer declined to hear and things the assistant refused are not promises.",
            "tone: the assistant's pace, formality and empathy, and one sentence of guidance for the human to match it.",
            "Never invent amounts, names or dates that are not in the transcript.");

    private ObserverRequest() {
    }

    static ObjectNode body(String model, OpenAiCompatibleSummarizer.ResponseFormat format, String userContent) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("model", model);
        root.put("temperature", 0);
        ObjectNode rf = root.putObject("response_format");
        String system = SYSTEM_PROMPT;
        if (format == OpenAiCompatibleSummarizer.ResponseFormat.JSON_SCHEMA) {
            rf.put("type", "json_schema");
            rf.putObject("json_schema").put("name", SCHEMA_NAME).put("strict", true).set("schema", ANSWER_SCHEMA);
        } else {
            rf.put("type", "json_object");
            system = SYSTEM_PROMPT + "\nThe JSON Schema:\n" + ANSWER_SCHEMA;
        }
        ArrayNode messages = root.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", userContent);
        return root;
    }

    static String userContent(List<Turn> turns, HandoffDecision decision, int maxTranscriptChars, Redactor redactor) {
        StringBuilder reasons = new StringBuilder("Why the handoff was triggered:\n");
        for (Reason r : decision.reasons()) {
            reasons.append("- ").append(r.kind()).append(": ").append(r.detail())
                    .append(r.turnIndex() == null ? "" : " (turn " + r.turnIndex() + ")").append('\n');
        }
        List<String> lines = new ArrayList<>();
        int budget = maxTranscriptChars;
        int kept = 0;
        for (int i = turns.size() - 1; i >= 0; i--) {
            Turn t = turns.get(i);
            String line = "[" + t.index() + "] " + t.speaker() + (t.partial() ? " (still speaking)" : "") + ": "
                    + redactor.redact(t.text()).text();
            if (line.length() > budget && kept > 0) {
                break;
            }
            lines.add(0, line.length() > budget ? line.substring(0, budget) : line);
            budget -= line.length() + 1;
            kept++;
        }
        StringBuilder sb = new StringBuilder(reasons).append("\nTranscript");
        if (kept < turns.size()) {
            sb.append(" (the first ").append(turns.size() - kept).append(" turns are left out)");
        }
        sb.append(":\n");
        lines.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    private static JsonNode loadSchema() {
        try (InputStream in = ObserverRequest.class.getResourceAsStream("observer-answer.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("observer-answer.schema.json is missing from the classpath");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
