package dev.handoff.crm.outbox;

import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.core.store.OutboxEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link OutboxDispatcher#asCrmAdapter()}: pushes and verdicts go to the outbox; lookups ask the adapters in name order. */
final class OutboxCrmAdapter implements CrmAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final OutboxDispatcher dispatcher;
    private final Map<String, CrmAdapter> adapters;

    OutboxCrmAdapter(OutboxDispatcher dispatcher, Map<String, CrmAdapter> adapters) {
        this.dispatcher = dispatcher;
        this.adapters = adapters;
    }

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public Optional<CrmProfile> lookup(CustomerData customer) {
        for (String name : new TreeSet<>(adapters.keySet())) {
            try {
                Optional<CrmProfile> found = adapters.get(name).lookup(customer);
                if (found.isPresent()) {
                    return found;
                }
            } catch (RuntimeException e) {
                LOG.warn("CRM {} lookup failed: {}; trying the next adapter", name, e.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public CrmReceipt push(HandoffContext context, String idempotencyKey) {
        return receipt(dispatcher.submit(context));
    }

    @Override
    public CrmReceipt pushVerdict(HandoffContext context, String commitmentId, String idempotencyKey) {
        return receipt(dispatcher.submitVerdict(context, commitmentId));
    }

    private static CrmReceipt receipt(List<OutboxEntry> entries) {
        return new CrmReceipt("outbox", entries.stream().map(OutboxEntry::id).collect(Collectors.joining(",")), null);
    }
}
