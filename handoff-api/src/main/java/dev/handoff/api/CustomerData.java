package dev.handoff.api;

import org.jspecify.annotations.Nullable;
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
        @Nullable String customerId,
        Map<String, String> accountIds,
        Map<String, String> fields,
        List<Instant> previousContacts) {

    /** Nothing known. */
    public static final CustomerData UNKNOWN = new CustomerData(null, Map.of(), Map.of(), List.of());

    /**
     * Copies the maps (sorted by key) and the contact list; {@code null} for any of them means empty.
     *
     * @param customerId       nullable; our own id for the customer
     * @param accountIds       account identifiers by system ({@code "billing" -> "AC-1029"})
     * @param fields           collected fields by name ({@code "phone"}, {@code "dob"}, {@code "reason"})
     * @param previousContacts when the customer contacted us before (newest last); drives the repeated-contact trigger
     */
    public CustomerData {
        accountIds = accountIds == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(accountIds));
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(fields));
        previousContacts = previousContacts == null ? List.of() : List.copyOf(previousContacts);
    }

    /**
     * Customer data with an id and account ids, before any field is collected.
     *
     * @param customerId nullable; our own id for the customer
     * @param accountIds account identifiers by system
     * @return data with no collected fields and no previous contacts
     */
    public static CustomerData of(@Nullable String customerId, Map<String, String> accountIds) {
        return new CustomerData(customerId, accountIds, Map.of(), List.of());
    }

    /**
     * A copy with one more collected field; this record is not changed.
     *
     * @param name  the field name ({@code "phone"}, {@code "reason"})
     * @param value the collected value; replaces an earlier value of the same name
     * @return a copy whose {@code fields} include {@code name}
     */
    public CustomerData withField(String name, String value) {
        var copy = new TreeMap<>(fields);
        copy.put(name, value);
        return new CustomerData(customerId, accountIds, copy, previousContacts);
    }
}
