package dev.handoff.spring;

import dev.handoff.core.Handoff;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which stores the starter set up for the {@link Handoff} (files, PostgreSQL, or none: memory), for the Handoff bean
 * and the health indicator. A bean; an application that wires its own stores can ignore it.
 */
public final class HandoffStores {

    /** One kind of store the starter set up. */
    public interface Source {

        /** {@code FILE} or {@code POSTGRES}. */
        HandoffStoreProperties.StoreType type();

        /** Sets what the builder does not pick up as beans (PostgreSQL's context store, ledger and audit sink). */
        void applyTo(Handoff.Builder builder);

        /**
         * Checks, now, that the stores can be used (called by the health indicator on its thread).
         *
         * @return details for the health endpoint: ids, paths, counts, versions (never data)
         * @throws RuntimeException when they cannot be used
         */
        Map<String, Object> check();
    }

    private final Source source;

    HandoffStores(List<Source> sources) {
        if (sources.size() > 1) {
            throw new IllegalStateException("two Handoff store sources: " + sources.stream().map(Source::type).toList());
        }
        this.source = sources.isEmpty() ? null : sources.get(0);
    }

    /** The stores in use; empty when Handoff keeps its state in memory (or in the application's own store beans). */
    public Optional<Source> source() {
        return Optional.ofNullable(source);
    }

    /** The kind of store in use. */
    public HandoffStoreProperties.StoreType type() {
        return source == null ? HandoffStoreProperties.StoreType.MEMORY : source.type();
    }

    void applyTo(Handoff.Builder builder, HandoffStoreProperties.StoreType configured) {
        if (configured == HandoffStoreProperties.StoreType.POSTGRES && type() != HandoffStoreProperties.StoreType.POSTGRES) {
            boolean module = HandoffStoreConfigurations.postgresPresent();
            throw new HandoffPropertyException("handoff.store.type", "postgres", "handoff-postgres on the class path and a DataSource bean"
                    + (module ? " (handoff-postgres is there; no DataSource bean was found)" : " (handoff-postgres is not on the class path)"));
        }
        if (source != null) {
            source.applyTo(builder);
        }
    }
}
