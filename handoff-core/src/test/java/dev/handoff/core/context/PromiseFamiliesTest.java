package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The families of promise a support or sales bot makes, and the wording that only sounds like one (issue 18): each
 * row is one AI turn said on Monday 2026-03-02 at 09:00 UTC and the promises a careful reader would flag.
 */
class PromiseFamiliesTest {

    private static final Instant MONDAY = Instant.parse("2026-03-02T09:00:00Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // a negation in another clause does not cancel a promise
            "I can't match that price, but I can take 8% off the first year.                      | DISCOUNT HARD 8%",
            "I can't bring back the promotional rate, but I can apply a $10 monthly credit.          | CREDIT HARD $10",
            "I can't issue the refund myself, but a billing specialist will call you back within 2 hours to sort it out. | CALLBACK HARD 2026-03-02T11:00",
            // policies and questions are not promises
            "Exchanges aren't possible on sale items, per our returns policy.                       | ''",
            "Discounts are sometimes available for multi-year terms.                               | ''",
            "Annual plans can be refunded within 14 days of purchase.                              | ''",
            "We currently offer 10% off for patients who pay in full upfront.                       | ''",
            "Yes, accredited schools get 40% off the standard price.                                | ''",
            "Purchases of digital credits are usually non-refundable.                               | ''",
            "Would you like a refund or store credit?                                               | ''",
            "I can't offer a discount on the Pro plan.                                              | ''",
            "I'm not able to send a router today, sorry.                                            | ''",
            "I can book a consultation with Mr. Ruiz next week. Would Tuesday at 5pm work?          | ''",
            "Make sure your phone's time is set automatically.                                      | ''",
            // promises in the past tense of action
            "I've credited $20 to your account for the outage.                                      | CREDIT HARD $20",
            "I've waived the $25 late fee and it will be reversed on your next statement.           | FEE_WAIVER HARD late fee",
            "I've booked you for Thursday, March 12th at 2pm.                                       | APPOINTMENT HARD 2026-03-12T14:00",
            "I've refunded the two duplicate charges of $89.00 each.                                | REFUND HARD $89",
            "Booked for Thursday at 3pm.                                                            | APPOINTMENT HARD 2026-03-05T15:00",
            // free add-ons, follow-ups, escalations
            "I've added free installation at all eight locations to your quote.                     | FREE_ADD_ON HARD installation",
            "I might be able to include onboarding at no charge if you sign this month.             | FREE_ADD_ON SOFT onboarding",
            "I'll email you the full pricing sheet by Friday.                                       | FOLLOW_UP HARD 2026-03-06",
            "I'll email you a confirmation within the hour.                                         | FOLLOW_UP HARD 2026-03-02T10:00",
            "I've escalated this to the sales manager.                                              | ESCALATION HARD sales manager",
            "I'm connecting you with our breach response partner now.                               | ESCALATION HARD breach response partner",
            // hedged and conditional promises are soft
            "If you commit to a year, we typically discount about 10%.                              | DISCOUNT SOFT 10%",
            "You may be eligible for a full refund once the fraud team confirms it.                 | REFUND SOFT null",
            "Her SIM will be posted today and should arrive by Thursday.                            | DELIVERY_DATE SOFT 2026-03-05",
            "I've extended your free trial by 14 days so you have time to decide.                   | FREE_TRIAL HARD 14 days",
            // a probe of 20 assistant sentences, 2026-12-04 23:20 UTC: missed, then read
            "I've gone ahead and refunded the $40 shipping charge.                                  | REFUND HARD $40",
            "I went ahead and refunded the $40.                                                     | REFUND HARD $40",
            "We credited your account with $20.                                                     | CREDIT HARD $20",
            "Someone from our billing team will reach out by Thursday.                              | CALLBACK HARD 2026-03-05",
            "We'll cover the cost of the repair.                                                    | OTHER HARD cover the cost",
            // ... and read as promises, now not: a wish with its refusal
            "I would love to give you a discount, but I'm not able to.                              | ''",
            "I wish I could waive it, but the system won't let me.                                  | ''",
            // look-alikes written after the change
            "Please reach out if you need anything else.                                            | ''",
            "Your insurance should cover the cost.                                                  | ''",
            "I noticed you asked about a refund.                                                    | ''",
            "I'd like to offer you a 10% discount.                                                  | DISCOUNT HARD 10%",
            "We reached out to the courier yesterday.                                               | ''",
            // observer family 5 (2026-12-05): a bare number before "off" or with cents is money; "include ... free for
            // the first year" is an add-on for a time, not a trial; and look-alikes written after the change
            "I'm not able to remove them, but I can take 20 off as a goodwill gesture.              | DISCOUNT HARD 20",
            "I've issued a full refund of 89.99 to your card.                                       | REFUND HARD 89.99",
            "I can include the text reminders free for the first year.                              | FREE_ADD_ON HARD text reminders",
            "I can add the premium module free for six months.                                      | FREE_ADD_ON HARD premium module",
            "You can try the premium plan free for 30 days.                                         | FREE_TRIAL HARD 30 days",
            "I've credited 15.50 to your account.                                                   | CREDIT HARD 15.50",
            "I can refund 3 of the items.                                                           | REFUND HARD null",
            "Take 20 off the list and you'll have the rest.                                         | ''",
            "Orders over 50 get 10 off.                                                             | ''",
            // observer family 6: "about" belongs to the verb before "and"; "update you", "visit"; and look-alikes
            "Got it. I can ask about an annual discount and get back to you by Friday.              | CALLBACK HARD 2026-03-06",
            "We'll update you within 48 hours.                                                      | FOLLOW_UP HARD 2026-03-04T09:00",
            "An engineer will visit on Thursday if it happens again.                                | APPOINTMENT SOFT 2026-03-05",
            "I'll call you back to talk about the refund.                                           | CALLBACK HARD null",
            "Thanks for your visit yesterday.                                                       | ''",
            "Our engineers visit the area on Tuesdays.                                              | ''",
            // observer family 7, and a look-alike written after the change
            "Once you enter it, I'll raise your limit to 5,000 for the next 7 days.                 | OTHER SOFT raise your limit",
            "I've asked the courier to collect it from number 22 and redeliver it to you by Saturday. | DELIVERY_DATE HARD 2026-03-07",
            "We can raise the limit for business accounts.                                          | ''",
            // observer family 8: a number before "credit" is its value; a policy with a relative clause is no promise
            "I've applied a 15 credit to your next bill for the lost service.                        | CREDIT HARD 15",
            "Fillings that fail within a year are replaced free.                                    | ''",
            "Yes. An emergency engineer is on the way and will be with you within the hour.         | APPOINTMENT HARD 2026-03-02T10:00",
            // observer family 7: "now" after two objects is still the follow-up's time; not another clause's "now"
            "I'll email you the sign-up link and our charity verification form now.                  | FOLLOW_UP HARD 2026-03-02",
            "I'll send you the link and the form now.                                               | FOLLOW_UP HARD 2026-03-02",
            "I'll email you the details, but I can't confirm the price now.                         | FOLLOW_UP HARD null",
            "I'll email you the details, and you can sign now.                                      | FOLLOW_UP HARD null",
    })
    void promises_and_non_promises(String text, String expected) {
        List<String> found = new CommitmentDetector().detect(new Turn(3, Speaker.AI, text, MONDAY, null, false)).stream()
                .map(c -> c.kind() + " " + c.strength() + " " + c.value()).toList();

        assertThat(found).isEqualTo(expected.isEmpty() ? List.of() : List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "I've upgraded it to express delivery at no cost, and it will arrive by Tuesday, March 3rd. | DELIVERY_DATE HARD 2026-03-03, FREE_ADD_ON HARD express delivery",
            "I've escalated this to our fraud team, who will contact you within 24 hours.            | ESCALATION HARD fraud team, CALLBACK HARD 2026-03-03T09:00",
            "I'll have the account executive send your quote this afternoon and call you by 4pm today. | FOLLOW_UP HARD 2026-03-02T16:00, CALLBACK HARD 2026-03-02T16:00",
    })
    void one_turn_can_hold_several_promises(String text, String expected) {
        List<String> found = new CommitmentDetector().detect(new Turn(3, Speaker.AI, text, MONDAY, null, false)).stream()
                .map(c -> c.kind() + " " + c.strength() + " " + c.value()).sorted().toList();

        assertThat(found).isEqualTo(List.of(expected.split(", ")).stream().sorted().toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "I've credited $20 to your account; details are at help.example.com/credits. Sorry about that. | I've credited $20 to your account; details are at help.example.com/credits.",
            "I might be able to get you 15% off <b onclick=\"window.x=1\">today</b> if you stay.            | I might be able to get you 15% off <b onclick=\"window.x=1\">today</b> if you stay.",
    })
    void the_promise_keeps_its_whole_sentence_when_a_dot_sits_inside_a_word(String text, String sentence) {
        assertThat(new CommitmentDetector().detect(new Turn(3, Speaker.AI, text, MONDAY, null, false)))
                .singleElement().satisfies(c -> assertThat(c.text()).isEqualTo(sentence));
    }
}
