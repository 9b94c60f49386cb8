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
     * What the CRM created for a delivery.
     *
     * @param system   the adapter's name
     * @param recordId the id of what the CRM created (note, case, ticket)
     * @param url      nullable; a link an agent can open
     */
    record CrmReceipt(String system, String recordId, @Nullable String url) {
    }
}
