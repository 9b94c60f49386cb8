package dev.handoff.core.context;

import org.jspecify.annotations.Nullable;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who redeems a ticket: required, and recorded in the audit trail for every attempt, refused ones included.
 *
 * @param actor  the agent id or system name ({@code "alice"}, {@code "hubspot"}): 1-64 characters of
 *               {@code [A-Za-z0-9_.:-]}, as an audit record's actor
 * @param tenant nullable; the tenant the redeemer authenticated as (checked against tenant-bound tickets)
 */
public record Redeemer(String actor, @Nullable String tenant) {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");

    /**
     * Checks the components.
     *
     * @param actor  the agent id or system name ({@code "alice"}, {@code "hubspot"}): 1-64 characters of
     *               {@code [A-Za-z0-9_.:-]}, as an audit record's actor
     * @param tenant nullable; the tenant the redeemer authenticated as (checked against tenant-bound tickets)
     * @throws NullPointerException     when {@code actor} is null
     * @throws IllegalArgumentException when a value is out of range; the message names it
     */
    public Redeemer {
        Objects.requireNonNull(actor, "actor");
        if (!CODE.matcher(actor).matches()) {
            throw new IllegalArgumentException("redeemer actor must be 1-64 characters of [A-Za-z0-9_.:-], was \""
                    + dev.handoff.core.internal.Text.safe(actor) + "\"");
        }
        if (tenant != null && !CODE.matcher(tenant).matches()) {
            throw new IllegalArgumentException("redeemer tenant must be 1-64 characters of [A-Za-z0-9_.:-], was \""
                    + dev.handoff.core.internal.Text.safe(tenant) + "\"");
        }
    }

    /**
     * An actor of no particular tenant.
     *
     * @param actor the agent id or system name
     * @return the redeemer
     */
    public static Redeemer of(String actor) {
        return new Redeemer(actor, null);
    }

    /**
     * An actor of a tenant.
     *
     * @param actor  the agent id or system name
     * @param tenant the tenant the redeemer authenticated as
     * @return the redeemer
     */
    public static Redeemer of(String actor, String tenant) {
        return new Redeemer(actor, Objects.requireNonNull(tenant, "tenant"));
    }
}
