package dev.handoff.postgres;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.Priority;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.core.context.TicketException;
import dev.handoff.postgres.internal.Tenancy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The claim statement of one {@link PostgresAgentQueue} and what becomes of the rows it returns: the best waiting
 * offers claimed for up to {@value PostgresAgentQueue#CLAIM_BATCH} waiting agents in one statement, each row made the
 * {@link ClaimedOffer} its agent gets (its ticket signed here), and the offers of a claim that cannot be handed out
 * given back. An offer that an insert on this instance stored claimed ({@link OwnerOffers}) becomes its agent's the
 * same way ({@link #storedFor}). Thread-safe (no state of its own).
 */
final class QueueClaims {

    private final String name;
    private final Tenancy t;
    private final ChatQueueSql sql;
    /** What this queue's claimed offers share. */
    private final ClaimedOffer.Stores offers;
    private final Duration acceptTimeout;
    private final UnaryOperator<String> signTicket;

    /** @param signTicket gives the agent's ticket from the unsigned one an offer row keeps ({@link PostgresChatQueues#sign}) */
    QueueClaims(String name, Tenancy t, ChatQueueSql sql, ClaimedOffer.Stores offers, Duration acceptTimeout,
                UnaryOperator<String> signTicket) {
        this.name = name;
        this.t = t;
        this.sql = sql;
        this.offers = offers;
        this.acceptTimeout = acceptTimeout;
        this.signTicket = signTicket;
    }

    /** An offer as the claim statement returned it: claimed (committed) for the agent at position {@code n}. */
    private record Claimed(String offerId, String sessionId, String contextId, String unsignedTicket, String targetId,
                           String priority, long timeoutMs, int claims, String agentId, int n, String owner) {
    }

    /**
     * Claims the best waiting offers for {@code agents}, at most one each, in one statement in auto-commit; the i-th
     * offer returned is the i-th agent's (fewer offers than agents when the queue runs out). When an offer cannot be
     * handed out (its ticket cannot be signed here), every offer of the claim goes back to WAITING, as the claim had
     * never been made, and the failure is thrown.
     */
    List<ClaimedOffer> claim(List<String> agents) {
        Instant now = t.now();
        List<Claimed> rows = t.jdbc().autoCommit("claiming offers of queue " + name + " for " + agents.size() + " agent(s)", c -> {
            List<Claimed> out = new ArrayList<>(agents.size());
            try (PreparedStatement s = c.prepareStatement(sql.claim())) {
                s.setString(1, t.tenant());
                s.setString(2, name);
                s.setObject(3, Tenancy.ts(now));
                s.setInt(4, agents.size());
                s.setArray(5, c.createArrayOf("text", agents.toArray()));
                s.setObject(6, Tenancy.ts(now.plus(acceptTimeout)));
                s.setString(7, t.tenant());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Claimed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getLong(7), rs.getInt(8), rs.getString(9), rs.getInt(10), rs.getString(11)));
                    }
                }
            }
            return out;
        });
        List<ClaimedOffer> claimed = new ArrayList<>(rows.size());
        try {
            for (Claimed r : rows) {
                if (r.n() != claimed.size() + 1) {
                    throw new IllegalStateException("claim of queue " + name + " returned offer " + r.offerId() + " for position "
                            + r.n() + ", expected " + (claimed.size() + 1));
                }
                claimed.add(offered(r.offerId(), r.sessionId(), r.contextId(), ticket(r.offerId(), r.unsignedTicket()),
                        r.targetId(), r.priority(), r.timeoutMs(), r.agentId(), r.claims(), r.owner()));
            }
        } catch (RuntimeException e) {
            unclaim(rows, e);
            throw e;
        }
        for (ClaimedOffer offer : claimed) {   // committed: the owners complete their stages from these
            offer.announceClaim();
        }
        return claimed;
    }

    /**
     * The offer an insert on this instance stored claimed for {@code agentId} (claim number 1, owned here), as she
     * gets it: the same shape as a claimed row's, with the ticket this instance signed for the transfer (what signing
     * the row's unsigned ticket again would give).
     */
    ClaimedOffer storedFor(String agentId, String offerId, TransferRequest stored) {
        return offered(offerId, stored.sessionId().value(), stored.contextId(), stored.ticket(), stored.target().id(),
                stored.priority().name(), stored.timeout().toMillis(), agentId, 1, offers.instanceId());
    }

    /** The offer as its agent sees it, from what the claim (or the insert that claimed it) wrote. */
    private ClaimedOffer offered(String offerId, String sessionId, String contextId, String ticket, String targetId, String priority,
                                 long timeoutMs, String agentId, int claims, String owner) {
        Target target = new Target(targetId, Target.Kind.QUEUE, name, Set.of());
        TransferRequest request = new TransferRequest(SessionId.of(sessionId), contextId, ticket, target, TransferMode.QUEUE,
                Priority.valueOf(priority), Map.of(), Duration.ofMillis(timeoutMs));
        return new ClaimedOffer(offers, offerId, request, agentId, claims, owner);
    }

    /**
     * Puts a committed claim's offers back to WAITING (fenced on agent and claim count), announcing nothing: the
     * instance that claimed them would only claim them again. Another instance's agents find them at their next claim
     * or poll; if this write fails too, the claims run out after the accept timeout and the poll returns them.
     */
    private void unclaim(List<Claimed> rows, RuntimeException cause) {
        try {
            t.jdbc().autoCommit("returning " + rows.size() + " offer(s) of queue " + name + " that could not be handed out", c -> {
                try (PreparedStatement s = c.prepareStatement(sql.decline())) {
                    for (Claimed r : rows) {
                        s.setString(1, t.tenant());
                        s.setString(2, r.offerId());
                        s.setString(3, r.agentId());
                        s.setInt(4, r.claims());
                        s.addBatch();
                    }
                    return s.executeBatch();
                }
            });
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Signs the offer's ticket as the claim is handed out: an offer whose ticket this instance cannot sign (a key it
     * lacks) goes back to WAITING for an instance that can ({@link #unclaim}), never handed out without its ticket.
     */
    private String ticket(String offerId, String unsignedTicket) {
        try {
            return signTicket.apply(unsignedTicket);
        } catch (TicketException e) {
            throw new ConfigurationException("offer " + offerId + " of queue " + name + " cannot be handed to an agent here: " + e.getMessage()
                    + "; expected the same signing keys on every instance. The offer stays in the queue for an instance that holds them", e);
        }
    }
}
