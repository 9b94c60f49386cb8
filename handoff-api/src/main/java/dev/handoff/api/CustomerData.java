package dev.handoff.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the bot knows or collected about the customer.
 *
 * @param customerId       nullable; our own id for the customer
 * @param accountIds       account identifiers by system ({@code "billing" -> "AC-1029"})
 * @param fields           collected fields by name ({@code "phone"}, {@code "dob"}, {@code "reason"})
 * @param previousContacts when the customer contacted us before (newest last); drives the repeated-contact trigger
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CustomerData(
        String customerId,
        Map<String, String> accountIds,
        Map<String, String> fields,
        List<Instant> previousContacts) {

    /** Nothing known. */
    public static final CustomerData UNKNOWN = new CustomerData(null, Map.of(), Map.of(), List.of());

    public CustomerData {
        accountIds = accountIds == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(accountIds));
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(fields));
        previousContacts = previousContacts == null ? List.of() : List.copyOf(previousContacts);
    }

    public static CustomerData of(String customerId, Map<String, String> accountIds) {
        return new CustomerData(customerId, accountIds, Map.of(), List.of());
    }

    /** A copy with one more collected field. */
    public CustomerData withField(String name, String value) {
        var copy = new TreeMap<>(fields);
        copy.put(name, value);
        return new CustomerData(customerId, accountIds, copy, previousContacts);
    }
}
