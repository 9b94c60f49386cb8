package dev.handoff.api.context;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What the observer extracted from the transcript: BANT, pain points and key entities.
 *
 * @param bant       budget, authority, need, timeline
 * @param painPoints the customer's problems in their own words, in order
 * @param entities   key entities (products, amounts, dates, people)
 * @param extensions unknown fields, kept
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SemanticLedger(
        @NotNull @Valid Bant bant,
        @NotNull List<String> painPoints,
        @NotNull List<@NotNull @Valid KeyEntity> entities,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extensions) {

    /**
     * Copies the lists and the extensions (sorted by key); {@code null} for any of them means empty.
     *
     * @param bant       budget, authority, need, timeline
     * @param painPoints the customer's problems in their own words, in order
     * @param entities   key entities (products, amounts, dates, people)
     * @param extensions unknown fields, kept
     */
    public SemanticLedger {
        painPoints = painPoints == null ? List.of() : List.copyOf(painPoints);
        entities = entities == null ? List.of() : List.copyOf(entities);
        extensions = Extensions.copy(extensions);
    }

    /**
     * Nothing extracted, for a conversation the observer found nothing in.
     *
     * @return a ledger with an all-unknown BANT, no pain points and no entities
     */
    public static SemanticLedger empty() {
        return new SemanticLedger(new Bant(null, null, null, null), List.of(), List.of(), Map.of());
    }

    /**
     * Budget, Authority, Need, Timeline. Every part is nullable: unknown.
     *
     * @param budget    nullable; what the customer can spend
     * @param authority nullable; who decides ({@code "VP Engineering, signs off"})
     * @param need      nullable; what they need
     * @param timeline  nullable; when ({@code "by end of Q3"})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bant(@Valid @Nullable Budget budget, @Nullable String authority, @Nullable String need, @Nullable String timeline) {
    }

    /**
     * A budget as the customer stated it.
     *
     * @param amount   nullable; the amount as a number
     * @param currency nullable; ISO 4217 code
     * @param text     the words it came from
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Budget(@Nullable BigDecimal amount, @Nullable String currency, @NotNull String text) {
    }

    /**
     * A key entity the customer mentioned.
     *
     * @param type      {@code "product"}, {@code "amount"}, {@code "date"}, {@code "person"}, ...
     * @param value     the entity
     * @param turnIndex nullable; where it was said
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyEntity(@NotBlank String type, @NotBlank String value, @Nullable Integer turnIndex) {
    }
}
