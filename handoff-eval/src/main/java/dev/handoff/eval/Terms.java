package dev.handoff.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Loose keyword matching for labels a human wrote: every term must occur in the text, and a term is one or more
 * alternatives separated by {@code |} ({@code ["sixty|60k|60,000"]} matches "roughly sixty grand"). Case, curly
 * apostrophes and quotes, and runs of white space do not matter. In JSON a label is a string (one term) or an array
 * of strings (all terms).
 *
 * @param terms each term's alternatives, folded
 */
public record Terms(List<List<String>> terms) {

    public Terms {
        terms = terms.stream().map(List::copyOf).toList();
        if (terms.isEmpty() || terms.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("terms must hold at least one non-empty term");
        }
    }

    /** Reads a JSON string or array of strings; null for JSON null. */
    public static Terms read(JsonNode n, String path) {
        if (n == null || n.isNull()) {
            return null;
        }
        List<String> raw = new ArrayList<>();
        if (n.isTextual()) {
            raw.add(n.asText());
        } else if (n.isArray()) {
            n.forEach(e -> raw.add(e.asText()));
        } else {
            throw new IllegalArgumentException(path + " must be a string or an array of strings, was " + n);
        }
        return of(raw.toArray(String[]::new));
    }

    /** Terms from {@code "a|b"} strings. */
    public static Terms of(String... terms) {
        List<List<String>> out = new ArrayList<>();
        for (String t : terms) {
            List<String> alternatives = new ArrayList<>();
            for (String a : t.split("\\|")) {
                String f = fold(a);
                if (!f.isEmpty()) {
                    alternatives.add(f);
                }
            }
            out.add(alternatives);
        }
        return new Terms(out);
    }

    /** True when every term has an alternative in {@code text} (null text matches nothing). */
    public boolean matches(String text) {
        if (text == null) {
            return false;
        }
        String t = fold(text);
        for (List<String> term : terms) {
            if (term.stream().noneMatch(t::contains)) {
                return false;
            }
        }
        return true;
    }

    /** Lower case, straight apostrophes and quotes, one space between words. */
    static String fold(String s) {
        Objects.requireNonNull(s, "s");
        return s.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replace('\u2018', '\'').replace('\u201c', '"').replace('\u201d', '"')
                .replaceAll("\\s+", " ").strip();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        terms.forEach(t -> parts.add(String.join("|", t)));
        return String.join(" + ", parts);
    }
}
