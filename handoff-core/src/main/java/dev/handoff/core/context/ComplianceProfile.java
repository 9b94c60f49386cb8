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

    /** Card numbers and SSNs. */
    public static final ComplianceProfile DEFAULT = new ComplianceProfile("default", Redactor.defaults());
    /** Payment data: card numbers and SSNs (the same removals as {@link #DEFAULT}, recorded as {@code pci}). */
    public static final ComplianceProfile PCI = new ComplianceProfile("pci", Redactor.defaults());
    /**
     * Health data bound for systems outside the covered entity: card numbers and SSNs, plus e-mail addresses
     * ({@code email}), phone numbers ({@code phone}) and dates written like a birth date, {@code 03/04/1988}
     * ({@code date}).
     */
    public static final ComplianceProfile HIPAA = new ComplianceProfile("hipaa", Redactor.builder()
            .pattern("email", "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")
            .pattern("phone", "(?<![\\w+])\\+?1?[ .-]?\\(?\\d{3}\\)?[ .-]?\\d{3}[ .-]?\\d{4}(?!\\d)")
            .pattern("date", "\\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\\d|3[01])/(?:19|20)\\d{2}\\b")
            .build());

    public ComplianceProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(redactor, "redactor");
        if (!name.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("compliance profile name must be 1-40 characters of [a-z0-9-], was \"" + name + "\"");
        }
    }
}
