package dev.handoff.codecs.internal;

import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.context.Envelope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A flat string map for platforms that take key/value attributes, with a per-value limit. A value over the limit
 * is shortened with an ellipsis and its key is listed, so the note attribute can say so: never a silent cut.
 */
public final class AttributeMap {

    /** The keys every map platform gets, in this order. */
    public static final String TICKET = "handoff_ticket";
    public static final String CONTEXT_ID = "handoff_context_id";
    public static final String FORM = "handoff_form";
    public static final String PRIORITY = "handoff_priority";
    public static final String ROUTE = "handoff_route";
    public static final String GOAL = "handoff_goal";
    public static final String OBSTACLE = "handoff_obstacle";
    public static final String SENTIMENT = "handoff_sentiment";
    public static final String OPENING = "handoff_opening";
    public static final String NOTE = "handoff_note";
    public static final String CONTEXT = "handoff_context";

    private final Fit.Unit unit;
    private final int maxValue;
    private final int maxNote;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> shortened = new ArrayList<>();

    /** Every value, the note included, at most {@code maxValue} (a platform's per-value limit). */
    public AttributeMap(Fit.Unit unit, int maxValue) {
        this(unit, maxValue, maxValue);
    }

    /**
     * @param maxValue the longest value (a readability choice when the platform limits only the whole)
     * @param maxNote  the longest note; the note explains every cut, so it gets more room where the platform allows
     */
    public AttributeMap(Fit.Unit unit, int maxValue, int maxNote) {
        this.unit = unit;
        this.maxValue = maxValue;
        this.maxNote = maxNote;
    }

    /** Adds a value; null or blank values are left out. Returns false when the value had to be shortened. */
    public boolean put(String key, String value) {
        return put(key, value, maxValue);
    }

    private boolean put(String key, String value, int max) {
        if (value == null || value.isBlank()) {
            return true;
        }
        String v = Texts.singleLine(value);
        if (unit.measure(v) <= max) {
            values.put(key, v);
            return true;
        }
        values.put(key, shorten(v, max));
        shortened.add(key);
        return false;
    }

    /** Adds a value only when it fits whole (a document is never cut); returns whether it was added. */
    public boolean putWhole(String key, String value) {
        if (unit.measure(value) > maxValue) {
            return false;
        }
        values.put(key, value);
        return true;
    }

    /**
     * The standard fields: ticket, context id, form, priority, route hint, the whisper's four lines (from the redacted
     * copy) and the note (the envelope's, plus which values were shortened).
     */
    public AttributeMap standard(Envelope e, HandoffContext redacted) {
        // identifiers are never shortened (a ticket is at most 128 characters, a context id 64)
        put(TICKET, e.ticket(), Integer.MAX_VALUE);
        put(CONTEXT_ID, e.contextId(), Integer.MAX_VALUE);
        put(FORM, e.form().name(), Integer.MAX_VALUE);
        put(PRIORITY, redacted.metadata().priority().name(), Integer.MAX_VALUE);
        put(ROUTE, redacted.metadata().routeHint());
        put(GOAL, redacted.whisper().goal());
        put(OBSTACLE, redacted.whisper().obstacle());
        put(SENTIMENT, redacted.whisper().sentiment());
        put(OPENING, redacted.whisper().suggestedOpening());
        return this;
    }

    /** Adds the note last, naming every shortened value. */
    public AttributeMap note(Envelope e) {
        String note = e.note();
        if (!shortened.isEmpty()) {
            note += "; shortened to " + maxValue + " " + unit.word() + ": "
                    + String.join(", ", shortened.stream().map(k -> k.replace("handoff_", "")).toList());
        }
        put(NOTE, note, maxNote);
        return this;
    }

    public List<String> shortened() {
        return List.copyOf(shortened);
    }

    public Map<String, String> map() {
        return new LinkedHashMap<>(values);
    }

    /** Every key and value, measured in the map's unit. */
    public int totalSize() {
        int total = 0;
        for (var entry : values.entrySet()) {
            total += unit.measure(entry.getKey()) + unit.measure(entry.getValue());
        }
        return total;
    }

    private String shorten(String v, int max) {
        int cut = Math.min(v.length(), max);
        while (cut > 0 && unit.measure(v.substring(0, cut).stripTrailing() + "…") > max) {
            cut--;
        }
        if (cut > 0 && Character.isHighSurrogate(v.charAt(cut - 1))) {
            cut--;
        }
        return v.substring(0, cut).stripTrailing() + "…";
    }
}
