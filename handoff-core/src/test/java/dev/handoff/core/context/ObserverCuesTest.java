package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.context.ObserverCues.Cue;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A cue guards an expression only if every match of the expression contains one of the cue's literals: otherwise the
 * reader would skip a sentence the expression matches, and the summary would change. Checked on sentences written for
 * each expression's branches and on many random sentences made of the expression's own words.
 */
class ObserverCuesTest {

    private static final Map<Cue, Pattern> GUARDED = new EnumMap<>(Map.ofEntries(
            Map.entry(Cue.NEED, NeedReader.NEED),
            Map.entry(Cue.NEED_APPROVER, AuthorityReader.NEED_APPROVER),
            Map.entry(Cue.OTHER_APPROVES, AuthorityReader.OTHER_APPROVES),
            Map.entry(Cue.ASK_APPROVER, AuthorityReader.ASK_APPROVER),
            Map.entry(Cue.GOES_TO, AuthorityReader.GOES_TO),
            Map.entry(Cue.SELF_ROLE, AuthorityReader.SELF_ROLE),
            Map.entry(Cue.SELF_RUNS, AuthorityReader.SELF_RUNS),
            Map.entry(Cue.SELF_DECIDES, AuthorityReader.SELF_DECIDES),
            Map.entry(Cue.TOGETHER, AuthorityReader.TOGETHER),
            Map.entry(Cue.FAMILY_ROLE, AuthorityReader.FAMILY_ROLE),
            Map.entry(Cue.CHILD_PATIENT, AuthorityReader.CHILD_PATIENT),
            Map.entry(Cue.ELDER_PATIENT, AuthorityReader.ELDER_PATIENT),
            Map.entry(Cue.BUDGET_CUE, BudgetReader.BUDGET_CUE),
            Map.entry(Cue.ABSENT, BudgetReader.ABSENT),
            Map.entry(Cue.ACCEPT_FIGURE, BudgetReader.ACCEPT_FIGURE),
            Map.entry(Cue.CONCERN, PainReader.CONCERN),
            Map.entry(Cue.PAIN, PainReader.PAIN),
            Map.entry(Cue.PAIN_PERSON, PainReader.PERSON),
            Map.entry(Cue.NOT_PAIN, PainReader.NOT_PAIN_INSIDE),
            Map.entry(Cue.STRONG_PROBLEM, PainReader.STRONG_PROBLEM),
            Map.entry(Cue.SYMPTOM_QUESTION, PainReader.SYMPTOM_QUESTION),
            Map.entry(Cue.URGENT, TimelineReader.URGENT),
            Map.entry(Cue.EVENT, TimelineReader.EVENT),
            Map.entry(Cue.FLEXIBLE, TimelineReader.FLEXIBLE),
            Map.entry(Cue.NOW, TimelineReader.URGENT),
            Map.entry(Cue.NOW_LEAD, TimelineReader.URGENT)));

