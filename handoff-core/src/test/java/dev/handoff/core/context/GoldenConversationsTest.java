package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every conversation under {@code src/test/resources/conversations} through the default observer, the
 * velocity track and the commitment ledger, and compares what an agent would see (BANT, label, markers,
 * commitments, whisper, tone) with the file's {@code expect} block.
 */
class GoldenConversationsTest {

    private static final ObjectMapper MAPPER = ContextJson.newMapper();

    static Stream<String> conversations() throws IOException, URISyntaxException {
        Path dir = Path.of(GoldenConversationsTest.class.getResource("/conversations").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    static JsonNode load(String file) throws IOException {
        try (InputStream in = GoldenConversationsTest.class.getResourceAsStream("/conversations/" + file)) {
            return MAPPER.readTree(in);
        }
    }

    /** Packages a golden conversation with the default observer, velocity and ledger. */
    static HandoffContext pack(JsonNode doc) throws IOException {
        List<Turn> turns = new ArrayList<>();
        for (JsonNode t : doc.get("turns")) {
            turns.add(MAPPER.treeToValue(t, Turn.class));
        }
        Turn inFlight = doc.hasNonNull("inFlight") ? MAPPER.treeToValue(doc.get("inFlight"), Turn.class) : null;
        CustomerData customer = MAPPER.treeToValue(doc.get("customer"), CustomerData.class);
        JsonNode d = doc.get("decision");
        List<Reason> reasons = new ArrayList<>();
        for (JsonNode r : d.get("reasons")) {
            reasons.add(MAPPER.treeToValue(r, Reason.class));
        }
        HandoffDecision decision = new HandoffDecision(HandoffDecision.Action.valueOf(d.get("action").asText()), reasons,
                Priority.valueOf(d.get("priority").asText()), d.hasNonNull("routeHint") ? d.get("routeHint").asText() : null);
        ConversationSnapshot view = ConversationSnapshot.of(SessionId.of(doc.get("name").asText()),
                Channel.valueOf(doc.get("channel").asText()), Instant.parse(doc.get("startedAt").asText()), turns, inFlight, customer);
        LexiconSentimentAnalyzer analyzer = new LexiconSentimentAnalyzer();
        Summary summary = new DeterministicSummarizer(analyzer).summarize(view, decision);
        InMemoryCommitmentLedger ledger = new InMemoryCommitmentLedger();
        for (Turn t : turns) {
            ledger.observe(view.id(), t);
        }
        Instant now = turns.get(turns.size() - 1).timestamp().plusSeconds(1);
        return new DefaultContextPackager(analyzer).pack(new PackagingRequest(view, decision, null, ledger.commitments(view.id()), summary, now));
    }

    /** What an agent sees, in the shape of the {@code expect} block. */
    static ObjectNode seen(HandoffContext c) {
        Map<String, Object> m = new LinkedHashMap<>();
        var bant = c.semanticLedger().bant();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("budget", bant.budget() == null ? null
                : Map.of("amount", bant.budget().amount().toPlainString(), "currency", String.valueOf(bant.budget().currency()),
                        "text", bant.budget().text()));
        b.put("authority", bant.authority());
        b.put("need", bant.need());
        b.put("timeline", bant.timeline());
        m.put("bant", b);
        m.put("painPoints", c.semanticLedger().painPoints());
        m.put("entities", c.semanticLedger().entities().stream().map(e -> e.type() + ":" + e.value()).toList());
        m.put("label", c.sentiment().label());
        m.put("trend", c.sentiment().trend().name());
        m.put("velocity", c.sentiment().velocity());
        m.put("markers", c.sentiment().markers());
        List<String> commitments = new ArrayList<>();
        for (Commitment k : c.commitments()) {
            commitments.add(k.id() + " " + k.kind() + " " + k.strength() + " " + k.value() + " @" + k.turnIndex());
        }
        m.put("commitments", commitments);
        m.put("whisper", Map.of("goal", c.whisper().goal(), "obstacle", c.whisper().obstacle(), "sentiment", c.whisper().sentiment(),
                "opening", c.whisper().suggestedOpening()));
        m.put("tone", c.tone().pace() + " / " + c.tone().formality() + " / " + c.tone().empathy());
        m.put("lastTurnInContext", c.lastTurn().text());
        m.put("inFlight", c.inFlight() == null ? null : c.inFlight().text());
        return MAPPER.valueToTree(m);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversations")
    void agent_sees_the_expected_bant_label_commitments_and_whisper(String file) throws IOException {
        JsonNode doc = load(file);
        ObjectNode actual = seen(pack(doc));
        JsonNode expected = doc.get("expect");

        assertThat(expected.size()).as("expect block of %s; the observer produced:%n%s", file, actual.toPrettyString()).isPositive();
        for (var it = actual.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            assertThat(actual.get(field)).as("%s: %s", file, field).isEqualTo(expected.get(field));
        }
    }
}
