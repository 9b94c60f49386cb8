package dev.handoff.core.context;

import dev.handoff.core.text.Words;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.SentimentTrack.Level;
import dev.handoff.api.context.WhisperSummary;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Writes the whisper an agent takes in at a glance: three lines of at most {@value #MAX_LINE} characters and an
 * opening line of at most {@value #MAX_OPENING}.
 * <ul>
 *   <li><b>goal</b>, in the third person: what the customer wants ("Wants route planning software for their 40 trucks
 *       (before May)"), or what they raised when they did not say;</li>
 *   <li><b>obstacle</b>: the kill-switch or regulatory reason, else the concern the customer named, else their latest
 *       complaint, quoted only when short ({@value #MAX_QUOTE} characters), else in the third person; noted when the
 *       assistant could not answer it;</li>
 *   <li><b>sentiment</b>, in words, from the latest turns: how the customer feels now and where it is going ("Calmer now
 *       after a rough start; medium urgency, high trust"); never raw scores;</li>
 *   <li><b>opening line</b>, in the second person, continuing the conversation; it never mentions a budget, a price or
 *       a promise, so it cannot promise what the ledger does not hold.</li>
 * </ul>
 * Stateless.
 */
final class WhisperWriter {

    static final int MAX_LINE = 120;
    static final int MAX_QUOTE = 60;
    static final int MAX_OPENING = 160;

    private static final Pattern ACTION = Pattern.compile("^(book|cancel|change|update|add|upgrade|downgrade|return|transfer|exchange|swap|switch"
            + "|move|reschedule|set up|make|get|roll out|replace|sue|trademark|contest|adopt|buy|renew|fix|close|open|order|plan|stop)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern EVALUATING = Pattern.compile("^(evaluating|comparing|considering|exploring|starting|buying)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SUBJECT_START = Pattern.compile("^(i|we|my|our|i'm|we're|i've|we've|it|this|that)\\b", Pattern.CASE_INSENSITIVE);

    private WhisperWriter() {
    }

    static WhisperSummary write(NeedReader needs, String timeline, PainReader pains, SentimentTrack track, HandoffDecision decision,
                                List<Turn> turns, CustomerData customer) {
        String source = needs.need != null ? needs.need : needs.topic;
        return new WhisperSummary(goal(needs, timeline), obstacle(pains, decision, turns, source), sentiment(track),
                opening(needs, pains, track, customer));
    }

    // ------------------------------------------------------------------ goal

    static String goal(NeedReader needs, String timeline) {
        String g;
        if (needs.need != null) {
            String need = needs.need.strip();
            if (SUBJECT_START.matcher(need).lookingAt()) {
                g = Pronouns.third(need);
            } else if (EVALUATING.matcher(need).lookingAt()) {
                g = "Is " + Pronouns.third(lowerFirst(need));
            } else if (needs.needIsVerb) {
                g = "Wants to " + Pronouns.third(lowerFirst(need));
            } else {
                g = "Wants " + Pronouns.third(lowerFirst(need));
            }
        } else if (needs.topic != null) {
            String topic = needs.topic.strip();
            g = needs.topicQuestion ? "Asks: " + Sentences.trim(Pronouns.third(topic)) + "?" : Pronouns.third(topic);
        } else {
            return "Not stated yet: the customer has not said what they want";
        }
        g = g.replace('"', '\'').replace('\u201c', '\'').replace('\u201d', '\'').strip();
        g = capitalize(g.endsWith("?") ? g : Sentences.trim(g));
        if (timeline != null && !g.toLowerCase(Locale.ROOT).contains(timeline.toLowerCase(Locale.ROOT))) {
            String withTime = g + " (" + Pronouns.third(timeline) + ")";
            if (withTime.length() <= MAX_LINE) {
                return withTime;
            }
        }
        return Sentences.abbreviate(g, MAX_LINE);
    }

    // ------------------------------------------------------------------ obstacle

    static String obstacle(PainReader pains, HandoffDecision decision, List<Turn> turns, String goalSource) {
        Reason first = decision.reasons().isEmpty() ? null : decision.reasons().get(0);
        String base;
        int fromTurn;
        if (first != null && (first.kind() == TriggerKind.KILL_SWITCH || first.kind() == TriggerKind.REGULATORY)) {
            base = first.detail();
            fromTurn = first.turnIndex() == null ? -1 : first.turnIndex();
        } else if (pains.concern != null) {
            base = "Main concern: " + Pronouns.third(pains.concern);
            fromTurn = pains.concernTurn;
        } else if (pains.latest(goalSource) != null) {
            String[] pain = pains.latest(goalSource);
            base = pain[0].length() <= MAX_QUOTE ? "Says \"" + pain[0] + "\"" : "Reports that " + Pronouns.third(lowerFirst(pain[0]));
            fromTurn = Integer.parseInt(pain[1]);
        } else if (first != null && first.kind() != TriggerKind.EXPLICIT_REQUEST && first.turnIndex() != null
                && asked(turns, first.turnIndex()) != null) {
            // what the customer asked at the turn that needs a person ("Could someone help me arrange a birthday cake?")
            String asked = asked(turns, first.turnIndex());
            base = asked.length() <= MAX_QUOTE ? "Asks \"" + asked + "\"" : "Asks: " + Pronouns.third(lowerFirst(asked));
            fromTurn = first.turnIndex();
        } else if (first != null && !first.detail().isBlank()) {
            base = first.detail();
            fromTurn = first.turnIndex() == null ? -1 : first.turnIndex();
        } else {
            return "Nothing specific yet: the assistant could not resolve the request";
        }
        base = capitalize(Sentences.trim(base));
        String note = " (the assistant could not answer)";
        if (fromTurn >= 0 && aiCouldNotAnswerAfter(turns, fromTurn) && base.length() + note.length() <= MAX_LINE) {
            return base + note;
        }
        return shorten(base, MAX_LINE);
    }

    /** The question the customer asked in turn {@code index}, or null. */
    private static String asked(List<Turn> turns, int index) {
        for (Turn t : turns) {
            if (t.index() == index && t.speaker() == Speaker.CUSTOMER) {
                for (String sentence : Sentences.split(t.text())) {
                    if (sentence.strip().endsWith("?") && Words.count(sentence) >= 4) {
                        return Sentences.trim(sentence.strip());
                    }
                }
            }
        }
        return null;
    }

    private static boolean aiCouldNotAnswerAfter(List<Turn> turns, int index) {
        for (Turn t : turns) {
            if (t.index() > index && t.speaker() == Speaker.AI && !t.partial()) {
                Double c = t.signalsOrNone().confidence();
                if (c != null && c < 0.5 || TurnFeatures.has(TurnFeatures.of(t.text()), TurnFeatures.AI_INABILITY)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Abbreviates, closing a quote the cut opened. */
    private static String shorten(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        String cut = Sentences.abbreviate(s, max - 1);
        long quotes = cut.chars().filter(c -> c == '"').count();
        return quotes % 2 == 1 ? cut + "\"" : cut;
    }

    // ------------------------------------------------------------------ sentiment

    static String sentiment(SentimentTrack track) {
        List<SentimentTrack.Point> s = track.series();
        String levels = "; " + word(track.urgency()) + " urgency, " + word(track.trust()) + " trust";
        if (s.isEmpty()) {
            return "Not known yet: the customer has not spoken" + levels;
        }
        double last = s.get(s.size() - 1).score();
        double lowest = 0;
        for (int i = 0; i < s.size() - 1; i++) {
            lowest = Math.min(lowest, s.get(i).score());
        }
        boolean rough = lowest <= -0.3;
        String feeling;
        if (last > 0.1) {
            feeling = switch (track.trend()) {
                case IMPROVING -> rough ? "Positive now after a rough start" : "Positive and warming up";
                case DECLINING -> "Still positive but cooling";
                case STABLE -> "Positive and steady";
            };
        } else if (last >= -0.1) {
            feeling = switch (track.trend()) {
                case IMPROVING -> rough ? "Calmer now after a rough start" : "Calm and warming up";
                case DECLINING -> "Calm but cooling";
                case STABLE -> rough ? "Calm for now after a rough start" : "Calm and steady";
            };
        } else {
            String how = last <= -0.6 ? "Very upset" : last <= -0.35 ? "Frustrated" : "Uneasy";
            feeling = switch (track.trend()) {
                case IMPROVING -> how + " but calmer than before";
                case DECLINING -> how + " and getting worse";
                case STABLE -> how + " throughout";
            };
        }
        return feeling + levels;
    }

    private static String word(Level level) {
        return level.name().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ opening

    static String opening(NeedReader needs, PainReader pains, SentimentTrack track, CustomerData customer) {
        String line;
        String[] pain = pains.latest(null);
        if (pains.concern != null && pains.concern.length() <= 70) {
            line = "I see the main concern is " + Pronouns.second(lowerFirst(pains.concern)) + "; let's start there.";
        } else if (track.markers().contains(SentimentVelocity.PRICING_HESITATION)) {
            line = "I know the price came in higher than you hoped; let's look at the options that work for you.";
        } else if (track.urgency() == Level.HIGH && pain != null && pain[0].length() <= 70) {
            line = "I'm sorry to hear " + lowerFirst(Pronouns.second(pain[0])) + "; I have everything you told us, so let's sort it out now.";
        } else if (track.trust() == Level.LOW) {
            line = "Thanks for your patience; I've read the whole conversation, so you won't need to repeat anything.";
        } else {
            line = "I've read the conversation, so you won't need to repeat anything. " + next(needs);
        }
        if (line.contains("\"")) {
            line = line.replace("\"", "");
        }
        String name = firstName(customer);
        if (name != null) {
            line = name + ", " + lowerFirst(line);
        }
        if (line.length() > MAX_OPENING) {
            line = (name == null ? "" : name + ", ") + (name == null ? "I've" : "I've")
                    + " read the conversation, so you won't need to repeat anything; let's pick up where you left off.";
        }
        return line;
    }

    private static String next(NeedReader needs) {
        if (needs.need != null && needs.needIsVerb && ACTION.matcher(needs.need).lookingAt()) {
            return "Let's " + Pronouns.second(lowerFirst(Sentences.trim(needs.need))) + ".";
        }
        if (needs.need != null && needs.need.startsWith("help with ")) {
            return "Let's sort out " + Pronouns.second(lowerFirst(Sentences.trim(needs.need.substring(10)))) + ".";
        }
        if (needs.need != null && !needs.needIsVerb && !SUBJECT_START.matcher(needs.need).lookingAt() && !EVALUATING.matcher(needs.need).lookingAt()) {
            return "Let's talk about " + Pronouns.second(lowerFirst(Sentences.trim(needs.need))) + ".";
        }
        return "Let's pick up from there.";
    }

    private static String firstName(CustomerData customer) {
        for (String key : List.of("firstName", "first_name", "name", "displayName")) {
            String v = customer.fields().get(key);
            if (v != null && !v.isBlank() && v.strip().chars().allMatch(c -> Character.isLetter(c) || c == ' ' || c == '-' || c == '\'')) {
                return Words.first(v);
            }
        }
        return null;
    }

    static String capitalize(String s) {
        return Sentences.capitalize(s);
    }

    static String lowerFirst(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        if (s.length() > 1 && Character.isUpperCase(s.charAt(1)) || s.startsWith("I ") || s.startsWith("I'") || s.startsWith("I\u2019")) {
            return s;
        }
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