    /** Sentences that take different branches of each expression. */
    private static final Map<Cue, List<String>> WRITTEN = Map.ofEntries(
            Map.entry(Cue.NEED, List.of("We really need to replace the boiler", "I'd love to see a demo", "We wanted a quote",
                    "her dentist suggested we see an orthodontist", "the vet recommended I get a scan", "they advised we have it checked",
                    "I'm shopping for a new plan", "We're calling about the invoice", "Looking into payroll tools",
                    "We are interested in the Pro tier", "We're evaluating vendors", "and also want a refund",
                    "Can you help me with my order", "Hi, could we move it", "Can you check my balance",
                    "Is it possible to pay later", "My boss asked me to look into this", "We got a quote from them",
                    "Do you do teeth whitening", "Hi, do you fix cracked screens", "I've been trying to buy a gift card",
                    "Please unsubscribe me", "Opt out of the texts", "Take me off your list")),
            Map.entry(Cue.NEED_APPROVER, List.of("we need our CFO to sign off", "I need legal to approve")),
            Map.entry(Cue.OTHER_APPROVES, List.of("my boss has to see it", "the board votes next week", "Legal has the final say",
                    "our CFO makes the call", "procurement handles that", "my wife will decide", "the committee must approve it",
                    "our CFO wants a decision", "the board wants the final say", "my wife wants to decide",
                    "our CEO would have to approve it", "the board will have to sign")),
            Map.entry(Cue.ASK_APPROVER, List.of("I'll check with my manager", "let me run it by our CFO", "I need sign-off from the board",
                    "I'll clear it with the owner", "I'll ask my husband", "I'll talk with the partners",
                    "let me talk it over with my partner", "I'll discuss it with the board", "I'll run it past our CFO",
                    "I'll share it with our CFO", "I'll show it to my boss")),
            Map.entry(Cue.GOES_TO, List.of("it goes to the committee", "then it goes to our board")),
            Map.entry(Cue.SELF_ROLE, List.of("I'm the CISO here", "as the owner I care", "I am a decision-maker", "I'm our IT manager",
                    "I'm the head of sales", "I'm the chief operating officer", "I'm the executor of her estate",
                    "I am a solo accountant", "I'm a dentist at another practice")),
            Map.entry(Cue.SELF_RUNS, List.of("I run operations at Northwind", "I lead engineering for Acme", "I own a bakery at the mall")),
            Map.entry(Cue.SELF_DECIDES, List.of("I sign off on vendors", "It's my call", "our call in the end", "final say is mine",
                    "I have the authority", "I'm the decision maker", "I own this decision", "I choose the vendor",
                    "I place the order", "it's just me deciding", "I can approve it myself", "I'm the one who signs")),
            Map.entry(Cue.TOGETHER, List.of("my wife and I", "our co-founder and me", "the plant manager and I",
                    "it's my partner and me", "with two cofounders", "with business partners")),
            Map.entry(Cue.FAMILY_ROLE, List.of("I'm her mum", "I'm their guardian", "I handle his appointments")),
            Map.entry(Cue.CHILD_PATIENT, List.of("booking a cleaning for my son", "my 7 year old has a toothache",
                    "my daughter chipped a tooth", "an appointment for my kids", "my daughter's retainer snapped",
                    "is my 6 year old due for a check-up")),
            Map.entry(Cue.ELDER_PATIENT, List.of("calling for my elderly father", "for my grandma", "calling about my mum")),
            Map.entry(Cue.BUDGET_CUE, List.of("our budget is 5k", "we've earmarked sixty grand", "we set aside 2,000",
                    "I'd rather not go over a hundred a month", "anything under $500 a month works",
                    "we're planning on spending 10k", "thinking more like 40", "willing to pay 300", "keep fees under 1,500",
                    "stay close to 900", "within our range", "the deal size is 80k", "over the term", "something closer to 20",
                    "money is tight", "we have 300 in mind", "for the first year", "we have roughly 700", "we've got 400",
                    "we've been given 50k", "it's capped at 10k", "no more than 2k a month", "the contract would be 60k",
                    "we were thinking closer to 400", "thinking around 50k", "I'd want to be paying under 20,000",
                    "we'd like to pay less than 300", "to pay below 900")),
            Map.entry(Cue.ABSENT, List.of("no budget yet", "we don't have a set budget", "the budget isn't approved yet",
                    "we have basically zero budget",
                    "we can't afford a big retainer", "money isn't the issue", "we'll pay whatever it takes")),
            Map.entry(Cue.ACCEPT_FIGURE, List.of("we can do that", "that's within our budget", "thats in range", "that fits my budget")),
            Map.entry(Cue.CONCERN, List.of("my main worry is the migration", "our biggest concern is cost", "the problem here is speed",
                    "I'm really worried about downtime", "we're stuck on security", "the thing holding us back is price",
                    "what worries me is lock-in", "one sticking point is the contract")),
            Map.entry(Cue.PAIN, List.of("they charged my card three times", "the bill went up again", "nobody answers my emails",
                    "the hinge snapped and the lid is loose", "my tooth is throbbing", "I was sued last year", "the no-show fee",
                    "a late fee", "this isn't the first time", "it didn't help", "I paid $120 for nothing", "we're over budget",
                    "that's a lot", "it won't turn on", "I can't log in", "it keeps dropping", "the page still says pending",
                    "the tracking hasn't moved", "it feels high when I bite", "it aches after meals", "they want to evict me",
                    "our tool is being discontinued", "the app is no longer supported", "the app just spins",
                    "it takes forever to load", "the signs were hidden", "he has gone silent", "she ignored my texts",
                    "leads fall through the cracks", "while I recover from surgery", "otherwise it'll sit there", "my jaw throbs",
                    "her teeth will move back", "it could get worse",
                    "a line I never asked for", "this bill doesn't make sense", "it stops halfway", "the calendar stopped syncing",
                    "every single time", "my neck is stiff", "he won't share a copy", "we still do it all by hand",
                    "we've done it by hand for two years", "it was a mess", "what a total mess", "giving me the runaround",
                    "a real run-around", "so there's no gap in service", "so that there is no downtime",
                    "to make sure we have no lapse in cover", "to ensure there's no interruption in the service",
                    "my employer hasn't paid me", "they haven't been paid", "my bill is 40 more than usual",
                    "the charge is higher than last month", "delivered with a big dent", "I don't have access to it anymore",
                    "I no longer have access to my account", "I lost access", "a patchwork of spreadsheets", "cobbled together",
                    "held together with tape", "living on soup", "a client owes me", "that's a stretch", "a bad taste",
                    "a foul smell", "a speeding ticket", "a parking fine", "a penalty notice", "I can't cancel", "a gas smell",
                    "it's always jammed", "no idea where to start", "I don't know where to start", "they're not answering",
                    "they made errors", "errors in the invoice", "it cost us a lot", "I'm struggling to pay", "more than we pay",
                    "I took the day off for this", "a day's wages", "keeping my whole deposit", "I was quoted 800 and the bill says 900")),
            Map.entry(Cue.NOT_PAIN, List.of("it's not painful", "there's no pain", "it doesn't hurt", "it isnt painful",
                    "not sore at all", "no swelling", "this has never happened", "it never happened before",
                    "the first time this happened", "my first time it has happened", "it's not loose", "the gum isn't swollen",
                    "it wasn't bleeding", "they aren't damaged")),
            Map.entry(Cue.STRONG_PROBLEM, List.of("the screen is broken", "it broke", "a cracked tooth", "damaged in transit",
                    "my card was stolen", "I was charged", "the roof is leaking", "it snapped", "a data breach", "a chipped cup",
                    "a missing part")),
            Map.entry(Cue.PAIN_PERSON, List.of("talk to a manager", "speak with someone", "the supervisor", "call me back")),
            Map.entry(Cue.SYMPTOM_QUESTION, List.of("Any swelling at all?", "Are you having pain when you chew?",
                    "Do you have any fever or chills?", "Does it hurt when you chew?")),
            Map.entry(Cue.URGENT, List.of("as soon as possible", "ASAP", "I need it NOW", "right away please", "please hurry",
                    "the earliest slot", "next available", "as early as possible", "straight away", "see me soon",
                    "can someone come any sooner", "I want a person right now", "I need to know my rights quickly",
                    "we need it done fast")),
            Map.entry(Cue.EVENT, List.of("in the new year", "before Christmas", "by the holidays", "ahead of tax season",
                    "before the annual audit", "in time for the new school year", "until the fiscal year ends", "before year-end",
                    "after the move", "before our board meeting", "before the renewal", "by next term", "before the weekend rush")),
            Map.entry(Cue.FLEXIBLE, List.of("no rush at all", "there's no hurry", "we're in no rush", "it's not urgent",
                    "whenever works", "any day is fine", "sometime next month", "I'm flexible",
                    "Anything the week after is fine", "any time the day after works", "no timeframe yet",
                    "there's no time frame", "no timeline", "no deadline", "no set timeline", "no fixed deadline",
                    "no firm timeframe", "no real deadline", "no particular timeline")),
            Map.entry(Cue.NOW, List.of("I need it NOW", "NOW please", "call me now", "I want to speak to someone now")),
            Map.entry(Cue.NOW_LEAD, List.of("we need a plumber here now", "see me now", "talk to me now", "I want the refund now",
                    "please help me now")));

