package dev.handoff.examples.desktop;

import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A CRM that knows two of the sample customers (the others show the desktop without a CRM card). */
final class DemoCrm implements CrmAdapter {

    private static final Map<String, CrmProfile> PROFILES = Map.of(
            "cust-7781", new CrmProfile("hubspot", "70114", "Dana Whitfield",
                    Map.of("tier", "Enterprise prospect", "owner", "J. Ortiz", "deal stage", "Negotiation", "deal size", "$46,000"),
                    List.of(new CrmProfile.Interaction(Instant.parse("2026-02-20T10:00:00Z"), "chat", "Asked for the pricing sheet", "sent"),
                            new CrmProfile.Interaction(Instant.parse("2026-02-13T15:30:00Z"), "phone", "Discovery call, 40 seats", "qualified"))),
            "cust-2210", new CrmProfile("hubspot", "70355", "Marco Rossi", Map.of("tier", "Pro plan", "since", "2023"), List.of()));

    @Override
    public String name() {
        return "hubspot";
    }

    @Override
    public Optional<CrmProfile> lookup(CustomerData customer) {
        return Optional.ofNullable(customer.customerId() == null ? null : PROFILES.get(customer.customerId()));
    }

    @Override
    public CrmReceipt push(HandoffContext context, String idempotencyKey) {
        return new CrmReceipt("hubspot", "note-" + context.contextId(), null);
    }
}
