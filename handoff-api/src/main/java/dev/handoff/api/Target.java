package dev.handoff.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.Collections;

/**
 * Where a conversation can go.
 *
 * @param id      stable name ({@code "front-desk"}, {@code "solutions-engineering"})
 * @param kind    what the address means
 * @param address a queue name for {@link Kind#QUEUE}, a SIP URI for {@link Kind#SIP}, an agent id for
 *                {@link Kind#AGENT}, a phone number or URL for {@link Kind#CALLBACK}
 * @param skills  skills this target offers (for skill-based routing)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Target(@NotBlank String id, @NotNull Kind kind, @NotBlank String address, Set<String> skills) {

    /** What the address means. */
    public enum Kind { QUEUE, AGENT, SIP, CALLBACK }

    public Target {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        skills = skills == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(skills));
    }

    public static Target queue(String name) {
        return new Target(name, Kind.QUEUE, name, Set.of());
    }

    public static Target sip(String id, String sipUri) {
        return new Target(id, Kind.SIP, sipUri, Set.of());
    }

    public Target withSkills(String... more) {
        var s = new TreeSet<>(skills);
        s.addAll(Set.of(more));
        return new Target(id, kind, address, s);
    }
}
