package dev.handoff.core.context;

import dev.handoff.api.Commitment;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.EvidenceSpan;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Reason;
import dev.handoff.api.Turn;
import dev.handoff.api.context.ComplianceInfo;
import dev.handoff.api.context.ContextMetadata;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.WhisperSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Removes sensitive values from the free text of a context before it goes to a destination that must not hold
 * them: payment card numbers (13 to 19 digits, spaces or dashes allowed, <b>Luhn checked</b> so order numbers are
 * left alone), US social security numbers ({@code 123-45-6789}, impossible area numbers excluded) and any patterns
 * you configure by name. Each value is replaced by {@code [REDACTED:<kind>]}.
 *
 * <p>The result records, in {@link ComplianceInfo#redactions()}, what kind was removed at which JSON path and how
 * many times; never the value. The full context in the {@code ContextStore} is not touched: redaction makes a
 * copy for one destination. Immutable and thread-safe.
 */
public final class Redactor {

    /** Kind recorded for payment card numbers. */
    public static final String CARD_NUMBER = "card-number";
    /** Kind recorded for US social security numbers. */
    public static final String SSN = "ssn";

    private static final Pattern CARD = Pattern.compile("(?<![\\d-])(?:\\d[ -]?){12,18}\\d(?![\\d-])");
    private static final Pattern SSN_PATTERN = Pattern.compile("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}([- ])(?!00)\\d{2}\\1(?!0000)\\d{4}(?![\\d-])");

    private final boolean cards;
    private final boolean ssns;
    private final Map<String, Pattern> patterns;

    private Redactor(Builder b) {
        this.cards = b.cards;
        this.ssns = b.ssns;
        this.patterns = Map.copyOf(b.patterns);
    }

    /** Card numbers and SSNs, no custom patterns. */
    public static Redactor defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Text with its sensitive values replaced, and how many of each kind were found. */
    public record Result(String text, Map<String, Integer> counts) {
        public Result {
            Objects.requireNonNull(text, "text");
            counts = Map.copyOf(counts);
        }
    }

    /** Redacts one string. */
    public Result redact(String text) {
        if (text == null || text.isEmpty()) {
            return new Result(text == null ? "" : text, Map.of());
        }
        Map<String, Integer> counts = new TreeMap<>();
        String out = text;
        if (cards) {
            out = replace(out, CARD, CARD_NUMBER, counts, Redactor::luhn);
        }
        if (ssns) {
            out = replace(out, SSN_PATTERN, SSN, counts, s -> true);
        }
        for (var e : new TreeMap<>(patterns).entrySet()) {
            out = replace(out, e.getValue(), e.getKey(), counts, s -> true);
        }
        return new Result(out, counts);
    }

    private static String replace(String text, Pattern p, String kind, Map<String, Integer> counts, java.util.function.Predicate<String> accept) {
        Matcher m = p.matcher(text);
        StringBuilder sb = null;
        int last = 0;
        while (m.find()) {
            if (!accept.test(m.group())) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(text.length());
            }
            sb.append(text, last, m.start()).append("[REDACTED:").append(kind).append(']');
            last = m.end();
            counts.merge(kind, 1, Integer::sum);
        }
        if (sb == null) {
            return text;
        }
        return sb.append(text, last, text.length()).toString();
    }

    /** True when the digits of {@code candidate} (separators ignored) pass the Luhn check. */
    static boolean luhn(String candidate) {
        int sum = 0;
        int n = 0;
        boolean dbl = false;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
            n++;
        }
        return n >= 13 && n <= 19 && sum % 10 == 0;
    }

    /**
     * A copy of the context with every free-text field redacted and {@code compliance} set to {@code profile},
     * {@code phi=false} and the redactions made (added to any already recorded). The copy is unsigned.
     *
     * @param profile the compliance profile name to record ({@code "pci"}, {@code "default"})
     */
    public HandoffContext redact(HandoffContext c, String profile) {
        Objects.requireNonNull(c, "context");
        Objects.requireNonNull(profile, "profile");
        Map<String, Map<String, Integer>> byPath = new LinkedHashMap<>();
        List<Turn> transcript = new ArrayList<>(c.transcript().size());
        for (int i = 0; i < c.transcript().size(); i++) {
            transcript.add(turn(c.transcript().get(i), "$.transcript[" + i + "]", byPath));
        }
        Turn inFlight = c.inFlight() == null ? null : turn(c.inFlight(), "$.inFlight", byPath);
        CustomerData customer = c.customer();
        Map<String, String> fields = map(customer.fields(), "$.customer.fields", byPath);
        customer = new CustomerData(customer.customerId(), customer.accountIds(), fields, customer.previousContacts());
        CrmProfile crm = c.crmProfile();
        if (crm != null) {
            List<CrmProfile.Interaction> interactions = new ArrayList<>();
            for (int i = 0; i < crm.interactions().size(); i++) {
                CrmProfile.Interaction it = crm.interactions().get(i);
                interactions.add(new CrmProfile.Interaction(it.at(), it.channel(),
                        text(it.summary(), "$.crmProfile.interactions[" + i + "].summary", byPath), it.outcome()));
            }
            crm = new CrmProfile(crm.system(), crm.recordId(), crm.displayName(), map(crm.attributes(), "$.crmProfile.attributes", byPath),
                    interactions);
        }
        ContextMetadata md = c.metadata();
        List<Reason> reasons = new ArrayList<>();
        for (int i = 0; i < md.triggerReasons().size(); i++) {
            Reason r = md.triggerReasons().get(i);
            String base = "$.metadata.triggerReasons[" + i + "]";
            EvidenceSpan ev = r.evidence() == null ? null
                    : new EvidenceSpan(r.evidence().start(), r.evidence().end(), text(r.evidence().text(), base + ".evidence.text", byPath));
            reasons.add(new Reason(r.kind(), r.ruleId(), text(r.detail(), base + ".detail", byPath), r.turnIndex(), ev, r.observed(), r.threshold()));
        }
        md = new ContextMetadata(md.action(), md.priority(), reasons, md.intents(), md.routeHint(), md.durationSeconds(), md.language(),
                md.extensions());
        SemanticLedger l = c.semanticLedger();
        SemanticLedger.Bant b = l.bant();
        SemanticLedger.Budget budget = b.budget() == null ? null : new SemanticLedger.Budget(b.budget().amount(), b.budget().currency(),
                text(b.budget().text(), "$.semanticLedger.bant.budget.text", byPath));
        SemanticLedger.Bant bant = new SemanticLedger.Bant(budget, text(b.authority(), "$.semanticLedger.bant.authority", byPath),
                text(b.need(), "$.semanticLedger.bant.need", byPath), text(b.timeline(), "$.semanticLedger.bant.timeline", byPath));
        List<String> pains = new ArrayList<>();
        for (int i = 0; i < l.painPoints().size(); i++) {
            pains.add(text(l.painPoints().get(i), "$.semanticLedger.painPoints[" + i + "]", byPath));
        }
        List<SemanticLedger.KeyEntity> entities = new ArrayList<>();
        for (int i = 0; i < l.entities().size(); i++) {
            SemanticLedger.KeyEntity e = l.entities().get(i);
            entities.add(new SemanticLedger.KeyEntity(e.type(), text(e.value(), "$.semanticLedger.entities[" + i + "].value", byPath), e.turnIndex()));
        }
        SemanticLedger ledger = new SemanticLedger(bant, pains, entities, l.extensions());
        List<Commitment> commitments = new ArrayList<>();
        for (int i = 0; i < c.commitments().size(); i++) {
            Commitment k = c.commitments().get(i);
            commitments.add(new Commitment(k.id(), k.kind(), k.strength(), text(k.text(), "$.commitments[" + i + "].text", byPath),
                    k.value(), k.turnIndex(), k.status(), k.correctedValue(), k.verifiedBy(), k.verifiedAt()));
        }
        WhisperSummary w = c.whisper();
        WhisperSummary whisper = new WhisperSummary(text(w.goal(), "$.whisper.goal", byPath), text(w.obstacle(), "$.whisper.obstacle", byPath),
                text(w.sentiment(), "$.whisper.sentiment", byPath), text(w.suggestedOpening(), "$.whisper.suggestedOpening", byPath));
        List<ComplianceInfo.Redaction> redactions = new ArrayList<>(c.compliance().redactions());
        byPath.forEach((path, counts) -> counts.forEach((kind, n) -> redactions.add(new ComplianceInfo.Redaction(kind, path, n))));
        ComplianceInfo compliance = new ComplianceInfo(profile, false, redactions);
        return new HandoffContext(c.schema(), c.contextId(), c.sessionId(), c.channel(), c.createdAt(), transcript, inFlight, customer, crm,
                md, ledger, c.sentiment(), commitments, whisper, c.tone(), compliance, null, c.extensions());
    }

    private Turn turn(Turn t, String path, Map<String, Map<String, Integer>> byPath) {
        NluSignals s = t.signals();
        if (s != null && !s.entities().isEmpty()) {
            s = s.withEntities(map(s.entities(), path + ".signals.entities", byPath));
        }
        return new Turn(t.index(), t.speaker(), text(t.text(), path + ".text", byPath), t.timestamp(), s, t.partial());
    }

    private Map<String, String> map(Map<String, String> in, String path, Map<String, Map<String, Integer>> byPath) {
        Map<String, String> out = new TreeMap<>();
        in.forEach((k, v) -> out.put(k, text(v, path + "." + k, byPath)));
        return out;
    }

    private String text(String value, String path, Map<String, Map<String, Integer>> byPath) {
        if (value == null) {
            return null;
        }
        Result r = redact(value);
        if (!r.counts().isEmpty()) {
            byPath.computeIfAbsent(path, p -> new TreeMap<>()).putAll(r.counts());
        }
        return r.text();
    }

    /** Configures a {@link Redactor}. */
    public static final class Builder {
        private boolean cards = true;
        private boolean ssns = true;
        private final Map<String, Pattern> patterns = new LinkedHashMap<>();

        private Builder() {
        }

        /** Default true: redact Luhn-valid card numbers. */
        public Builder cardNumbers(boolean enabled) {
            this.cards = enabled;
            return this;
        }

        /** Default true: redact US social security numbers. */
        public Builder ssns(boolean enabled) {
            this.ssns = enabled;
            return this;
        }

        /**
         * Adds a pattern to redact, recorded under {@code kind} ({@code "member-id"}, {@code "iban"}).
         *
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

        public Redactor build() {
            return new Redactor(this);
        }
    }
}
