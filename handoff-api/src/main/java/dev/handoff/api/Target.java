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
    public enum Kind {
        /** A named queue of agents (chat queues, an ACD queue). */
        QUEUE,
        /** One agent, by id. */
        AGENT,
        /** A SIP URI the call is transferred to. */
        SIP,
        /** Someone calls or messages the customer back, at a phone number or URL. */
        CALLBACK
    }

    /**
     * Checks and copies the target; {@code skills} are sorted, {@code null} means none.
     *
     * @param id      stable name ({@code "front-desk"}, {@code "solutions-engineering"})
     * @param kind    what the address means
     * @param address a queue name for {@link Kind#QUEUE}, a SIP URI for {@link Kind#SIP}, an agent id for
     *                {@link Kind#AGENT}, a phone number or URL for {@link Kind#CALLBACK}
     * @param skills  skills this target offers (for skill-based routing)
     * @throws NullPointerException when {@code id}, {@code kind} or {@code address} is null
     */
    public Target {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        skills = skills == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(skills));
    }

    /**
     * A queue whose id and address are both {@code name}.
     *
     * @param name the queue name
     * @return a {@link Kind#QUEUE} target without skills
     */
    public static Target queue(String name) {
        return new Target(name, Kind.QUEUE, name, Set.of());
    }

    /**
     * A SIP target.
     *
     * @param id     stable name of the target
     * @param sipUri where the call is transferred ({@code sip:frontdesk@pbx.example.org})
     * @return a {@link Kind#SIP} target without skills
     */
    public static Target sip(String id, String sipUri) {
        return new Target(id, Kind.SIP, sipUri, Set.of());
    }

    /**
     * A copy with more skills; this target is not changed.
     *
     * @param more skills to add to the current ones
     * @return a copy whose skills are the union
     */
    public Target withSkills(String... more) {
        var s = new TreeSet<>(skills);
        s.addAll(Set.of(more));
        return new Target(id, kind, address, s);
    }
}
