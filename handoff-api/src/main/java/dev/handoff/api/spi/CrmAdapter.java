package dev.handoff.api.spi;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.context.HandoffContext;
import java.util.Optional;

/**
 * Connects one CRM: looks up the customer and receives the handoff context with the AI's commitments.
 *
 * <p>Both methods are blocking and are called on Handoff's own worker threads, never on the bot's or the
 * call's thread. {@link #push} is called from the durable outbox and may be repeated for the same context
 * after a failure or a restart: implementations use the idempotency key so a repeat does not create a
 * duplicate. Throw {@link dev.handoff.api.RetriableHandoffException} for outages, timeouts, 429/5xx and
 * {@link dev.handoff.api.NonRetriableHandoffException} for refusals that retrying cannot fix.
 */
public interface CrmAdapter {

    /**
     * A short stable name; used in logs, metrics and the outbox.
     *
     * @return the name ({@code "hubspot"})
     */
    String name();

    /**
     * Looks the customer up by the ids the bot collected. Called before packaging, with a time limit set on the
     * builder: a lookup that takes longer is packaged without a profile.
     *
     * @param customer what the bot knows (customer id, account ids, fields)
     * @return the CRM's profile with previous interactions, or empty when not found
     * @throws dev.handoff.api.RetriableHandoffException    on an outage, a timeout, 429 or 5xx
     * @throws dev.handoff.api.NonRetriableHandoffException when the CRM refuses the request
     */
    Optional<CrmProfile> lookup(CustomerData customer);

    /**
     * Delivers the context: a note or case with the summary and transcript, plus each commitment as its own
     * object to verify.
     *
     * @param context        the signed context
     * @param idempotencyKey the same for every retry of this delivery
     * @return the CRM's receipt
     * @throws dev.handoff.api.RetriableHandoffException    on an outage, a timeout, 429 or 5xx (the outbox retries)
     * @throws dev.handoff.api.NonRetriableHandoffException when the CRM refuses the delivery (the outbox gives up)
     */
    CrmReceipt push(HandoffContext context, String idempotencyKey);

    /**
     * Writes a human's verdict on one commitment back to the CRM (confirmed, corrected or revoked). {@code context} is
     * the handoff's context with its commitments as the ledger holds them now, so the commitment with
     * {@code commitmentId} carries the verdict. Called like {@link #push} (from the durable outbox, possibly repeated);
     * the key is the same for every retry of this verdict and differs between verdicts.
     *
     * <p>The default pushes the context again under the verdict's key, which suits a CRM that files each delivery as an
     * update of the same case; an adapter whose CRM keeps commitments as objects updates the one named instead.
     *
     * @param context        the handoff's context, its commitments as the ledger holds them now
     * @param commitmentId   the commitment the verdict is about
     * @param idempotencyKey the same for every retry of this verdict, different between verdicts
     * @return the CRM's receipt
     */
    default CrmReceipt pushVerdict(HandoffContext context, String commitmentId, String idempotencyKey) {
        return push(context, idempotencyKey);
    }

    /**
     * What the CRM created for a delivery.
     *
     * @param system   the adapter's name
     * @param recordId the id of what the CRM created (note, case, ticket)
     * @param url      nullable; a link an agent can open
     */
    record CrmReceipt(String system, String recordId, @Nullable String url) {
    }
}
