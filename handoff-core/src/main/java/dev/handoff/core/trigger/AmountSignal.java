package dev.handoff.core.trigger;

import dev.handoff.api.EvidenceSpan;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.core.text.Currencies;
import dev.handoff.core.text.Money;
import dev.handoff.core.text.Scratch;
import java.util.List;

/**
 * The deal-value rule ({@code sales.amount}): the largest sum of money the customer names in a turn, converted to
 * the policy's currency, at or over {@code sales.amountThreshold}. Amounts come from the shared {@link Money}
 * reader, so a bare number is money only with a currency or a money word near it ({@code 60k miles} is not), and an
 * amount in a loss or complaint clause ("I lost $60,000 because of your outage") is a grievance, not a deal. The
 * largest deal value stated so far ({@link #statedDealUsd}) is kept with the session for per-session policy
 * selection.
 */
final class AmountSignal implements Signal {

    private final CompiledPolicy c;

    AmountSignal(CompiledPolicy c) {
        this.c = c;
    }

    /** The largest deal value (money, not in a loss clause) in the turn read into {@code s}, in US dollars; 0 when none. */
    static double statedDealUsd(Scratch s) {
        double best = 0;
        for (int k = 0; k < s.amountCount; k++) {
            if (Money.isMoney(s, k) && (s.amountFlags[k] & Money.LOSS) == 0) {
                int cur = Math.max(0, s.amountCurrency[k]);
                best = Math.max(best, s.amountValue[k] * RATES_TO_USD[cur]);
            }
        }
        return best;
    }

    private static final double[] RATES_TO_USD = Currencies.CODES.stream()
            .mapToDouble(code -> Currencies.DEFAULT_USD_RATES.get(code)).toArray();

    @Override
    public List<Fired> evaluate(TurnInput in, SessionState state, List<Fired> fired) {
        Scratch s = in.s;
        if (in.speaker != Speaker.CUSTOMER || s.amountCount == 0) {
            return fired;
        }
        double best = -1;
        int bestK = -1;
        for (int k = 0; k < s.amountCount; k++) {
            if (!Money.isMoney(s, k) || (s.amountFlags[k] & Money.LOSS) != 0) {
                continue;
            }
            int cur = s.amountCurrency[k] >= 0 ? s.amountCurrency[k] : c.policyCurrency;
            double converted = s.amountValue[k] * c.rates[cur];
            if (converted > best) {
                best = converted;
                bestK = k;
            }
        }
        TriggerPolicy.Sales sales = c.policy.sales();
        if (!sales.enabled() || bestK < 0 || best < sales.amountThreshold()) {
            return fired;
        }
        int start = s.sourceStart(s.amountFirst[bestK]);
        int end = Math.min(in.text.length(), Math.max(start, s.sourceEnd(s.amountLast[bestK])));
        String evidence = in.text.substring(start, end);
        int cur = s.amountCurrency[bestK] >= 0 ? s.amountCurrency[bestK] : c.policyCurrency;
        String own = Currencies.code(c.policyCurrency);
        String value = Fmt.num(s.amountValue[bestK]) + " " + Currencies.code(cur)
                + (cur == c.policyCurrency ? "" : " (" + Fmt.num(best) + " " + own + ")");
        return Signal.add(fired, new Fired(new Reason(TriggerKind.SALES, "sales.amount",
                "Deal value " + value + " is at or over the threshold " + Fmt.num(sales.amountThreshold()) + " " + own
                        + ": \"" + evidence + "\"", in.turn.index(), new EvidenceSpan(start, end, evidence),
                Fmt.round2(best), sales.amountThreshold()), sales.priority(), sales.routeHint(), false));
    }
}
