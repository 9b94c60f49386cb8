package dev.handoff.codecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.DestinationPackager;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.Tickets;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;

/** Contexts, a fixed clock, keys and a packager for codec tests; fixtures from src/test/resources/fixtures. */
public final class CodecFixtures {

    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-12T16:31:05Z"), ZoneOffset.UTC);
    public static final SigningKeys KEYS = SigningKeys.of("k-test", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    public static final ContextSigner SIGNER = new ContextSigner(KEYS, CLOCK);
    public static final Tickets TICKETS = new Tickets(KEYS, CLOCK, Tickets.DEFAULT_TTL);
    public static final DestinationPackager PACKAGER = new DestinationPackager(SIGNER, TICKETS, ComplianceProfile.DEFAULT);

    private CodecFixtures() {
    }

    /** The published golden B2B chat context (5 turns). */
    public static HandoffContext b2b() {
        return ContextJson.get().read(resource("/schema/examples/b2b-sales-chat.json"));
    }

    /**
     * The golden B2B context with {@code turns} turns: filler small talk first, the golden five (and every turn
     * index that cites them) at the end, so the trigger is the latest turn as in a real long conversation.
     */
    public static HandoffContext longB2b(int turns) {
        try {
            ObjectNode root = (ObjectNode) ContextJson.get().mapper().readTree(resource("/schema/examples/b2b-sales-chat.json"));
            ArrayNode original = (ArrayNode) root.get("transcript");
            int shift = turns - original.size();
            shiftTurnIndexes(root, shift);
            ArrayNode transcript = ContextJson.get().mapper().createArrayNode();
            Instant t0 = Instant.parse("2026-05-12T14:00:00Z");
            for (int i = 0; i < shift; i++) {
                ObjectNode turn = transcript.addObject();
                turn.put("index", i);
                turn.put("speaker", i % 2 == 0 ? "CUSTOMER" : "AI");
                turn.put("text", i % 2 == 0 ? "Turn " + i + ": could you also check the onboarding checklist and the SSO settings for our team?"
                        : "Turn " + i + ": sure, the onboarding checklist has twelve steps and SSO supports SAML and OIDC.");
                turn.put("timestamp", t0.plusSeconds(10L * i).toString());
            }
            for (JsonNode turn : original) {
                ObjectNode copy = turn.deepCopy();
                copy.put("index", copy.get("index").asInt() + shift);
                transcript.add(copy);
            }
            root.set("transcript", transcript);
            return ContextJson.get().read(ContextJson.get().mapper().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void shiftTurnIndexes(JsonNode node, int shift) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                if ((f.getKey().equals("turnIndex") || f.getKey().equals("turn")) && f.getValue().isInt()) {
                    ((ObjectNode) node).put(f.getKey(), f.getValue().asInt() + shift);
                } else if (!f.getKey().equals("transcript")) {
                    shiftTurnIndexes(f.getValue(), shift);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> shiftTurnIndexes(n, shift));
        }
    }

    /** The context with another whisper goal. */
    public static HandoffContext withWhisperGoal(HandoffContext c, String goal) {
        var w = c.whisper();
        return new HandoffContext(c.schema(), c.contextId(), c.sessionId(), c.channel(), c.createdAt(), c.transcript(), c.inFlight(),
                c.customer(), c.crmProfile(), c.metadata(), c.semanticLedger(), c.sentiment(), c.commitments(),
                new dev.handoff.api.context.WhisperSummary(goal, w.obstacle(), w.sentiment(), w.suggestedOpening()), c.tone(), c.compliance(),
                null, c.extensions());
    }

    /** The context with another session id. */
    public static HandoffContext withSession(HandoffContext c, String session) {
        return new HandoffContext(c.schema(), c.contextId(), dev.handoff.api.SessionId.of(session), c.channel(), c.createdAt(), c.transcript(),
                c.inFlight(), c.customer(), c.crmProfile(), c.metadata(), c.semanticLedger(), c.sentiment(), c.commitments(), c.whisper(),
                c.tone(), c.compliance(), null, c.extensions());
    }

    /** A test resource as UTF-8 text ({@code /fixtures/...}). */
    public static String text(String path) {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    /** A fixture holding a flat JSON object of form parameters, as the map a web framework gives. */
    public static Map<String, String> form(String path) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        json(text(path)).fields().forEachRemaining(f -> form.put(f.getKey(), f.getValue().asText()));
        return form;
    }

    public static JsonNode json(String text) {
        try {
            return ContextJson.get().mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = CodecFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
