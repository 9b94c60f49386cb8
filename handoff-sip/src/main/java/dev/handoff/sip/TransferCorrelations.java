package dev.handoff.sip;

import dev.handoff.sip.TicketCarriage.Redemption;
import dev.handoff.sip.TicketCarriage.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The redemption path that needs no header: every transfer the bot starts is recorded here with the customer's
 * identity and, for a warm transfer, the consult call; the agent's side redeems the ticket of an INVITE that
 * arrived with every carrier stripped by the caller's identity within a time window, or by the consult call it
 * replaces (RFC 3891 {@code Replaces}) or answered.
 *
 * <pre>{@code
 * SipTransferExecutor executor = SipTransferExecutor.builder(ua).build();
 * // on the agent's side, for the INVITE that reached the agent:
 * Optional<TicketCarriage.Redemption> r = executor.correlations().redeem(invite);
 * }</pre>
 *
 * <p>Entries live for the window ({@link #DEFAULT_WINDOW}) after the transfer started and at most
 * {@link #DEFAULT_CAPACITY} are kept (the oldest go first). A caller match must be unambiguous: when two different
 * tickets were sent for the same caller within the window, nothing is redeemed by caller (the ticket could belong
 * to the other call). Thread-safe; the agent's side may call it from any thread. Holds tickets only, never context.
 */
public final class TransferCorrelations {

    /** Default time a transfer can be redeemed by correlation: 60 s from its start. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    /** Default number of transfers remembered: 10,000. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private static final Pattern URI = Pattern.compile("(sips?):(?:([^@;>?]+)@)?([^;>?:]+|\\[[^]]+])");

    private record Entry(Instant at, String caller, String consultCallId, String ticket) {
    }

    private final TicketCarriage carriage;
    private final Clock clock;
    private final Duration window;
    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();

    /**
     * @param carriage how tickets are read from headers before any correlation is tried
     * @param clock    the clock that stamps and expires entries
     * @param window   how long after a transfer started it can be redeemed; positive
     * @param capacity how many transfers are remembered; positive
     */
    public TransferCorrelations(TicketCarriage carriage, Clock clock, Duration window, int capacity) {
        this.carriage = Objects.requireNonNull(carriage, "carriage");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = SipUserAgent.Builder.positive(window, "window");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Records a transfer the bot starts. Called by {@link SipTransferExecutor} on a user-agent thread.
     *
     * @param customerUri   the customer's address on the bot's call (From of an inbound call, the dialled URI of an outbound one)
     * @param consultCallId the Call-ID of the consult call of a warm transfer, or null
     * @param ticket        the ticket sent
     */
    public void record(String customerUri, String consultCallId, String ticket) {
        Objects.requireNonNull(ticket, "ticket");
        Entry entry = new Entry(clock.instant(), identity(customerUri), consultCallId, ticket);
        synchronized (entries) {
            expire(entry.at());
            entries.addLast(entry);
            while (entries.size() > capacity) {
                entries.removeFirst();
            }
        }
    }

    /**
     * Redeems the ticket of an INVITE that reached the agent: first from the headers (see
     * {@link TicketCarriage#read}), then by the consult call named in its {@code Replaces} header or by its own
     * Call-ID (the consult call itself), then by the caller's identity (user part and host of the From URI, without
     * port or parameters) within the window. Empty when nothing matches or the caller match is ambiguous.
     */
    public Optional<Redemption> redeem(IncomingInvite invite) {
        Objects.requireNonNull(invite, "invite");
        Optional<Redemption> fromHeaders = carriage.read(invite);
        if (fromHeaders.isPresent()) {
            return fromHeaders;
        }
        String replaces = invite.header("Replaces");
        if (replaces != null) {
            Optional<String> t = byConsultCall(replaces.split(";", 2)[0].trim());
            if (t.isPresent()) {
                return t.map(ticket -> new Redemption(ticket, Source.CONSULT_CALL));
            }
        }
        return byConsultCall(invite.callId()).map(t -> new Redemption(t, Source.CONSULT_CALL))
                .or(() -> byCaller(invite.fromUri()).map(t -> new Redemption(t, Source.CALLER_CORRELATION)));
    }

    /** Like {@link #redeem(IncomingInvite)} for a call an agent-side {@link SipUserAgent} answered. */
    public Optional<Redemption> redeem(CallLeg call) {
        Objects.requireNonNull(call, "call");
        return redeem(new IncomingInvite(call.callId(), call.requestUri(),
                call.direction() == CallLeg.Direction.INBOUND ? call.remoteUri() : call.localUri(),
                call.direction() == CallLeg.Direction.INBOUND ? call.localUri() : call.remoteUri(), call.headers()));
    }

    /** The ticket of the warm transfer whose consult call has this Call-ID, within the window. */
    public Optional<String> byConsultCall(String callId) {
        if (callId == null || callId.isBlank()) {
            return Optional.empty();
        }
        synchronized (entries) {
            expire(clock.instant());
            for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (callId.equals(e.consultCallId())) {
                    return Optional.of(e.ticket());
                }
            }
        }
        return Optional.empty();
    }

    /** The ticket sent for this caller within the window, when exactly one ticket matches. */
    public Optional<String> byCaller(String callerUri) {
        String who = identity(callerUri);
        if (who == null) {
            return Optional.empty();
        }
        Set<String> tickets = new LinkedHashSet<>();
        synchronized (entries) {
            expire(clock.instant());
            for (Entry e : entries) {
                if (who.equals(e.caller())) {
                    tickets.add(e.ticket());
                }
            }
        }
        return tickets.size() == 1 ? Optional.of(tickets.iterator().next()) : Optional.empty();
    }

    private void expire(Instant now) {
        Instant oldest = now.minus(window);
        while (!entries.isEmpty() && entries.peekFirst().at().isBefore(oldest)) {
            entries.removeFirst();
        }
    }

    /** {@code user@host} (lower-case host) of a SIP URI or name-addr, or null when it has none. */
    static String identity(String uriOrAddress) {
        if (uriOrAddress == null) {
            return null;
        }
        Matcher m = URI.matcher(uriOrAddress);
        if (!m.find()) {
            return null;
        }
        String user = m.group(2);
        String host = m.group(3).toLowerCase(Locale.ROOT);
        return user == null ? host : user + "@" + host;
    }
}
