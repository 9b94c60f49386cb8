package dev.handoff.core;

import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.core.context.Envelope;
import dev.handoff.core.store.OutboxEntry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Handoff sends the CRM, on the io executor, never awaited: the packaged context once per handoff, and each
 * human verdict on a commitment ({@link CrmAdapter#pushVerdict}) with the context's commitments as the ledger holds
 * them then. Both go through the destination copy (redacted and sized for the CRM). With the durable outbox
 * ({@code OutboxDispatcher.asCrmAdapter()}) each becomes an outbox entry under its own idempotency key, so a CRM
 * outage loses nothing and a repeated verdict is written once; without it a failure is logged.
 */
final class CrmPush {

    private static final Logger LOG = LoggerFactory.getLogger(CrmPush.class);

    private final Orchestrator o;

    CrmPush(Orchestrator o) {
        this.o = o;
    }

    /** The handoff's context, once it is packaged. */
    void context(SessionId session, HandoffContext context) {
        send(session, context, "push", (crm, copy) -> crm.push(copy, "handoff-" + context.contextId()));
    }

    /**
     * A human's verdict on one commitment of the handoff that packaged {@code contextId}: the stored context, its
     * commitments replaced by the ledger's, signed again, to {@link CrmAdapter#pushVerdict} under
     * {@link OutboxEntry#verdictKey}. A context the store no longer has is logged and skipped.
     */
    void verdict(SessionId session, String contextId, Commitment verdict) {
        CrmAdapter crm = o.c.crm();
        if (crm == null || contextId == null) {
            return;
        }
        Optional<HandoffContext> stored;
        try {
            stored = o.c.store().get(contextId);
        } catch (RuntimeException e) {
            LOG.warn("CRM {} gets no verdict on commitment {} of context {}: the context store failed ({})", crm.name(), verdict.id(),
                    contextId, Stages.rootMessage(e));
            return;
        }
        if (stored.isEmpty()) {
            LOG.warn("CRM {} gets no verdict on commitment {}: context {} is no longer stored", crm.name(), verdict.id(), contextId);
            return;
        }
        HandoffContext c = stored.get();
        List<Commitment> now = o.c.ledger().commitments(session);
        HandoffContext updated = o.c.signer().sign(new HandoffContext(c.schema(), c.contextId(), c.sessionId(), c.channel(), c.createdAt(),
                c.transcript(), c.inFlight(), c.customer(), c.crmProfile(), c.metadata(), c.semanticLedger(), c.sentiment(), now,
                c.whisper(), c.tone(), c.compliance(), null, c.extensions()));
        String key = OutboxEntry.verdictKey("handoff-" + contextId, verdict);
        send(session, updated, "verdict " + verdict.id() + ":" + verdict.status(), (adapter, copy) -> adapter.pushVerdict(copy, verdict.id(), key));
    }

    private interface Call {
        void to(CrmAdapter crm, HandoffContext copy);
    }

    /** On the io executor, with the handoff's trace context current around the CRM call ({@link Propagation}). */
    private void send(SessionId session, HandoffContext context, String what, Call call) {
        CrmAdapter crm = o.c.crm();
        if (crm == null) {
            return;
        }
        try {
            o.x.io().execute(() -> {
                try {
                    Envelope envelope = o.c.destinations().forDestination(context, o.settings.crmLimits());
                    if (envelope.context() == null) {
                        LOG.warn("CRM {} gets no copy of context {} ({}): {} (the ticket redeems it)", crm.name(), context.contextId(), what,
                                envelope.note());
                        return;
                    }
                    if (envelope.form() != Envelope.Form.FULL) {
                        LOG.info("CRM {} gets a {} of context {} ({}): {}", crm.name(), envelope.form(), context.contextId(), what,
                                envelope.note());
                    }
                    Propagation.within(o.c.propagator(), session, () -> {
                        call.to(crm, envelope.context());
                        return null;
                    });
                } catch (RuntimeException e) {
                    LOG.warn("CRM {} {} of context {} failed: {} (use the durable outbox in handoff-crm-adapters to retry)",
                            crm.name(), what, context.contextId(), Stages.rootMessage(e));
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("CRM {} {} of context {} refused: the io executor is full (use the durable outbox to retry)", crm.name(), what,
                    context.contextId());
        }
    }
}
