package dev.handoff.core.context;

import static dev.handoff.core.context.PromiseCues.DET;
import static dev.handoff.core.context.PromiseCues.FIRST;
import static dev.handoff.core.context.PromiseCues.PARTICIPLE;
import static dev.handoff.core.context.PromiseCues.PRONOUN;
import static dev.handoff.core.context.PromiseCues.TITLE;
import static dev.handoff.core.context.PromiseCues.YOU;

import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.Words;

/**
 * One AI turn's tokens as the {@link PromiseReader} and its {@link PromiseValues} see them: the thread's
 * {@link Scratch} (normalized text, tokens, amounts and the {@link PromiseCues} hits) over the original text, with
 * the questions both ask of a token (its word class in {@link PromiseCues#WORDS}, whether it is a given word, a
 * participle or a progressive, the original mark a boundary token stands for) and where the sentence and the clause
 * around a token begin and end (a clause is cut at ";", ":", "but", "though", and at ", and"/", who"/", I" ...).
 * Read-only; not thread-safe on its own: the scratch is the calling thread's.
 */
abstract sealed class PromiseTokens permits PromiseReader, PromiseValues {

    final Scratch s;
    final String text;

    PromiseTokens(Scratch s, String text) {
        this.s = s;
        this.text = text;
    }

    final int cls(int t) {
        return PromiseCues.WORDS.flagsAt(PromiseCues.WORDS.find(s.tokHash[t]));
    }

    final boolean is(int t, String w) {
        return t >= 0 && t < s.tokCount && s.tokenIs(t, w);
    }

