package dev.handoff.core.context.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.context.ConversationSnapshot;
import dev.handoff.core.context.DeterministicSummarizer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiCompatibleSummarizerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-05-12T16:30:00Z");
    private static final ConversationSnapshot CHAT = ConversationSnapshot.of(SessionId.of("chat-llm"), Channel.CHAT, T0, List.of(
            new Turn(0, Speaker.CUSTOMER, "We're evaluating your platform for 40 agents. Budget is around $75,000 a year.", T0, null, false),
            new Turn(1, Speaker.AI, "If you sign this quarter, I might be able to offer 15% off.", T0.plusSeconds(9), null, false),
            new Turn(2, Speaker.CUSTOMER, "My real worry is API latency; what's your p99?", T0.plusSeconds(30), null, false),
            new Turn(3, Speaker.CUSTOMER, "You can bill card 4111 1111 1111 1111.", T0.plusSeconds(35), null, false)),
            new Turn(4, Speaker.CUSTOMER, "hello?", T0.plusSeconds(40), null, true), CustomerData.UNKNOWN);
    private static final HandoffDecision DECISION = HandoffDecision.handoff(Priority.HIGH,
            List.of(new Reason(TriggerKind.COMPLEX_ISSUE, "complex.technical-objection", "Technical objection on API latency", 2, null, null, null)),
            "solutions-engineer");

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private OpenAiCompatibleSummarizer summarizer(Duration timeout) {
        return OpenAiCompatibleSummarizer.builder(server.url("/v1").toString(), "test-model").apiKey("sk-test-123").timeout(timeout).build();
    }

    private static ObjectNode goodAnswer() {
        ObjectNode a = MAPPER.createObjectNode();
        a.put("goal", "Roll out the platform for 40 agents, budget about $75k a year");
        a.put("obstacle", "Needs the p99 API latency for per-message routing");
        a.put("sentiment", "Engaged but losing trust on the technical answer");
        a.put("suggestedOpening", "I see we're stuck on API latency; let me get you the real p99 numbers.");
        ObjectNode bant = a.putObject("bant");
        bant.putObject("budget").put("amount", 75000).put("currency", "USD").put("text", "around $75,000 a year");
        bant.putNull("authority");
        bant.put("need", "Support platform for 40 agents");
        bant.putNull("timeline");
        a.putArray("painPoints").add("API latency on every routed message");
        a.putArray("entities").addObject().put("type", "amount").put("value", "75000 USD").put("turnIndex", 0);
        a.putObject("tone").put("pace", "BRISK").put("formality", "NEUTRAL").put("empathy", "MEDIUM").put("guidance", "Numbers first.");
        return a;
    }

    private static MockResponse completion(String content) {
        ObjectNode r = MAPPER.createObjectNode();
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(r.toString());
    }

    private static Summary deterministic() {
        return new DeterministicSummarizer().summarize(CHAT, DECISION);
    }

    @Test
    void a_good_answer_becomes_the_summary_and_the_request_follows_the_contract() throws Exception {
        server.enqueue(completion(goodAnswer().toString()));

        Summary summary = summarizer(Duration.ofSeconds(5)).summarize(CHAT, DECISION);

        assertThat(summary.whisper().obstacle()).isEqualTo("Needs the p99 API latency for per-message routing");
        assertThat(summary.whisper().suggestedOpening()).isEqualTo("I see we're stuck on API latency; let me get you the real p99 numbers.");
        assertThat(summary.ledger().bant().budget().amount()).isEqualByComparingTo(new BigDecimal("75000"));
        assertThat(summary.ledger().bant().authority()).isNull();
        assertThat(summary.ledger().entities()).singleElement().satisfies(e -> assertThat(e.turnIndex()).isZero());
        assertThat(summary.tone()).isEqualTo(new ToneProfile(ToneProfile.Pace.BRISK, ToneProfile.Formality.NEUTRAL,
                SentimentTrack.Level.MEDIUM, "Numbers first."));
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getPath()).isEqualTo("/v1/chat/completions");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer sk-test-123");
        JsonNode body = MAPPER.readTree(request.getBody().readUtf8());
        assertThat(body.get("model").asText()).isEqualTo("test-model");
        assertThat(body.at("/response_format/type").asText()).isEqualTo("json_object");
        assertThat(body.at("/messages/0/content").asText()).isEqualTo(OpenAiCompatibleSummarizer.SYSTEM_PROMPT);
        assertThat(body.at("/messages/1/content").asText())
                .contains("- COMPLEX_ISSUE: Technical objection on API latency (turn 2)")
                .contains("[2] CUSTOMER: My real worry is API latency; what's your p99?")
                .contains("[3] CUSTOMER: You can bill card [REDACTED:card-number].")
                .contains("[4] CUSTOMER (still speaking): hello?")
                .doesNotContain("4111");
    }

    @Test
    void a_slow_endpoint_times_out_and_the_deterministic_summary_is_used() {
        server.enqueue(completion(goodAnswer().toString()).setHeadersDelay(1, TimeUnit.SECONDS));
        OpenAiCompatibleSummarizer llm = summarizer(Duration.ofMillis(300));

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(new OpenAiCompatibleSummarizer.Attempt.Failed("no answer within 300 ms"));
        server.enqueue(completion(goodAnswer().toString()).setHeadersDelay(1, TimeUnit.SECONDS));
        assertThat(llm.summarize(CHAT, DECISION)).isEqualTo(deterministic());
    }

    @Test
    void prose_instead_of_json_is_refused_and_falls_back() {
        server.enqueue(completion("Sure! The customer wants a discount."));
        OpenAiCompatibleSummarizer llm = summarizer(Duration.ofSeconds(5));

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(new OpenAiCompatibleSummarizer.Attempt.Failed(
                "the answer is not a JSON object: \"Sure! The customer wants a discount.\""));
        server.enqueue(completion("Sure! The customer wants a discount."));
        assertThat(llm.summarize(CHAT, DECISION)).isEqualTo(deterministic());
    }

    @Test
    void a_refusal_falls_back() {
        ObjectNode r = MAPPER.createObjectNode();
        r.putArray("choices").addObject().put("finish_reason", "stop").putObject("message").put("role", "assistant")
                .putNull("content").put("refusal", "I can't help with that request.");
        server.enqueue(new MockResponse().setBody(r.toString()));
        OpenAiCompatibleSummarizer llm = summarizer(Duration.ofSeconds(5));

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(new OpenAiCompatibleSummarizer.Attempt.Failed(
                "the model refused: I can't help with that request."));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/tone/pace | \"FAST\" | the answer breaks the contract: tone.pace must be one of SLOW, MEASURED, BRISK, was \"FAST\"",
            "/goal | \"\" | the answer breaks the contract: goal must be a non-empty string, was \"\"",
            "/bant/budget/currency | \"dollars\" | the answer breaks the contract: bant.budget.currency must be an ISO 4217 code, was \"dollars\"",
            "/bant/budget/amount | -5 | the answer breaks the contract: bant.budget.amount must be a number of at least 0, was -5",
            "/mood | \"happy\" | the answer breaks the contract: unexpected field mood",
            "/entities/0/turnIndex | 42 | the answer breaks the contract: entities[0].turnIndex must be the index of a turn in the transcript, was 42",
            "/painPoints | \"latency\" | the answer breaks the contract: painPoints must be an array",
    })
    void an_answer_outside_the_contract_is_refused(String pointer, String value, String reason) throws Exception {
        ObjectNode answer = goodAnswer();
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        ObjectNode target = parent.isEmpty() ? answer : (ObjectNode) answer.at(parent.replace("/entities/0", "/entities/0"));
        target.set(pointer.substring(pointer.lastIndexOf('/') + 1), MAPPER.readTree(value));
        server.enqueue(completion(answer.toString()));

        assertThat(summarizer(Duration.ofSeconds(5)).attempt(CHAT, DECISION)).isEqualTo(new OpenAiCompatibleSummarizer.Attempt.Failed(reason));
    }

    @Test
    void a_missing_field_is_named() {
        ObjectNode answer = goodAnswer();
        answer.remove("obstacle");
        server.enqueue(completion(answer.toString()));

        assertThat(summarizer(Duration.ofSeconds(5)).attempt(CHAT, DECISION)).isEqualTo(new OpenAiCompatibleSummarizer.Attempt.Failed(
                "the answer breaks the contract: missing field obstacle"));
    }

    @Test
    void http_errors_and_a_dead_endpoint_fall_back() throws IOException {
        server.enqueue(new MockResponse().setResponseCode(401).setBody("{\"error\":\"bad key\"}"));
        server.enqueue(new MockResponse().setResponseCode(500));
        OpenAiCompatibleSummarizer llm = summarizer(Duration.ofSeconds(5));

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(new OpenAiCompatibleSummarizer.Attempt.Failed(
                "HTTP 401 from " + server.url("/v1/chat/completions")));
        assertThat(llm.summarize(CHAT, DECISION)).isEqualTo(deterministic());

        server.shutdown();
        assertThat(llm.attempt(CHAT, DECISION)).isInstanceOfSatisfying(OpenAiCompatibleSummarizer.Attempt.Failed.class,
                f -> assertThat(f.reason()).startsWith("cannot reach " + server.url("/v1/chat/completions") + ": ConnectException"));
        assertThat(llm.summarize(CHAT, DECISION)).isEqualTo(deterministic());
    }

    @Test
    void bad_configuration_is_refused_with_the_value() {
        assertThatThrownBy(() -> OpenAiCompatibleSummarizer.builder("ftp://example.com", "m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must be an http or https URL, was \"ftp://example.com\"");
        assertThatThrownBy(() -> OpenAiCompatibleSummarizer.builder("https://example.com/v1", "m").timeout(Duration.ZERO))
                .hasMessage("timeout must be positive, was PT0S");
        assertThat(OpenAiCompatibleSummarizer.builder("https://example.com/v1", "m").apiKey("sk-secret").build().toString())
                .doesNotContain("sk-secret");
    }
}
