package dev.handoff.core.text;

import java.util.List;
import java.util.Map;

/**
 * The one list of currencies the SDK reads in text: ISO code, symbol, the words customers use for it, and a
 * default rate to US dollars. Used by the trigger engine (deal values), the observer (budgets, amounts) and the
 * commitment detector (refunds, credits, discounts), and by the policy loader to validate {@code sales.currency}.
 */
public final class Currencies {

    /** ISO codes, in index order. */
    public static final List<String> CODES = List.of("USD", "EUR", "GBP", "JPY");

    /** The symbol of each currency, by index. */
    private static final String[] SYMBOLS = {"$", "€", "£", "¥"};

    /** Words and symbols that name each currency (folded, lower case), by index. */
    private static final List<List<String>> WORDS = List.of(
            List.of("$", "usd", "dollar", "dollars", "bucks", "dolares", "dollares"),
            List.of("€", "eur", "euro", "euros"),
            List.of("£", "gbp", "pound", "pounds", "quid", "sterling"),
            List.of("¥", "jpy", "yen"));

    /** Default value of one unit of each currency in US dollars. */
    public static final Map<String, Double> DEFAULT_USD_RATES = Map.of("USD", 1.0, "EUR", 1.08, "GBP", 1.27, "JPY", 0.0067);

    private Currencies() {
    }

    /** The index of an ISO code, or -1. */
    public static int indexOf(String code) {
        return CODES.indexOf(code);
    }

    /** The ISO code at {@code index}. */
    public static String code(int index) {
        return CODES.get(index);
    }

    /** The symbol at {@code index} ({@code $}). */
    public static String symbol(int index) {
        return SYMBOLS[index];
    }

    /** The words that name the currency at {@code index}. */
    public static List<String> words(int index) {
        return WORDS.get(index);
    }

    /** True when {@code c} is one of the currency symbols this list knows. */
    public static boolean isSymbol(char c) {
        return c == '$' || c == '€' || c == '£' || c == '¥';
    }
}
