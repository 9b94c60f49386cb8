package dev.handoff.core.context;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who redeems a ticket: required, and recorded in the audit trail for every attempt, refused ones included.
 *
 * @param actor  the agent id or system name ({@code "alice"}, {@code "hubspot"}): 1-64 characters of
 *               {@code [A-Za-z0-9_.:-]}, as an audit record's actor
 * @param tenant nullable; the tenant the redeemer authenticated as (checked against tenant-bound tickets)
 */
public record Redeemer(String actor, String tenant) {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");

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

    /** An actor of no particular tenant. */
    public static Redeemer of(String actor) {
        return new Redeemer(actor, null);
    }

    /** An actor of a tenant. */
    public static Redeemer of(String actor, String tenant) {
        return new Redeemer(actor, Objects.requireNonNull(tenant, "tenant"));
    }
}
