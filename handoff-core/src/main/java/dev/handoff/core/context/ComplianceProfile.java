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

    public ComplianceProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(redactor, "redactor");
        if (!name.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("compliance profile name must be 1-40 characters of [a-z0-9-], was \"" + name + "\"");
        }
    }
}
