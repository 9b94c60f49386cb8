package dev.handoff.core.context;

import org.jspecify.annotations.Nullable;
import dev.handoff.core.internal.Text;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Short signed tickets that stand for a context where only a few bytes fit (a SIP {@code User-to-User} header, a
 * URI parameter, a CRM field). A ticket is {@code <contextId>.<expiry, epoch seconds base 36><flags>.<keyId>
 * [.<agent binding>][.<tenant binding>].<16-byte HMAC, base64url>}: at most {@link #MAX_LENGTH} ASCII characters,
 * safe in URIs and headers unescaped. Flags (upper case) say how it is {@linkplain TicketScope bound}: {@code A} to
 * an agent, {@code T} to a tenant, {@code S} single use. A binding is a keyed hash of the agent or tenant, so the
 * ticket names neither; the MAC covers everything.
 *
 * <p>Redeem through {@link TicketRedeemer}, which checks the binding against the {@link Redeemer}, enforces single
 * use and audits every attempt. Thread-safe.
 */
public final class Tickets {

    /** The longest ticket issued. */
    public static final int MAX_LENGTH = 128;
    /** Default lifetime: long enough for a slow queue, short enough that a leaked ticket goes stale. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    private static final Pattern CONTEXT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern EXPIRY = Pattern.compile("([0-9a-z]{1,13})(A?)(T?)(S?)");

    /**
     * A verified ticket.
     *
     * @param contextId the context it stands for
     * @param expiresAt when it stops redeeming
     * @param scope     its binding ({@code agentId}/{@code tenant} are those of the redeemer it was checked for)
     * @param id        unique per ticket (its MAC): what single use records
     */
    public record Ticket(String contextId, Instant expiresAt, TicketScope scope, String id) {
    }

    /** Clock difference between instances that {@link #sign} tolerates on a stored ticket's expiry. */
    static final Duration SIGN_AGAIN_SKEW = Duration.ofMinutes(5);

    private final SigningKeys keys;
    private final Clock clock;
    private final Duration ttl;
    private final TicketScope defaultScope;

    /**
     * Tickets with {@link TicketScope#BEARER} unless a scope is given to {@link #issue(String, TicketScope)}.
     *
     * @param keys  sign new tickets with the current key, verify with any key of the set
     * @param clock expiry is checked on it
     * @param ttl   how long a ticket verifies after it is issued; positive
     * @throws IllegalArgumentException when {@code ttl} is not positive
     */
    public Tickets(SigningKeys keys, Clock clock, Duration ttl) {
        this(keys, clock, ttl, TicketScope.BEARER);
    }

    /**
     * Tickets bound by {@code defaultScope} unless a scope is given to {@link #issue(String, TicketScope)}.
     *
     * @param keys         sign new tickets with the current key, verify with any key of the set
     * @param clock        expiry is checked on it
     * @param ttl          how long a ticket verifies after it is issued; positive
     * @param defaultScope the binding of {@link #issue(String)} (a tenant, single use)
     * @throws IllegalArgumentException when {@code ttl} is not positive
     */
    public Tickets(SigningKeys keys, Clock clock, Duration ttl, TicketScope defaultScope) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.defaultScope = Objects.requireNonNull(defaultScope, "defaultScope");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ticket ttl must be positive, was " + ttl);
        }
    }

    /**
     * Issues a ticket with the default scope for a context id (1-64 characters of {@code [A-Za-z0-9_-]}).
     *
     * @param contextId the context the ticket stands for (1-64 characters of {@code [A-Za-z0-9_-]})
     * @return the signed ticket, at most {@link #MAX_LENGTH} characters
     */
    public String issue(String contextId) {
        return issue(contextId, defaultScope);
    }

    /**
     * Issues a ticket bound as {@code scope} says.
     *
     * @param contextId the context the ticket stands for (1-64 characters of {@code [A-Za-z0-9_-]})
     * @param scope     the binding (agent, tenant, single use)
     * @return the signed ticket, at most {@link #MAX_LENGTH} characters
     * @throws IllegalArgumentException when the context id is malformed, or the ticket would be longer than
     *                                  {@link #MAX_LENGTH} (a 64-character context id with a 32-character key id and
     *                                  two bindings)
     */
    public String issue(String contextId, TicketScope scope) {
        Objects.requireNonNull(scope, "scope");
        if (contextId == null || !CONTEXT_ID.matcher(contextId).matches()) {
            throw new IllegalArgumentException("context id must be 1-64 characters of [A-Za-z0-9_-], was \"" + Text.safe(contextId) + "\"");
        }
        String flags = (scope.agentId() != null ? "A" : "") + (scope.tenant() != null ? "T" : "") + (scope.singleUse() ? "S" : "");
        StringBuilder body = new StringBuilder(contextId).append('.')
                .append(Long.toString(clock.instant().plus(ttl).getEpochSecond(), 36)).append(flags).append('.').append(keys.currentId());
        if (scope.agentId() != null) {
            body.append('.').append(binding(keys.current(), "agent", scope.agentId()));
        }
        if (scope.tenant() != null) {
            body.append('.').append(binding(keys.current(), "tenant", scope.tenant()));
        }
        String ticket = body + "." + mac(keys.current(), body.toString());
        if (ticket.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a ticket for context " + contextId + " with key id " + keys.currentId() + " and this binding"
                    + " would be " + ticket.length() + " characters, more than " + MAX_LENGTH + "; use shorter ids");
        }
        return ticket;
    }

    /**
     * Checks a bearer ticket (no binding).
     *
     * @return the context id the ticket stands for
     * @param ticket the ticket as received
     * @throws TicketException when malformed, forged, signed by an unknown key, expired or bound
     */
    public String redeem(String ticket) {
        return check(ticket, null).contextId();
    }

    /**
     * Checks a ticket for a redeemer: MAC, expiry and binding. Single use is enforced by {@link TicketRedeemer}.
     *
     * @param ticket   the ticket as received (attacker-supplied; checked before anything else reads it)
     * @param redeemer nullable; who redeems (required for bound tickets)
     * @return the verified ticket: context id, expiry, scope
     * @throws TicketException naming the {@link TicketException.Reason}
     */
    public Ticket check(String ticket, @Nullable Redeemer redeemer) {
        Parsed p = verified(ticket);
        String mac = ticket.substring(p.body().length() + 1);
        String[] parts = p.parts();
        byte[] key = p.key();
        boolean agentBound = p.agentBound();
        boolean tenantBound = p.tenantBound();
        boolean singleUse = p.singleUse();
        Matcher expiryAndFlags = p.expiryAndFlags();
        String contextId = parts[0];
        long expirySeconds;
        try {
            expirySeconds = Long.parseLong(expiryAndFlags.group(1), 36);
        } catch (NumberFormatException e) {
            throw new TicketException(TicketException.Reason.MALFORMED, contextId, "ticket expiry is not a base-36 number");
        }
        Instant expiry = Instant.ofEpochSecond(expirySeconds);
        if (clock.instant().isAfter(expiry)) {
            throw new TicketException(TicketException.Reason.EXPIRED, contextId, "ticket for context " + contextId + " expired at " + expiry);
        }
        int next = 3;
        if (agentBound && (redeemer == null || !MessageDigest.isEqual(binding(key, "agent", redeemer.actor()).getBytes(StandardCharsets.US_ASCII),
                parts[next++].getBytes(StandardCharsets.UTF_8)))) {
            throw new TicketException(TicketException.Reason.WRONG_AGENT, contextId, "ticket for context " + contextId
                    + " is bound to another agent");
        }
        if (tenantBound && (redeemer == null || redeemer.tenant() == null
                || !MessageDigest.isEqual(binding(key, "tenant", redeemer.tenant()).getBytes(StandardCharsets.US_ASCII),
                parts[next].getBytes(StandardCharsets.UTF_8)))) {
            throw new TicketException(TicketException.Reason.WRONG_TENANT, contextId, "ticket for context " + contextId
                    + " is bound to another tenant");
        }
        TicketScope scope = new TicketScope(agentBound ? redeemer.actor() : null, tenantBound ? redeemer.tenant() : null, singleUse);
        return new Ticket(contextId, expiry, scope, mac);
    }

    /**
     * The ticket without its MAC: context id, expiry, scope flags, key id and binding hashes, and no credential. For a
     * shared store that must not hold bearer tickets (handoff-postgres keeps it in its chat offers): {@link #sign} on any
     * instance holding the key it names gives the same ticket back, byte for byte. Called on the thread that stores it.
     *
     * @param ticket a ticket this instance or another holding the same key issued
     * @return the ticket without its MAC
     * @throws TicketException when the ticket is not one this key set issued (malformed, unknown key, forged)
     */
    public String unsigned(String ticket) {
        return verified(ticket).body();
    }

    /**
     * Signs an {@link #unsigned} ticket again with the key it names: the ticket its issuer gave out. Binding and
     * whether it already expired are checked when it is redeemed, not here; an expiry later than a ticket issued now
     * could have (this instance's ttl, plus {@link #SIGN_AGAIN_SKEW} for clocks) is refused, so whoever can write the
     * stored text gets no longer-lived credential. Called on the thread that hands the ticket to an agent.
     *
     * @param unsigned text from {@link #unsigned}
     * @return the signed ticket, identical to the one first issued
     * @throws TicketException {@code MALFORMED} when the text is not an unsigned ticket, {@code UNKNOWN_KEY} when this
     *                         instance does not hold the key it names, {@code FORGED} when its expiry is too far ahead
     */
    public String sign(String unsigned) {
        if (unsigned == null || unsigned.length() > MAX_LENGTH) {
            throw new TicketException(TicketException.Reason.MALFORMED, null, "unsigned ticket is missing or longer than " + MAX_LENGTH + " characters");
        }
        Parsed p = parse(unsigned, unsigned, 0);
        // whoever can write the stored text must not get a longer-lived credential than an issuer gives out
        long latest = clock.instant().plus(ttl).plus(SIGN_AGAIN_SKEW).getEpochSecond();
        long expiry;
        try {
            expiry = Long.parseLong(p.expiryAndFlags().group(1), 36);
        } catch (NumberFormatException e) {
            throw new TicketException(TicketException.Reason.MALFORMED, null, "unsigned ticket expiry is not a base-36 number");
        }
        if (expiry > latest) {
            throw new TicketException(TicketException.Reason.FORGED, null, "unsigned ticket for context " + Text.safe(p.parts()[0])
                    + " expires at " + Instant.ofEpochSecond(expiry) + ", later than a ticket issued now (ttl " + ttl + ") would");
        }
        String ticket = unsigned + "." + mac(p.key(), unsigned);
        if (ticket.length() > MAX_LENGTH) {
            throw new TicketException(TicketException.Reason.MALFORMED, null, "unsigned ticket for context " + Text.safe(p.parts()[0])
                    + " would sign to more than " + MAX_LENGTH + " characters");
        }
        return ticket;
    }

    /** A ticket's body checked for shape and key; {@code macParts} is 1 when it was cut from a whole ticket (for the messages). */
    private record Parsed(String body, String[] parts, Matcher expiryAndFlags, byte[] key, boolean agentBound, boolean tenantBound,
                          boolean singleUse) {
    }

    /** A whole ticket, its shape, key and MAC checked (not its expiry or binding). */
    private Parsed verified(String ticket) {
        if (ticket == null || ticket.length() > MAX_LENGTH) {
            throw new TicketException(TicketException.Reason.MALFORMED, null, "ticket is missing or longer than " + MAX_LENGTH + " characters");
        }
        int lastDot = ticket.lastIndexOf('.');
        Parsed p = parse(lastDot < 0 ? ticket : ticket.substring(0, lastDot), ticket, 1);
        if (!MessageDigest.isEqual(mac(p.key(), p.body()).getBytes(StandardCharsets.US_ASCII),
                ticket.substring(lastDot + 1).getBytes(StandardCharsets.UTF_8))) {
            throw new TicketException(TicketException.Reason.FORGED, null, "ticket for context " + Text.safe(p.parts()[0]) + " failed verification");
        }
        return p;
    }

    private Parsed parse(String body, String quoted, int macParts) {
        String[] parts = body.split("\\.", -1);
        Matcher expiryAndFlags = parts.length >= 3 ? EXPIRY.matcher(parts[1]) : null;
        if (expiryAndFlags == null || !expiryAndFlags.matches() || !CONTEXT_ID.matcher(parts[0]).matches()) {
            throw new TicketException(TicketException.Reason.MALFORMED, null, "ticket \"" + Text.safe(quoted)
                    + "\" is malformed: expected contextId.expiry.keyId" + (macParts == 1 ? ".mac" : ""));
        }
        boolean agentBound = !expiryAndFlags.group(2).isEmpty();
        boolean tenantBound = !expiryAndFlags.group(3).isEmpty();
        boolean singleUse = !expiryAndFlags.group(4).isEmpty();
        int expected = 3 + (agentBound ? 1 : 0) + (tenantBound ? 1 : 0);
        if (parts.length != expected) {
            throw new TicketException(TicketException.Reason.MALFORMED, null, "ticket \"" + Text.safe(quoted)
                    + "\" is malformed: expected " + (expected + macParts) + " parts, found " + (parts.length + macParts));
        }
        byte[] key = keys.key(parts[2]).orElseThrow(() -> new TicketException(TicketException.Reason.UNKNOWN_KEY, null,
                "ticket signed with unknown key id \"" + Text.safe(parts[2]) + "\""));
        return new Parsed(body, parts, expiryAndFlags, key, agentBound, tenantBound, singleUse);
    }

    private static String mac(byte[] key, String body) {
        byte[] full = ContextSigner.rawHmac(key, body.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, 16));
    }

    /** A keyed 36-bit hash of who a ticket is bound to: names no one, cannot be made for another name without the key. */
    private static String binding(byte[] key, String kind, String value) {
        byte[] full = ContextSigner.rawHmac(key, ("ticket-binding\n" + kind + "\n" + value).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, 6)).substring(0, 6);
    }
}
