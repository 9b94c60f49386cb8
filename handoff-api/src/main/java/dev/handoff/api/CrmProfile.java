package dev.handoff.api;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The customer as the CRM knows them.
 *
 * @param system       which CRM ({@code "hubspot"}, {@code "salesforce"}, {@code "zendesk"}, {@code "webhook"})
 * @param recordId     the CRM's id for the customer (contact, user)
 * @param displayName  nullable; the name to greet them by
 * @param attributes   other CRM fields (tier, lifetime value, owner)
 * @param interactions previous interactions, newest first
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CrmProfile(
        @NotBlank String system,
        @NotBlank String recordId,
        @Nullable String displayName,
        Map<String, String> attributes,
        List<@Valid Interaction> interactions) {

    /**
     * Copies {@code attributes} (sorted by key) and {@code interactions}; {@code null} for either means empty.
     *
     * @param system       which CRM ({@code "hubspot"}, {@code "salesforce"}, {@code "zendesk"}, {@code "webhook"})
     * @param recordId     the CRM's id for the customer (contact, user)
     * @param displayName  nullable; the name to greet them by
     * @param attributes   other CRM fields (tier, lifetime value, owner)
     * @param interactions previous interactions, newest first
     */
    public CrmProfile {
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(attributes));
        interactions = interactions == null ? List.of() : List.copyOf(interactions);
    }

    /**
     * One earlier contact.
     *
     * @param at      when
     * @param channel nullable; {@code "phone"}, {@code "chat"}, {@code "email"}
     * @param summary nullable; a one-line summary
     * @param outcome nullable; how it ended
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Interaction(@NotNull Instant at, @Nullable String channel, @Nullable String summary,
                              @Nullable String outcome) {
    }
}
