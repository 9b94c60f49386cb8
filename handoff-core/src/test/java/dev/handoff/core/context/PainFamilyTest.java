package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Complaints in everyday customer sentences, written (with a word the pain point must keep) before the reader was run
 * on them, 2026-12-04: service failures, money, health, waiting, broken promises, told in plain words; and sentences
 * that report no problem (a wish, a thanks, a plan, a question about a feature). First run: 9 of 16 complaints and all
 * 8 sentences without a problem right; "logs me out every few minutes", "turned up soaking wet", "left my parcel in
 * the rain", "the screen goes black", "my crown came off", "300 less than the bill" and "the heating has been off"
 * gave none.
 *
 * <p>Then a second family of complaints in everyday sentences, written (with a word the pain point must keep) before
 * the reader was run on them, 2026-12-04 18:30 UTC: fees, damage, faults that repeat, things that do not fit or arrive
 * cold or at the wrong address, people who hang up or keep a deposit; and requests, thanks and questions that name the
 * same things without a problem. First run: 12 of 16 complaints and 7 of 8 others right; "my tooth is killing me",
 * "the printer jams on every other page" and "stuck at 0% all day" now read, the bare word "deposit" no longer makes
 * "the deposit is ready whenever you need it" a complaint (a deposit kept or not returned still is), and four
 * look-alikes written afterwards ("we make our own jams and chutneys") are not complaints. Still missed: "the dentures
 * rub and make my gums sore" ("sore" as a pain word added one wrong pain point on the eval corpus's held-out
 * conversations, and was withdrawn; so was a bare "killing me", now read after a body part only).
 *
 * <p>Then the complaints of handoff-eval's observer family 1 (twelve conversations written and labelled before the
 * observer was run on them, 2026-12-04 22:40 UTC): "the tracking hasn't moved since", "it aches after meals", "it feels
 * high when I bite", "our current tool is being discontinued" and "my landlord is trying to evict me" were missed, and
 * "It's not loose" (a denied symptom) was read as one. Look-alikes written after the change found "the price hasn't
 * moved in years" read as a complaint: "hasn't moved" now needs a parcel, an order, a status or the like before it.
 *
 * <p>And those of observer family 2 (twelve more conversations, 2026-12-04 22:35 UTC): "the app just spins", "my jaw
 * throbs", "the signs were hidden", "has gone silent", "ignored every text", "leads fall through the cracks", "while I
 * recover from knee surgery", "otherwise it'll sit on my doorstep" and "her teeth will move back" were missed. A
 * look-alike written after the change, "a hidden gem of a location", was read as one: "hidden" now needs "were" or
 * "is" before it or fees, charges or "behind" after it.
 *
 * <p>And those of observer family 3 (2026-12-04 22:45 UTC): "a line I never asked for", "stops halfway through every
 * cycle", "stopped syncing", "stiff", "won't share a copy", "done it by hand for two years", and a symptom confirmed
 * after the assistant's "Does it hurt when you chew?" ("A little") were missed. A look-alike written after the change,
 * "we do it all by hand and we love it", was read as one: work by hand is a complaint only with "still", "have to" or
 * the time it takes.
 *
 * <p>And those of observer family 4 (2026-12-05 00:55 UTC): "we switched accountants last year and it was a mess",
 * "the other driver's insurer is giving me the runaround", "I got a letter about jury duty and I can't do it" and "so
 * there's no gap in service" were missed. A look-alike written after the change, "book the cleaning in June so there's
 * no gap in my check-ups", was read as one: a gap is a concern only in service or cover.
 *
 * <p>And those of observer family 5 (whole conversations, 2026-12-05 01:15 UTC): "my employer hasn't paid me", "40
 * more than usual", "with a big dent", "I don't have access to it anymore", "a patchwork of spreadsheets" and "living
 * on soup" were missed. Look-alikes written after the change found "sales are higher than usual" and "I don't have
 * access to a printer" read as complaints: "more than usual" now needs a bill or a charge, and "access" an account or
 * "anymore". "I was told roaming in Europe was included" also read for a while, and was withdrawn: two tuning
 * conversations say the same ("we were told by your rep that migration was included") without their labels counting
 * it as a complaint of its own.
 */
class PainFamilyTest {

    private static List<String> pains(String sentence) {
        PainReader r = new PainReader();
        r.read(sentence, 0, false, null);
        return r.painPoints();
    }

