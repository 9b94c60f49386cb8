package dev.handoff.core.context.llm;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hibernate.validator.HibernateValidator;

/**
 * Reads a chat-completions response into an {@link ObserverAnswer}, strictly: the envelope ({@code choices[0].message},
 * a refusal, a cut-off answer), then the answer with Jackson (unknown or missing fields, wrong types, duplicate keys and
 * enum values outside the allowed ones are refused with the field named), then Hibernate Validator (the whisper's
 * rules). A refusal names the field and what was expected; it never repeats the model's text, which may echo the
 * transcript.
 */
final class AnswerReader {

    private static final ObjectMapper LENIENT = new ObjectMapper();
    /** Reads the answer: nothing unknown, nothing missing, no coercion between strings, numbers and enums. */
    private static final ObjectMapper STRICT = strictMapper();
    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class).configure()
            .defaultLocale(Locale.ENGLISH)
            .buildValidatorFactory()
            .getValidator();
    private static final Pattern MISSING = Pattern.compile("Missing (?:required )?creator property '([^']+)'");

    private AnswerReader() {
    }

    /** Why an answer was refused; the message names the field and what was expected. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    static ObserverAnswer read(byte[] responseBytes) throws Rejected {
        JsonNode response;
        try {
            response = LENIENT.readTree(responseBytes);
        } catch (IOException e) {
            throw new Rejected("the response is not JSON");
        }
        JsonNode choice = response.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (message.isMissingNode()) {
            throw new Rejected("the response has no choices[0].message");
        }
        if (message.hasNonNull("refusal")) {
            throw new Rejected("the model refused (" + message.get("refusal").asText().length() + " characters of text)");
        }
        if ("length".equals(choice.path("finish_reason").asText())) {
            throw new Rejected("the answer was cut off (finish_reason length)");
        }
        JsonNode content = message.path("content");
        if (!content.isTextual()) {
            throw new Rejected("choices[0].message.content is not a string");
        }
        ObserverAnswer answer;
        try {
            answer = STRICT.readValue(unfenced(content.asText()), ObserverAnswer.class);
        } catch (JsonMappingException e) {
            throw new Rejected("the answer breaks the schema: " + describe(e));
        } catch (IOException e) {
            throw new Rejected(notAnObject(content.asText()));
        }
        if (answer == null) {
            throw new Rejected(notAnObject(content.asText()));
        }
        Set<ConstraintViolation<ObserverAnswer>> violations = VALIDATOR.validate(answer);
        if (!violations.isEmpty()) {
            throw new Rejected("the answer breaks the rules: " + violations.stream()
                    .map(v -> path(v.getPropertyPath().toString()) + " " + v.getMessage())
                    .sorted(Comparator.naturalOrder())
                    .collect(Collectors.joining("; ")));
        }
        return answer;
    }

    /** The model's text may repeat the transcript: only its length is told. */
    private static String notAnObject(String content) {
        return "the answer is not a JSON object (" + content.length() + " characters of text)";
    }

    /** JSON-mode servers sometimes wrap the object in a Markdown code fence; the object inside is read as is. */
    private static String unfenced(String content) {
        String c = content.strip();
        if (c.startsWith("```") && c.endsWith("```") && c.length() > 6) {
            int firstLine = c.indexOf('\n');
            return firstLine < 0 ? c : c.substring(firstLine + 1, c.length() - 3);
        }
        return c;
    }

    private static ObjectMapper strictMapper() {
        JsonMapper m = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        for (LogicalType t : List.of(LogicalType.Textual, LogicalType.Enum)) {
            m.coercionConfigFor(t)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Float)) {
            m.coercionConfigFor(t)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return m;
    }

    /** One sentence naming the field: "unexpected field mood", "tone.pace must be one of SLOW, MEASURED, BRISK, was \"FAST\"". */
    static String describe(JsonMappingException e) {
        String where = path(e.getPath());
        if (e instanceof UnrecognizedPropertyException u) {
            return "unexpected field " + (where.isEmpty() ? u.getPropertyName() : where); // the path ends with the field
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        Matcher missing = MISSING.matcher(message);
        if (missing.find()) {
            String field = missing.group(1);
            String parent = where.endsWith("." + field) ? where.substring(0, where.length() - field.length() - 1)
                    : where.equals(field) ? "" : where;
            return "missing field " + (parent.isEmpty() ? "" : parent + ".") + field;
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (e instanceof InvalidFormatException f && target != null && target.isEnum()) {
            String allowed = Arrays.stream(target.getEnumConstants()).map(c -> ((Enum<?>) c).name()).collect(Collectors.joining(", "));
            return where + " must be one of " + allowed + ", was \"" + abbreviate(String.valueOf(f.getValue())) + "\"";
        }
        if (target != null) {
            String expected = List.class.isAssignableFrom(target) ? "an array"
                    : target.isEnum() ? "one of " + Arrays.stream(target.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                    .collect(Collectors.joining(", "))
                    : target == String.class ? "a string"
                    : Number.class.isAssignableFrom(target) || target.isPrimitive() ? (target == Integer.class ? "an integer" : "a number")
                    : "an object";
            return (where.isEmpty() ? "the answer" : where) + " must be " + expected;
        }
        return (where.isEmpty() ? "the answer" : where) + " is malformed";
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** Hibernate's "painPoints[0].<list element>" as "painPoints[0]". */
    private static String path(String propertyPath) {
        return propertyPath.replace(".<list element>", "");
    }

    /** A short value for a message: whitespace folded, control characters removed, at most 40 characters. */
    private static String abbreviate(String s) {
        String t = s.replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "").strip();
        return t.length() <= 40 ? t : t.substring(0, 39) + "…";
    }

}
