package dev.handoff.core.context.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.context.DeterministicSummarizer;
import dev.handoff.core.context.Redactor;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
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
 * for the semantic ledger, the whisper, the tone and the assistant's promises as <em>structured output</em>: the request
 * carries the JSON Schema {@code observer-answer.schema.json} as {@code response_format} ({@code json_schema}, strict),
 * or, for servers that only know JSON mode, {@code json_object} with the schema in the instructions
 * ({@link Builder#responseFormat}).
 *
 * <p>The answer is read strictly (unknown or missing fields, wrong types and enum values outside the allowed ones are
 * refused with the field named) and then checked with Hibernate Validator against the whisper's rules (three lines of
 * at most 120 characters, an opening of at most 160 that quotes no one, no raw sentiment scores, ISO currency codes,
 * bounded lists). A valid answer is merged with the deterministic facts of the same transcript ({@link AnswerMerger}):
 * amounts and promises stay deterministic unless the model cites the turn that states them. On any failure (a timeout,
 * a transport error, a non-2xx status, a refusal, a truncated answer, an answer outside the schema or the rules) the
 * deterministic {@link DeterministicSummarizer} answers instead; the failure is logged at WARN without the key, the
 * transcript or the model's text. Card numbers and SSNs are removed from the transcript before it is sent
 * ({@link Builder#redactor}). The endpoint must be {@code https} unless it is on loopback
 * ({@link Builder#allowPlainHttpOutsideLoopback}), and a response larger than {@link Builder#maxResponseBytes} is
 * refused without being read further.
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
    /**
     * Response bytes read at most (256 KiB): a schema-bound answer is a few KiB; anything larger is refused before it
     * is read further.
     */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;
    /** How the answer's shape is asked for. */
    public enum ResponseFormat {
        /** {@code response_format: {type: json_schema, json_schema: {name, strict: true, schema}}}: OpenAI structured outputs, vLLM, llama.cpp server, LM Studio, Ollama's OpenAI endpoint. */
        JSON_SCHEMA,
        /** {@code response_format: {type: json_object}} with the schema in the instructions, for servers with JSON mode only. */
        JSON_OBJECT
    }

    private final HttpUrl endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final int maxTranscriptChars;
    private final Summarizer fallback;
    private final Redactor redactor;
    private final ResponseFormat format;
    private final int maxResponseBytes;
    private final OkHttpClient client;

    private OpenAiCompatibleSummarizer(Builder b) {
        this.endpoint = b.endpoint;
        this.model = b.model;
        this.apiKey = b.apiKey;
        this.timeout = b.timeout;
        this.maxTranscriptChars = b.maxTranscriptChars;
        this.fallback = b.fallback != null ? b.fallback : new DeterministicSummarizer();
        this.redactor = b.redactor;
        this.format = b.format;
        this.maxResponseBytes = b.maxResponseBytes;
        OkHttpClient base = b.client != null ? b.client : new OkHttpClient();
        this.client = base.newBuilder().callTimeout(timeout).build();
    }

    /**
     * @param baseUrl the API root, up to and without {@code /chat/completions} ({@code https://api.openai.com/v1},
     *                {@code http://localhost:11434/v1})
     * @param model   the model name the endpoint expects
     * @return a new builder
     * @throws ConfigurationException naming the value when the URL is not http(s) or the model is blank
     */
    public static Builder builder(String baseUrl, String model) {
        return new Builder(baseUrl, model);
    }

    /** The outcome of one call to the endpoint. */
    public sealed interface Attempt {
        /**
         * The endpoint answered within the contract.
         *
         * @param summary the answer merged with the deterministic facts (see the ledger's {@code observerNotes}
         *                extension for what the merge left out)
         */
        record Answered(Summary summary) implements Attempt {
        }

        /**
         * It did not.
         *
         * @param reason why, naming the field or the limit, without the key, the transcript or the model's text
         *               (control characters removed)
         */
        record Failed(String reason) implements Attempt {
            /**
             * Checks the reason and removes control characters from it.
             *
             * @param reason why, naming the field or the limit
             * @throws NullPointerException when {@code reason} is null
             */
            public Failed {
                Objects.requireNonNull(reason, "reason");
                reason = reason.replaceAll("\\p{Cntrl}", "");
            }
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

    /**
     * Calls the endpoint once and reports the outcome without falling back. Never throws for endpoint failures.
     *
     * @param conversation the conversation so far
     * @param decision     why it is being handed off
     * @return {@code Answered} with the summary, or {@code Failed} with the reason
     */
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
        byte[] answer;
        try (Response response = client.newCall(request.build()).execute()) {
            ResponseBody rb = response.body();
            if (!response.isSuccessful()) {
                return new Attempt.Failed("HTTP " + response.code() + " from " + endpoint);
            }
            if (rb == null) {
                return new Attempt.Failed("empty response body from " + endpoint);
            }
            if (rb.contentLength() > maxResponseBytes) {
                return new Attempt.Failed(tooLarge());
            }
            answer = rb.byteStream().readNBytes(maxResponseBytes + 1); // never more than the cap plus one byte
            if (answer.length > maxResponseBytes) {
                return new Attempt.Failed(tooLarge());
            }
        } catch (InterruptedIOException e) {
            return new Attempt.Failed("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new Attempt.Failed("cannot reach " + endpoint + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
        try {
            return parse(answer, turns, () -> fallback.summarize(conversation, decision));
        } catch (RuntimeException e) {
            return new Attempt.Failed("unexpected " + e.getClass().getSimpleName() + " while reading the answer");
        }
    }

    private String tooLarge() {
        return "the response is larger than " + maxResponseBytes + " bytes";
    }

    ObjectNode requestBody(List<Turn> turns, HandoffDecision decision) {
        return ObserverRequest.body(model, format, ObserverRequest.userContent(turns, decision, maxTranscriptChars, redactor));
    }

    // ------------------------------------------------------------------ reading the answer

    Attempt parse(byte[] responseBytes, List<Turn> turns, Supplier<Summary> deterministic) {
        ObserverAnswer answer;
        try {
            answer = AnswerReader.read(responseBytes);
        } catch (AnswerReader.Rejected r) {
            return new Attempt.Failed(r.getMessage());
        }
        List<String> notes = new ArrayList<>();
        try {
            return new Attempt.Answered(AnswerMerger.merge(answer, turns, deterministic.get(), notes));
        } catch (AnswerMerger.ContractViolation v) {
            return new Attempt.Failed("the answer breaks the contract: " + v.getMessage());
        } finally {
            if (!notes.isEmpty()) {
                LOG.info("LLM summarizer ({}): {}", model, String.join("; ", notes));
            }
        }
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleSummarizer[" + model + " at " + endpoint + ", " + format + ", timeout " + timeout + "]";
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
        private ResponseFormat format = ResponseFormat.JSON_SCHEMA;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private boolean plainHttpOutsideLoopback;

        private Builder(String baseUrl, String model) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(model, "model");
            HttpUrl base = HttpUrl.parse(baseUrl);
            if (base == null) {
                throw new ConfigurationException("baseUrl must be an http or https URL, was \""
                        + baseUrl.replaceAll("\\p{Cntrl}", "") + "\"");
            }
            if (model.isBlank()) {
                throw new ConfigurationException("model must not be blank");
            }
            this.endpoint = base.newBuilder().addPathSegments("chat/completions").build();
            this.model = model;
        }

        /**
         * The bearer key; default none (local servers). Never logged or printed.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            Objects.requireNonNull(apiKey, "apiKey");
            if (apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            this.apiKey = apiKey;
            return this;
        }

        /**
         * The whole call's limit; default {@link #DEFAULT_TIMEOUT}.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Default {@link #DEFAULT_MAX_TRANSCRIPT_CHARS}; at least 200.
         *
         * @param max at least 200
         * @return this builder
         */
        public Builder maxTranscriptChars(int max) {
            if (max < 200) {
                throw new IllegalArgumentException("maxTranscriptChars must be at least 200, was " + max);
            }
            this.maxTranscriptChars = max;
            return this;
        }

        /**
         * Used whenever the endpoint fails; default a {@link DeterministicSummarizer}.
         *
         * @param fallback the summarizer that answers instead
         * @return this builder
         */
        public Builder fallback(Summarizer fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /**
         * What to remove from the transcript before it leaves for the endpoint; default {@link Redactor#defaults()}
         * (card numbers and SSNs). Pass a {@link dev.handoff.core.context.ComplianceProfile}'s redactor for more.
         *
         * @param redactor the redactor
         * @return this builder
         */
        public Builder redactor(Redactor redactor) {
            this.redactor = Objects.requireNonNull(redactor, "redactor");
            return this;
        }

        /**
         * Your OkHttp client (proxies, TLS, connection pool); default a new one. The timeout is applied on top.
         *
         * @param client the client
         * @return this builder
         */
        public Builder httpClient(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * How the answer's shape is asked for; default {@link ResponseFormat#JSON_SCHEMA}. Either way the answer is read
         * and validated the same way.
         *
         * @param format {@code JSON_SCHEMA} or {@code JSON_OBJECT}
         * @return this builder
         */
        public Builder responseFormat(ResponseFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Response bytes read at most; default {@link #DEFAULT_MAX_RESPONSE_BYTES}, at least 1024. A larger response
         * fails the attempt (and the deterministic summarizer answers) without being read further.
         *
         * @param max at least 1024
         * @return this builder
         */
        public Builder maxResponseBytes(int max) {
            if (max < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024, was " + max);
            }
            this.maxResponseBytes = max;
            return this;
        }

        /**
         * Allows an {@code http://} base URL on a host that is not loopback: only behind a proxy that terminates TLS on
         * the same machine or network segment. Default false: the transcript leaves the process only over TLS, or to
         * {@code localhost}, {@code 127.0.0.0/8} or {@code [::1]}.
         *
         * @param allow true to allow {@code http://} to any host
         * @return this builder
         */
        public Builder allowPlainHttpOutsideLoopback(boolean allow) {
            this.plainHttpOutsideLoopback = allow;
            return this;
        }

        /**
         * @return the summarizer; thread-safe, blocking (Handoff runs it on its io threads)
         * @throws ConfigurationException for an {@code http://} base URL outside loopback, unless
         *                                {@link #allowPlainHttpOutsideLoopback} is set
         */
        public OpenAiCompatibleSummarizer build() {
            if (!endpoint.isHttps() && !plainHttpOutsideLoopback && !isLoopback(endpoint.host())) {
                throw new ConfigurationException("baseUrl must use https outside loopback, was \"" + endpoint.scheme() + "://"
                        + endpoint.host() + ":" + endpoint.port() + "\": the transcript would travel in clear text; use https, or,"
                        + " only behind a proxy that terminates TLS, allowPlainHttpOutsideLoopback(true)");
            }
            return new OpenAiCompatibleSummarizer(this);
        }

        /** Loopback by name or address literal; no DNS lookup (a name that resolves to 127.0.0.1 elsewhere is not trusted). */
        static boolean isLoopback(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                    || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        }
    }
}