    @ParameterizedTest(name = "\"{0}\" keeps \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "The app logs me out every few minutes.                          | logs me out",
            "I've been on hold for an hour this morning.                     | on hold",
            "My parcel turned up soaking wet.                                | soaking wet",
            "The washing machine floods the kitchen every time I use it.     | floods",
            "The engineer never turned up yesterday.                         | engineer",
            "Your driver left my parcel in the rain.                         | rain",
            "The screen goes black after ten minutes.                        | goes black",
            "I can't get into my account since the update.                   | account",
            "My crown came off while I was eating.                           | crown",
            "My refund still hasn't come through after three weeks.          | refund",
            "The quote you gave me was 300 less than the bill.               | bill",
            "They keep phoning me about a debt that isn't mine.              | debt",
            "The heating has been off since Tuesday.                         | heating",
            "Half the items were missing from the box.                       | missing",
            "My gums won't stop bleeding.                                    | bleeding",
            "Nobody has got back to me about the complaint.                  | complaint",
            // family 2 (see the class comment)
            "The invoice shows a late fee I never agreed to.                 | late fee",
            "Your website keeps crashing at checkout.                        | crashing",
            "The replacement part you sent doesn't fit.                      | fit",
            "My tooth is killing me.                                         | tooth",
            "We've lost three customers because the system was down.         | system",
            "I was overcharged by forty dollars.                             | overcharged",
            "The technician scratched my floor.                              | scratched",
            "The food arrived cold again.                                    | cold",
            "I keep getting emails after I unsubscribed.                     | emails",
            "My landlord won't return my deposit.                            | deposit",
            "The printer jams on every other page.                           | jams",
            "Our data export has been stuck at 0% all day.                   | stuck",
            "Your agent hung up on me twice.                                 | hung up",
            "My package was delivered to the wrong address.                  | wrong address",
            "The battery dies within an hour.                                | battery",
            // observer family 1 (handoff-eval's observer/families-1.jsonl), then look-alikes written after the change
            "I ordered a standing desk on Monday and the tracking hasn't moved since. | tracking hasn't moved",
            "It aches after meals.                                            | aches",
            "I had a crown fitted last month and it feels high when I bite.   | feels high",
            "Our current tool is being discontinued.                          | discontinued",
            "My landlord is trying to evict me.                               | evict",
            "The tracking page hasn't updated since Tuesday.                  | hasn't updated",
            "It feels rough where the filling was done.                       | feels rough",
            "Our bank says the card is no longer supported on your site.      | no longer supported",
            "It's not loose, but it hurts when I chew.                        | hurts",
            // observer family 2 (handoff-eval's observer/families-2.jsonl), then look-alikes written after the change
            "The app just spins when I try to pay a bill.                     | spins",
            "The bottom left one keeps getting infected and my jaw throbs every few weeks. | throbs",
            "They want 170 pounds for overstaying, and the signs were hidden behind a hedge. | hidden",
            "My builder took a deposit in March and has gone silent.          | gone silent",
            "He's ignored every text since.                                   | ignored",
            "Leads fall through the cracks.                                   | cracks",
            "I was wondering whether I can pause my membership while I recover from knee surgery. | recover from",
            "Please do, otherwise it'll sit on my doorstep for days.          | doorstep",
            "Her orthodontist said her teeth will move back if she goes without it. | move back",
            "The page spins and never loads.                                  | spins",
            "My landlord has ignored three emails.                            | ignored",
            "The fees were hidden in the small print.                         | hidden",
            "I'm recovering from a broken wrist.                              | recovering",
            // observer family 3 (handoff-eval's observer/families-3.jsonl), then look-alikes written after the change
            "There's a 14.99 line called premium support that I never asked for. | never asked for",
            "My washing machine stops halfway through every cycle.            | stops halfway",
            "Our team's shared calendar stopped syncing this morning.         | stopped syncing",
            "My neck has been stiff for weeks.                                | stiff",
            "My brother has had it for months and won't share a copy.         | won't share",
            "We've done it by hand for two years.                             | by hand",
            "I was charged for an add-on I didn't ask for.                    | didn't ask for",
            "The printer stops mid-page.                                      | stops mid",
            "The seller won't return my calls.                                | won't return",
            "We still do it all manually.                                     | manually",
            // observer family 4
            "We switched accountants last year and it was a mess.             | mess",
            "The other driver's insurer is giving me the runaround.           | runaround",
            "I got a letter about jury duty and I can't do it.                | can't do it",
            "Our CFO wants a decision before the end of Q1 so there's no gap in service. | gap in service",
            "I can't do it online, the form won't submit.                     | can't do it",
            // observer family 5
            "My employer hasn't paid me for the last six weeks.               | hasn't paid",
            "Why is my phone bill 40 more than usual this month?              | more than usual",
            "My new fridge was delivered yesterday with a big dent in the door. | dent",
            "It's the old work email, I don't have access to it anymore.      | access",
            "Our booking system is a patchwork of spreadsheets.              | patchwork",
            "He's been living on soup for a week.                             | soup",
            // observer family 6
            "A client owes me 4,200 for work I finished in October.           | owes me",
            "We've got roughly 20k for the year, so that's a stretch.         | stretch",
            "No fever, but there's a bad taste, yes.                          | bad taste",
            "I got a speeding ticket but I wasn't driving.                    | speeding ticket",
            // observer family 7
            "They say I can't cancel for another 18 months.                   | can't cancel",
            "I want to report a gas smell outside my building.                | gas smell",
            "Three of us share one printer and it's always jammed.            | jammed",
            "I have no idea where to start.                                   | no idea",
            "Now they're not answering the door.                              | not answering",
            // observer family 8
            "They made errors in three pay runs this year.                    | errors",
            "The errors cost us a lot of goodwill with staff.                 | goodwill",
            "I'm struggling to cover the rent without it.                     | struggling",
            "I returned a jacket three weeks ago and I still haven't got my money back. | money back",
            "That's more than we pay now.                                     | more than we pay",
            "I took the day off for this.                                     | day off",
            "That's a day's wages gone.                                       | wages",
            "My landlord is keeping my whole 1,800 deposit for wear and tear. | deposit",
    })
    void a_complaint_in_everyday_words_is_a_pain_point(String sentence, String word) {
        assertThat(pains(sentence)).anySatisfy(p -> assertThat(p).containsIgnoringCase(word));
    }

    @Test
    void a_symptom_the_customer_confirms_after_does_it_hurt_is_a_pain_point() {
        PainReader yes = new PainReader();
        yes.read("A little, mostly in the evenings.", 2, false, "That can happen after a filling. Does it hurt when you chew?");
        assertThat(yes.painPoints()).singleElement().asString().startsWith("Hurt: ").contains("evenings");

        PainReader no = new PainReader();
        no.read("No, not really.", 2, false, "That can happen after a filling. Does it hurt when you chew?");
        assertThat(no.painPoints()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "I'd like to upgrade to the family plan.",
            "Thanks, that's all sorted now.",
            "We're planning to open a second shop in the spring.",
            "Does the app work offline?",
            "Can I change my delivery address?",
            "The new version looks great.",
            "My daughter starts school in September.",
            "I'd like to book a cleaning for next week.",
            // written after the reader was changed for the family above
            "The new sofa came out beautifully in the photos.",
            "Every few weeks I order more coffee beans.",
            "The parcel was left on the doorstep as I asked.",
            "I went out for lunch and came back.",
            "The price was higher than I hoped but it's fine.",
            // family 2 (see the class comment)
            "Could you send me a copy of the invoice?",
            "I'd like to add a second user to the account.",
            "The technician was lovely, thank you.",
            "We're expecting about 40 guests.",
            "Is the battery replaceable?",
            "I want to switch to paperless billing.",
            "The deposit is ready whenever you need it.",
            "My landlord asked me to get a quote.",
            // written after the reader was changed for family 2
            "We make our own jams and chutneys.",
            "The deposit went through this morning, thanks.",
            "I'd like to pay the deposit today.",
            "Can I keep my deposit on file for next year?",
            // written at review
            "I like jams on toast for breakfast.",
            // look-alikes written after the change for observer family 1
            "The price hasn't moved in years, which I appreciate.",
            "It feels great to finally have it sorted.",
            "Thankfully the screen wasn't damaged.",
            "It's not loose.",
            // look-alikes written after the change for observer family 2
            "We have a hidden gem of a location downtown.",
            "The spin class was great.",
            "I recovered my password, thanks.",
            "It took forever but it's fine now.",
            "Please ignore my last message.",
            // look-alikes written after the change for observer family 3
            "We do it all by hand and we love it.",
            "I stiffened the hinge myself and it works fine.",
            "The bus stop is two minutes from my house.",
            "That makes sense, thanks.",
            // look-alikes written after the change for observer family 4
            "Sorry for the mess in my email, I typed it on my phone.",
            "Book the cleaning in June so there's no gap in my check-ups.",
            "I called so there's no gap in the paperwork.",
            "I can do it myself if you send the link.",
            "I care for my mother full time.",
            // look-alikes written after the change for observer family 5
            "I haven't paid yet, can I pay by card?",
            "The new release made a dent in our backlog.",
            "I don't have access to a printer, can you email it?",
            "Sales are higher than usual this month, so we need more seats.",
            // look-alikes written after the change for observer family 6
            "That joke was in bad taste.",
            "I owe you one.",
            "It's a long stretch of road.",
            // look-alikes written after the change for observer family 7
            "I can cancel online, right?",
            "Which answering machine do you recommend?",
            "I know where to start.",
            // look-alikes written after the change for observer family 8
            "The errors page loads fine now.",
            "I took a day off last week to go hiking.",
    })
    void a_sentence_without_a_problem_has_none(String sentence) {
        assertThat(pains(sentence)).isEmpty();
    }
}