    final boolean endsWith(int t, String suffix, int minLength) {
        int a = s.tokStart[t];
        int n = s.tokEnd[t] - a;
        if (n < minLength || n < suffix.length()) {
            return false;
        }
        for (int k = 0; k < suffix.length(); k++) {
            if (s.out[a + n - suffix.length() + k] != suffix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    final boolean participle(int t) {
        return (cls(t) & PARTICIPLE) != 0 || endsWith(t, "ed", 4) || endsWith(t, "en", 5);
    }

    final boolean progressive(int t) {
        return endsWith(t, "ing", 5);
    }

    /** The original character a boundary token stands for. */
    final char mark(int t) {
        int at = s.from[s.tokStart[t]];
        return at >= 0 && at < text.length() ? text.charAt(at) : '.';
    }

    final boolean sentenceEnd(int t) {
        if (!s.isBoundary(t)) {
            return false;
        }
        char c = mark(t);
        if (c == '.' && t > 0 && t + 1 < s.tokCount && ((cls(t - 1) & TITLE) != 0 || s.tokEnd[t - 1] - s.tokStart[t - 1] == 1)) {
            return false; // "Mr. Ruiz", "3 p.m. tomorrow"
        }
        if (c == '.') {
            int at = s.from[s.tokStart[t]];
            if (at >= 0 && at + 1 < text.length() && (Character.isLetterOrDigit(text.charAt(at + 1)) || text.charAt(at + 1) == '_')) {
                return false; // a dot inside a token: "example.com/offer", "window.name"
            }
        }
        return c == '.' || c == '!' || c == '?' || c == '\n' || c == '\r';
    }

    /** A colon between digits ("10:30") is part of a time. */
    final boolean timeColon(int t) {
        int at = s.from[s.tokStart[t]];
        return at > 0 && at + 1 < text.length() && Character.isDigit(text.charAt(at - 1)) && Character.isDigit(text.charAt(at + 1));
    }

    final boolean clauseBreak(int t) {
        if (s.isBoundary(t)) {
            char c = mark(t);
            if (c == ';' || c == ':' && !timeColon(t) || sentenceEnd(t)) {
                return true;
            }
            if (c == ',' && t + 1 < s.tokCount) {
                int next = cls(t + 1);
                return (next & (FIRST | YOU)) != 0 || is(t + 1, "so") || is(t + 1, "but") || is(t + 1, "which") || is(t + 1, "who")
                        || is(t + 1, "then") || is(t + 1, "though") || is(t + 1, "although") || is(t + 1, "however");
            }
            return false;
        }
        if (is(t, "but") || is(t, "though") || is(t, "although") || is(t, "however") || is(t, "whereas") || is(t, "otherwise")) {
            return true;
        }
        if (t + 1 >= s.tokCount) {
            return false;
        }
        int next = cls(t + 1);
        return is(t, "and") && ((next & (FIRST | YOU | PRONOUN | DET | TITLE)) != 0 || is(t + 1, "if"))
                || is(t, "or") && ((next & (FIRST | YOU | PRONOUN)) != 0 || is(t + 1, "if"));
    }

    final int sentenceStart(int t) {
        int k = t;
        while (k > 0 && !sentenceEnd(k - 1)) {
            k--;
        }
        return k;
    }

    final int sentenceEndAt(int t) {
        int k = t;
        while (k < s.tokCount && !sentenceEnd(k)) {
            k++;
        }
        return k; // exclusive (the boundary, or the end)
    }

    final int clauseStart(int t) {
        int k = t;
        while (k > 0 && !clauseBreak(k - 1)) {
            k--;
        }
        return k;
    }

    final int clauseEnd(int t) {
        int k = t + 1;
        while (k < s.tokCount && !clauseBreak(k)) {
            k++;
        }
        return k;
    }

    final boolean has(int from, int to, int flag) {
        for (int t = from; t < to; t++) {
            if ((cls(t) & flag) != 0) {
                return true;
            }
        }
        return false;
    }

    final boolean has(int from, int to, String word) {
        for (int t = from; t < to; t++) {
            if (is(t, word)) {
                return true;
            }
        }
        return false;
    }

    /** The token follows a hyphen in the original text ("sugar-free"). */
    final boolean hyphenBefore(int t) {
        int at = s.from[s.tokStart[t]];
        return at > 0 && text.charAt(at - 1) == '-';
    }

    /**
     * A wish followed by its refusal: "I'd love to give you a discount, but I can't", "I wish I could refund it, but
     * we're not able to": a "but" after the cue in the sentence, a negation within the four words after it.
     */
    final boolean politeRefusal(int sentFrom, int cueFirst, int cueLast, int sentTo) {
        if (!(has(sentFrom, cueFirst, "love") || has(sentFrom, cueFirst, "like") || has(sentFrom, cueFirst, "wish"))) {
            return false;
        }
        for (int t = cueLast + 1; t < Math.min(sentTo, s.tokCount); t++) {
            if (is(t, "but")) {
                for (int k = t + 1; k <= t + 4 && k < s.tokCount; k++) {
                    if ((s.tokFlags[k] & Words.NEG) != 0 || is(k, "unable") || is(k, "cannot")) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    /** The cue is the topic of a talk: "to sort out the refund", "about the discount", "to discuss your credit". */
    final boolean aboutIt(int from, int cue) {
        for (int t = cue - 1; t >= Math.max(from, cue - 5); t--) {
            if (is(t, "and")) {
                return false; // "I can ask about a discount and get back to you by Friday": "about" is the other verb's
            }
            if (is(t, "about") || is(t, "regarding")) {
                return true;
            }
            if (is(t, "to") && (is(t + 1, "sort") || is(t + 1, "discuss") || is(t + 1, "talk") || is(t + 1, "look") || is(t + 1, "review")
                    || is(t + 1, "go") || is(t + 1, "walk") || is(t + 1, "explain") || is(t + 1, "check") || is(t + 1, "confirm")
                    || is(t + 1, "decide") || is(t + 1, "help") || is(t + 1, "answer") || is(t + 1, "assess") || is(t + 1, "ask"))) {
                return true;
            }
        }
        return false;
    }

    final boolean isThing(int t) {
        return is(t, "replacement") || is(t, "technician") || is(t, "engineer") || is(t, "someone") || is(t, "courier")
                || is(t, "driver") || is(t, "router") || is(t, "card");
    }

    final boolean mentionsEmail(int from, int to) {
        for (int t = from; t < to; t++) {
            if (is(t, "email") || is(t, "emails") || is(t, "text") || is(t, "sms")) {
                return true;
            }
        }
        return false;
    }
}
