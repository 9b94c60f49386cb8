package dev.handoff.core.context;

import java.util.Objects;

/**
 * A named compliance profile: what to remove from text bound for a destination that is not cleared for protected
 * data.
 *
 * @param name     recorded in {@code compliance.profile} ({@code "default"}, {@code "pci"}, {@code "hipaa"})
 * @param redactor what to remove
 */
public record ComplianceProfile(String name, Redactor redactor) {

    /**
     * The default for copies bound to non-PHI destinations (the CRM): card numbers, SSNs, phone numbers, e-mail
     * addresses and dates of birth ({@link Redactor#defaults()}); other dates stay. Copies are marked {@code phi=false}.
     */
    public static final ComplianceProfile DEFAULT = new ComplianceProfile("default", Redactor.defaults());
    /**
     * Payment data: as {@link #DEFAULT}, and a digit run that holds a card number goes whole, so a CVV or expiry
     * written after the number goes with it ({@link Redactor.Builder#wholeCardRuns}).
     */
    public static final ComplianceProfile PCI = new ComplianceProfile("pci", Redactor.builder().wholeCardRuns(true).build());
    /**
     * Health data bound for systems outside the covered entity: as {@link #DEFAULT}, and every full date in any
     * format ({@code date}), as the safe-harbour method asks of dates related to a person.
     */
    public static final ComplianceProfile HIPAA = new ComplianceProfile("hipaa", Redactor.builder().allDates(true).build());

    /**
     * Checks the components.
     *
     * @param name     recorded in {@code compliance.profile} ({@code "default"}, {@code "pci"}, {@code "hipaa"})
     * @param redactor what to remove
     * @throws NullPointerException     when {@code name} or {@code redactor} is null
     * @throws IllegalArgumentException when a value is out of range; the message names it
     */
    public ComplianceProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(redactor, "redactor");
        if (!name.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("compliance profile name must be 1-40 characters of [a-z0-9-], was \"" + name + "\"");
        }
    }
}
