package dev.handoff.core.context.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.api.Turn;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.context.DeterministicSummarizer;
import dev.handoff.core.context.Redactor;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observer as an LLM: asks any OpenAI-compatible chat-completions endpoint ({@code POST <baseUrl>/chat/completions})
 * for the semantic ledger, whisper and tone, under a strict JSON answer contract, and falls back to the
 * deterministic {@link DeterministicSummarizer} on any failure: a timeout, a transport error, a non-2xx status, a
 * refusal, a truncated answer, or an answer that is not exactly the contract (unknown or missing fields, wrong
 * types, enum values outside the allowed ones, turn indexes outside the transcript). The failure is logged at WARN
 * without the key or the transcript. Card numbers and SSNs are removed from the transcript before it is sent
 * ({@link Builder#redactor}).
 *
 * <pre>{@code
 * Summarizer observer = OpenAiCompatibleSummarizer.builder("https://api.openai.com/v1", "gpt-4o-mini")
 *         .apiKey(System.getenv("OPENAI_API_KEY"))
 *         .timeout(Duration.ofSeconds(5))
 *         .build();
 * Handoff handoff = Handoff.builder().summarizer(observer).build();
 * }</pre>
 *
 * <p>Needs OkHttp (an optional dependency of handoff-core: add {@code com.squareup.okhttp3:okhttp} to your build).
 * Thread-safe; called once per handoff on the orchestrator's worker thread and blocks for at most the timeout.
 */
public final class OpenAiCompatibleSummarizer implements Summarizer {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiCompatibleSummarizer.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final ObjectMapper MAPPER = ContextJson.newMapper();

    /** The whole call (connect, send, wait, read) must finish within this. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(8);
    /** Transcript characters sent at most; older turns are left out first. */
    public static final int DEFAULT_MAX_TRANSCRIPT_CHARS = 24_000;
    /** Longest accepted string in the answer. */
    public static final int MAX_FIELD_CHARS = 600;

    /** The instructions that define the answer contract. */
    static final String SYSTEM_PROMPT = String.join("\n",
            "You are the observer in a handoff of a live conversation from an AI assistant to a human agent.",
            "Read the transcript and answer with exactly one JSON object and nothing else (no prose, no code fences).",
            "The object has exactly these fields:",
            "{\"goal\": string, \"obstacle\": string, \"sentiment\": string, \"suggestedOpening\": string,",
            " \"bant\": {\"budget\": {\"amount\": number or null, \"currency\": ISO 4217 code or null, \"text\": string} or null,",
            "          \"authority\": string or null, \"need\": string or null, \"timeline\": string or null},",
            " \"painPoints\": [string], \"entities\": [{\"type\": string, \"value\": string, \"turnIndex\": integer or null}],",
            " \"tone\": {\"pace\": \"SLOW\"|\"MEASURED\"|\"BRISK\", \"formality\": \"CASUAL\"|\"NEUTRAL\"|\"FORMAL\",",
            "          \"empathy\": \"LOW\"|\"MEDIUM\"|\"HIGH\", \"guidance\": string}}",
            "goal, obstacle and sentiment are one short sentence each, for the human to read in ten seconds.",
            "suggestedOpening is the human's first sentence: it continues the conversation in the assistant's tone and",
            "never asks the customer to repeat anything. tone describes the assistant's cadence so the human can match it.",
            "Use null when something is unknown. Never invent amounts, names or dates that are not in the transcript.");

    private final HttpUrl endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final int maxTranscriptChars;
    private final Summarizer fallback;
    private final Redactor redactor;
    private final OkHttpClient client;

    private OpenAiCompatibleSummarizer(Builder b) {
        this.endpoint = b.endpoint;
        this.model = b.model;
        this.apiKey = b.apiKey;
        this.timeout = b.timeout;
        this.maxTranscriptChars = b.maxTranscriptChars;
        this.fallback = b.fallback != null ? b.fallback : new DeterministicSummarizer();
        this.redactor = b.redactor;
        OkHttpClient base = b.client != null ? b.client : new OkHttpClient();
        this.client = base.newBuilder().callTimeout(timeout).build();
    }

    /**
     * @param baseUrl the API root, up to and without {@code /chat/completions} ({@code https://api.openai.com/v1},
     *                {@code http://localhost:11434/v1})
     * @param model   the model name the endpoint expects
     * @throws IllegalArgumentException naming the value when the URL is not http(s) or the model is blank
     */
    public static Builder builder(String baseUrl, String model) {
        return new Builder(baseUrl, model);
    }

    /** The outcome of one call to the endpoint. */
    public sealed interface Attempt {
        /** The endpoint answered within the contract. */
        record Answered(Summary summary) implements Attempt {
        }

        /** It did not; {@code reason} says why (no key, no transcript). */
        record Failed(String reason) implements Attempt {
        }
    }

    @Override
    public Summary summarize(ConversationView conversation, HandoffDecision decision) {
        Attempt attempt = attempt(conversation, decision);
        if (attempt instanceof Attempt.Answered a) {
            return a.summary();
        }
        LOG.warn("LLM summarizer ({} at {}) failed for session {}: {}; using the deterministic summarizer", model, endpoint.host(),
                conversation.id(), ((Attempt.Failed) attempt).reason());
        return fallback.summarize(conversation, decision);
    }

    /** Calls the endpoint once and reports the outcome without falling back. Never throws for endpoint failures. */
    public Attempt attempt(ConversationView conversation, HandoffDecision decision) {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(decision, "decision");
        List<Turn> turns = new ArrayList<>(conversation.turns());
        conversation.inFlight().ifPresent(turns::add);
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(requestBody(turns, decision));
        } catch (JsonProcessingException e) {
            return new Attempt.Failed("cannot build the request: " + e.getOriginalMessage());
        }
        Request.Builder request = new Request.Builder().url(endpoint).post(RequestBody.create(body, JSON))
                .header("Accept", "application/json");
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try (Response response = client.newCall(request.build()).execute()) {
            ResponseBody rb = response.body();
            if (!response.isSuccessful()) {
                return new Attempt.Failed("HTTP " + response.code() + " from " + endpoint);
            }
            if (rb == null) {
                return new Attempt.Failed("empty response body from " + endpoint);
            }
            return parse(rb.bytes(), turns);
        } catch (InterruptedIOException e) {
            return new Attempt.Failed("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new Attempt.Failed("cannot reach " + endpoint + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        } catch (RuntimeException e) {
            return new Attempt.Failed("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    ObjectNode requestBody(List<Turn> turns, HandoffDecision decision) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("model", model);
        root.put("temperature", 0);
        root.putObject("response_format").put("type", "json_object");
        ArrayNode messages = root.putArray("messages");
        messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT);
        messages.addObject().put("role", "user").put("content", userContent(turns, decision));
        return root;
    }

    private String userContent(List<Turn> turns, HandoffDecision decision) {
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

    // ------------------------------------------------------------------ the answer contract

    private static final Set<String> TOP = Set.of("goal", "obstacle", "sentiment", "suggestedOpening", "bant", "painPoints", "entities", "tone");
    private static final Set<String> BANT = Set.of("budget", "authority", "need", "timeline");
    private static final Set<String> BUDGET = Set.of("amount", "currency", "text");
    private static final Set<String> ENTITY = Set.of("type", "value", "turnIndex");
    private static final Set<String> TONE = Set.of("pace", "formality", "empathy", "guidance");

    /** Thrown inside parsing; becomes a {@link Attempt.Failed}. */
    private static final class ContractViolation extends Exception {
        private static final long serialVersionUID = 1L;

        ContractViolation(String message) {
            super(message, null, false, false);
        }
    }

    Attempt parse(byte[] responseBytes, List<Turn> turns) {
        JsonNode response;
        try {
            response = MAPPER.readTree(responseBytes);
        } catch (IOException e) {
            return new Attempt.Failed("the response is not JSON");
        }
        JsonNode choice = response.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (message.isMissingNode()) {
            return new Attempt.Failed("the response has no choices[0].message");
        }
        if (message.hasNonNull("refusal")) {
            return new Attempt.Failed("the model refused: " + abbreviate(message.get("refusal").asText()));
        }
        if ("length".equals(choice.path("finish_reason").asText())) {
            return new Attempt.Failed("the answer was cut off (finish_reason length)");
        }
        JsonNode content = message.path("content");
        if (!content.isTextual()) {
            return new Attempt.Failed("choices[0].message.content is not a string");
        }
        JsonNode answer;
        try {
            answer = MAPPER.readTree(content.asText());
        } catch (IOException e) {
            return new Attempt.Failed("the answer is not a JSON object: \"" + abbreviate(content.asText()) + "\"");
        }
        try {
            return new Attempt.Answered(summary(answer, turns));
        } catch (ContractViolation v) {
            return new Attempt.Failed("the answer breaks the contract: " + v.getMessage());
        }
    }

    private static Summary summary(JsonNode a, List<Turn> turns) throws ContractViolation {
        object(a, "$", TOP, true);
        JsonNode b = a.get("bant");
        object(b, "bant", BANT, true);
        SemanticLedger.Budget budget = null;
        JsonNode bud = b.get("budget");
        if (!bud.isNull()) {
            object(bud, "bant.budget", BUDGET, true);
            BigDecimal amount = null;
            if (!bud.get("amount").isNull()) {
                if (!bud.get("amount").isNumber() || bud.get("amount").decimalValue().signum() < 0) {
                    throw new ContractViolation("bant.budget.amount must be a number of at least 0, was " + bud.get("amount"));
                }
                amount = bud.get("amount").decimalValue();
            }
            String currency = optionalString(bud, "bant.budget.currency");
            if (currency != null && !currency.matches("[A-Z]{3}")) {
                throw new ContractViolation("bant.budget.currency must be an ISO 4217 code, was \"" + currency + "\"");
            }
            budget = new SemanticLedger.Budget(amount, currency, string(bud, "bant.budget.text"));
        }
        SemanticLedger.Bant bant = new SemanticLedger.Bant(budget, optionalString(b, "bant.authority"), optionalString(b, "bant.need"),
                optionalString(b, "bant.timeline"));
        List<String> pains = new ArrayList<>();
        JsonNode p = array(a, "painPoints", 10);
        for (int i = 0; i < p.size(); i++) {
            pains.add(text(p.get(i), "painPoints[" + i + "]"));
        }
        List<SemanticLedger.KeyEntity> entities = new ArrayList<>();
        JsonNode e = array(a, "entities", 30);
        Set<Integer> indexes = new HashSet<>();
        turns.forEach(t -> indexes.add(t.index()));
        for (int i = 0; i < e.size(); i++) {
            String path = "entities[" + i + "]";
            object(e.get(i), path, ENTITY, false);
            Integer turnIndex = null;
            JsonNode ti = e.get(i).get("turnIndex");
            if (ti != null && !ti.isNull()) {
                if (!ti.canConvertToExactIntegral() || !indexes.contains(ti.asInt())) {
                    throw new ContractViolation(path + ".turnIndex must be the index of a turn in the transcript, was " + ti);
                }
                turnIndex = ti.asInt();
            }
            entities.add(new SemanticLedger.KeyEntity(string(e.get(i), path + ".type"), string(e.get(i), path + ".value"), turnIndex));
        }
        JsonNode t = a.get("tone");
        object(t, "tone", TONE, true);
        ToneProfile tone = new ToneProfile(enumValue(t, "tone.pace", ToneProfile.Pace.class), enumValue(t, "tone.formality", ToneProfile.Formality.class),
                enumValue(t, "tone.empathy", SentimentTrack.Level.class), string(t, "tone.guidance"));
        WhisperSummary whisper = new WhisperSummary(string(a, "goal"), string(a, "obstacle"), string(a, "sentiment"), string(a, "suggestedOpening"));
        return new Summary(new SemanticLedger(bant, pains, entities, Map.of()), whisper, tone);
    }

    private static void object(JsonNode n, String path, Set<String> fields, boolean allRequired) throws ContractViolation {
        if (n == null || !n.isObject()) {
            throw new ContractViolation(path + " must be an object, was " + (n == null ? "missing" : n.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new ContractViolation("unexpected field " + ("$".equals(path) ? "" : path + ".") + f);
            }
        }
        if (allRequired) {
            for (String f : fields.stream().sorted().toList()) {
                if (!n.has(f)) {
                    throw new ContractViolation("missing field " + ("$".equals(path) ? "" : path + ".") + f);
                }
            }
        }
    }

    private static JsonNode array(JsonNode parent, String name, int max) throws ContractViolation {
        JsonNode n = parent.get(name);
        if (n == null || !n.isArray()) {
            throw new ContractViolation(name + " must be an array");
        }
        if (n.size() > max) {
            throw new ContractViolation(name + " must have at most " + max + " items, had " + n.size());
        }
        return n;
    }

    private static String string(JsonNode parent, String path) throws ContractViolation {
        return text(parent.get(path.substring(path.lastIndexOf('.') + 1)), path);
    }

    private static String optionalString(JsonNode parent, String path) throws ContractViolation {
        JsonNode n = parent.get(path.substring(path.lastIndexOf('.') + 1));
        return n == null || n.isNull() ? null : text(n, path);
    }

    private static String text(JsonNode n, String path) throws ContractViolation {
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new ContractViolation(path + " must be a non-empty string, was " + (n == null ? "missing" : n.toString()));
        }
        String s = n.asText().strip();
        if (s.length() > MAX_FIELD_CHARS) {
            throw new ContractViolation(path + " must be at most " + MAX_FIELD_CHARS + " characters, was " + s.length());
        }
        return s;
    }

    private static <E extends Enum<E>> E enumValue(JsonNode parent, String path, Class<E> type) throws ContractViolation {
        String v = string(parent, path);
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                allowed.add(c.name());
            }
            throw new ContractViolation(path + " must be one of " + String.join(", ", allowed) + ", was \"" + v + "\"");
        }
    }

    private static String abbreviate(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() <= 80 ? t : t.substring(0, 79) + "…";
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleSummarizer[" + model + " at " + endpoint + ", timeout " + timeout + "]";
    }

    /** Configures an {@link OpenAiCompatibleSummarizer}. */
    public static final class Builder {
        private final HttpUrl endpoint;
        private final String model;
        private String apiKey;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxTranscriptChars = DEFAULT_MAX_TRANSCRIPT_CHARS;
        private Summarizer fallback;
        private Redactor redactor = Redactor.defaults();
        private OkHttpClient client;

        private Builder(String baseUrl, String model) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(model, "model");
            HttpUrl base = HttpUrl.parse(baseUrl);
            if (base == null) {
                throw new IllegalArgumentException("baseUrl must be an http or https URL, was \"" + baseUrl + "\"");
            }
            if (model.isBlank()) {
                throw new IllegalArgumentException("model must not be blank");
            }
            this.endpoint = base.newBuilder().addPathSegments("chat/completions").build();
            this.model = model;
        }

        /** The bearer key; default none (local servers). Never logged or printed. */
        public Builder apiKey(String apiKey) {
            Objects.requireNonNull(apiKey, "apiKey");
            if (apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            this.apiKey = apiKey;
            return this;
        }

        /** The whole call's limit; default {@link #DEFAULT_TIMEOUT}. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Default {@link #DEFAULT_MAX_TRANSCRIPT_CHARS}; at least 200. */
        public Builder maxTranscriptChars(int max) {
            if (max < 200) {
                throw new IllegalArgumentException("maxTranscriptChars must be at least 200, was " + max);
            }
            this.maxTranscriptChars = max;
            return this;
        }

        /** Used whenever the endpoint fails; default a {@link DeterministicSummarizer}. */
        public Builder fallback(Summarizer fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /**
         * What to remove from the transcript before it leaves for the endpoint; default {@link Redactor#defaults()}
         * (card numbers and SSNs). Pass a {@link dev.handoff.core.context.ComplianceProfile}'s redactor for more.
         */
        public Builder redactor(Redactor redactor) {
            this.redactor = Objects.requireNonNull(redactor, "redactor");
            return this;
        }

        /** Your OkHttp client (proxies, TLS, connection pool); default a new one. The timeout is applied on top. */
        public Builder httpClient(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        public OpenAiCompatibleSummarizer build() {
            return new OpenAiCompatibleSummarizer(this);
        }
    }
}
