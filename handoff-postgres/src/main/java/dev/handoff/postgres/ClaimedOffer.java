package dev.handoff.postgres;

import dev.handoff.api.HandoffException;
import dev.handoff.api.TransferRequest;
import dev.handoff.core.chat.Offer;
import dev.handoff.postgres.internal.Background;
import dev.handoff.postgres.internal.Tenancy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

/**
 * An offer a {@link PostgresAgentQueue} claimed for one of its agents, on the agent's instance: accepted (one statement,
 * fenced on the agent and the claim count) or given back to the queue. Whatever a committed claim or accept wrote is
 * told to the offer's owner, which completes its transfer from it without reading the row. Thread-safe.
 */
final class ClaimedOffer implements Offer {

    /** What the claimed offers of one queue share: the stores, and the instance they are claimed on. */
    record Stores(Tenancy t, ChatQueueSql sql, Background bg, String instanceId) {

        /**
         * Tells the offer's owner what a committed claim or accept wrote: through the database when the owner is another
         * instance, straight to this instance's own subscribers when it is this one (nobody else acts on it). The
         * payload is what {@link OwnerOffers#fromNotification} reads.
         */
        void announce(String owner, String offerId, String state, int claims, String agentId) {
            String payload = t.tenant() + "/" + offerId + "/" + state + "/" + claims + "/" + owner + "/" + agentId;
            if (instanceId.equals(owner)) {
                bg.notifications().deliverHere(PostgresChatQueues.OFFER_CHANNEL, payload);
            } else {
                bg.notifications().publish(PostgresChatQueues.OFFER_CHANNEL, payload);
            }
        }
    }

    private final Stores s;
    private final String offerId;
    private final TransferRequest request;
    private final String agentId;
    private final int claim;
    /** The instance that stored the offer and completes its transfer. */
    private final String owner;

    ClaimedOffer(Stores stores, String offerId, TransferRequest request, String agentId, int claim, String owner) {
        this.s = stores;
        this.offerId = offerId;
        this.request = request;
        this.agentId = agentId;
        this.claim = claim;
        this.owner = owner;
    }

    String offerId() {
        return offerId;
    }

    String agentId() {
        return agentId;
    }

    @Override
    public TransferRequest request() {
        return request;
    }

    /** Once the claim has committed: its owner reports the claim. */
    void announceClaim() {
        s.announce(owner, offerId, "CLAIMED", claim, agentId);
    }

    /** @throws HandoffException when the database cannot be reached (the agent may try again) */
    @Override
    public boolean accept() {
        Instant now = s.t().now();
        // one statement in auto-commit, fenced by the claim; the owner hears of it only when it matched
        String acceptedFor = s.t().jdbc().autoCommit("accepting offer " + offerId + " for agent " + agentId, c -> {
            try (PreparedStatement p = c.prepareStatement(s.sql().accept())) {
                p.setObject(1, Tenancy.ts(now));
                p.setString(2, s.t().tenant());
                p.setString(3, offerId);
                p.setString(4, agentId);
                p.setInt(5, claim);
                p.setObject(6, Tenancy.ts(now));
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (acceptedFor == null) {
            return false;
        }
        s.announce(acceptedFor, offerId, "ACCEPTED", claim, agentId);
        return true;
    }

    @Override
    public void decline() {
        giveBack("declining");
    }

    /** Back to the queue: the agent stopped waiting as the claim came in. */
    void release() {
        giveBack("releasing");
    }

    private void giveBack(String what) {
        int n = s.t().jdbc().autoCommit(what + " offer " + offerId + " of agent " + agentId, c -> {
            try (PreparedStatement p = c.prepareStatement(s.sql().decline())) {
                p.setString(1, s.t().tenant());
                p.setString(2, offerId);
                p.setString(3, agentId);
                p.setInt(4, claim);
                return p.executeUpdate();
            }
        });
        if (n == 1) {   // back in the queue: any instance's waiting agent may claim it
            s.bg().notifications().publish(PostgresChatQueues.OFFERS_CHANNEL, s.t().tenant() + "/" + request.target().address());
        }
    }

    @Override
    public String toString() {
        return "Offer[" + offerId + " of session " + request.sessionId() + " for " + agentId + "]";
    }
}
