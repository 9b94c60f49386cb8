package dev.handoff.core.context;

import dev.handoff.api.Commitment;
import dev.handoff.api.Commitment.Kind;
import dev.handoff.api.Commitment.Strength;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import dev.handoff.core.text.Currencies;
import dev.handoff.core.text.Money;
import dev.handoff.core.text.PhraseIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the AI's promises in its own turns: discounts ("15% off", "$50 off"), refunds, account credits, callbacks
 * with a time, delivery dates, waived fees, free trials, escalations and booked appointments.
 *
 * <p>A turn is first read by the same normaliser and automaton as the trigger engine, with one cue phrase list
 * per kind of promise ({@code refund*}, {@code call you back}, {@code waiv*}, ...); a turn without a cue (most AI
 * turns) costs one scan and no regular expression. Only sentences holding a cue are then confirmed, and only for
 * the kinds their cues name, by the regular expressions below; amounts are read by the shared
 * {@code dev.handoff.core.text.Money} reader.
 *
 * <p>Each sentence of an AI turn is checked on its own. A sentence counts only when it commits someone to the
 * customer (first person, "you'll get", "has been applied"); questions ("Would you like a refund?"), negations
 * ("I can't offer a refund") and policy statements without an addressee are not promises. Hedged wording
 * ("might", "could", "see if", "if you ...") makes a promise {@link Strength#SOFT}; anything else is
 * {@link Strength#HARD} ("I've applied", "I'll call you back").
 *
 * <p>Values are normalised: {@code "15%"}, {@code "$50"}, {@code "14 days"}, and times relative to the turn's
 * timestamp in the configured zone ({@code "tomorrow at 3pm"} said on 2026-03-03 gives
 * {@code "2026-03-04T15:00"}, {@code "within 2 hours"} the turn time plus two hours). Immutable and thread-safe.
 */
public final class CommitmentDetector {

    /** The zone relative times are resolved in when none is given. */
    public static final ZoneId DEFAULT_ZONE = ZoneOffset.UTC;

    private static final int F = Pattern.CASE_INSENSITIVE;
    private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z0-9\"'(])");
    private static final String AMOUNT = "([$€£]\\s?\\d[\\d,]*(?:\\.\\d{1,2})?|\\d[\\d,]*(?:\\.\\d{1,2})?\\s?(?:dollars|euros|pounds|usd|eur|gbp))";
    private static final Pattern DISCOUNT = Pattern.compile("(\\d{1,2}(?:\\.\\d+)?)\\s?%\\s?(?:off|discount)|discount of (\\d{1,2}(?:\\.\\d+)?)\\s?%"
            + "|" + AMOUNT + "\\s?off\\b|\\b(half price|50-50)\\b", F);
    private static final Pattern REFUND = Pattern.compile("\\brefund(s|ed|ing)?\\b|\\bmoney back\\b|\\breimburs(e|ed|ing|ement)\\b", F);
    private static final Pattern CREDIT = Pattern.compile("\\b(credit(ed|s)?)\\b(?!\\s+cards?)", F);
    private static final Pattern CALLBACK = Pattern.compile("\\b(call you back|callback|call-back|give you a (call|ring)"
            + "|(will|'ll|shall) (call|phone|ring|contact|text|email) you|reach out to you|get back to you|follow up with you)\\b", F);
    private static final Pattern DELIVERY = Pattern.compile("\\b(deliver(ed|y|s)?|arriv(e|es|al)|ship(s|ped|ping)?|dispatch(ed)?"
            + "|in your hands|at your door)\\b", F);
    private static final String FEE_NAME = "((?:(?!the\\b|your\\b|a\\b|this\\b|that\\b|any\\b|its\\b)[a-z-]+ ){0,2}fee)";
    private static final Pattern FEE_WAIVER = Pattern.compile("\\bwaiv(e|ed|ing)\\b[^.]*?\\b" + FEE_NAME + "s?\\b"
            + "|\\b" + FEE_NAME + "s? (?:has been|have been|is|are|will be)\\s+waived\\b|\\bwaiv(e|ed|ing)\\b\\s+(?:the|your|that|this)\\s+([a-z-]+ (?:charge|penalty))", F);
    private static final Pattern FREE_TRIAL = Pattern.compile("\\b(\\d+)[- ](day|week|month)s?\\s+(?:free\\s+)?trial\\b"
            + "|\\bfree trial\\b(?:\\s+(?:of|for)\\s+(\\d+)\\s+(days|weeks|months))?|\\bfree for (\\d+) (days|weeks|months)\\b", F);
    private static final Pattern ESCALATION = Pattern.compile("\\bescalat(e|ed|ing)\\b|\\b(pass|hand|transfer|forward|flag)(ing|ed)?\\b[^.]{0,30}?"
            + "\\bto (a|my|our|the) (supervisor|manager|specialist|team lead|senior|engineer|engineering|billing team)"
            + "|\\b(supervisor|manager) will (call|contact|review|look)", F);
    private static final Pattern ESCALATION_TARGET = Pattern.compile("\\b(supervisor|manager|specialist|team lead|senior agent|engineer"
            + "|engineering|billing team|claims team|legal team|tier 2|second line)\\b", F);
    private static final Pattern APPOINTMENT = Pattern.compile("\\b(booked|scheduled|rescheduled|reserved|moved you|confirmed you|pencil(l)?ed|put you down|hold(ing)? (a|the) slot)\\b"
            + "|\\byour appointment (is|has been)\\b|\\b(i'?ll|i will|let me|we'?ll) (book|schedule|reserve)\\b", F);

    private static final Pattern PROMISE_GATE = Pattern.compile("\\b(i|we|i'?ll|we'?ll|i'?ve|we'?ve|i'?m|we'?re|i'?d|let me|let's"
            + "|you'?ll|you will|you'?re getting|you get|you can have|you'?d get|your|you)\\b|\\b(has|have) been\\b|\\bwill be\\b", F);
    private static final Pattern NEGATION = Pattern.compile("\\b(can'?t|cannot|won'?t|unable|not able|don'?t|do not|doesn'?t|does not"
            + "|isn'?t|is not|not eligible|no longer|unfortunately|not possible|not allowed|there'?s no|never|aren'?t|wasn'?t|shouldn'?t)\\b", F);
    private static final Pattern OFFER_IN_QUESTION = Pattern.compile("\\b(i|we) can\\b|\\bi could\\b|\\bi'?ll\\b|\\bwe'?ll\\b|\\bi'?ve\\b", F);
    private static final Pattern HEDGE = Pattern.compile("\\b(might|may|could|possibly|perhaps|maybe|see if|see what|try (to|and)"
            + "|should be able|i think|probably|likely|typically|usually|eligible|it'?s possible|potentially|hopefully|ask (my|a|the)"
            + "|check (with|if|whether)|if you|if we|if that|once (you|we)|subject to|pending approval)\\b", F);

    private static final Pattern TIME = Pattern.compile("\\b(\\d{1,2})(?::(\\d{2}))?\\s?(a\\.?m\\.?|p\\.?m\\.?)(?![a-z])|\\b(noon|midday)\\b", F);
    private static final Pattern WITHIN = Pattern.compile("\\b(?:within|in)\\s+(?:the next\\s+)?(\\d+|an?|one|two|three|four|five|ten|fifteen|thirty|24|48)"
            + "\\s+(minutes?|hours?|days?|business days?|weeks?)\\b", F);
    private static final Pattern DAY = Pattern.compile("\\b(today|tonight|tomorrow|this (?:afternoon|evening|morning)|next week"
            + "|(?:on |this |next )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
            + "|(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?"
            + "|(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(january|february|march|april|june|july|august|september|october|november|december)"
            + "|(\\d{4})-(\\d{2})-(\\d{2}))\\b", F);

    /** Cue phrases per kind of promise: a sentence is confirmed by the regular expressions only for these kinds. */
    private static final Map<Kind, List<String>> CUE_PHRASES = new LinkedHashMap<>();

    static {
        CUE_PHRASES.put(Kind.DISCOUNT, List.of("off", "discount*", "half price", "50 50"));
        CUE_PHRASES.put(Kind.REFUND, List.of("refund*", "money back", "reimburs*"));
        CUE_PHRASES.put(Kind.CREDIT, List.of("credit*"));
        CUE_PHRASES.put(Kind.CALLBACK, List.of("call you", "callback", "call back", "give you a call", "give you a ring",
                "phone you", "ring you", "contact you", "text you", "email you", "reach out to you", "get back to you",
                "follow up with you"));
        CUE_PHRASES.put(Kind.DELIVERY_DATE, List.of("deliver*", "arriv*", "ship*", "dispatch*", "in your hands", "at your door"));
        CUE_PHRASES.put(Kind.FEE_WAIVER, List.of("waiv*"));
        CUE_PHRASES.put(Kind.FREE_TRIAL, List.of("trial", "free for"));
        CUE_PHRASES.put(Kind.ESCALATION, List.of("escalat*", "supervisor", "manager", "specialist", "team lead", "senior",
                "engineer*", "billing team"));
        CUE_PHRASES.put(Kind.APPOINTMENT, List.of("booked", "scheduled", "rescheduled", "reserved", "moved you", "confirmed you",
                "pencilled", "penciled", "put you down", "holding a slot", "hold the slot", "hold a slot", "your appointment",
                "book", "schedule", "reserve"));
    }

    private static final PhraseIndex CUES;
    private static final Kind[] CUE_KIND;

    static {
        List<String> phrases = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        CUE_PHRASES.forEach((kind, list) -> list.forEach(p -> {
            phrases.add(p);
            kinds.add(kind);
        }));
        CUES = PhraseIndex.compile(phrases);
        CUE_KIND = kinds.toArray(Kind[]::new);
    }

    private final ZoneId zone;

    /** Resolves times in {@link #DEFAULT_ZONE}. */
    public CommitmentDetector() {
        this(DEFAULT_ZONE);
    }

    /** @param zone the zone of the business whose clock "tomorrow at 3pm" refers to */
    public CommitmentDetector(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /**
     * The promises in one turn, as pending commitments whose id is {@code "pending"} (the ledger numbers them).
     * Turns that are not the AI's, or partial, give an empty list.
     */
    public List<Commitment> detect(Turn turn) {
        if (turn.speaker() != Speaker.AI || turn.partial() || turn.text().isBlank()) {
            return List.of();
        }
        String text = turn.text().strip();
        if (!CUES.containsAny(text)) {
            return List.of();
        }
        List<PhraseIndex.Match> cues = CUES.findAll(text);
        List<Commitment> found = new ArrayList<>();
        int at = 0;
        for (String raw : SENTENCE.split(text)) {
            int start = text.indexOf(raw, at);
            int end = start + raw.length();
            at = end;
            int kinds = 0;
            for (PhraseIndex.Match cue : cues) {
                if (cue.start() >= start && cue.start() < end) {
                    kinds |= 1 << CUE_KIND[cue.phrase()].ordinal();
                }
            }
            String sentence = raw.strip();
            if (kinds == 0 || sentence.isEmpty() || !PROMISE_GATE.matcher(sentence).find()) {
                continue;
            }
            if (sentence.endsWith("?") && !OFFER_IN_QUESTION.matcher(sentence).find()) {
                continue;
            }
            Strength strength = HEDGE.matcher(sentence).find() ? Strength.SOFT : Strength.HARD;
            detectIn(sentence, turn, strength, found, kinds);
        }
        return found;
    }

    private static boolean cued(int kinds, Kind kind) {
        return (kinds & (1 << kind.ordinal())) != 0;
    }

    private void detectIn(String s, Turn turn, Strength strength, List<Commitment> out, int kinds) {
        Matcher m = DISCOUNT.matcher(s);
        if (cued(kinds, Kind.DISCOUNT) && m.find() && !negatedBefore(s, m.start())) {
            String value = m.group(1) != null ? trimNumber(m.group(1)) + "%" : m.group(2) != null ? trimNumber(m.group(2)) + "%"
                    : m.group(3) != null ? money(m.group(3)) : "50%";
            out.add(pending(Kind.DISCOUNT, strength, s, value, turn));
        }
        m = REFUND.matcher(s);
        if (cued(kinds, Kind.REFUND) && m.find() && !negatedBefore(s, m.start())) {
            out.add(pending(Kind.REFUND, strength, s, firstMoney(s), turn));
        }
        m = CREDIT.matcher(s);
        if (cued(kinds, Kind.CREDIT) && m.find() && !negatedBefore(s, m.start())) {
            out.add(pending(Kind.CREDIT, strength, s, firstMoney(s), turn));
        }
        m = CALLBACK.matcher(s);
        if (cued(kinds, Kind.CALLBACK) && m.find() && !negatedBefore(s, m.start())) {
            out.add(pending(Kind.CALLBACK, strength, s, when(s, turn), turn));
        }
        m = DELIVERY.matcher(s);
        if (cued(kinds, Kind.DELIVERY_DATE) && m.find() && !negatedBefore(s, m.start())) {
            String when = when(s, turn);
            if (when != null) {
                out.add(pending(Kind.DELIVERY_DATE, strength, s, when, turn));
            }
        }
        m = FEE_WAIVER.matcher(s);
        if (cued(kinds, Kind.FEE_WAIVER) && m.find() && !negatedBefore(s, m.start())) {
            String fee = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(5);
            out.add(pending(Kind.FEE_WAIVER, strength, s, fee == null ? null : fee.toLowerCase(Locale.ROOT), turn));
        }
        m = FREE_TRIAL.matcher(s);
        if (cued(kinds, Kind.FREE_TRIAL) && m.find() && !negatedBefore(s, m.start())) {
            String value = m.group(1) != null ? m.group(1) + " " + plural(m.group(2), m.group(1))
                    : m.group(3) != null ? m.group(3) + " " + m.group(4).toLowerCase(Locale.ROOT)
                    : m.group(5) != null ? m.group(5) + " " + m.group(6).toLowerCase(Locale.ROOT) : null;
            out.add(pending(Kind.FREE_TRIAL, strength, s, value, turn));
        }
        m = ESCALATION.matcher(s);
        if (cued(kinds, Kind.ESCALATION) && m.find() && !negatedBefore(s, m.start())) {
            String to = m.group(5) != null ? m.group(5).toLowerCase(Locale.ROOT) : m.group(6) != null ? m.group(6).toLowerCase(Locale.ROOT) : null;
            if (to == null) {
                Matcher who = ESCALATION_TARGET.matcher(s);
                to = who.find() ? who.group(1).toLowerCase(Locale.ROOT) : null;
            }
            out.add(pending(Kind.ESCALATION, strength, s, to, turn));
        }
        m = APPOINTMENT.matcher(s);
        if (cued(kinds, Kind.APPOINTMENT) && m.find() && !negatedBefore(s, m.start())) {
            String when = when(s, turn);
            if (when != null && out.stream().noneMatch(c -> c.kind() == Kind.CALLBACK)) {
                out.add(pending(Kind.APPOINTMENT, strength, s, when, turn));
            }
        }
    }

    private static Commitment pending(Kind kind, Strength strength, String sentence, String value, Turn turn) {
        return Commitment.pending("pending", kind, strength, sentence, value, turn.index());
    }

    private static boolean negatedBefore(String s, int at) {
        Matcher n = NEGATION.matcher(s);
        return n.find() && n.start() < at;
    }

    /** The first sum of money with a currency in {@code s}, as {@code $20} (the shared amount reader). */
    private static String firstMoney(String s) {
        for (Money.Amount a : Money.find(s)) {
            if (a.currency() != null) {
                return Currencies.symbol(Currencies.indexOf(a.currency())) + plainNumber(a.value());
            }
        }
        return null;
    }

    private static String money(String raw) {
        String m = firstMoney(raw);
        return m == null ? raw.replace(" ", "") : m;
    }

    private static String plainNumber(double v) {
        java.math.BigDecimal d = java.math.BigDecimal.valueOf(v).stripTrailingZeros();
        // whole amounts read "$20", others keep cents: "$42.50"
        return (d.scale() <= 0 ? d.setScale(0) : d.setScale(2, java.math.RoundingMode.HALF_UP)).toPlainString();
    }

    private static String trimNumber(String n) {
        return n.endsWith(".0") ? n.substring(0, n.length() - 2) : n;
    }

    private static String plural(String unit, String count) {
        String u = unit.toLowerCase(Locale.ROOT);
        return "1".equals(count) ? u : u + "s";
    }

    /**
     * The time a sentence refers to, resolved against the turn's timestamp: an ISO local date-time
     * ({@code 2026-03-04T15:00}), an ISO date when only the day is known, or null when the sentence names no time.
     */
    String when(String s, Turn turn) {
        ZonedDateTime now = turn.timestamp().atZone(zone);
        Matcher w = WITHIN.matcher(s);
        if (w.find()) {
            long n = number(w.group(1));
            String unit = w.group(2).toLowerCase(Locale.ROOT);
            ZonedDateTime at;
            if (unit.startsWith("minute")) {
                at = now.plusMinutes(n);
            } else if (unit.startsWith("hour")) {
                at = now.plusHours(n);
            } else if (unit.startsWith("business")) {
                at = addBusinessDays(now, n);
                return at.toLocalDate().toString();
            } else if (unit.startsWith("week")) {
                return now.plusWeeks(n).toLocalDate().toString();
            } else {
                return now.plusDays(n).toLocalDate().toString();
            }
            return at.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).toString();
        }
        LocalDate day = null;
        Matcher d = DAY.matcher(s);
        if (d.find()) {
            day = day(d, now.toLocalDate());
        }
        LocalTime time = null;
        Matcher t = TIME.matcher(s);
        if (t.find()) {
            if (t.group(4) != null) {
                time = LocalTime.NOON;
            } else {
                int h = Integer.parseInt(t.group(1));
                int min = t.group(2) == null ? 0 : Integer.parseInt(t.group(2));
                boolean pm = t.group(3).toLowerCase(Locale.ROOT).startsWith("p");
                if (h >= 1 && h <= 12 && min < 60) {
                    time = LocalTime.of(pm ? (h % 12) + 12 : h % 12, min);
                }
            }
        }
        if (day == null && time == null) {
            return null;
        }
        if (time == null) {
            return day.toString();
        }
        if (day == null) {
            day = now.toLocalTime().isBefore(time) ? now.toLocalDate() : now.toLocalDate().plusDays(1);
        }
        return LocalDateTime.of(day, time).toString();
    }

    private static LocalDate day(Matcher d, LocalDate today) {
        String all = d.group(1).toLowerCase(Locale.ROOT);
        if (all.equals("today") || all.equals("tonight") || all.startsWith("this ")) {
            return today;
        }
        if (all.equals("tomorrow")) {
            return today.plusDays(1);
        }
        if (all.equals("next week")) {
            return today.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        }
        if (d.group(2) != null) {
            return today.with(TemporalAdjusters.next(DayOfWeek.valueOf(d.group(2).toUpperCase(Locale.ROOT))));
        }
        if (d.group(3) != null || d.group(6) != null) {
            Month month = month(d.group(3) != null ? d.group(3) : d.group(6));
            int dom = Integer.parseInt(d.group(3) != null ? d.group(4) : d.group(5));
            if (dom < 1 || dom > month.maxLength()) {
                return null;
            }
            LocalDate candidate = LocalDate.of(today.getYear(), month, Math.min(dom, month.length(today.isLeapYear())));
            return candidate.isBefore(today) ? candidate.plusYears(1) : candidate;
        }
        if (d.group(7) != null) {
            try {
                return LocalDate.of(Integer.parseInt(d.group(7)), Integer.parseInt(d.group(8)), Integer.parseInt(d.group(9)));
            } catch (java.time.DateTimeException e) {
                return null;
            }
        }
        return null;
    }

    private static Month month(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Month m : Month.values()) {
            if (m.name().toLowerCase(Locale.ROOT).startsWith(n.substring(0, 3))) {
                return m;
            }
        }
        throw new IllegalStateException("not a month: " + name);
    }

    private static ZonedDateTime addBusinessDays(ZonedDateTime from, long days) {
        ZonedDateTime d = from;
        long left = days;
        while (left > 0) {
            d = d.plusDays(1);
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                left--;
            }
        }
        return d;
    }

    private static long number(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "a", "an", "one" -> 1;
            case "two" -> 2;
            case "three" -> 3;
            case "four" -> 4;
            case "five" -> 5;
            case "ten" -> 10;
            case "fifteen" -> 15;
            case "thirty" -> 30;
            default -> Long.parseLong(word);
        };
    }
}
