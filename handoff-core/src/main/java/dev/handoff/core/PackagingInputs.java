package dev.handoff.core;

import dev.handoff.api.CrmProfile;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.Summary;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What packaging waits for, for the {@link Orchestrator}: the observer's summary and the CRM profile. Each is a call on
 * the io executor with a timeout (within what is left of the customer's wait) and a fallback, so neither can hold a
 * handoff up: the deterministic observer when the configured one is late or fails, no profile when the CRM is.
 */
final class PackagingInputs {

    private static final Logger LOG = LoggerFactory.getLogger(PackagingInputs.class);

    private final HandoffSettings settings;
    private final Components c;
    private final HandoffExecutors x;

    PackagingInputs(HandoffSettings settings, Components c, HandoffExecutors x) {
        this.settings = settings;
        this.c = c;
        this.x = x;
    }

    /** The summary: at once from the deterministic observer, or from the configured one with its fallback. */
    CompletableFuture<Summary> summarize(HandoffRun run) {
        HandoffSession s = run.session();
        if (c.summarizer() == c.fallbackSummarizer()) {
            return CompletableFuture.completedFuture(c.fallbackSummarizer().summarize(s, run.decision()));
        }
        Duration budget = Stages.min(settings.summarizeTimeout(), run.remainingWait());
        CompletableFuture<Summary> call = Stages.blocking(x.io(),
                () -> Propagation.within(c.propagator(), s.id(), () -> c.summarizer().summarize(s, run.decision())));
        return Stages.within(call, budget, x.scheduler(), () -> null).handleAsync((summary, e) -> {
            if (summary != null) {
                return summary;
            }
            if (e == null) {
                LOG.warn("Summarizer {} exceeded {} for session {}; using the deterministic one", c.summarizer().getClass().getName(),
                        budget, s.id());
            } else {
                LOG.warn("Summarizer {} failed for session {}: {}; using the deterministic one", c.summarizer().getClass().getName(),
                        s.id(), Stages.rootMessage(e));
            }
            return c.fallbackSummarizer().summarize(s, run.decision());
        }, x.workers());
    }

    /** The customer's CRM profile, or none when there is no CRM or it is late or fails. */
    CompletableFuture<Optional<CrmProfile>> lookup(HandoffRun run) {
        CrmAdapter crm = c.crm();
        if (crm == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        SessionId id = run.session().id();
        Duration budget = Stages.min(settings.crmLookupTimeout(), run.remainingWait());
        CompletableFuture<Optional<CrmProfile>> call = Stages.blocking(x.io(),
                () -> Propagation.within(c.propagator(), id, () -> crm.lookup(run.session().customer())));
        return Stages.within(call, budget, x.scheduler(), () -> null).handle((profile, e) -> {
            if (profile != null) {
                return profile;
            }
            if (e == null) {
                LOG.warn("CRM {} lookup exceeded {} for session {}; packaging without the profile", crm.name(), budget, id);
            } else {
                LOG.warn("CRM {} lookup failed for session {}: {}; packaging without the profile", crm.name(), id, Stages.rootMessage(e));
            }
            return Optional.empty();
        });
    }
}