    @ParameterizedTest
    @EnumSource(Cue.class)
    void every_written_sentence_matches_and_carries_its_cue(Cue cue) {
        assertThat(WRITTEN).containsKey(cue);
        for (String s : WRITTEN.get(cue)) {
            assertThat(GUARDED.get(cue).matcher(s).find()).as("%s matches \"%s\"", cue, s).isTrue();
            assertThat(guard(cue, s)).as("%s cue in \"%s\"", cue, s).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Cue.class)
    void no_random_sentence_of_the_expressions_own_words_matches_without_its_cue(Cue cue) {
        Pattern p = GUARDED.get(cue);
        List<String> words = vocabulary(p.pattern());
        Random random = new Random(cue.ordinal() * 7919L + 17);
        int matched = 0;
        for (int i = 0; i < 40_000; i++) {
            // half made of the expression's words at random, half a written sentence with words replaced, added or removed
            List<String> sentence = new ArrayList<>();
            if (random.nextBoolean()) {
                int n = 1 + random.nextInt(9);
                for (int w = 0; w < n; w++) {
                    sentence.add(words.get(random.nextInt(words.size())));
                }
            } else {
                List<String> written = WRITTEN.get(cue);
                sentence.addAll(List.of(written.get(random.nextInt(written.size())).split(" ")));
                for (int k = random.nextInt(4); k > 0; k--) {
                    int at = random.nextInt(sentence.size());
                    switch (random.nextInt(3)) {
                        case 0 -> sentence.set(at, words.get(random.nextInt(words.size())));
                        case 1 -> sentence.add(at, words.get(random.nextInt(words.size())));
                        default -> {
                            if (sentence.size() > 1) {
                                sentence.remove(at);
                            }
                        }
                    }
                }
            }
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < sentence.size(); w++) {
                String word = sentence.get(w);
                sb.append(w == 0 ? "" : random.nextInt(12) == 0 ? ", " : " ")
                        .append(random.nextInt(5) == 0 ? word.toUpperCase(Locale.ROOT) : word);
            }
            if (random.nextInt(4) == 0) {
                sb.append(random.nextBoolean() ? "?" : ".");
            }
            String s = sb.toString();
            Matcher m = p.matcher(s);
            if (m.find()) {
                matched++;
                assertThat(guard(cue, s)).as("%s matches \"%s\" without its cue", cue, s).isTrue();
            }
        }
        assertThat(matched).as("random sentences that %s matches", cue).isGreaterThan(1_000);
    }

