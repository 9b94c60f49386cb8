package dev.handoff.core.context;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.handoff.api.context.ComplianceInfo;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Removes sensitive values from a context before it goes to a destination that must not hold them. What it finds,
 * after NFKC normalisation (full-width digits, {@code ＠}), in any script's digits and in spelled digits
 * ({@code "four one one one ..."}):
 * <ul>
 *   <li>{@code card-number}: every 13-19 digit window of a digit run that passes the Luhn check; digits may be
 *       separated by up to three spaces, dashes, dots, slashes or underscores, so {@code 4111 1111 1111 1111 123}
 *       (a CVV after the number) loses the number; with {@link Builder#wholeCardRuns} (the PCI profile) the whole
 *       run goes, CVV and expiry included. Long digit runs that merely contain a Luhn-valid window are redacted
 *       too: over-redaction is the price of never missing a card.</li>
 *   <li>{@code ssn}: {@code 123-45-6789} with dashes, dots or spaces (impossible area numbers excluded), and any 9
 *       digits within 40 characters after {@code ssn}, {@code social}, {@code social security number}.</li>
 *   <li>{@code phone}: {@code +<country> ...} and {@code 00<country> ...} with 8 or more digits, North American
 *       10-digit numbers in every punctuation, national numbers starting with 0 (10-11 digits), {@code 555-0142}.</li>
 *   <li>{@code email}: {@code name@domain.tld} and the spoken forms {@code name at domain dot com},
 *       {@code name (at) domain (dot) com}.</li>
 *   <li>{@code date-of-birth}: a full date (day, month and year, numeric, ISO, {@code 4 March 1988},
 *       {@code March 4th, 1988}, and {@code 19880304}) within 40 characters after {@code born}, {@code DOB},
 *       {@code date of birth} or {@code birthday}, and any date in a field named like a birth date
 *       ({@code dob}, {@code dateOfBirth}); with {@link Builder#allDates} (the HIPAA profile) every full date,
 *       recorded as {@code date}.</li>
 *   <li>any pattern you configure by name.</li>
 * </ul>
 * Each value is replaced by {@code [REDACTED:<kind>]}; text without a match is returned unchanged (the same
 * string).
 *
 * <p>{@link #redact(HandoffContext, String)} walks every string of the document, unknown extension fields
 * recursively included (and integral numbers there), except the identifiers and timestamps the schema defines
 * ({@code contextId}, {@code sessionId}, turn timestamps). The result records, in
 * {@link ComplianceInfo#redactions()}, what kind was removed at which JSON path and how many times; never the
 * value. {@code phi} is false only when this redactor {@linkplain #coversPhi() covers} cards, SSNs, phone
 * numbers, e-mail addresses and dates of birth. Names and street addresses are not detected (see
 * {@code docs/SECURITY.md}). The full context in the {@code ContextStore} is not touched: redaction makes a copy
 * for one destination. Immutable and thread-safe.
 */
public final class Redactor {

    /** Kind recorded for payment card numbers. */
    public static final String CARD_NUMBER = "card-number";
    /** Kind recorded for US social security numbers. */
    public static final String SSN = "ssn";
    /** Kind recorded for phone numbers. */
    public static final String PHONE = "phone";
    /** Kind recorded for e-mail addresses. */
    public static final String EMAIL = "email";
    /** Kind recorded for dates of birth (profiles that keep other dates). */
    public static final String DATE_OF_BIRTH = "date-of-birth";
    /** Kind recorded for every full date (profiles with {@link Builder#allDates}). */
    public static final String DATE = "date";

    /** Strings of the schema that are identifiers or timestamps, never free text (indexes written as {@code [*]}). */
    private static final Set<String> NOT_TEXT = Set.of("$.schema", "$.contextId", "$.sessionId", "$.channel", "$.createdAt",
            "$.transcript[*].timestamp", "$.transcript[*].speaker", "$.inFlight.timestamp", "$.inFlight.speaker",
            "$.customer.previousContacts[*]", "$.crmProfile.interactions[*].at", "$.commitments[*].id", "$.commitments[*].verifiedAt");
    /** Numeric fields of the schema; numbers anywhere else (extensions) are checked like text. */
    private static final Set<String> NUMERIC_FIELDS = Set.of("index", "turnIndex", "confidence", "intentConfidence", "sentiment",
            "observed", "threshold", "start", "end", "durationSeconds", "amount", "score", "velocity", "count");
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

    private final TextScanner.Options options;
    private final TextScanner scanner;

    private Redactor(Builder b) {
        this.options = new TextScanner.Options(b.cards, b.wholeCardRuns, b.ssns, b.phones, b.emails, b.datesOfBirth, b.allDates,
                new TreeMap<>(b.patterns));
        this.scanner = new TextScanner(options);
    }

    /**
     * Everything on ({@link Builder}'s defaults): cards, SSNs, phone numbers, e-mail addresses, dates of birth.
     *
     * @return a redactor with every default on
     */
    public static Redactor defaults() {
        return builder().build();
    }

    /**
     * A builder with the defaults listed on its setters.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Text with its sensitive values replaced, and how many of each kind were found.
     *
     * @param text   the redacted text (each value replaced by a marker naming its kind)
     * @param counts how many values of each kind were removed, by kind ({@code "card-number"}); empty when none
     */
    public record Result(String text, Map<String, Integer> counts) {
        /**
         * Checks the components and copies {@code counts}.
         *
         * @param text   the redacted text (each value replaced by a marker naming its kind)
         * @param counts how many values of each kind were removed, by kind ({@code "card-number"}); empty when none
         * @throws NullPointerException when {@code text} is null
         */
        public Result {
            Objects.requireNonNull(text, "text");
            counts = Map.copyOf(counts);
        }
    }

    /**
     * True when this redactor removes every kind a copy marked {@code phi=false} must not hold: card numbers,
     * SSNs, phone numbers, e-mail addresses and dates of birth.
     *
     * @return whether copies it makes may be marked {@code phi=false}
     */
    public boolean coversPhi() {
        return options.cards() && options.ssns() && options.phones() && options.emails() && (options.datesOfBirth() || options.allDates());
    }

    /**
     * Redacts one string.
     *
     * @param text any text
     * @return the redacted copy
     */
    public Result redact(String text) {
        return redact(text, null);
    }

    private Result redact(String text, @Nullable String field) {
        if (text == null || text.isEmpty()) {
            return new Result(text == null ? "" : text, Map.of());
        }
        TextView view = TextView.of(text);
        List<TextScanner.Region> regions = scanner.scan(view, field);
        if (regions.isEmpty()) {
            return new Result(text, Map.of());
        }
        Map<String, Integer> counts = new TreeMap<>();
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        for (TextScanner.Region r : regions) {
            int start = view.from[r.start()];
            int end = view.to[r.end() - 1];
            if (start < last) {
                continue;
            }
            out.append(text, last, start).append("[REDACTED:").append(r.kind()).append(']');
            last = end;
            counts.merge(r.kind(), 1, Integer::sum);
        }
        return new Result(out.append(text, last, text.length()).toString(), counts);
    }

    /**
     * A copy of the context with every string field redacted and {@code compliance} set to {@code profile},
     * {@code phi} = not {@link #coversPhi()}, and the redactions made (added to any already recorded). The copy is
     * unsigned.
     *
     * @param c       the context; not changed
     * @param profile the compliance profile name to record ({@code "pci"}, {@code "default"})
     * @return the redacted copy
     */
    public HandoffContext redact(HandoffContext c, String profile) {
        Objects.requireNonNull(c, "context");
        Objects.requireNonNull(profile, "profile");
        ObjectMapper mapper = ContextJson.get().mapper();
        ObjectNode tree = mapper.valueToTree(c.withIntegrity(null));
        tree.remove("compliance");
        tree.remove("integrity");
        Map<String, Map<String, Integer>> byPath = new LinkedHashMap<>();
        walkObject(tree, "$", byPath);
        List<ComplianceInfo.Redaction> redactions = new ArrayList<>(c.compliance().redactions());
        byPath.forEach((path, counts) -> counts.forEach((kind, n) -> redactions.add(new ComplianceInfo.Redaction(kind, path, n))));
        tree.set("compliance", mapper.valueToTree(new ComplianceInfo(profile, !coversPhi(), redactions)));
        try {
            return mapper.treeToValue(tree, HandoffContext.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the redacted copy of context " + c.contextId() + " no longer binds to the schema at "
                    + e.getOriginalMessage(), e);
        }
    }

    private void walkObject(ObjectNode node, String path, Map<String, Map<String, Integer>> byPath) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = node.get(name);
            String key = name;
            Result renamed = redact(name, null);
            if (!renamed.counts().isEmpty()) {
                key = renamed.text();
                node.remove(name);
                node.set(key, value);
                record(path + "." + key, renamed.counts(), byPath);
            }
            String childPath = path + "." + key;
            JsonNode replaced = walk(value, childPath, key, byPath);
            if (replaced != value) {
                node.set(key, replaced);
            }
        }
    }

    private JsonNode walk(JsonNode value, String path, String field, Map<String, Map<String, Integer>> byPath) {
        if (value.isObject()) {
            walkObject((ObjectNode) value, path, byPath);
            return value;
        }
        if (value.isArray()) {
            ArrayNode array = (ArrayNode) value;
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                JsonNode replaced = walk(element, path + "[" + i + "]", field, byPath);
                if (replaced != element) {
                    array.set(i, replaced);
                }
            }
            return value;
        }
        if (value.isTextual()) {
            if (NOT_TEXT.contains(INDEX.matcher(path).replaceAll("[*]"))) {
                return value;
            }
            Result r = redact(value.textValue(), field);
            if (r.counts().isEmpty()) {
                return value;
            }
            record(path, r.counts(), byPath);
            return TextNode.valueOf(r.text());
        }
        if (value.isIntegralNumber() && !NUMERIC_FIELDS.contains(field)) {
            Result r = redact(value.asText(), field);
            if (!r.counts().isEmpty()) {
                record(path, r.counts(), byPath);
                return TextNode.valueOf(r.text());
            }
        }
        return value;
    }

    private static void record(String path, Map<String, Integer> counts, Map<String, Map<String, Integer>> byPath) {
        Map<String, Integer> at = byPath.computeIfAbsent(path, p -> new TreeMap<>());
        counts.forEach((k, n) -> at.merge(k, n, Integer::sum));
    }

    /** Configures a {@link Redactor}. Every detector is on by default. */
    public static final class Builder {
        private boolean cards = true;
        private boolean wholeCardRuns;
        private boolean ssns = true;
        private boolean phones = true;
        private boolean emails = true;
        private boolean datesOfBirth = true;
        private boolean allDates;
        private final Map<String, Pattern> patterns = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Default true: redact Luhn-valid card numbers.
         *
         * @param enabled true to switch this redaction on, false to switch it off
         * @return this builder
         */
        public Builder cardNumbers(boolean enabled) {
            this.cards = enabled;
            return this;
        }

        /**
         * Default false: when a digit run holds a card number, redact the whole run (CVV, expiry) — the PCI profile.
         *
         * @param enabled true to switch this redaction on, false to switch it off
         * @return this builder
         */
        public Builder wholeCardRuns(boolean enabled) {
            this.wholeCardRuns = enabled;
            return this;
        }

        /**
         * Default true: redact US social security numbers.
         *
         * @param enabled true to switch this redaction on, false to switch it off
         * @return this builder
         */
        public Builder ssns(boolean enabled) {
            this.ssns = enabled;
            return this;
        }

        /**
         * Default true: redact phone numbers.
         *
         * @param enabled true to switch this redaction on, false to switch it off
         * @return this builder
         */
        public Builder phones(boolean enabled) {
            this.phones = enabled;
            return this;
        }

        /**
         * Default true: redact e-mail addresses.
         *
         * @param enabled true to switch this redaction on, false to switch it off
         * @return this builder
         */
        public Builder emails(boolean enabled) {
            this.emails = enabled;
            return this;
        }

        /**
         * Default true: redact dates introduced as a birth date, and dates in fields named like one.
         *
         * @param enabled true to switch this redaction on, false to switch it off
         * @return this builder
         */
        public Builder datesOfBirth(boolean enabled) {
            this.datesOfBirth = enabled;
            return this;
        }

        /**
         * Default false: redact every full date (day, month and year), as HIPAA's safe harbour asks.
         *
         * @param enabled true to switch this redaction on, false to switch it off
         * @return this builder
         */
        public Builder allDates(boolean enabled) {
            this.allDates = enabled;
            return this;
        }

        /**
         * Adds a pattern to redact, recorded under {@code kind} ({@code "member-id"}, {@code "iban"}). It is matched
         * against the normalised text (NFKC, ASCII digits).
         *
         * @param kind  the kind recorded for each match (1-40 characters of {@code [a-z0-9-]})
         * @param regex a Java regular expression; each match is replaced
         * @return this builder
         * @throws IllegalArgumentException naming the kind when the kind is not 1-40 characters of
         *                                  {@code [a-z0-9-]} or the regex does not compile
         */
        public Builder pattern(String kind, String regex) {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(regex, "regex");
            if (!kind.matches("[a-z0-9-]{1,40}")) {
                throw new IllegalArgumentException("redaction kind must be 1-40 characters of [a-z0-9-], was \"" + kind + "\"");
            }
            try {
                patterns.put(kind, Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("redaction pattern \"" + kind + "\" is not a valid regular expression: "
                        + e.getDescription() + " in \"" + regex + "\"", e);
            }
            return this;
        }

        /**
         * The redactor.
         *
         * @return an immutable, thread-safe redactor
         */
        public Redactor build() {
            return new Redactor(this);
        }
    }
}
