package dev.handoff.core.context;

import dev.handoff.api.Commitment;
import dev.handoff.api.Commitment.Strength;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.core.text.Money;
import dev.handoff.core.text.Normalizer;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.Words;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Finds the AI's promises in its own turns: discounts ("15% off", "$50 off"), refunds, account credits, callbacks
 * with a time, follow-up messages ("I'll email you the quote by Friday"), delivery dates, waived fees, free trials,
 * things added for free (installation, express shipping), escalations, booked appointments, and other promises
 * (a replacement, a repair, a reconnection).
 *
 * <p>A turn is read once by the shared normaliser and tokenizer ({@code dev.handoff.core.text}) and scanned by one
 * automaton holding the cue phrases of every kind together with the hedges, conditions and negations around them; a
 * turn without a cue (most AI turns) costs that scan and allocates nothing. Cued turns are read clause by clause on
 * their tokens ({@link PromiseReader}): a promise needs someone committing to the customer ("I've waived", "we'll
 * send", "a specialist will call you", "you're booked"); questions, policies ("Refunds are processed within 5
 * days", "exchanges aren't possible on sale items"), offers still put to the customer ("I can book Tuesday. Would
 * that work?") and negated clauses ("I can't offer a refund") are not promises, while a negation in another clause
 * does not cancel one ("I can't match that price, but I can take 8% off"). Hedged or conditional wording makes a
 * promise {@link Strength#SOFT}, anything else {@link Strength#HARD}.
 *
 * <p>Values are normalised: {@code "15%"}, {@code "$50"}, {@code "14 days"}, {@code "late payment fee"},
 * {@code "supervisor"}, and times resolved by the shared {@code dev.handoff.core.text.Dates} reader against the turn's
 * timestamp in the configured zone ({@code "tomorrow at 3pm"} said on 2026-03-03 gives {@code "2026-03-04T15:00"},
 * {@code "within the hour"} the turn time plus an hour; a calendar date beats the weekday beside it). Immutable and
 * thread-safe.
 */
public final class CommitmentDetector {

    /** The zone relative times are resolved in when none is given. */
    public static final ZoneId DEFAULT_ZONE = ZoneOffset.UTC;

    private final ZoneId zone;

    /** Resolves times in {@link #DEFAULT_ZONE}. */
    public CommitmentDetector() {
        this(DEFAULT_ZONE);
    }

    /** @param zone the zone of the business whose clock "tomorrow at 3pm" refers to */
    public CommitmentDetector(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /**
     * The promises in one turn, as pending commitments whose id is {@code "pending"} (the ledger numbers them), at
     * most one of each kind. Turns that are not the AI's, or partial, give an empty list.
     *
     * @param turn the turn to read
     * @return the commitments found, in the order made; empty when none
     */
    public List<Commitment> detect(Turn turn) {
        if (turn.speaker() != Speaker.AI || turn.partial() || turn.text().isBlank()) {
            return List.of();
        }
        String text = turn.text();
        Scratch s = Scratch.forLength(text.length());
        Normalizer.normalize(text, s);
        s.hitCount = 0;
        PromiseCues.AUTOMATON.scan(s.out, s.len, s);
        boolean cued = false;
        for (int h = 0; h < s.hitCount && !cued; h++) {
            cued = PromiseCues.isKind(PromiseCues.ROLE[s.hits[2 * h]]);
        }
        if (!cued) {
            return List.of();
        }
        Words.tokenize(s);
        Money.scan(s);
        return PromiseReader.read(s, text, turn.timestamp(), zone, turn.index());
    }
}
