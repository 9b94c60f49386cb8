package dev.handoff.core.context;

import dev.handoff.api.Commitment;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.CommitmentLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The walking-skeleton ledger: in memory, detecting percentage discounts and refunds in AI turns. Hedged
 * wording ("might", "could", "possibly") makes a promise SOFT; anything else is HARD.
 */
public final class InMemoryCommitmentLedger implements CommitmentLedger {

    private static final Pattern DISCOUNT = Pattern.compile("(\\d{1,2}(?:\\.\\d+)?)\\s?%\\s?(?:off|discount)", Pattern.CASE_INSENSITIVE);
    private static final Pattern REFUND = Pattern.compile("\\brefund\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEDGE = Pattern.compile("\\b(might|may|could|possibly|perhaps|maybe|see if)\\b", Pattern.CASE_INSENSITIVE);

    private final Map<SessionId, List<Commitment>> bySession = new ConcurrentHashMap<>();

    @Override
    public List<Commitment> observe(SessionId session, Turn turn) {
        if (turn.speaker() != Speaker.AI || turn.partial()) {
            return List.of();
        }
        String text = turn.text();
        Commitment.Strength strength = HEDGE.matcher(text).find() ? Commitment.Strength.SOFT : Commitment.Strength.HARD;
        List<Commitment> found = new ArrayList<>();
        Matcher m = DISCOUNT.matcher(text);
        while (m.find()) {
            found.add(record(session, Commitment.pending("pending", Commitment.Kind.DISCOUNT, strength, text, m.group(1) + "%", turn.index())));
        }
        if (REFUND.matcher(text).find()) {
            found.add(record(session, Commitment.pending("pending", Commitment.Kind.REFUND, strength, text, null, turn.index())));
        }
        return found;
    }

    @Override
    public Commitment record(SessionId session, Commitment commitment) {
        List<Commitment> list = bySession.computeIfAbsent(session, s -> new ArrayList<>());
        synchronized (list) {
            Commitment withId = new Commitment("c-" + (list.size() + 1), commitment.kind(), commitment.strength(), commitment.text(),
                    commitment.value(), commitment.turnIndex(), commitment.status(), commitment.correctedValue(),
                    commitment.verifiedBy(), commitment.verifiedAt());
            list.add(withId);
            return withId;
        }
    }

    @Override
    public List<Commitment> commitments(SessionId session) {
        List<Commitment> list = bySession.get(session);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    @Override
    public Commitment verify(SessionId session, String commitmentId, Verification verification) {
        List<Commitment> list = bySession.getOrDefault(session, List.of());
        synchronized (list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).id().equals(commitmentId)) {
                    Commitment updated = list.get(i).verified(verification.status(), verification.correctedValue(), verification.by(),
                            verification.at());
                    list.set(i, updated);
                    return updated;
                }
            }
        }
        throw new NonRetriableHandoffException("no commitment \"" + commitmentId + "\" in session " + session);
    }
}
