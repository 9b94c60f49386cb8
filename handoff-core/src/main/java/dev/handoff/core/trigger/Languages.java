package dev.handoff.core.trigger;

import dev.handoff.api.CustomerData;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Language codes as bits, so a phrase rule's language is checked against a session's languages with one AND. A
 * session speaks the language named by the customer's {@code language} (or {@code locale}) field, unless the bot
 * chose one with {@link RuleTriggerEvaluator#selectLanguage}.
 */
final class Languages {

    /** The customer fields read for a session's language, in order. */
    static final String[] FIELDS = {"language", "locale", "lang"};

    private static final Map<String, Long> BITS = new ConcurrentHashMap<>();

    private Languages() {
    }

    /** The bit of a two-letter language code; 0 for null (rules of every language). */
    static long bit(String language) {
        if (language == null) {
            return 0;
        }
        return BITS.computeIfAbsent(language, l -> {
            synchronized (BITS) {
                if (BITS.size() >= 63) {
                    throw new IllegalStateException("more than 63 rule languages");
                }
                return 1L << BITS.size();
            }
        });
    }

    /** The language bit of a customer's record, or 0 when it names none. */
    static long ofCustomer(CustomerData customer) {
        if (customer == null) {
            return 0;
        }
        for (String f : FIELDS) {
            String v = customer.fields().get(f);
            if (v != null && v.length() >= 2) {
                return bit(v.substring(0, 2).toLowerCase(Locale.ROOT));
            }
        }
        return 0;
    }
}
