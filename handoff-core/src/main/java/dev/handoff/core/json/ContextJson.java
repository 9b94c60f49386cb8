package dev.handoff.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.api.context.HandoffContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and writes the {@code handoff.context/v1} document.
 *
 * <p>Writing is deterministic: record components in declaration order, map keys sorted, instants as ISO-8601
 * strings, so the same context always gives the same bytes (the signature depends on it). Reading binds the
 * JSON to the records, keeps unknown fields in each object's {@code extensions}, and then validates the whole
 * document with Hibernate Validator; every violation is reported with its JSON path
 * ({@code $.transcript[2].speaker}) in one {@link ValidationException}. Parsing is strict: a key given twice and
 * anything after the document are rejected. Values quoted in violations are stripped of control characters.
 *
 * <p>Thread-safe; create one and share it.
 */
public final class ContextJson {

    private static final ContextJson INSTANCE = new ContextJson();

    private final ObjectMapper mapper;
    private final ObjectWriter compact;
    private final ObjectWriter pretty;
    private final Validator validator;

    private ContextJson() {
        this.mapper = newMapper();
        this.compact = mapper.writer();
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
                Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        this.pretty = mapper.writer(printer);
        this.validator = Validation.byDefaultProvider()
                .configure()
                .buildValidatorFactory()
                .getValidator();
    }

    /**
     * The shared instance.
     *
     * @return the one shared, thread-safe instance
     */
    public static ContextJson get() {
        return INSTANCE;
    }

