package dev.handoff.api.context;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.List;

/**
 * What compliance profile shaped this document and what it removed. Records the kind and place of each
 * redaction, never the value.
 *
 * @param profile    {@code "default"}, {@code "hipaa"}, {@code "pci"}, {@code "legal"}
 * @param phi        true when the document may carry protected health information
 * @param redactions what was redacted where
 */
public record ComplianceInfo(@NotBlank String profile, boolean phi, @NotNull List<@NotNull @Valid Redaction> redactions) {

    /**
     * Copies {@code redactions}; {@code null} means none.
     *
     * @param profile    {@code "default"}, {@code "hipaa"}, {@code "pci"}, {@code "legal"}
     * @param phi        true when the document may carry protected health information
     * @param redactions what was redacted where
     */
    public ComplianceInfo {
        redactions = redactions == null ? List.of() : List.copyOf(redactions);
    }

    /**
     * The default profile with nothing redacted, for a document no compliance profile touched.
     *
     * @return profile {@code "default"}, no PHI, no redactions
     */
    public static ComplianceInfo none() {
        return new ComplianceInfo("default", false, List.of());
    }

    /**
     * One kind of value removed from one field. The value itself is never recorded.
     *
     * @param kind  {@code "card-number"}, {@code "ssn"}, or a configured pattern's name
     * @param path  JSON path of the field that was changed ({@code "$.transcript[4].text"})
     * @param count how many values of this kind were removed there
     */
    public record Redaction(@NotBlank String kind, @NotBlank String path, @Positive int count) {
    }
}