    @org.junit.jupiter.api.Test
    void a_now_that_only_says_how_long_does_not_run_the_urgency_expression() {
        String s = "the tracking page has shown the same depot for nine days now";
        assertThat(TimelineReader.URGENT.matcher(s).find()).isFalse();
        assertThat(TimelineReader.mayBeUrgent(s, ObserverCues.find(s))).isFalse();
        assertThat(TimelineReader.mayBeUrgent("I need it now", ObserverCues.find("I need it now"))).isTrue();
        assertThat(TimelineReader.mayBeUrgent("NOW", ObserverCues.find("NOW"))).isTrue();
    }

    /** What a reader checks before it runs the expression: its cue, or for TimelineReader.URGENT its three cues. */
    private static boolean guard(Cue cue, String s) {
        long found = ObserverCues.find(s);
        return switch (cue) {
            case URGENT, NOW, NOW_LEAD -> TimelineReader.mayBeUrgent(s, found);
            default -> cue.in(found);
        };
    }

    /** The words of a pattern's source (its literals, apart), plus a few that join them and digits. */
    private static List<String> vocabulary(String regex) {
        Set<String> words = new LinkedHashSet<>();
        Matcher m = Pattern.compile("[a-z][a-z'-]*").matcher(regex.replaceAll("\\\\[a-z]", " ").replace("'?", "'"));
        while (m.find()) {
            words.add(m.group());
            words.add(m.group().replace("'", ""));
        }
        words.addAll(List.of("i", "we", "my", "our", "the", "a", "and", "to", "7", "it", "me", "is", "that"));
        return new ArrayList<>(words);
    }
}
