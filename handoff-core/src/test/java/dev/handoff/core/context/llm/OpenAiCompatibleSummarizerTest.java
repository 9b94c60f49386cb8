package dev.handoff.core.context.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.context.ConversationSnapshot;
import dev.handoff.core.context.DefaultContextPackager;
import dev.handoff.core.context.DeterministicSummarizer;
import dev.handoff.core.context.LexiconSentimentAnalyzer;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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

    private static final ConversationSnapshot SUPPORT = ConversationSnapshot.of(SessionId.of("support-llm"), Channel.CHAT, T0, List.of(
            new Turn(0, Speaker.CUSTOMER, "I was charged three times for order 5521, $89.99 each. I want the extra charges back.", T0, null, false),
            new Turn(1, Speaker.AI, "I'm sorry about that. I've issued a refund of $179.98 for the two duplicate charges; it should "
                    + "show within 5 business days.", T0.plusSeconds(8), null, false),
            new Turn(2, Speaker.CUSTOMER, "You said that last week too. I want to talk to a person.", T0.plusSeconds(40), null, false)),
            null, CustomerData.UNKNOWN);
    private static final HandoffDecision SUPPORT_DECISION = HandoffDecision.handoff(Priority.HIGH,
            List.of(new Reason(TriggerKind.EXPLICIT_REQUEST, "explicit.person", "Asked for a person", 2, null, null, null)), "billing");

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

    private OpenAiCompatibleSummarizer summarizer() {
        return summarizer(Duration.ofSeconds(5));
    }

    /** What a capable model answers for {@link #CHAT}. */
    private static ObjectNode goodAnswer() {
        ObjectNode a = MAPPER.createObjectNode();
        a.put("goal", "Wants the platform for 40 agents, budget about $75k a year");
        a.put("obstacle", "Needs the p99 API latency before going further");
        a.put("sentiment", "Engaged but losing patience on the technical answer");
        a.put("suggestedOpening", "I see latency is the open question; I have the p99 numbers for you.");
        ObjectNode bant = a.putObject("bant");
        bant.putObject("budget").put("amount", 75000).put("currency", "USD").put("text", "around $75,000 a year").put("turnIndex", 0);
        bant.putNull("authority");
        bant.put("need", "Support platform for 40 agents");
        bant.putNull("timeline");
        a.putArray("painPoints").add("API latency on every routed message");
        a.putArray("entities").addObject().put("type", "amount").put("value", "75000 USD").put("turnIndex", 0);
        a.putObject("tone").put("pace", "BRISK").put("formality", "NEUTRAL").put("empathy", "MEDIUM").put("guidance", "Numbers first.");
        a.putArray("commitments").addObject().put("kind", "DISCOUNT").put("strength", "SOFT").put("value", "15%").put("turnIndex", 1)
                .put("quote", "I might be able to offer 15% off");
        return a;
    }

    /** What a model answers for {@link #SUPPORT}: one promise quoted, one it made up. */
    private static ObjectNode supportAnswer() {
        ObjectNode a = MAPPER.createObjectNode();
        a.put("goal", "Wants the two duplicate charges on order 5521 refunded");
        a.put("obstacle", "Was promised the same refund last week and does not trust it");
        a.put("sentiment", "Frustrated and losing trust; asked for a person");
        a.put("suggestedOpening", "I can see the duplicate charges on order 5521, and I'm checking where the refund is right now.");
        ObjectNode bant = a.putObject("bant");
        bant.putNull("budget");
        bant.putNull("authority");
        bant.putNull("need");
        bant.putNull("timeline");
        a.putArray("painPoints").add("charged three times for order 5521").add("a refund promised before never arrived");
        a.putArray("entities").add(MAPPER.createObjectNode().put("type", "order_id").put("value", "5521").put("turnIndex", 0))
                .add(MAPPER.createObjectNode().put("type", "amount").put("value", "89.99 USD").put("turnIndex", 0))
                .add(MAPPER.createObjectNode().put("type", "amount").put("value", "250 USD").put("turnIndex", 0));
        a.putObject("tone").put("pace", "MEASURED").put("formality", "NEUTRAL").put("empathy", "HIGH")
                .put("guidance", "Acknowledge the repeat problem before any detail.");
        a.putArray("commitments")
                .add(MAPPER.createObjectNode().put("kind", "REFUND").put("strength", "HARD").put("value", "$179.98").put("turnIndex", 1)
                        .put("quote", "I've issued a refund of $179.98 for the two duplicate charges"))
                .add(MAPPER.createObjectNode().put("kind", "CALLBACK").put("strength", "HARD").putNull("value").put("turnIndex", 1)
                        .put("quote", "I'll call you tomorrow"));
        return a;
    }

    private static MockResponse completion(String content) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("id", "chatcmpl-123").put("object", "chat.completion").put("model", "test-model");
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal");
        r.putObject("usage").put("prompt_tokens", 512).put("completion_tokens", 180);
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(r.toString());
    }

    private static Summary deterministic() {
        return new DeterministicSummarizer().summarize(CHAT, DECISION);
    }

    private OpenAiCompatibleSummarizer.Attempt.Failed failed(String reason) {
        return new OpenAiCompatibleSummarizer.Attempt.Failed(reason);
    }

    @Test
    void a_good_answer_becomes_the_summary_and_the_request_carries_the_schema() throws Exception {
        server.enqueue(completion(goodAnswer().toString()));

        Summary summary = summarizer().summarize(CHAT, DECISION);

        assertThat(summary.whisper().obstacle()).isEqualTo("Needs the p99 API latency before going further");
        assertThat(summary.whisper().suggestedOpening()).isEqualTo("I see latency is the open question; I have the p99 numbers for you.");
        assertThat(summary.ledger().bant().budget().amount()).isEqualByComparingTo(new BigDecimal("75000"));
        assertThat(summary.ledger().bant().authority()).isNull();
        assertThat(summary.ledger().entities()).singleElement().satisfies(e -> assertThat(e.turnIndex()).isZero());
        assertThat(summary.ledger().extensions()).containsEntry("observer", "llm").doesNotContainKey("observerNotes");
        assertThat(summary.ledger().extensions().get("modelCommitments")).asList().singleElement()
                .isEqualTo(Map.of("kind", "DISCOUNT", "strength", "SOFT", "value", "15%", "turnIndex", 1,
                        "quote", "I might be able to offer 15% off"));
        assertThat(summary.tone()).isEqualTo(new ToneProfile(ToneProfile.Pace.BRISK, ToneProfile.Formality.NEUTRAL,
                SentimentTrack.Level.MEDIUM, "Numbers first."));

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getPath()).isEqualTo("/v1/chat/completions");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer sk-test-123");
        JsonNode body = MAPPER.readTree(request.getBody().readUtf8());
        assertThat(body.get("model").asText()).isEqualTo("test-model");
        assertThat(body.at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(body.at("/response_format/json_schema/name").asText()).isEqualTo("handoff_observer");
        assertThat(body.at("/response_format/json_schema/strict").asBoolean()).isTrue();
        assertThat(body.at("/response_format/json_schema/schema")).isEqualTo(ObserverRequest.ANSWER_SCHEMA);
        assertThat(body.at("/messages/0/content").asText()).isEqualTo(ObserverRequest.SYSTEM_PROMPT);
        assertThat(body.at("/messages/1/content").asText())
                .contains("- COMPLEX_ISSUE: Technical objection on API latency (turn 2)")
                .contains("[2] CUSTOMER: My real worry is API latency; what's your p99?")
                .contains("[3] CUSTOMER: You can bill card [REDACTED:card-number].")
                .contains("[4] CUSTOMER (still speaking): hello?")
                .doesNotContain("4111");
    }

    @Test
    void json_mode_sends_the_schema_in_the_instructions() throws Exception {
        server.enqueue(completion(goodAnswer().toString()));
        OpenAiCompatibleSummarizer llm = OpenAiCompatibleSummarizer.builder(server.url("/v1").toString(), "local")
                .responseFormat(OpenAiCompatibleSummarizer.ResponseFormat.JSON_OBJECT).build();

        assertThat(llm.attempt(CHAT, DECISION)).isInstanceOf(OpenAiCompatibleSummarizer.Attempt.Answered.class);

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getHeader("Authorization")).isNull();
        JsonNode body = MAPPER.readTree(request.getBody().readUtf8());
        assertThat(body.at("/response_format").toString()).isEqualTo("{\"type\":\"json_object\"}");
        assertThat(body.at("/messages/0/content").asText()).startsWith(ObserverRequest.SYSTEM_PROMPT)
                .contains("The JSON Schema:\n{\"type\":\"object\",\"additionalProperties\":false");
    }

    @Test
    void the_schema_accepts_the_realistic_answers_and_names_exactly_the_fields_the_validator_reads() {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(ObserverRequest.ANSWER_SCHEMA);

        assertThat(schema.validate(goodAnswer())).isEmpty();
        assertThat(schema.validate(supportAnswer())).isEmpty();
        ObjectNode extra = goodAnswer();
        extra.put("mood", "happy");
        assertThat(schema.validate(extra)).isNotEmpty();

        List<String> mismatches = new ArrayList<>();
        compare("$", ObserverRequest.ANSWER_SCHEMA, ObserverAnswer.class, mismatches);
        assertThat(mismatches).isEmpty();
    }

    /** Every object in the schema lists all of its record's components as properties, all required (strict mode). */
    private static void compare(String path, JsonNode schema, Class<?> record, List<String> mismatches) {
        JsonNode object = schema.has("anyOf") ? schema.get("anyOf").get(1) : schema;
        TreeSet<String> components = new TreeSet<>();
        Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).forEach(components::add);
        TreeSet<String> properties = new TreeSet<>();
        object.get("properties").fieldNames().forEachRemaining(properties::add);
        TreeSet<String> required = new TreeSet<>();
        object.get("required").forEach(r -> required.add(r.asText()));
        if (!components.equals(properties) || !components.equals(required)) {
            mismatches.add(path + ": record " + components + ", schema properties " + properties + ", required " + required);
        }
        for (RecordComponent c : record.getRecordComponents()) {
            Type type = c.getGenericType();
            Class<?> target = type instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> e ? e : c.getType();
            JsonNode property = object.get("properties").get(c.getName());
            if (target.isRecord()) {
                compare(path + "." + c.getName(), type instanceof ParameterizedType ? property.get("items") : property, target, mismatches);
            } else if (target.isEnum()) {
                List<String> values = new ArrayList<>();
                property.get("enum").forEach(v -> values.add(v.asText()));
                List<String> constants = Arrays.stream(target.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList();
                if (!values.equals(constants)) {
                    mismatches.add(path + "." + c.getName() + ": enum " + constants + ", schema " + values);
                }
            }
        }
    }

    @Test
    void facts_stay_deterministic_unless_the_model_cites_the_turn() {
        server.enqueue(completion(supportAnswer().toString()));

        Summary summary = summarizer().summarize(SUPPORT, SUPPORT_DECISION);

        assertThat(summary.whisper().goal()).isEqualTo("Wants the two duplicate charges on order 5521 refunded");
        assertThat(summary.ledger().painPoints()).containsExactly("charged three times for order 5521", "a refund promised before never arrived");
        assertThat(summary.ledger().entities()).extracting(e -> e.type() + "=" + e.value())
                .contains("order_id=5521", "amount=89.99 USD").doesNotContain("amount=250 USD");
        assertThat(summary.ledger().extensions().get("modelCommitments")).asList().singleElement()
                .isEqualTo(Map.of("kind", Commitment.Kind.REFUND.name(), "strength", "HARD", "value", "$179.98", "turnIndex", 1,
                        "quote", "I've issued a refund of $179.98 for the two duplicate charges"));
        assertThat(summary.ledger().bant().budget()).isNull();
        assertThat(summary.ledger().extensions().get("observerNotes")).asList().containsExactly(
                "amount entity \"250 USD\" not stated in the turn it cites; dropped",
                "promise CALLBACK in turn 1 does not quote that assistant turn; dropped");
    }

    @Test
    void the_merged_answer_packs_into_a_valid_context_that_reads_back_the_same() {
        server.enqueue(completion(supportAnswer().toString()));
        Summary summary = summarizer().summarize(SUPPORT, SUPPORT_DECISION);

        HandoffContext context = new DefaultContextPackager(new LexiconSentimentAnalyzer())
                .pack(new PackagingRequest(SUPPORT, SUPPORT_DECISION, null, List.of(), summary, T0.plusSeconds(60)));
        HandoffContext back = ContextJson.get().read(ContextJson.get().write(context));

        assertThat(ContextJson.get().validate(context)).isEmpty();
        assertThat(back.semanticLedger()).isEqualTo(context.semanticLedger());
        assertThat(back.semanticLedger().extensions()).containsKeys("observer", "modelCommitments", "observerNotes");
        assertThat(back.whisper().goal()).isEqualTo("Wants the two duplicate charges on order 5521 refunded");
    }

    @Test
    void a_budget_the_customer_did_not_state_is_replaced_by_the_deterministic_one() {
        ObjectNode answer = goodAnswer();
        ((ObjectNode) answer.at("/bant/budget")).put("amount", 90000).put("text", "about $90k");
        server.enqueue(completion(answer.toString()));

        Summary summary = summarizer().summarize(CHAT, DECISION);

        assertThat(summary.ledger().bant().budget()).isEqualTo(deterministic().ledger().bant().budget());
        assertThat(summary.ledger().bant().budget().amount()).isEqualByComparingTo("75000");
        assertThat(summary.ledger().extensions().get("observerNotes")).asList().containsExactly(
                "budget amount 90000 not stated in the customer turn it cites; kept the deterministic budget");
    }

    @Test
    void a_stated_absence_of_budget_is_kept_in_the_models_words() {
        ObjectNode answer = goodAnswer();
        ((ObjectNode) answer.at("/bant")).putObject("budget").putNull("amount").putNull("currency")
                .put("text", "no budget set until the board meets").putNull("turnIndex");
        ConversationSnapshot noBudget = ConversationSnapshot.of(SessionId.of("nb"), Channel.CHAT, T0, List.of(
                new Turn(0, Speaker.CUSTOMER, "There's no budget set until the board meets. What's your p99 latency?", T0, null, false)),
                null, CustomerData.UNKNOWN);
        answer.set("entities", MAPPER.createArrayNode());
        answer.set("commitments", MAPPER.createArrayNode());
        server.enqueue(completion(answer.toString()));

        Summary summary = summarizer().summarize(noBudget, DECISION);

        assertThat(summary.ledger().bant().budget().amount()).isNull();
        assertThat(summary.ledger().bant().budget().text()).isEqualTo("no budget set until the board meets");
    }

    @Test
    void an_answer_in_a_code_fence_is_read() {
        server.enqueue(completion("```json\n" + goodAnswer() + "\n```"));

        assertThat(summarizer().attempt(CHAT, DECISION)).isInstanceOf(OpenAiCompatibleSummarizer.Attempt.Answered.class);
    }

    @Test
    void a_slow_endpoint_times_out_and_the_deterministic_summary_is_used() {
        server.enqueue(completion(goodAnswer().toString()).setHeadersDelay(1, TimeUnit.SECONDS));
        OpenAiCompatibleSummarizer llm = summarizer(Duration.ofMillis(300));

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("no answer within 300 ms"));
        server.enqueue(completion(goodAnswer().toString()).setHeadersDelay(1, TimeUnit.SECONDS));
        assertThat(llm.summarize(CHAT, DECISION)).isEqualTo(deterministic());
    }

    @Test
    void prose_instead_of_json_is_refused_and_falls_back() {
        server.enqueue(completion("Sure! The customer wants a discount."));
        OpenAiCompatibleSummarizer llm = summarizer();

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("the answer is not a JSON object (36 characters of text)"));
        server.enqueue(completion("Sure! The customer wants a discount."));
        assertThat(llm.summarize(CHAT, DECISION)).isEqualTo(deterministic());
    }

    @Test
    void a_cut_off_answer_and_a_refusal_fall_back() {
        String full = goodAnswer().toString();
        ObjectNode cut = MAPPER.createObjectNode();
        cut.putArray("choices").addObject().put("finish_reason", "length").putObject("message").put("role", "assistant")
                .put("content", full.substring(0, full.length() / 2));
        server.enqueue(new MockResponse().setBody(cut.toString()));
        ObjectNode refused = MAPPER.createObjectNode();
        refused.putArray("choices").addObject().put("finish_reason", "stop").putObject("message").put("role", "assistant")
                .putNull("content").put("refusal", "I can't help with that request.");
        server.enqueue(new MockResponse().setBody(refused.toString()));
        server.enqueue(new MockResponse().setBody("<html>502 Bad Gateway</html>"));
        OpenAiCompatibleSummarizer llm = summarizer();

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("the answer was cut off (finish_reason length)"));
        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("the model refused (31 characters of text)"));
        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("the response is not JSON"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "/tone/pace | \"FAST\" | tone.pace must be one of SLOW, MEASURED, BRISK, was \"FAST\"",
            "/commitments/0/kind | \"COUPON\" | commitments[0].kind must be one of DISCOUNT, REFUND, CREDIT, CALLBACK, DELIVERY_DATE, "
                    + "FEE_WAIVER, FREE_TRIAL, ESCALATION, APPOINTMENT, FREE_ADD_ON, FOLLOW_UP, OTHER, was \"COUPON\"",
            "/mood | \"happy\" | unexpected field mood",
            "/bant/budget/extra | 1 | unexpected field bant.budget.extra",
            "/painPoints | \"latency\" | painPoints must be an array",
            "/goal | 5 | goal must be a string",
            "/bant/budget/amount | \"75000\" | bant.budget.amount must be a number",
            "/entities/0/turnIndex | \"0\" | entities[0].turnIndex must be an integer",
            "/entities/0/turnIndex | 0.5 | entities[0].turnIndex must be an integer",
            "/tone | \"brisk\" | tone must be an object",
    })
    void an_answer_outside_the_schema_is_refused_with_the_field_named(String pointer, String value, String reason) throws Exception {
        server.enqueue(completion(with(goodAnswer(), pointer, value).toString()));

        assertThat(summarizer().attempt(CHAT, DECISION)).isEqualTo(failed("the answer breaks the schema: " + reason));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "/goal | \"Wants the platform for forty agents, a budget near seventy-five thousand a year, and proof the API latency holds up at peak\" "
                    + "| goal size must be between 0 and 120",
            "/sentiment | \"Frustrated (-0.40), getting worse\" | sentiment must describe sentiment in words, not raw scores",
            "/sentiment | \"Sentiment 0.2 and falling\" | sentiment must describe sentiment in words, not raw scores",
            "/suggestedOpening | \"You said 'latency', and \\\"p99\\\" is what I have.\" | suggestedOpening must not quote anyone",
            "/obstacle | \"Says \\\"latency\\\" and \\\"p99\\\" over and over\" | obstacle must hold at most one quoted span",
            "/obstacle | \"  \" | obstacle must not be blank",
            "/painPoints/0 | \"\" | painPoints[0] must not be blank",
            "/bant/budget/currency | \"dollars\" | bant.budget.currency must be an ISO 4217 code",
            "/bant/budget/amount | -5 | bant.budget.amount must be greater than or equal to 0",
            "/commitments/0/quote | \"\" | commitments[0].quote must not be blank",
    })
    void an_answer_that_breaks_the_whisper_rules_is_refused_and_falls_back(String pointer, String value, String reason) throws Exception {
        server.enqueue(completion(with(goodAnswer(), pointer, value).toString()));
        server.enqueue(completion(with(goodAnswer(), pointer, value).toString()));
        OpenAiCompatibleSummarizer llm = summarizer();

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("the answer breaks the rules: " + reason));
        assertThat(llm.summarize(CHAT, DECISION)).isEqualTo(deterministic());
    }

    @Test
    void every_broken_rule_is_listed() {
        ObjectNode answer = goodAnswer();
        answer.put("goal", "");
        answer.put("sentiment", "Score -0.6");
        server.enqueue(completion(answer.toString()));

        assertThat(summarizer().attempt(CHAT, DECISION)).isEqualTo(failed(
                "the answer breaks the rules: goal must not be blank; sentiment must describe sentiment in words, not raw scores"));
    }

    @Test
    void missing_fields_are_named_with_their_path() {
        ObjectNode answer = goodAnswer();
        answer.remove("obstacle");
        server.enqueue(completion(answer.toString()));
        ObjectNode nested = goodAnswer();
        ((ObjectNode) nested.get("bant")).remove("timeline");
        server.enqueue(completion(nested.toString()));
        OpenAiCompatibleSummarizer llm = summarizer();

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("the answer breaks the schema: missing field obstacle"));
        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("the answer breaks the schema: missing field bant.timeline"));
    }

    @Test
    void a_turn_index_outside_the_transcript_breaks_the_contract() throws Exception {
        server.enqueue(completion(with(goodAnswer(), "/entities/0/turnIndex", "42").toString()));

        assertThat(summarizer().attempt(CHAT, DECISION)).isEqualTo(failed(
                "the answer breaks the contract: entities[0].turnIndex must be the index of a turn in the transcript, was 42"));
    }

    @Test
    void http_errors_and_a_dead_endpoint_fall_back() throws IOException {
        server.enqueue(new MockResponse().setResponseCode(401).setBody("{\"error\":\"bad key\"}"));
        server.enqueue(new MockResponse().setResponseCode(500));
        OpenAiCompatibleSummarizer llm = summarizer();

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("HTTP 401 from " + server.url("/v1/chat/completions")));
        assertThat(llm.summarize(CHAT, DECISION)).isEqualTo(deterministic());

        server.shutdown();
        assertThat(llm.attempt(CHAT, DECISION)).isInstanceOfSatisfying(OpenAiCompatibleSummarizer.Attempt.Failed.class,
                f -> assertThat(f.reason()).startsWith("cannot reach " + server.url("/v1/chat/completions") + ": ConnectException"));
        assertThat(llm.summarize(CHAT, DECISION)).isEqualTo(deterministic());
    }

    @Test
    void a_response_larger_than_the_cap_is_refused_whether_or_not_it_announces_its_length() {
        String padding = "x".repeat(4096);
        ObjectNode big = MAPPER.createObjectNode().put("padding", padding);
        big.putArray("choices").addObject().put("finish_reason", "stop").putObject("message").put("role", "assistant")
                .put("content", goodAnswer().toString());
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(big.toString()));
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setChunkedBody(big.toString(), 512));
        server.enqueue(completion(goodAnswer().toString()));
        OpenAiCompatibleSummarizer llm = OpenAiCompatibleSummarizer.builder(server.url("/v1").toString(), "test-model")
                .maxResponseBytes(4096).build();

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("the response is larger than 4096 bytes"));
        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("the response is larger than 4096 bytes"));
        assertThat(llm.attempt(CHAT, DECISION)).isInstanceOf(OpenAiCompatibleSummarizer.Attempt.Answered.class);
    }

    @Test
    void control_characters_never_reach_the_reason_and_long_values_are_cut() throws Exception {
        ObjectNode answer = goodAnswer();
        answer.put("mood\u001b[2J\r\nFAKE LOG LINE", "x");
        server.enqueue(completion(answer.toString()));
        server.enqueue(completion(with(goodAnswer(), "/tone/pace", "\"FAST\\u0007\\u001b[31m, then slower once the customer calms down\"").toString()));
        OpenAiCompatibleSummarizer llm = summarizer();

        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed("the answer breaks the schema: unexpected field mood[2JFAKE LOG LINE"));
        assertThat(llm.attempt(CHAT, DECISION)).isEqualTo(failed(
                "the answer breaks the schema: tone.pace must be one of SLOW, MEASURED, BRISK, was \"FAST[31m, then slower once the customer…\""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "http://localhost:8080/v1",
            "http://127.0.0.1:11434/v1",
            "http://[::1]:8000/v1",
            "https://api.openai.com/v1",
            "https://models.internal:8443/v1",
    })
    void https_or_loopback_is_accepted(String baseUrl) {
        assertThat(OpenAiCompatibleSummarizer.builder(baseUrl, "m").build()).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "http://api.openai.com/v1, http://api.openai.com:80",
            "http://10.0.0.7:8000/v1, http://10.0.0.7:8000",
            "http://127.0.0.1.nip.io/v1, http://127.0.0.1.nip.io:80",
    })
    void plain_http_outside_loopback_is_refused_unless_allowed(String baseUrl, String shown) {
        assertThatThrownBy(() -> OpenAiCompatibleSummarizer.builder(baseUrl, "m").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("baseUrl must use https outside loopback, was \"" + shown + "\": the transcript would travel in clear text;"
                        + " use https, or, only behind a proxy that terminates TLS, allowPlainHttpOutsideLoopback(true)");
        assertThat(OpenAiCompatibleSummarizer.builder(baseUrl, "m").allowPlainHttpOutsideLoopback(true).build()).isNotNull();
    }

    @Test
    void bad_configuration_is_refused_with_the_value() {
        assertThatThrownBy(() -> OpenAiCompatibleSummarizer.builder("ftp://example.com", "m"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("baseUrl must be an http or https URL, was \"ftp://example.com\"");
        assertThatThrownBy(() -> OpenAiCompatibleSummarizer.builder("https://example.com/v1", " "))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("model must not be blank");
        assertThatThrownBy(() -> OpenAiCompatibleSummarizer.builder("https://example.com/v1", "m").maxResponseBytes(100))
                .hasMessage("maxResponseBytes must be at least 1024, was 100");
        assertThatThrownBy(() -> OpenAiCompatibleSummarizer.builder("https://example.com/v1", "m").timeout(Duration.ZERO))
                .hasMessage("timeout must be positive, was PT0S");
        assertThat(OpenAiCompatibleSummarizer.builder("https://example.com/v1", "m").apiKey("sk-secret").build().toString())
                .doesNotContain("sk-secret");
    }

    private static ObjectNode with(ObjectNode answer, String pointer, String value) throws IOException {
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        String last = pointer.substring(pointer.lastIndexOf('/') + 1);
        JsonNode target = parent.isEmpty() ? answer : answer.at(parent);
        if (target.isArray()) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) target).set(Integer.parseInt(last), MAPPER.readTree(value));
        } else {
            ((ObjectNode) target).set(last, MAPPER.readTree(value));
        }
        return answer;
    }
}