    /**
     * A new Jackson mapper configured exactly like the one used for the context document (java.time as ISO
     * strings, sorted map keys, unknown fields tolerated on records that keep them). Use it for your own
     * payloads that embed contexts.
     *
     * @return a new mapper; configure it as you like
     */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // absent primitives take their documented schema defaults (index 0, partial false)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // strict JSON: a key given twice or anything after the document is an attack or a bug, never data
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // 120.50 stays 120.50 in trees (CRM field mapping), as it does in the written document
                .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .build();
    }

    /**
     * Writes, reads and validates a small built-in document once, so Jackson's serializers and Hibernate
     * Validator's metadata are ready before the first customer's handoff (about 200 ms on a cold JVM).
     * Idempotent and cheap after the first call.
     */
    public void warmUp() {
        if (warm) {
            return;
        }
        java.time.Instant t = java.time.Instant.EPOCH;
        HandoffContext sample = new HandoffContext(HandoffContext.SCHEMA, "ctx-warmup", dev.handoff.api.SessionId.of("warmup"),
                dev.handoff.api.Channel.CHAT, t,
                List.of(new dev.handoff.api.Turn(0, dev.handoff.api.Speaker.CUSTOMER, "hello", t,
                        dev.handoff.api.NluSignals.intent("greeting", 0.9), false)),
                null, dev.handoff.api.CustomerData.UNKNOWN,
                new dev.handoff.api.CrmProfile("warmup", "r-1", null, java.util.Map.of(), List.of()),
                new dev.handoff.api.context.ContextMetadata("HANDOFF", dev.handoff.api.Priority.NORMAL,
                        List.of(dev.handoff.api.Reason.of(dev.handoff.api.TriggerKind.EXPLICIT_REQUEST, "warmup", "warm-up")),
                        List.of(), null, 0, null, java.util.Map.of()),
                dev.handoff.api.context.SemanticLedger.empty(),
                new dev.handoff.api.context.SentimentTrack(List.of(new dev.handoff.api.context.SentimentTrack.Point(0, 0)), 0,
                        dev.handoff.api.context.SentimentTrack.Trend.STABLE, dev.handoff.api.context.SentimentTrack.Level.LOW,
                        dev.handoff.api.context.SentimentTrack.Level.MEDIUM, "warm-up", List.of(), java.util.Map.of()),
                List.of(dev.handoff.api.Commitment.pending("c-1", dev.handoff.api.Commitment.Kind.OTHER,
                        dev.handoff.api.Commitment.Strength.SOFT, "warm-up", null, 0)),
                new dev.handoff.api.context.WhisperSummary("g", "o", "s", "o"), dev.handoff.api.context.ToneProfile.neutral(),
                dev.handoff.api.context.ComplianceInfo.none(), null, java.util.Map.of());
        read(write(sample));
        warm = true;
    }

    private volatile boolean warm;

    /**
     * The shared mapper (do not reconfigure it).
     *
     * @return the shared mapper
     */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Compact UTF-8 JSON: the form that is signed and sent.
     *
     * @param context the document
     * @return the document as compact UTF-8 JSON
     * @throws java.io.UncheckedIOException when Jackson cannot serialise it (a bug, not bad input)
     */
    public byte[] write(HandoffContext context) {
        try {
            return compact.writeValueAsBytes(context);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise context " + context.contextId(), e);
        }
    }

    /**
     * {@link #write} as a string.
     *
     * @param context the document
     * @return the same JSON as a string
     * @throws java.io.UncheckedIOException when Jackson cannot serialise it
     */
    public String writeString(HandoffContext context) {
        return new String(write(context), StandardCharsets.UTF_8);
    }

    /**
     * Indented JSON (two spaces, LF) for people and golden files.
     *
     * @param context the document
     * @return indented JSON ending with a newline
     * @throws java.io.UncheckedIOException when Jackson cannot serialise it
     */
    public String writePretty(HandoffContext context) {
        try {
            return pretty.writeValueAsString(context) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise context " + context.contextId(), e);
        }
    }

    /**
     * Reads and validates a document.
     *
     * @param json the JSON, UTF-8
     * @return the bound, valid document
     * @throws ValidationException listing every violation with its JSON path, the bad value and what was expected
     */
    public HandoffContext read(String json) {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads and validates a document.
     *
     * @param json the JSON, UTF-8
     * @return the bound, valid document
     * @throws ValidationException listing every violation with its JSON path, the bad value and what was expected
     */
    public HandoffContext read(byte[] json) {
        HandoffContext context;
        try {
            context = mapper.readValue(json, HandoffContext.class);
        } catch (MismatchedInputException e) {
            throw new ValidationException("handoff context document", List.of(toViolation(e)), e);
        } catch (JsonMappingException e) {
            throw new ValidationException("handoff context document", List.of(toViolation(e)), e);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ValidationException("handoff context document", List.of(new Violation("$", loc == null ? null
                    : "line " + loc.getLineNr() + " column " + loc.getColumnNr(), "well-formed JSON: " + dev.handoff.core.internal.Text.safe(e.getOriginalMessage()))), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (context == null) {
            throw new ValidationException("handoff context document", List.of(new Violation("$", null, "a JSON object")));
        }
        List<Violation> violations = validate(context);
        if (!violations.isEmpty()) {
            throw new ValidationException("handoff context document", violations);
        }
        return context;
    }

    /**
     * Validates a context built in code; returns every violation, sorted by path (empty when valid).
     *
     * @param context a context built in code
     * @return every violation, sorted by path then expectation; empty when valid
     */
    public List<Violation> validate(HandoffContext context) {
        return validate(context, Set.of());
    }

    /**
     * Validates any record whose components carry Jakarta constraints (the context, an agent's feedback) with this
     * codec's validator; returns every violation by JSON path, sorted (empty when valid). Text values are quoted
     * stripped of control characters, except those of a property named in {@code private} (customer data): they are
     * described by their length only.
     *
     * @param <T>               the record's type
     * @param value             the record to validate
     * @param privateProperties names of properties holding customer data (described by length, never quoted)
     * @return the violations, sorted by path; empty when valid
     */
    public <T> List<Violation> validate(T value, Set<String> privateProperties) {
        Set<ConstraintViolation<T>> found = validator.validate(value);
        // record components carry their constraints on both the field and the accessor: report each once
        Map<String, Violation> unique = new LinkedHashMap<>();
        for (ConstraintViolation<T> v : found) {
            String path = jsonPath(v.getPropertyPath());
            String expected = v.getMessage();
            Object invalid = v.getInvalidValue();
            String property = path.substring(path.lastIndexOf('.') + 1);
            Object shown = invalid == null ? null : invalid instanceof CharSequence cs && privateProperties.contains(property)
                    ? cs.length() + " characters" : describe(invalid);
            unique.putIfAbsent(path + '\u0000' + expected, new Violation(path, shown, expected));
        }
        List<Violation> list = new ArrayList<>(unique.values());
        list.sort(Comparator.comparing(Violation::path).thenComparing(Violation::expected));
        return list;
    }

    /**
     * Validates and throws when invalid.
     *
     * @param context a context built in code
     * @return {@code context} itself, when valid
     * @throws ValidationException listing every violation
     */
    public HandoffContext requireValid(HandoffContext context) {
        List<Violation> violations = validate(context);
        if (!violations.isEmpty()) {
            throw new ValidationException("handoff context " + context.contextId(), violations);
        }
        return context;
    }

    private static Object describe(Object value) {
        if (value instanceof CharSequence) {
            return dev.handoff.core.internal.Text.safe(value);
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
            return value;
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.size() + " items";
        }
        return value.getClass().getSimpleName();
    }

    static String jsonPath(Path path) {
        StringBuilder sb = new StringBuilder("$");
        for (Path.Node node : path) {
            if (node.isInIterable()) {
                if (node.getIndex() != null) {
                    sb.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    sb.append("['").append(node.getKey()).append("']");
                }
            }
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                sb.append('.').append(node.getName());
            }
        }
        return sb.toString();
    }

    private static Violation toViolation(JsonMappingException e) {
        StringBuilder sb = new StringBuilder("$");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        String path = sb.toString();
        if (e instanceof InvalidFormatException ife) {
            Class<?> type = ife.getTargetType();
            String expected = type != null && type.isEnum()
                    ? "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", ", "[", "]"))
                    : "a valid " + (type == null ? "value" : type.getSimpleName());
            return new Violation(path, ife.getValue() instanceof CharSequence ? dev.handoff.core.internal.Text.safe(ife.getValue())
                    : ife.getValue(), expected);
        }
        if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
            return new Violation(path, null, "a value of type " + mie.getTargetType().getSimpleName() + " ("
                    + dev.handoff.core.internal.Text.safe(e.getOriginalMessage()) + ")");
        }
        Throwable root = e.getCause() != null ? e.getCause() : e;
        return new Violation(path, null, dev.handoff.core.internal.Text.safe(root.getMessage() == null ? e.getOriginalMessage()
                : root.getMessage()));
    }
}
