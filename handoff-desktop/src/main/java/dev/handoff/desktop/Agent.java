package dev.handoff.desktop;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A person who may sign in to the desktop, as an {@link AgentAuthenticator} vouches for them.
 *
 * <p>What they see: an {@link Role#AGENT} sees a handoff of their own tenant routed to them ({@code Target.Kind.AGENT}
 * with their id), to a queue or target id in {@code queues}, or to a target offering one of their {@code skills}, and
 * takes chat offers from those queues. A {@link Role#SUPERVISOR} sees every handoff of their tenant, read-only, and
 * the wallboard.
 *
 * @param id     1-64 characters of {@code [A-Za-z0-9._:-]}: how audit records and chat offers name them
 * @param name   the name shown on the desktop; defaults to the id when blank
 * @param role   agent or supervisor
 * @param tenant the organisation they work for, 1-64 characters of {@code [A-Za-z0-9._:-]}
 * @param queues queue names (and target ids) they belong to
 * @param skills skills they offer (matched against {@code Target.skills()})
 */
public record Agent(String id, String name, Role role, String tenant, Set<String> queues, Set<String> skills) {

    /** The tenant of a single-organisation desktop. */
    public static final String DEFAULT_TENANT = "default";

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** What a person may do on the desktop. */
    public enum Role {
        /** Works handoffs: opens them, takes chat offers, writes to customers, verifies commitments. */
        AGENT,
        /** Watches the tenant's handoffs and the wallboard; acts on none. */
        SUPERVISOR
    }

    public Agent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tenant, "tenant");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("agent id must be 1-64 characters of [A-Za-z0-9._:-], was \"" + clean(id) + "\"");
        }
        if (!ID.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant of agent " + id + " must be 1-64 characters of [A-Za-z0-9._:-], was \""
                    + clean(tenant) + "\"");
        }
        name = name == null || name.isBlank() ? id : name.strip();
        if (name.length() > 80 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("name of agent " + id + " must be at most 80 characters without control characters");
        }
        queues = Collections.unmodifiableSet(new TreeSet<>(queues == null ? Set.of() : queues));
        skills = Collections.unmodifiableSet(new TreeSet<>(skills == null ? Set.of() : skills));
    }

    /** An agent of the default tenant in these queues. */
    public static Agent agent(String id, String name, String... queues) {
        return new Agent(id, name, Role.AGENT, DEFAULT_TENANT, Set.of(queues), Set.of());
    }

    /** A supervisor of the default tenant. */
    public static Agent supervisor(String id, String name) {
        return new Agent(id, name, Role.SUPERVISOR, DEFAULT_TENANT, Set.of(), Set.of());
    }

    /** A copy in another tenant. */
    public Agent inTenant(String otherTenant) {
        return new Agent(id, name, role, otherTenant, queues, skills);
    }

    /** A copy with these skills. */
    public Agent withSkills(String... more) {
        return new Agent(id, name, role, tenant, queues, Set.of(more));
    }

    /** True for a supervisor, who sees every handoff of the tenant and the wallboard, and acts on none. */
    public boolean isSupervisor() {
        return role == Role.SUPERVISOR;
    }

    /** Attacker-supplied text in a message: control characters removed, at most 64 characters. */
    static String clean(String s) {
        String c = s.replaceAll("\\p{Cntrl}", "");
        return c.length() > 64 ? c.substring(0, 64) + "…" : c;
    }
}
