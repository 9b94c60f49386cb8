package dev.handoff.core.context;

import static dev.handoff.core.context.Sentences.trim;

import dev.handoff.core.context.ObserverCues.Cue;
import dev.handoff.core.text.Alternation;
import dev.handoff.api.context.SemanticLedger.Budget;
import dev.handoff.core.text.Money;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The budget from the customer's sentences, for {@link BantReader}: an amount the customer sets aside, can spend,
 * plans for or caps ("we've earmarked roughly sixty grand", "north of a million over the term", "budget's around 600 a
 * month", "keep fees under 1,500", "somewhere between 20 and 25 thousand"), read by the shared amount reader; amounts
 * in complaints, quotes, offers and deposits are not budgets, nor are counts ("40 trucks") or thresholds ("approves any
 * spend over ten thousand"). An answer to the assistant's "what budget ...?" or "how much are you looking to spend?"
 * is read as a budget when it is an amount of money or an amount per period ("roughly 120k a year"); "no more than"
 * is a cap, not a threshold. A stated absence ("no budget signed off yet", "the budget isn't approved yet", "we can't
 * afford a big retainer") is a budget without an amount; "we can spend that" takes the assistant's last figure. A
 * later amount replaces an earlier one; an amount is never replaced by an absence. One instance reads one
 * conversation, sentence by sentence in order ({@link #read}); not thread-safe.
 */
final class BudgetReader {

    private static final int F = Pattern.CASE_INSENSITIVE;

    static final Pattern BUDGET_CUE = Pattern.compile("\\b(" + Alternation.byFirstLetter("budget\\w*|earmark\\w*|set aside|put aside|allocat\\w*|afford|spend|spending"
            + "|planned|planning (?:on spending|to spend)|thinking (?:about|of|more like|something like|like|closer to|around|in the region of)|hoping for|looking to (?:spend|pay)"
            + "|willing to (?:spend|pay)|can pay|pay up to|up to|stretch to|go as high as|top out at|capped|ceiling|at most|maximum|no more than|keep (?:it |fees |costs |the cost )?"
            + "(?:under|below)|stay (?:close to|under|below)|within (?:the |our )?range|is typical|contract would be|deal (?:size|value|is|would be)"
            + "|over the term|would be ideal|something (?:around|like|closer to)|money is tight|in mind|for (?:this|that|it|software|legal|the project"
            + "|year one|the first year|the year)|have (?:about|around|roughly|maybe|only)|we'?ve got|been given"
            // a cap said as what the buyer will not pass: "I'd rather not go over a hundred a month", "anything under $500 works"
            + "|go over|going over|(?:anything|something|whatever) (?:under|below)"
            // "I'd want to be paying under 20,000", not "we're paying under 500 now"
            + "|to (?:be paying|pay) (?:under|below|less than|no more than)") + ")\\b", F);
    private static final Pattern NOT_A_BUDGET = Pattern.compile("\\b(" + Alternation.byFirstLetter("charged|billed|bill|invoice|paid|owe|owed|lost|losing|stole|stolen|"
            + "refund|deposit|quote[ds]?|quoted|offered|offer|worth|costs? us|suing|sue|sued|fee|fees|fine|want \\$|they want|took|took a|"
            + "went up|doubled|overcharg\\w*|scam\\w*|out of|charges|competitors?|revenue|turnover|profits?|salary|salaries|raised") + ")\\b", F);
    private static final Pattern STRONG_CUE = Pattern.compile("\\b(" + Alternation.byFirstLetter("budget\\w*|earmark\\w*|set aside|put aside|allocat\\w*|afford|spend"
            + "|planned|ceiling|capped|keep (?:it |fees |costs )?(?:under|below)|stay (?:close to|under|below)") + ")\\b", F);
    /** A bare number followed by what it counts ("40 trucks"), not by a period or a money word. */
    private static final Pattern COUNTED = Pattern.compile("^\\s+(?!(?:a|an|per|each|every|for|over|in|to|and|or|dollars|bucks|usd|eur|gbp"
            + "|euros|pounds|quid|grand|total|overall|all|annually|monthly|yearly|weekly|quarterly|upfront|up|including|plus|is|was|would"
            + "|will|max|maximum|at|tops|or|ish|we|i|you|it|that|this|if|but|so|because|which|though|right|now|then|next|last|only"
            + "|just|on|the|our|my|with|from|before|after|by|until|since|when|give|take|so)\\b)[a-z]{3,}", Pattern.CASE_INSENSITIVE);
    /** "approves any spend over ten thousand": a threshold, not a budget. */
    /** "anything over 500 is too much": a threshold, not the budget; "I'd rather not go over 2,000" is the budget's cap. */
    private static final Pattern THRESHOLD = Pattern.compile("\\b(?:(?<!(?:\\bnot|n't|\\bnever) go )over|above|anything over|anything above"
            + "|(?<!no )more than|exceeding)\\s*$", F);
    /** The assistant asked what the customer can spend: an amount of money in the answer is the budget. */
    private static final Pattern BUDGET_ASKED = Pattern.compile("\\bwhat(?:'s| is| was)?(?: (?:your|the|a|kind of|sort of))* budget\\b"
            + "|\\bbudget (?:range|figure|do you have|have you (?:got|set))\\b|\\bprice range\\b"
            + "|\\bhow much (?:are|were|would|do|could|can) (?:you|your team) (?:\\w+ )?(?:to )?(?:spend|invest|pay|put)\\b", F);
    /** "Zendesk quoted us 1,400 a month and that's about the ceiling for us". */
    private static final Pattern CEILING = Pattern.compile("\\bthat'?s (?:about |roughly |pretty much )?(?:the|our|my) (?:ceiling|limit|max|maximum)\\b", F);
    static final Pattern ABSENT = Pattern.compile("\\bno budget\\b[^.?!]*|\\b(?:basically |practically |next to )?zero budget\\b[^.?!]*"
            + "|\\b(?:don'?t|do not) have (?:a|any) (?:fixed |set )?budget\\b[^.?!]*"
            + "|\\bbudget(?:'s| is| has)? (?:isn'?t|is not|not|hasn'?t been|has not been|not yet) (?:been )?(?:approved|signed off|set|agreed"
            + "|finali[sz]ed)(?: yet)?|\\bno (?:fixed|set) budget\\b|\\bcan'?t afford (?:a big|a|the|much|anything|an)\\b[^.?!,]*"
            + "|\\b(?:money|cost) isn'?t the (?:issue|problem)\\b[^.?!]*|\\bpay (?:what|whatever) it takes\\b"
            + "|\\b(?:nothing|none of it)(?:'s| has| is)? (?:been )?budgeted(?: yet| for (?:it|this))?|\\b(?:we|i) (?:haven'?t|have not) budgeted"
            + "(?: (?:for )?(?:it|this|anything))?(?: yet)?", F);
    private static final Pattern FEW = Pattern.compile("\\b(?:maybe |about |around )?(?:a )?few (?:hundred|thousand)(?: dollars| pounds| euros| bucks)?", F);
    static final Pattern ACCEPT_FIGURE = Pattern.compile("\\b(?:we|i) can (?:spend|afford|do|pay) that\\b|\\bthat'?s (?:within|in) (?:our |my )?"
            + "(?:budget|range)\\b|\\bthat fits (?:our|my) budget\\b", F);
    private static final Pattern QUALIFIER = Pattern.compile("(?:around|about|roughly|approximately|approx\\.?|up to|under|below|less than|no more"
            + " than|at most|maximum of|max|~|maybe|say|north of|somewhere between|between|close to|closer to|something like|like|only)\\s*$", F);
    private static final Pattern PERIOD = Pattern.compile("^(?:\\s?(?:a|per|/|each)\\s?(?:year|yr|month|mo|seat|user|agent|license|head|device)\\b"
            + "(?:\\s+per\\s+(?:year|month))?|\\s(?:annually|monthly|yearly|all in|in total|total)\\b|\\s(?:for (?:the first year|year one))"
            + "|\\s(?:over the term))", F);

    /** A clause that is only a qualified amount: "around 300 a month", "roughly 40k". */
    private static final Pattern APPOSITION = Pattern.compile("\\s*(?:around|about|roughly|approximately|maybe|say|up to|at most)\\s+"
            + "\\S+(?:\\s+\\S+){0,3}?[.!]?\\s*", F);
    private static final Pattern DIGIT = Pattern.compile("\\d");
    private static final Pattern DOLLAR_WORD = Pattern.compile("\\b(dollars|bucks)\\b", F);

    Budget budget;
    private boolean budgetHasAmount;

    /** Reads one customer sentence; {@code lastAi} is the assistant's previous turn (nullable). */
    void read(String s, String lastAi, long cues) {
        boolean cued = Cue.BUDGET_CUE.in(cues) && BUDGET_CUE.matcher(s).find();
        boolean asked = lastAi != null && lastAi.indexOf('?') >= 0 && BUDGET_ASKED.matcher(lastAi).find();
        if (cued || asked || DIGIT.matcher(s).find()) {
            Budget found = amount(s, cued, asked);
            if (found != null) {
                budget = found;
                budgetHasAmount = true;
                return;
            }
        }
        if (budgetHasAmount) {
            return;
        }
        Matcher few = FEW.matcher(s);
        if (cued && few.find()) {
            budget = new Budget(null, null, trim(s.substring(Math.max(0, few.start()), few.end())));
            return;
        }
        if (lastAi != null && Cue.ACCEPT_FIGURE.in(cues) && ACCEPT_FIGURE.matcher(s).find()) {
            List<Money.Amount> said = Money.find(lastAi);
            if (!said.isEmpty()) {
                Money.Amount a = said.get(said.size() - 1);
                budget = new Budget(plain(a.value()), a.currency(), a.text() + " (the assistant's figure, accepted)");
                budgetHasAmount = true;
                return;
            }
        }
        Matcher absent = ABSENT.matcher(s);
        if (budget == null && Cue.ABSENT.in(cues) && absent.find() && !s.toLowerCase(Locale.ROOT).contains("know the budget")) {
            budget = new Budget(null, null, trim(absent.group()));
        }
    }

    /**
     * The budget amount of a sentence, or null; {@code asked} when the sentence answers the assistant's question about
     * a budget, so an amount of money or an amount per period ("roughly 120k a year") is the answer.
     */
    private Budget amount(String s, boolean cued, boolean asked) {
        List<Money.Amount> numbers = Money.numbers(s);
        for (int i = 0; i < numbers.size(); i++) {
            final Money.Amount said = numbers.get(i);
            Money.Amount a = said;
            String clause = clauseAround(s, a.start(), a.end());
            int offset = s.indexOf(clause);
            boolean money = a.currency() != null || Money.find(clause).stream().anyMatch(m -> m.start() + offset == said.start());
            boolean clauseCue = BUDGET_CUE.matcher(clause).find()
                    || asked && (money || PERIOD.matcher(s.substring(a.end())).lookingAt() || rangeTo(s, numbers, i))
                    // "within what we set aside, around 300 a month": the amount in apposition to the cue
                    || cued && APPOSITION.matcher(clause).matches() && STRONG_CUE.matcher(s.substring(0, a.start())).find();
            if (THRESHOLD.matcher(s.substring(0, a.start())).find()) {
                continue;
            }
            boolean complaint = NOT_A_BUDGET.matcher(clause).find() && !STRONG_CUE.matcher(clause).find()
                    && !CEILING.matcher(s).find();
            if (complaint || !(clauseCue || cued && money && (STRONG_CUE.matcher(s).find() || CEILING.matcher(s).find())
                    || cued && clauseCue)) {
                if (!(clauseCue && a.currency() == null && a.value() >= 10) || complaint) {
                    continue;
                }
            }
            if (a.value() < 1 || (a.currency() == null && a.value() < 10 && !DOLLAR_WORD.matcher(clause).find())) {
                continue;
            }
            if (a.currency() == null && COUNTED.matcher(s.substring(a.end())).lookingAt()) {
                continue; // "40 trucks", "200 seats": a count
            }
            double value = a.value();
            int from = a.start();
            int to = a.end();
            // "between 20 and 25 thousand": the upper end, with its scale
            if (i + 1 < numbers.size()) {
                Money.Amount next = numbers.get(i + 1);
                if (joined(s, a, next) && next.value() > value) {
                    value = next.value();
                    to = next.end();
                    a = new Money.Amount(next.value(), next.currency() != null ? next.currency() : a.currency(), a.start(), next.end(),
                            s.substring(a.start(), next.end()), false);
                }
            }
            // "between 20 and 25 thousand": the scale of the second applies to the first; the budget is the top
            if (i > 0) {
                Money.Amount prev = numbers.get(i - 1);
                if (joined(s, prev, a) && prev.value() < value) {
                    from = prev.start();
                }
            }
            Matcher q = QUALIFIER.matcher(s.substring(0, from));
            if (q.find()) {
                from = q.start();
            }
            Matcher per = PERIOD.matcher(s.substring(to));
            if (per.lookingAt()) {
                to = to + per.end();
            }
            String currency = a.currency();
            if (currency == null && DOLLAR_WORD.matcher(clause).find()) {
                currency = "USD";
            }
            return new Budget(plain(value), currency, trim(s.substring(from, to)));
        }
        return null;
    }

    /** True when amount {@code i} opens a range ("between 30 and 50 thousand") whose upper end is money. */
    private static boolean rangeTo(String s, List<Money.Amount> numbers, int i) {
        return i + 1 < numbers.size() && joined(s, numbers.get(i), numbers.get(i + 1)) && numbers.get(i + 1).value() >= 1000;
    }

    /** True when only "and", "to" or "-" stands between two amounts ("20 to 25 thousand"). */
    private static boolean joined(String s, Money.Amount first, Money.Amount second) {
        String between = s.substring(first.end(), second.start()).strip().toLowerCase(Locale.ROOT);
        return between.equals("and") || between.equals("to") || between.equals("-");
    }

    private static String clauseAround(String s, int start, int end) {
        int a = start;
        while (a > 0 && ",;".indexOf(s.charAt(a - 1)) < 0 && !s.startsWith(" but ", a - 1) && !s.startsWith(" and ", a - 1)) {
            a--;
        }
        int b = end;
        while (b < s.length() && ",;".indexOf(s.charAt(b)) < 0 && !s.startsWith(" but ", b) && !s.startsWith(" and ", b)) {
            b++;
        }
        return s.substring(a, b);
    }

    static BigDecimal plain(double value) {
        BigDecimal v = BigDecimal.valueOf(value).stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0) : v;
    }
}
