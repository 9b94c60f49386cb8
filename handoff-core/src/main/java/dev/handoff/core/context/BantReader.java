package dev.handoff.core.context;

import dev.handoff.api.context.SemanticLedger.Budget;

/**
 * Budget, authority and need from the customer's sentences, across the ways people say them. One instance reads
 * one conversation, sentence by sentence in order ({@link #read}); not thread-safe. Each sentence's cues are found
 * once ({@link ObserverCues}) and the sentence goes to one reader per field:
 *
 * <ul>
 *   <li><b>budget</b> ({@link BudgetReader}): an amount the customer sets aside, can spend, plans for or caps ("we've
 *       earmarked roughly sixty grand", "budget's around 600 a month", "keep fees under 1,500"); amounts in
 *       complaints, quotes, offers and deposits are not budgets. A stated absence ("no budget signed off yet") is a
 *       budget without an amount; "we can spend that" takes the assistant's last figure;</li>
 *   <li><b>authority</b> ({@link AuthorityReader}): the customer's role ("I'm the CISO"), whether they decide ("it's
 *       my call"), who else signs off ("legal has the last word", "our COO approves spend"), who decides with them
 *       ("my co-founder and I decide together"), and a family member booking for a patient ("I'm her mum");</li>
 *   <li><b>need</b> ({@link NeedReader}): the first thing the customer says they need, want, are looking for,
 *       evaluating or calling about, not a request for a person; without one, the first substantive thing they
 *       said.</li>
 * </ul>
 * The timeline is read apart, by {@link TimelineReader}.
 */
final class BantReader {

    private final BudgetReader budget = new BudgetReader();
    private final AuthorityReader authority = new AuthorityReader();
    private final NeedReader need = new NeedReader();

    /** Reads one customer sentence; {@code lastAi} is the assistant's previous turn (nullable). */
    void read(String s, int turn, String lastAi, boolean asksForPerson) {
        read(s, turn, lastAi, asksForPerson, ObserverCues.find(s));
    }

    /** As {@link #read(String, int, String, boolean)}, with the sentence's {@link ObserverCues} already found. */
    void read(String s, int turn, String lastAi, boolean asksForPerson, long cues) {
        budget.read(s, lastAi, cues);
        authority.read(s, cues);
        need.read(s, turn, asksForPerson, cues);
    }

    /** The budget the customer stated, or null. */
    Budget budget() {
        return budget.budget;
    }

    /** The authority line: role, who decides, with whom; null when nothing was said. */
    String authority() {
        return authority.authority();
    }

    /** The need, or the topic when none was said; null when neither was. */
    String needOrTopic() {
        return need.needOrTopic();
    }

    /** The need and topic as read, for the whisper's goal and opening line ({@link WhisperWriter}). */
    NeedReader need() {
        return need;
    }
}
