package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every conversation under {@code src/test/resources/conversations} through the default observer, the
 * velocity track and the commitment ledger, and checks what an agent would see against the file's {@code expect}
 * block, which a reader wrote by hand: BANT and pain points by keywords, commitments exactly, the label and trend, the
 * whisper's content by keywords and the rules every whisper keeps (three lines of at most 120 characters, an opening
 * of at most 160 without quotes, no raw scores, a goal in the third person).
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

    /**
     * Loose keyword matching as a reader writes it: {@code "a|b; c"} holds when the text contains a or b, and c (case
     * and curly apostrophes ignored); JSON null expects no value.
     */
    static boolean matches(String terms, String text) {
        if (text == null) {
            return false;
        }
        String t = text.toLowerCase(java.util.Locale.ROOT).replace('\u2019', '\'');
        for (String term : terms.split(";")) {
            boolean any = false;
            for (String alternative : term.split("\\|")) {
                any |= !alternative.isBlank() && t.contains(alternative.strip().toLowerCase(java.util.Locale.ROOT));
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private static final java.util.regex.Pattern RAW_SCORE = java.util.regex.Pattern.compile("(?<![\\d$\u20ac\u00a3.,:])[-+]?[01]?\\.\\d{1,3}(?![\\d%])");
    private static final java.util.Set<String> FIRST_PERSON = java.util.Set.of("i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "we",
            "we're", "we've", "our", "ours", "us");

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversations")
    void agent_sees_what_a_reader_expects(String file) throws IOException {
        JsonNode doc = load(file);
        HandoffContext c = pack(doc);
        JsonNode e = doc.get("expect");
        var bant = c.semanticLedger().bant();
        JsonNode b = e.get("bant");

        // BANT, by keywords; a field the conversation does not state stays empty
        String budget = bant.budget() == null ? null : bant.budget().text() + " " + bant.budget().amount();
        expectTerms(file, "budget", b.get("budget"), budget);
        if (b.hasNonNull("budgetAmount")) {
            assertThat(bant.budget().amount().doubleValue()).as("%s: budget amount", file).isEqualTo(b.get("budgetAmount").asDouble());
        }
        expectTerms(file, "authority", b.get("authority"), bant.authority());
        expectTerms(file, "need", b.get("need"), bant.need());
        expectTerms(file, "timeline", b.get("timeline"), bant.timeline());
        // every pain point a reader sees is there, and no request for a person is taken for one
        for (JsonNode pain : e.get("painPoints")) {
            assertThat(c.semanticLedger().painPoints()).as("%s: pain points hold %s", file, pain.asText())
                    .anySatisfy(p -> assertThat(matches(pain.asText(), p)).isTrue());
        }
        for (JsonNode not : e.path("notPainPoints")) {
            assertThat(c.semanticLedger().painPoints()).as("%s: pain points", file).noneMatch(p -> matches(not.asText(), p));
        }
        // commitments exactly: kind, strength, value, turn
        List<String> commitments = new ArrayList<>();
        for (Commitment k : c.commitments()) {
            commitments.add(k.id() + " " + k.kind() + " " + k.strength() + " " + k.value() + " @" + k.turnIndex());
        }
        assertThat(commitments).as("%s: commitments", file).containsExactlyElementsOf(
                MAPPER.convertValue(e.get("commitments"), MAPPER.getTypeFactory().constructCollectionType(List.class, String.class)));
        assertThat(matches(e.get("label").asText(), c.sentiment().label())).as("%s: label %s", file, c.sentiment().label()).isTrue();
        assertThat(e.get("trend").asText().split("\\|")).as("%s: trend", file).contains(c.sentiment().trend().name());
        // the whisper: what it says, and the rules every whisper keeps
        var w = c.whisper();
        JsonNode ew = e.get("whisper");
        assertThat(matches(ew.get("goal").asText(), w.goal())).as("%s: goal \"%s\"", file, w.goal()).isTrue();
        assertThat(matches(ew.get("obstacle").asText(), w.obstacle())).as("%s: obstacle \"%s\"", file, w.obstacle()).isTrue();
        assertThat(matches(ew.get("sentiment").asText(), w.sentiment())).as("%s: sentiment \"%s\"", file, w.sentiment()).isTrue();
        if (ew.hasNonNull("opening")) {
            assertThat(matches(ew.get("opening").asText(), w.suggestedOpening())).as("%s: opening \"%s\"", file, w.suggestedOpening()).isTrue();
        }
        assertThat(List.of(w.goal(), w.obstacle(), w.sentiment())).as("%s: three short lines", file).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(120));
        assertThat(w.suggestedOpening()).as("%s: opening", file).hasSizeLessThanOrEqualTo(160).doesNotContain("\"");
        assertThat(RAW_SCORE.matcher(w.goal() + w.obstacle() + w.sentiment() + w.suggestedOpening()).find()).as("%s: raw scores", file).isFalse();
        assertThat(w.goal().toLowerCase(java.util.Locale.ROOT).split("[^a-z']+")).as("%s: goal in the third person", file)
                .doesNotContainAnyElementsOf(FIRST_PERSON);
        assertThat(c.lastTurn().text()).isEqualTo(e.get("lastTurnInContext").asText());
        assertThat(c.inFlight() == null ? null : c.inFlight().text()).isEqualTo(e.get("inFlight").isNull() ? null : e.get("inFlight").asText());
    }

    private static void expectTerms(String file, String field, JsonNode expected, String actual) {
        if (expected == null || expected.isNull()) {
            assertThat(actual).as("%s: %s is not stated", file, field).isNull();
        } else {
            assertThat(matches(expected.asText(), actual)).as("%s: %s \"%s\" holds %s", file, field, actual, expected.asText()).isTrue();
        }
    }
}
