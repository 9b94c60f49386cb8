package dev.handoff.core.context;

import dev.handoff.api.Turn;
import dev.handoff.api.context.ComplianceInfo;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Shapes the full context for one destination: redacts it when the destination is not cleared for protected data,
 * fits it into the destination's size limit without ever truncating silently, signs the result and attaches the
 * ticket for the full document.
 *
 * <p>The full context always goes to the {@code ContextStore} unchanged; this class makes per-destination copies.
 * When the redacted document is too large, the transcript is cut to the most recent turns that fit (the turn that
 * triggered the handoff, the latest one a trigger reason cites, and any in-flight turn always stay) and the copy carries a {@code transcriptPaging}
 * extension: {@code {"totalTurns":300,"sentFromIndex":288,"omittedTurns":288,"pageSize":50,"pages":6,"ticket":"..."}};
 * the destination pages the rest with {@link TranscriptPage#of} after redeeming the ticket. When even the latest turn
 * does not fit, the envelope is {@link Envelope.Form#TICKET_ONLY}.
 *
 * <p>Thread-safe. Called on Handoff's worker threads (CRM outbox, desktop push).
 */
public final class DestinationPackager {

    /** The extension key of the paging block in a summary. */
    public static final String PAGING_EXTENSION = "transcriptPaging";

    private final ContextSigner signer;
    private final Tickets tickets;
    private final ComplianceProfile profile;
    private final ContextJson json = ContextJson.get();

    /**
     * A packager that signs each copy, issues the ticket for the full context, and redacts copies for destinations
     * not cleared for protected data.
     *
     * @param signer  signs the copy sent
     * @param tickets issues the ticket that redeems the full context
     * @param profile what is redacted from copies for non-PHI destinations
     */
    public DestinationPackager(ContextSigner signer, Tickets tickets, ComplianceProfile profile) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.tickets = Objects.requireNonNull(tickets, "tickets");
        this.profile = Objects.requireNonNull(profile, "profile");
    }

    /**
     * The envelope for one destination.
     *
     * @param full   the full (stored) context, signed or not
     * @param limits what the destination takes
     * @return the envelope: the whole context, a paged one, or the ticket only
     */
    public Envelope forDestination(HandoffContext full, DestinationLimits limits) {
        Objects.requireNonNull(full, "full");
        Objects.requireNonNull(limits, "limits");
        String ticket = tickets.issue(full.contextId());
        HandoffContext shaped = limits.phiAllowed() ? full.withIntegrity(null) : profile.redactor().redact(full.withIntegrity(null), profile.name());
        if (limits.phiAllowed() && !full.compliance().profile().equals(profile.name())) {
            shaped = withCompliance(shaped, new ComplianceInfo(profile.name(), full.compliance().phi(), full.compliance().redactions()));
        }
        int total = shaped.transcript().size();
        HandoffContext signed = signer.sign(shaped);
        int size = json.write(signed).length;
        if (size <= limits.maxBytes()) {
            return new Envelope(Envelope.Form.FULL, limits.destination(), full.contextId(), ticket, signed, size, total, total,
                    "all " + total + " turns included");
        }
        int minFrom = minimumFrom(shaped);
        // binary search the earliest start index whose summary fits
        int lo = 0;
        int hi = minFrom;
        HandoffContext best = null;
        int bestSize = 0;
        int bestFrom = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            HandoffContext candidate = signer.sign(summary(shaped, mid, ticket, limits.pageSize()));
            int s = json.write(candidate).length;
            if (s <= limits.maxBytes()) {
                best = candidate;
                bestSize = s;
                bestFrom = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        if (best == null) {
            return new Envelope(Envelope.Form.TICKET_ONLY, limits.destination(), full.contextId(), ticket, null, 0, total, 0,
                    "the summary does not fit in " + limits.maxBytes() + " bytes; redeem the ticket for the context");
        }
        int sent = total - bestFrom;
        return new Envelope(Envelope.Form.SUMMARY, limits.destination(), full.contextId(), ticket, best, bestSize, total, sent,
                sent + " of " + total + " turns included; page the other " + bestFrom + " with the ticket");
    }

    /**
     * The transcript position the summary must at least include from: the turn that triggered the handoff (the
     * latest turn a trigger reason cites), never past the last turn.
     */
    private static int minimumFrom(HandoffContext c) {
        int last = c.transcript().size() - 1;
        int trigger = -1;
        for (var r : c.metadata().triggerReasons()) {
            if (r.turnIndex() != null) {
                trigger = Math.max(trigger, r.turnIndex());
            }
        }
        if (trigger < 0) {
            return last;
        }
        for (int i = last; i >= 0; i--) {
            if (c.transcript().get(i).index() <= trigger) {
                return i;
            }
        }
        return 0;
    }

    private static HandoffContext summary(HandoffContext c, int from, String ticket, int pageSize) {
        List<Turn> kept = c.transcript().subList(from, c.transcript().size());
        Map<String, Object> paging = new LinkedHashMap<>();
        paging.put("totalTurns", c.transcript().size());
        paging.put("sentFromIndex", c.transcript().get(from).index());
        paging.put("omittedTurns", from);
        paging.put("pageSize", pageSize);
        paging.put("pages", (c.transcript().size() + pageSize - 1) / pageSize);
        paging.put("ticket", ticket);
        Map<String, Object> ext = new LinkedHashMap<>(c.extensions());
        ext.put(PAGING_EXTENSION, paging);
        return new HandoffContext(c.schema(), c.contextId(), c.sessionId(), c.channel(), c.createdAt(), kept, c.inFlight(), c.customer(),
                c.crmProfile(), c.metadata(), c.semanticLedger(), c.sentiment(), c.commitments(), c.whisper(), c.tone(), c.compliance(),
                null, ext);
    }

    private static HandoffContext withCompliance(HandoffContext c, ComplianceInfo compliance) {
        return new HandoffContext(c.schema(), c.contextId(), c.sessionId(), c.channel(), c.createdAt(), c.transcript(), c.inFlight(),
                c.customer(), c.crmProfile(), c.metadata(), c.semanticLedger(), c.sentiment(), c.commitments(), c.whisper(), c.tone(),
                compliance, null, c.extensions());
    }
}
