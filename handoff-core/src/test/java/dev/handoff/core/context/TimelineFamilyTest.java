package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Timelines in everyday customer sentences, written (with what they should give) before the reader was run on them,
 * 2026-12-04: a life event with its date, a deadline set by someone else, a trip, a trial that ends; and background
 * dates that are not a timeline (membership since, a past visit, a charge on a date, a call last week). First run: 11
 * of 14 targets and all 10 background dates right; "before my flight on Thursday", "payroll runs on Friday, so the fix
 * has to be in by then" and "the inspector comes on the 9th" gave none.
 *
 * <p>Then a second family of timelines in everyday sentences, written (with what they should give) before the reader
 * was run on them, 2026-12-04 18:30 UTC: decisions and deadlines set by a board, a court, a landlord or a statute,
 * windows ("in the next couple of weeks", "any time in the next six months"), seasons and school years; and past
 * events with dates that are not a timeline (an outage, a filling, a visit, an invoice date, papers served). First
 * run: 13 of 16 targets and all 10 background dates right; "I've got a court date on the 17th" (the present "'ve got"
 * read as a past tense), "by the start of the school year" and "our busy season kicks off mid-November" gave none.
 *
 * <p>A third family, written (with what they should give) before the reader was run on them, 2026-12-04 20:35 UTC:
 * audits, taxes, grants and visas; today, tonight, this week and first thing tomorrow; a billing cycle; new hires
 * who start; and past events on the same kinds of dates (a declined card, an audit that went fine, a weekly failure,
 * a promise two weeks ago). First run: 8 of 16 targets and all 10 background dates right; "a signed quote before our
 * audit in April" (an adjective read as a past tense), "has to be filed by the 15th" and "has to be spent by June 30"
 * (a passive read as a past tense), "my visa appointment is on the 22nd and I need the letter", "could a technician
 * come first thing tomorrow?", "we open the new store in three weeks", "before the next billing cycle" and "by noon
 * tomorrow" (gave "by noon") were missed.
 *
 * <p>A fourth family, written (with what they should give) before the reader was run on them, 2026-12-04 23:00 UTC:
 * holidays, ends of years and quarters, windows counted in days or hours, ranges of dates, a time of day beside a
 * weekday; and time words that are not a timeline at all (an age, how long the customer has had something, "right
 * now", "as soon as I log in", opening hours, counts of staff, "the next step", "this month" as a count). First run:
 * 13 of 16 targets and 14 of 16 non-timelines right; "the kids go back to school on the 8th, so mornings after that
 * work", "we have a trade show in two weeks and need the banners" and "the deposition is set for the 2nd of next
 * month" gave none, "Right now the screen just shows an error" gave "right now" and "your hours say you close at 6 on
 * weekdays" gave "close at 6". Look-alikes written after the change found "the trade show in March went well" and
 * "the conference on Saturday was cancelled" read as targets (now: a moment followed by "was", "went" is over).
 *
 * <p>A fifth family, 2026-12-04 23:05 UTC: words of urgency in a story of what happened ("they immediately charged me
 * again", "the app crashed right away", "I was told it would be fixed as soon as possible"), and three that ask for
 * speed. Written and then run at once, before any change: 10 of the 11 stories gave a timeline ("immediately", "right
 * away", "earliest"); only "I called as soon as I could" did not. Now a sentence with a subject and a past verb and no
 * request ("need", "please", "can you", "send") has no urgency; nine look-alikes written afterwards agree, and showed
 * "please help me now" read as no timeline before and after (now "help me ... now" is read like "call me ... now").
 *
 * <p>And those of handoff-eval's observer family 4 (sixteen conversations written and labelled before the observer was
 * run on them, 2026-12-05 00:55 UTC): 12 of 14 timelines right at first; "I'd rather sort it within the next few
 * weeks" (a preference, like "I'd like") and "nothing decided and no timeframe yet" (a stated absence, like "no rush")
 * gave none. Look-alikes written after the change found "they gave me no timeline for the refund" and "a letter with
 * no deadline" read as the customer's own absence of one: now not after "gave me", "with", "got" and the like.
 *
 * <p>A sixth family, written (with what they should give) before the reader was run on them, 2026-12-05 01:05 UTC:
 * targets said without a target word (an event that "is" on a date, people who arrive or show up, a print date, "my
 * only day off") and background dates in unusual phrasing ("Friday before last", "Monday through Wednesday it worked
 * fine", "come Monday it'll have been a month"). First run: 9 of 14 targets and 10 of 12 background sentences right;
 * "the exam is in two weeks", "our open day is the 18th", "my court thing is Thursday", "we go to print on the 9th" and
 * "the new hires show up on the 1st" gave none, and a sentence that opens with a date and then tells a story ("Friday
 * before last, I got a letter") gave that date. Look-alikes written after the change found "the charge is on the 3rd
 * of every month" and "the problem is Monday's update" read as targets (now: "of every" is a habit, a possessive
 * date names a thing).
 */
class TimelineFamilyTest {

    private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-03-02T09:00:00Z");

    private static String timeline(String sentence) {
        TimelineReader r = new TimelineReader();
        r.read(sentence, NOW, "Thanks for the details.", false);
        return r.timeline();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "My daughter's wedding is on the 14th and I need the suit altered.   | 14th",
            "I leave for Spain on Sunday.                                        | Sunday",
            "Our free trial ends in three days.                                  | in three days",
            "The contract with our current vendor expires in June.               | June",
            "I need this sorted before my flight on Thursday.                    | Thursday",
            "I have a job interview tomorrow morning and my laptop won't start.  | tomorrow",
            "We go live the first week of April.                                 | April",
            "The hearing is next Tuesday.                                        | next Tuesday",
            "Payroll runs on Friday, so the fix has to be in by then.            | Friday",
            "The baby is due in August and we want the nursery done before that. | August",
            "Is there any chance of an appointment this afternoon?               | this afternoon",
            "I'd like to get this wrapped up by end of Q1.                       | Q1",
            "The inspector comes on the 9th.                                     | 9th",
            "Our lease starts on April 1.                                        | April 1",
            // family 2 (see the class comment)
            "We need to have a vendor picked by the end of the month.          | end of the month",
            "Our board meets on the 20th to approve the budget.                 | 20th",
            "Ideally we'd start onboarding in the next couple of weeks.         | next couple of weeks",
            "The filing deadline is March 31.                                   | March 31",
            "I've got a court date on the 17th.                                 | 17th",
            "We're aiming to roll this out in Q3.                               | Q3",
            "Can someone come out before the weekend?                           | weekend",
            "I need the refund before my rent is due on the 1st.                | 1st",
            "My crown needs to be fixed before I travel next week.              | next week",
            "We'd want it in place by the start of the school year.             | school year",
            "The statute of limitations runs out in two months.                 | in two months",
            "Our busy season kicks off mid-November.                            | November",
            "We have until Friday to respond to the landlord.                   | Friday",
            "As soon as possible, honestly, the site is down.                   | as soon as possible",
            "Any time in the next six months is fine.                           | next six months",
            "The closing is scheduled for May 3rd.                              | May 3",
            // written after the reader was changed for family 2
            "She's got a hearing on the 9th.                                    | 9th",
            "We want it running before the end of the fiscal year.              | fiscal year",
            // written at review: a curly apostrophe
            "I’ve got a court date on the 23rd.                                 | 23rd",
            // family 3 (see the class comment)
            "We need a signed quote before our audit in April.                  | April",
            "My tax return has to be filed by the 15th.                         | 15th",
            "Can we get this done this week?                                    | this week",
            "I need the replacement card today, I'm travelling.                 | today",
            "The offer on your site ends at midnight tonight.                   | tonight",
            "We'd like a decision from you no later than Wednesday.             | Wednesday",
            "Our new hires start on Monday and need laptops.                    | Monday",
            "I'm having surgery on the 11th so I need the claim approved.       | 11th",
            "Could a technician come first thing tomorrow?                      | tomorrow",
            "We're planning the migration for early next year.                  | next year",
            "My visa appointment is on the 22nd and I need the letter.          | 22nd",
            "The grant money has to be spent by June 30.                        | June 30",
            "We open the new store in three weeks.                              | in three weeks",
            "I'd like to switch plans before the next billing cycle.            | next billing cycle",
            "Our audit starts next Monday.                                      | next Monday",
            "Please have it ready by noon tomorrow.                             | tomorrow",
            // family 4 (see the class comment)
            "We need this up and running before Black Friday.                   | Black Friday",
            "I'm hoping to have the braces off before Christmas.                | Christmas",
            "Our fiscal year closes at the end of September.                    | September",
            "Can I get an appointment sometime next month?                      | next month",
            "The kids go back to school on the 8th, so mornings after that work. | 8th",
            "My insurance runs out at the end of the year.                      | end of the year",
            "We have a trade show in two weeks and need the banners.            | two weeks",
            "I'm moving on the 30th; can you transfer my service?               | 30th",
            "Our investors want a demo within the next 10 days.                 | 10 days",
            "Delivery has to be before 5 pm on Thursday.                        | Thursday",
            "Within the hour would be great.                                    | within the hour",
            "We'd like to sign before the quarter closes.                       | quarter",
            "The deposition is set for the 2nd of next month.                   | 2nd",
            "I'm away from the 10th to the 20th, so before then please.         | 10th",
            "Let's aim for mid-January.                                         | January",
            "The promo price has to be locked in by Friday at 5.                | Friday",
            // written after the reader was changed for family 4
            "We have a conference on the 12th and need the slides.              | 12th",
            "The install is booked for Tuesday.                                 | Tuesday",
            "My mediation is slated for the 4th.                                | 4th",
            "Our anniversary is on Saturday, so anything before that is perfect. | Saturday",
            "Right now I need someone to look at it.                            | right now",
            "The install has been scheduled for the 9th.                        | 9th",
            // observer family 1 (handoff-eval's observer/families-1.jsonl), then look-alikes written after the change
            "The landlord wants it signed by Friday or he'll offer the unit to someone else. | Friday",
            "Our insurer wants tracking in place at renewal, which is the 1st of April. | April",
            "My rent payment goes out through the app on the 1st.               | 1st",
            "We need everything signed by the 20th.                             | 20th",
            "Our launch is in May, which is when the ads start.                 | May",
            // observer family 3
            "I'll be away that week. Anything the week after is fine.           | week after",
            // family 5 (see the class comment)
            "I need this fixed immediately.                                     | immediately",
            "Please call me right away.                                         | right away",
            "The sooner the better.                                             | sooner",
            // written after the reader was changed for family 5
            "It crashed again, I need someone right away.                       | right away",
            "My tooth broke and I'm in agony, can you see me immediately?       | immediately",
            "The water heater burst, send someone as soon as possible.          | as soon as possible",
            "I was hoping you could call me back right away.                    | right away",
            "It stopped working and I want it sorted right now.                 | now",
            "My card was declined, please help me now.                          | now",
            // observer family 4, and look-alikes written after the change
            "I'd rather sort it within the next few weeks.                      | next few weeks",
            "Honestly we're just exploring, nothing decided and no timeframe yet. | no timeframe",
            "There's no deadline on our side, whenever suits.                   | no deadline",
            "We have no real deadline.                                          | no real deadline",
            "Please do. No fixed date yet, but sooner is better than later.     | no fixed date",
            "We need it by the 20th of this month.                              | 20th",
            // observer family 7: a comma inside a number does not end the clause
            "It won't let me send more than 500 a day and I need to pay my builder 3,000 tomorrow. | tomorrow",
            // observer family 8
            "Please set that up. I need to know my rights quickly.              | quickly",
            "I'd rather have the call on Tuesday.                               | Tuesday",
            "I'd rather not wait until next year.                               | next year",
            // family 6, and look-alikes written after the change
            "My mum arrives on the 3rd and the spare room needs a bed.          | 3rd",
            "Monday's my only day off.                                          | Monday",
            "The exam is in two weeks and I can't study with this toothache.    | two weeks",
            "Our open day is the 18th and the signage must be up.               | 18th",
            "We go to print on the 9th.                                         | 9th",
            "The new hires show up on the 1st and they'll need laptops.         | 1st",
            "Closing on the house is the 28th, so the lender needs the letter.  | 28th",
            "My court thing is Thursday.                                        | Thursday",
            "Next Tuesday at the latest.                                        | Tuesday",
            "The quote's only good till Friday.                                 | Friday",
            "She starts kindergarten in August and needs her check-up first.    | August",
            "Any chance of a slot before the 12th?                              | 12th",
            "Tomorrow I was hoping to come in.                                  | Tomorrow",
            "Next week the kids are off school so we need a morning slot.       | Next week",
    })
    void a_target_in_everyday_words_is_a_timeline(String sentence, String contains) {
        assertThat(timeline(sentence)).isNotNull().containsIgnoringCase(contains);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "I've been a member since 2019.",
            "My last cleaning was in March.",
            "The charge on the 3rd is wrong.",
            "It broke two weeks ago.",
            "We spoke on Monday about this.",
            "I ordered it on the 12th of last month.",
            "The tooth has hurt since the weekend.",
            "Last year the renewal cost less.",
            "You sent the wrong size on Friday.",
            "I moved house in January.",
            // written after the reader was changed for the family above
            "Before my appointment on Tuesday I was charged twice.",
            "The courier came on Friday but nobody was in.",
            "My parcel arrived on Friday.",
            "The payment went out on the 1st, so it should have cleared by then.",
            // family 2 (see the class comment)
            "We signed up back in 2021.",
            "The outage on Tuesday cost us a day of sales.",
            "I had a filling done on the 5th and it already fell out.",
            "Your technician was here last Thursday.",
            "My order from the 2nd still hasn't shipped.",
            "I've been waiting since Monday for a call back.",
            "The invoice dated March 1 shows the wrong amount.",
            "We were quoted a price in January.",
            "I was served the papers yesterday.",
            "Last quarter we lost two clients over this.",
            // written after the reader was changed for family 2
            "We got the letter on the 3rd.",
            "The rash began on Monday.",
            "The busy season kicked off in November.",
            "School started on the 5th.",
            "I got a reminder on Friday about the end of the school year.",
            // family 3 (see the class comment)
            "My card was declined on Saturday at the pharmacy.",
            "We had an audit in April and it went fine.",
            "Every Monday the report fails to send.",
            "I filed my taxes on the 15th.",
            "The app has been crashing since the update on Tuesday.",
            "I called three times yesterday.",
            "Our contract renewed automatically in January.",
            "The technician came first thing this morning and left.",
            "Two weeks ago you promised a callback.",
            "My surgery was on the 11th and the bill just came.",
            // written after the reader was changed for family 3
            "The store opens at 9 every day.",
            "A signed copy was sent on Monday.",
            "I was billed on the 3rd and I need a refund.",
            "The meeting was on the 2nd and I need the minutes.",
            "We opened a second store in January.",
            "The last billing cycle charged me twice.",
            // family 4 (see the class comment)
            "My son is 14 and needs his own account.",
            "I've had this phone for two years.",
            "Right now the screen just shows an error.",
            "As soon as I log in, the app crashes.",
            "It takes about 10 minutes to load every time.",
            "We're open 24/7, so downtime hurts.",
            "The next step in your form asks for a code I don't have.",
            "Back in the day this used to work fine.",
            "The 30-day return window already passed on my order.",
            "I work nights, so I sleep during the day.",
            "We have 3 locations and about 40 staff.",
            "My appointment last Tuesday was cancelled without notice.",
            "This is the second time this month it happened.",
            "The tooth hurts when I drink something cold in the morning.",
            "Your hours say you close at 6 on weekdays.",
            "I've been a customer for ten years and never had this.",
            // written after the reader was changed for family 4
            "Right now it says my account is locked.",
            "We usually close the books on the 5th.",
            "The pharmacy opens at 8 on weekdays.",
            "I was booked for Tuesday but nobody came.",
            "The conference on Saturday was cancelled.",
            "The trade show in March went well.",
            "I booked the room on Monday.",
            "The install was scheduled for Monday but nobody came.",
            // look-alikes written after the change for observer family 1
            "I got it signed on Monday.",
            "The newsletter goes out every Monday.",
            "The last payment went out on the 1st.",
            "It broke on Monday, which is when the storm hit.",
            // family 5 (see the class comment)
            "They immediately charged me again.",
            "The app crashed right away.",
            "It broke straight away.",
            "I called as soon as I could.",
            "I noticed the charge right away.",
            "Your agent hung up on me immediately.",
            "The screen went black right away when I plugged it in.",
            "It started leaking almost immediately after the install.",
            "I was told it would be fixed as soon as possible, and nothing happened.",
            "I got the earliest appointment you had, which was today.",
            "Right away, the technician said it was the motherboard.",
            // written after the reader was changed for family 5
            "They said someone would call right away but nobody did.",
            "He fixed it immediately, thanks.",
            "The refund went through right away last time.",
            // written after the reader was changed for observer family 4
            "They gave me no timeline for the refund.",
            "Your support team gave me no timeline at all and it's been three weeks.",
            "The quote came with no deadline.",
            "I got a letter with no deadline on it.",
            "I preferred the old layout we had in March.",
            // family 6, and look-alikes written after the change
            "Back in June the same thing happened.",
            "The 14th was the last time it worked.",
            "Ever since Tuesday's update the app won't open.",
            "Your engineer came out on the 2nd and didn't fix it.",
            "Friday before last, I got a letter from them.",
            "The renewal went through on the 1st without asking me.",
            "Come Monday it'll have been a month since I reported it.",
            "Around the 20th of last month the charges started.",
            "Monday through Wednesday it worked fine.",
            "The charge is on the 3rd of every month.",
            "The problem is Monday's update.",
            "Saturday we went to the store and it was closed.",
            "He didn't show up on the 2nd.",
            "Last time it went to print on the 9th and was late.",
            // observer family 6
            "On the 3rd of last month, two days after signing up.",
            "I paid 3,000 on Monday, and nothing.",
            // look-alikes written after the change for observer family 8
            "They fixed it quickly last time.",
            "I need a phone that charges fast.",
            "We want a laptop that boots quickly.",
    })
    void a_background_date_is_not(String sentence) {
        assertThat(timeline(sentence)).isNull();
    }
}
